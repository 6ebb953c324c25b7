"""Incremental builds: only new or changed files are processed, and the graph is the same."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

import kg.build
import kg.cache
import kg.turtle
import kg.work
from kg.articles import read_article
from kg.build import build, write_outputs
from kg.cache import ArticleCache, pipeline_version, writer_version
from kg.cli import cli
from kg.export import serialize_turtle

from .conftest import CORPUS, DATA, ROOT, write_article


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """The samples, the fixture corpus and a broken file; a cache of them; their Turtle."""
    base = tmp_path_factory.mktemp("warm")
    src = base / "in"
    shutil.copytree(CORPUS / "articles", src)
    for p in (DATA / "articles").glob("*.txt"):  # the articles, not their corrections
        shutil.copy(p, src)
    (src / "broken.txt").write_text("no front matter", encoding="utf-8")
    result = build([src], cache=base / "cache")
    assert result.processed == len(list(src.iterdir()))
    return src, base / "cache", serialize_turtle(result.graph)


@pytest.fixture
def corpus(tmp_path, warm):
    """A copy of the corpus; ``tmp_path / "cache"`` is a copy of its cache."""
    shutil.copytree(warm[1], tmp_path / "cache")
    return shutil.copytree(warm[0], tmp_path / "in")


@pytest.fixture
def counts(monkeypatch):
    """How many files were read and how many articles extracted, by name."""
    seen = {"read": [], "extracted": []}
    read, extract = kg.work.read_article_bytes, kg.work.extract_article

    def counting_read(data, name, *args):
        seen["read"].append(name)
        return read(data, name, *args)

    def counting_extract(article, *args):
        seen["extracted"].append(article.path)
        return extract(article, *args)

    monkeypatch.setattr(kg.work, "read_article_bytes", counting_read)
    monkeypatch.setattr(kg.work, "extract_article", counting_extract)
    return seen


NEW = (
    "<p>霁川医疗与云岫医院达成战略合作，双方将共建云岫医院互联网医院。云岫医院院长林晚舟出席。</p>"
)


def test_adding_one_article_processes_one_article(corpus, tmp_path, counts):
    cache = tmp_path / "cache"
    n = len(list(corpus.iterdir()))
    write_article(corpus, "999_new.txt", NEW)
    again = build([corpus], cache=cache)
    assert counts["read"] == ["999_new.txt"] and counts["extracted"] == ["999_new.txt"]
    assert (again.processed, again.cached) == (1, n)
    clean = build([corpus])
    assert serialize_turtle(again.graph) == serialize_turtle(clean.graph)
    assert again.problems == clean.problems  # the broken file's error comes from the cache
    assert [p.path for p in again.errors] == ["broken.txt"]


def test_unchanged_corpus_processes_nothing(corpus, tmp_path, counts, warm):
    again = build([corpus], cache=tmp_path / "cache")
    assert counts["read"] == [] and again.processed == 0
    assert serialize_turtle(again.graph) == warm[2]


def test_changing_one_article_processes_that_article(corpus, tmp_path, counts):
    target = sorted(corpus.glob("1*.txt"))[0]
    target.write_text(
        target.read_text("utf-8").replace("</div>", "<p>补充一句。</p></div>", 1), encoding="utf-8"
    )
    again = build([corpus], cache=tmp_path / "cache")
    assert counts["read"] == [target.name]
    assert serialize_turtle(again.graph) == serialize_turtle(build([corpus]).graph)


def test_a_new_pipeline_version_processes_everything_and_drops_the_old_cache(
    tmp_path, counts, monkeypatch
):
    cache = tmp_path / "cache"
    build([DATA / "articles"], cache=cache)
    assert {p.name for p in cache.iterdir() if p.is_dir()} == {pipeline_version()}
    monkeypatch.setattr(kg.cache, "pipeline_version", lambda: "f" * 16)
    counts["read"].clear()
    build([DATA / "articles"], cache=cache)
    assert len(counts["read"]) == 2
    assert {p.name for p in cache.iterdir() if p.is_dir()} == {"f" * 16}


def test_pipeline_version_follows_rules_and_source(tmp_path):
    root = tmp_path / "kg"
    shutil.copytree(ROOT / "kg", root, ignore=shutil.ignore_patterns("__pycache__"))
    base = pipeline_version(root)
    assert base == pipeline_version(ROOT / "kg") == pipeline_version()
    (root / "__pycache__").mkdir()
    (root / "__pycache__" / "graph.cpython-311.pyc").write_bytes(b"compiled")
    (root / "notes.txt").write_text("not part of the package's code\n", encoding="utf-8")
    assert pipeline_version(root) == base
    rules = root / "rules" / "abbreviations.tsv"
    rules.write_text(rules.read_text("utf-8") + "测试机构\t测试\n", encoding="utf-8")
    changed = pipeline_version(root)
    assert changed != base
    (root / "extract" / "mentions.py").write_text("# changed\n", encoding="utf-8")
    assert pipeline_version(root) != changed


def test_a_new_or_renamed_module_changes_the_cache_versions(tmp_path):
    """The versions come from the package's files whatever their names: a
    module that is added, renamed or moved into a subpackage, or a new named
    query, starts a fresh cache."""
    root = tmp_path / "kg"
    shutil.copytree(ROOT / "kg", root, ignore=shutil.ignore_patterns("__pycache__"))
    seen = [(pipeline_version(root), writer_version(root))]

    def changed() -> bool:
        seen.append((pipeline_version(root), writer_version(root)))
        return all(a != b for a, b in zip(seen[-1], seen[-2], strict=True))

    (root / "files.py").rename(root / "reading.py")
    assert changed()
    (root / "reading.py").rename(root / "extract" / "reading.py")
    assert changed()
    (root / "tokens.py").write_text("WORDS = 1\n", encoding="utf-8")
    assert changed()
    (root / "queries" / "new.rq").write_text("SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert changed()
    assert len(set(seen)) == len(seen)


def entries(cache):
    return sorted(p for p in cache.glob("*/??/*.json"))


def test_a_damaged_cache_entry_is_a_miss(corpus, tmp_path, counts, warm):
    cache = tmp_path / "cache"
    found = entries(cache)
    assert len(found) == len(list(corpus.iterdir()))
    found[0].write_bytes(found[0].read_bytes()[:50])
    found[1].write_bytes(b"")
    again = build([corpus], cache=cache)
    assert len(counts["read"]) == 2
    assert serialize_turtle(again.graph) == warm[2]
    notes = [p for p in again.problems if "cache entry" in p.reason]
    assert len(notes) == 2 and not any(p.fatal for p in notes)


def test_a_cache_entry_cannot_run_code(corpus, tmp_path, counts, warm):
    import os
    import pickle

    class Payload:
        def __reduce__(self):
            return os.system, (f"touch {tmp_path / 'ran'}",)

    evil = pickle.dumps(Payload())
    for entry in entries(tmp_path / "cache"):
        entry.write_bytes(evil)
        entry.with_suffix(".pickle").write_bytes(evil)  # where a pickle cache would look
    again = build([corpus], cache=tmp_path / "cache")
    assert not (tmp_path / "ran").exists()
    assert len(counts["read"]) == len(list(corpus.iterdir()))
    assert serialize_turtle(again.graph) == warm[2]


def test_an_entry_copied_over_the_others_is_not_used(corpus, tmp_path, counts, warm):
    found = entries(tmp_path / "cache")
    for entry in found[1:]:
        entry.write_bytes(found[0].read_bytes())
    again = build([corpus], cache=tmp_path / "cache")
    assert len(counts["read"]) == len(found) - 1  # all but the original
    assert serialize_turtle(again.graph) == warm[2]
    copied = [p for p in again.problems if "entry of another input" in p.reason]
    assert len(copied) == len(found) - 1


def test_an_edited_cache_entry_is_not_used(corpus, tmp_path, counts, warm):
    entry = next(e for e in entries(tmp_path / "cache") if "星" in e.read_text("utf-8"))
    entry.write_text(entry.read_text("utf-8").replace("星", "月"), encoding="utf-8")
    again = build([corpus], cache=tmp_path / "cache")
    assert len(counts["read"]) == 1
    assert serialize_turtle(again.graph) == warm[2]
    assert any("checksum" in p.reason for p in again.problems)


def test_a_foreign_folder_is_refused_and_only_marked_folders_are_pruned(tmp_path):
    from kg.errors import KgError

    mine = tmp_path / "mine"
    (mine / ("a" * 16)).mkdir(parents=True)
    (mine / ("a" * 16) / "photo.jpg").write_bytes(b"keep me")
    with pytest.raises(KgError, match="not an ihkg cache folder"):
        build([DATA / "articles"], cache=mine)
    assert (mine / ("a" * 16) / "photo.jpg").exists()
    cache = tmp_path / "cache"
    build([DATA / "articles"], cache=cache)
    assert (
        (cache / "CACHEDIR.TAG")
        .read_text("utf-8")
        .startswith("Signature: 8a477f597d28d172789f06886806bc55")
    )
    (cache / ("b" * 16)).mkdir()  # named like a version folder, but not marked as one
    ArticleCache(cache, version="c" * 16).prune()
    assert (cache / ("b" * 16)).is_dir() and not (cache / pipeline_version()).exists()


def test_extraction_failures_are_not_cached(tmp_path, monkeypatch):
    cache = tmp_path / "cache"

    def broken(article, *args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(kg.work, "extract_article", broken)
    result = build([DATA / "articles"], cache=cache)
    assert [p.reason for p in result.errors] == ["extraction failed: RuntimeError: a bug"] * 2
    monkeypatch.undo()
    again = build([DATA / "articles"], cache=cache)
    assert again.processed == 2 and not again.errors


def test_cache_round_trip_keeps_the_outcome(tmp_path):
    from kg.work import process_article

    path = DATA / "articles" / "000_088a84496fb6fbd1.txt"
    outcome = process_article(path.name, path.read_bytes())
    cache = ArticleCache(tmp_path, version="0" * 16)
    key = cache.key(path.name, path.read_bytes())
    cache.put(key, outcome)
    assert cache.get(key) == outcome
    assert cache.key("other.txt", path.read_bytes()) != key  # the name is part of the key
    assert cache.key(path.name, path.read_bytes(), 10) != key  # and so is the limit


def test_cli_caches_in_out_by_default_and_not_with_no_cache(tmp_path):
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["build", str(DATA / "articles"), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "Processed 2 files, 0 from the cache" in r.stdout
    assert (out / ".cache" / "CACHEDIR.TAG").is_file()
    r = CliRunner().invoke(cli, ["build", str(DATA / "articles"), "--out", str(out)])
    assert "Processed 0 files, 2 from the cache" in r.stdout
    other = tmp_path / "other"
    r = CliRunner().invoke(
        cli, ["build", str(DATA / "articles"), "--out", str(other), "--no-cache"]
    )
    assert r.exit_code == 0 and not (other / ".cache").exists()
    assert (other / "graph.ttl").read_bytes() == (out / "graph.ttl").read_bytes()
    r = CliRunner().invoke(
        cli,
        [
            "build",
            str(DATA / "articles"),
            "--out",
            str(other),
            "--cache",
            str(tmp_path / "elsewhere"),
        ],
    )
    assert (tmp_path / "elsewhere" / "CACHEDIR.TAG").is_file() and not (other / ".cache").exists()


def test_gc_pause_freezes_nothing_and_leaves_cycles_collectable():
    import gc
    import weakref

    from kg.build import gc_paused

    class Node:
        pass

    made = []
    with gc_paused():
        assert not gc.isenabled()
        loop = Node()
        loop.self = loop  # garbage with a cycle, made while the collector is off
        gone = weakref.ref(loop)
        del loop
        made.append(Node())
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert any(o is made[0] for o in gc.get_objects(generation=2))  # moved, not scanned
    gc.collect()
    assert gone() is None


# -- the Turtle of unchanged articles is kept ---------------------------------------------


@pytest.fixture
def rendered(monkeypatch):
    """The subjects of every Turtle part written, one list per part."""
    parts = []
    real = kg.turtle.render

    def counting(grouped, subjects, namespaces):
        subjects = list(subjects)
        parts.append(subjects)
        return real(grouped, subjects, namespaces)

    monkeypatch.setattr(kg.turtle, "render", counting)
    return parts


def written_articles(parts: list[list]) -> list[str]:
    return [str(s).rsplit("/", 1)[1] for subjects in parts for s in subjects if "/article/" in s]


def test_a_rebuild_writes_the_turtle_of_the_new_article_only(corpus, tmp_path, rendered):
    cache, out = tmp_path / "cache", tmp_path / "out"
    first = build([corpus], cache=cache, ids=out / "ids.tsv")
    assert first.cache == cache  # the folder: the open cache stays with the build
    write_outputs(first, out)
    assert len(written_articles(rendered)) == len(first.parts.articles)
    ids = shutil.copy(out / "ids.tsv", tmp_path / "ids-before.tsv")
    shards = {p.name: p.stat().st_mtime_ns for p in cache.glob("*/turtle-*/*.json")}
    rendered.clear()
    write_article(corpus, "999_new.txt", NEW)
    again = build([corpus], cache=cache, ids=out / "ids.tsv")
    write_outputs(again, out)
    new = read_article(corpus / "999_new.txt").key
    assert written_articles(rendered) == [new]
    now = {p.name: p.stat().st_mtime_ns for p in cache.glob("*/turtle-*/*.json")}
    assert {n for n in now if now[n] != shards.get(n)} == {f"{new[:2]}.json"}
    clean = build([corpus], ids=ids)
    assert (out / "graph.ttl").read_text("utf-8") == serialize_turtle(clean.triples)


def test_articles_whose_part_changed_are_written_again(corpus, tmp_path, rendered):
    cache, out = tmp_path / "cache", tmp_path / "out"
    write_outputs(build([corpus], cache=cache), out)
    rendered.clear()
    strict = build([corpus], cache=cache, min_confidence=0.85)  # drops some assertions
    write_outputs(strict, out)
    changed = written_articles(rendered)
    assert 0 < len(changed) < len(strict.parts.articles)
    expected = serialize_turtle(build([corpus], min_confidence=0.85).triples)
    assert (out / "graph.ttl").read_text("utf-8") == expected
    rendered.clear()
    renamed = sorted(corpus.glob("1*.txt"))[0]
    renamed.rename(renamed.with_name("renamed.txt"))  # a new ihkg:fileName: written again
    write_outputs(build([corpus], cache=cache, min_confidence=0.85), out)
    assert written_articles(rendered) == [read_article(corpus / "renamed.txt").key]
    expected = serialize_turtle(build([corpus], min_confidence=0.85).triples)
    assert (out / "graph.ttl").read_text("utf-8") == expected


def test_a_damaged_or_foreign_turtle_cache_is_written_anew(corpus, tmp_path, rendered, monkeypatch):
    cache, out = tmp_path / "cache", tmp_path / "out"
    result = build([corpus], cache=cache)
    write_outputs(result, out)
    expected = (out / "graph.ttl").read_bytes()
    shards = sorted(cache.glob("*/turtle-*/*.json"))
    assert len(shards) > 1
    for shard in shards:
        shard.write_bytes(b"not an entry")
    rendered.clear()
    write_outputs(build([corpus], cache=cache), out)
    assert len(written_articles(rendered)) == len(result.parts.articles)
    assert (out / "graph.ttl").read_bytes() == expected
    monkeypatch.setattr(kg.cache, "writer_version", lambda: "0" * 16)  # another writer
    rendered.clear()
    write_outputs(build([corpus], cache=cache), out)
    assert len(written_articles(rendered)) == len(result.parts.articles)
    assert [p.name for p in cache.glob("*/turtle-*")] == [f"turtle-{'0' * 16}"]
    assert (out / "graph.ttl").read_bytes() == expected


def test_edited_turtle_in_the_cache_is_not_copied_into_the_graph(corpus, tmp_path, rendered):
    cache, out = tmp_path / "cache", tmp_path / "out"
    write_outputs(build([corpus], cache=cache), out)
    expected = (out / "graph.ttl").read_bytes()
    shard = sorted(cache.glob("*/turtle-*/*.json"))[0]
    text = shard.read_text("utf-8")
    assert "ihkg:Article" in text
    shard.write_text(text.replace("ihkg:Article", "ihkg:Forged"), encoding="utf-8")
    again = build([corpus], cache=cache)
    write_outputs(again, out)
    assert (out / "graph.ttl").read_bytes() == expected
    assert any("Turtle cache" in p.reason and not p.fatal for p in again.problems)


def test_writer_version_follows_the_writers_source(tmp_path):
    root = tmp_path / "kg"
    shutil.copytree(ROOT / "kg", root, ignore=shutil.ignore_patterns("__pycache__"))
    base = writer_version(root)
    assert base == writer_version()
    (root / "turtle.py").write_text("# changed\n", encoding="utf-8")
    assert writer_version(root) != base


def test_new_files_go_to_a_worker_while_the_cache_is_read(corpus, tmp_path, monkeypatch):
    calls = []
    real = kg.build.map_articles

    def recording(items, **options):
        calls.append((len(items), options["processes"]))
        return real(items, **options)

    monkeypatch.setattr(kg.build, "map_articles", recording)
    monkeypatch.setattr(kg.build, "OVERLAP_FROM", 10)
    monkeypatch.setattr(kg.build, "available_cpus", lambda: 2)
    write_article(corpus, "999_new.txt", NEW)
    again = build([corpus], cache=tmp_path / "cache")
    assert calls[0] == (1, True) and (again.processed, again.errors[0].path) == (1, "broken.txt")
    assert serialize_turtle(again.graph) == serialize_turtle(build([corpus]).graph)
    calls.clear()
    build([corpus], cache=tmp_path / "cache", jobs=1)  # asked for this process: no worker
    assert calls[0] == (0, False)
