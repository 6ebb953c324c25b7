"""Incremental builds: only new or changed files are processed, and the graph is the same."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

import kg.cache
import kg.parallel
from kg.build import build
from kg.cache import ArticleCache, pipeline_version
from kg.cli import cli
from kg.export import serialize_turtle

from .conftest import CORPUS, DATA, ROOT, write_article


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    """The samples, the fixture corpus and a broken file; a cache of them; their Turtle."""
    base = tmp_path_factory.mktemp("warm")
    src = base / "in"
    shutil.copytree(CORPUS / "articles", src)
    for p in (DATA / "articles").iterdir():
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
    read, extract = kg.parallel.read_article_bytes, kg.parallel.extract_article

    def counting_read(data, name, *args):
        seen["read"].append(name)
        return read(data, name, *args)

    def counting_extract(article, *args):
        seen["extracted"].append(article.path)
        return extract(article, *args)

    monkeypatch.setattr(kg.parallel, "read_article_bytes", counting_read)
    monkeypatch.setattr(kg.parallel, "extract_article", counting_extract)
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
    assert base == pipeline_version(ROOT / "kg")
    (root / "graph.py").write_text("# not part of per-article work\n", encoding="utf-8")
    assert pipeline_version(root) == base
    rules = root / "rules" / "abbreviations.tsv"
    rules.write_text(rules.read_text("utf-8") + "测试机构\t测试\n", encoding="utf-8")
    changed = pipeline_version(root)
    assert changed != base
    (root / "extract" / "entities.py").write_text("# changed\n", encoding="utf-8")
    assert pipeline_version(root) != changed


def test_a_damaged_cache_entry_is_a_miss(corpus, tmp_path, counts, warm):
    cache = tmp_path / "cache"
    entries = sorted(cache.rglob("*.pickle"))
    assert len(entries) == len(list(corpus.iterdir()))
    entries[0].write_bytes(entries[0].read_bytes()[:50])
    entries[1].write_bytes(b"")
    again = build([corpus], cache=cache)
    assert len(counts["read"]) == 2
    assert serialize_turtle(again.graph) == warm[2]


def test_extraction_failures_are_not_cached(tmp_path, monkeypatch):
    cache = tmp_path / "cache"

    def broken(article, *args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(kg.parallel, "extract_article", broken)
    result = build([DATA / "articles"], cache=cache)
    assert [p.reason for p in result.errors] == ["extraction failed: RuntimeError: a bug"] * 2
    monkeypatch.undo()
    again = build([DATA / "articles"], cache=cache)
    assert again.processed == 2 and not again.errors


def test_cache_round_trip_keeps_the_outcome(tmp_path):
    from kg.parallel import process_article

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
