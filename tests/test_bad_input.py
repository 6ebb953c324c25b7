"""Bad input: each broken file is one clear line, and the rest of the batch is built.

The small broken articles live in ``tests/bad/`` (one construction each); the
binary, GBK, UTF-16 and 5 MB cases are made here in ``tmp_path``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from kg.articles import MAX_CHARS, parse_article, read_article
from kg.build import build, write_outputs
from kg.cli import cli
from kg.errors import ArticleError
from kg.text import MAX_SENTENCE_CHARS
from kg.vocab import IHKG

from .conftest import DATA
from .test_viz import packed_data

BAD = Path(__file__).resolve().parent / "bad"

# file -> (what happens, pattern the one-line reason matches)
EXPECTED = {
    "empty.txt": ("error", r"^file is empty$"),
    "only_whitespace.txt": ("error", r"^file is empty$"),
    "no_front_matter.txt": (
        "error",
        r"^no front matter \(the file must start with a '---' block\)$",
    ),
    "broken_yaml.txt": (
        "error",
        r"^front matter is not valid YAML \(while scanning a quoted "
        r"scalar on line 2: .* on line 5\)$",
    ),
    "unclosed_front_matter.txt": ("error", r"^front matter is not closed"),
    "front_matter_list.txt": ("error", r"^front matter is not a mapping \(it is a list\)$"),
    "front_matter_empty.txt": ("error", r"^front matter is empty"),
    "no_body_text.txt": ("error", r"^body has no text$"),
    "no_title.txt": ("warning", r"^front matter has no 'title'; using the file name$"),
    "no_date.txt": ("warning", r"^front matter has no 'date'$"),
    "date_other_format.txt": (
        "warning",
        r"^front matter 'date' is not a date: '28/05/2021 下午' "
        r"\(use ISO 8601",
    ),
    "date_retyped_sexagesimal.txt": ("warning", r"^front matter 'date' is not a date: '10:00'"),
    "plain_text_body.txt": ("warning", r"^body is plain text, not HTML"),
    "title_retyped_number.txt": ("ok", None),
    "title_retyped_date.txt": ("ok", None),
    "title_retyped_bool.txt": ("ok", None),
    "broken_html.txt": ("ok", None),
    "crlf_line_ends.txt": ("ok", None),
    "utf8_bom.txt": ("ok", None),
    "names_with_syntax.txt": ("ok", None),
    "same_article_a.txt": ("ok", None),
    "same_article_b.txt": ("ok", None),
}


def reasons(path: Path) -> tuple[str, list[str]]:
    """What reading a file gives: ``("error", [reason])`` or ``(kind, warnings)``."""
    try:
        article = read_article(path)
    except ArticleError as e:
        assert str(e) == f"{path.name}: {e.reason}"
        return "error", [e.reason]
    return ("warning" if article.warnings else "ok"), list(article.warnings)


def test_every_bad_file_has_an_expectation():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gives_one_clear_reason(name):
    kind, pattern = EXPECTED[name]
    got_kind, got = reasons(BAD / name)
    assert got_kind == kind, got
    if pattern is not None:
        assert len(got) == 1 and re.search(pattern, got[0]), got
    assert all("\n" not in r for r in got)


def test_yaml_1_1_retyping_is_undone():
    assert read_article(BAD / "title_retyped_number.txt").title == "2021"
    assert read_article(BAD / "title_retyped_date.txt").title == "2021-05-28"
    assert read_article(BAD / "title_retyped_bool.txt").title == "yes"
    assert read_article(BAD / "title_retyped_bool.txt").date == "2021-05-28"
    a = read_article(BAD / "date_retyped_sexagesimal.txt")
    assert a.date is None and "'10:00'" in a.warnings[0]  # not 600
    # an explicit tag still gives a number, which is not a date
    b = parse_article("---\ntitle: !!int 7\ndate: !!int 600\n---\n<p>正文。</p>", "t.txt")
    assert b.title == "7" and b.date is None and "600" in b.warnings[0]


def test_crlf_bom_and_broken_html_read_like_clean_files():
    crlf = read_article(BAD / "crlf_line_ends.txt")
    assert "\r" not in crlf.text and crlf.title == "Windows 换行" and crlf.date == "2021-05-28"
    assert len(crlf.paragraphs) == 2
    bom = read_article(BAD / "utf8_bom.txt")
    assert bom.title == "带BOM的文章" and not bom.text.startswith("\ufeff")
    html = read_article(BAD / "broken_html.txt")
    assert (
        "院长蒋平表示" in html.text and "&bogus; 3 < 5" in html.text and "<" not in html.text[:60]
    )


def test_plain_text_body_gives_one_paragraph_a_line():
    a = read_article(BAD / "plain_text_body.txt")
    assert [a.text[p.start : p.end][:4] for p in a.paragraphs] == ["松石健康", "银湖医院"]


# -- files made here: binary, other encodings, very large -------------------------------


ARTICLE = "---\ntitle: '编码测试'\ndate: 2021-05-28\n---\n<p>澜石健康与江州医院达成战略合作。</p>\n"


def test_binary_file_is_an_error(tmp_path):
    png = tmp_path / "image.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with pytest.raises(ArticleError, match=r"^image\.txt: binary file"):
        read_article(png)
    noise = tmp_path / "noise.txt"  # no NUL byte, decodes, but is control characters
    noise.write_bytes(bytes(range(1, 32)) * 50)
    with pytest.raises(ArticleError, match=r"^noise\.txt: binary file"):
        read_article(noise)


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_file_is_read_with_a_note(tmp_path, encoding):
    path = tmp_path / "gbk.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    a = read_article(path)
    assert a.title == "编码测试" and a.text == "澜石健康与江州医院达成战略合作。"
    assert a.warnings == ("not UTF-8; read as GB18030",)


def test_utf16_file_is_read_with_a_note(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes(ARTICLE.encode("utf-16"))
    a = read_article(path)
    assert a.text == "澜石健康与江州医院达成战略合作。" and "UTF-16" in a.warnings[0]


def test_utf8_cut_inside_a_character_stays_utf8(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes(ARTICLE.encode() + "<p>后记。".encode()[:-1])  # cut inside 。
    a = read_article(path)
    assert a.title == "编码测试" and a.text.endswith("\n后记\ufffd")
    assert a.warnings == ("not valid UTF-8 in 1 place; replaced by U+FFFD",)


def test_five_megabyte_article_with_an_inline_image_is_read(tmp_path):
    image = "data:image/png;base64," + "iVBORw0KGgo" * 480_000
    path = tmp_path / "big_image.txt"
    path.write_text(ARTICLE + f'<p><img src="{image}"></p><p>（图注）</p>\n', encoding="utf-8")
    assert path.stat().st_size > 5_000_000
    a = read_article(path)
    assert a.text == "澜石健康与江州医院达成战略合作。\n（图注）"


def test_five_megabyte_article_of_text_is_one_clear_error(tmp_path):
    path = tmp_path / "big_text.txt"
    path.write_text(
        ARTICLE + "<p>" + "澜石健康与江州医院达成战略合作。" * 110_000 + "</p>", encoding="utf-8"
    )
    assert path.stat().st_size > 5_000_000
    with pytest.raises(
        ArticleError,
        match=r"^big_text\.txt: body text is 1,760,017 characters, "
        rf"more than the {MAX_CHARS:,} an article may have",
    ):
        read_article(path)
    assert len(read_article(path, max_chars=None).text) == 1_760_017


def test_a_paragraph_without_full_stops_is_cut_into_bounded_sentences():
    run = "康泰医疗与江州医院达成合作，江州医院院长周明表示欢迎，" * 2000  # 54,000 characters
    a = parse_article(ARTICLE + f"<p>{run}</p><p>后记。</p>", "run.txt")
    assert max(len(s.text) for s in a.sentences) <= MAX_SENTENCE_CHARS
    assert "".join(s.text for s in a.sentences[1:-1]) == run
    assert a.sentences[-1].text == "后记。"


def test_deeply_nested_html_does_not_exhaust_the_stack(tmp_path):
    a = parse_article(
        ARTICLE + "<div>" * 5000 + "<p>深处的文字。</p>" + "</div>" * 5000,
        "deep.txt",
        max_depth=None,
    )
    assert a.text.endswith("深处的文字。")


def test_deeply_nested_html_is_refused_before_it_is_parsed(monkeypatch):
    import kg.html

    def parse(html):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(kg.html, "html_to_paragraphs", parse)
    deep = ARTICLE + "<div>" * 200_000 + "<p>深处。</p>" + "</div>" * 200_000  # 2.2 MB
    with pytest.raises(ArticleError, match=r"nested more than 256 deep"):
        parse_article(deep, "deep.txt")
    with pytest.raises(ArticleError, match=r"nested more than 10 deep"):
        parse_article(ARTICLE + "<span>" * 11 + "字。", "deep.txt", max_depth=10)


def test_sloppy_but_shallow_html_is_not_refused():
    body = "<div>" + "<p>一段。" * 500 + "<ul>" + "<li>一项" * 500 + "</ul></div>"
    a = parse_article(ARTICLE + body + "<table>" + "<tr><td>格" * 500 + "</table>", "x.txt")
    assert a.text.count("一段。") == 500


def test_a_long_title_is_cut_with_a_warning():
    long = "标" * 1_000_000
    a = parse_article(ARTICLE.replace("title: '编码测试'", f"title: '{long}'"), "t.txt")
    assert len(a.title) == 1_000 and a.title.endswith("…")
    assert any("title is 1,000,000 characters" in w for w in a.warnings)
    b = parse_article(ARTICLE, "t.txt", max_title_chars=3)
    assert len(b.title) == 3


# -- the batch: every problem one line, the rest built ------------------------------------


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """``kg build`` over tests/bad, the samples and the generated cases."""
    tmp = tmp_path_factory.mktemp("batch")
    src = tmp / "in"
    shutil.copytree(BAD, src / "bad")
    shutil.copytree(DATA / "articles", src / "samples")
    (src / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (src / "gbk.txt").write_bytes(ARTICLE.replace("编码测试", "GBK文章").encode("gbk"))
    (src / "big_text.txt").write_text(ARTICLE + "<p>" + "甲。" * 3_000_000 + "</p>", "utf-8")
    (src / 'quote"back\\slash {?x}.txt').write_bytes(
        (BAD / "crlf_line_ends.txt")
        .read_bytes()
        .replace(b"</div>", "<p>另一段。</p></div>".encode())
    )
    (tmp / "none.yaml").write_text("corrections: []\n", encoding="utf-8")
    out = tmp / "out"
    r = CliRunner().invoke(
        cli,
        [
            "build",
            str(src),
            "--out",
            str(out),
            "--no-cache",
            "--corrections",
            str(tmp / "none.yaml"),
        ],
    )
    return r, out


def test_batch_exit_status_is_1_and_no_traceback(batch):
    r, out = batch
    assert r.exit_code == 1, r.output
    assert "Traceback" not in r.output
    assert (out / "graph.ttl").is_file() and (out / "graph.html").is_file()


def test_batch_reports_each_problem_as_one_line_and_in_errors_jsonl(batch):
    r, out = batch
    lines = r.stderr.splitlines()
    assert all(re.match(r"^(error|warning): [^:]+: \S", line) for line in lines), lines
    problems = [json.loads(x) for x in (out / "errors.jsonl").read_text("utf-8").splitlines()]
    assert [
        f"{'error' if p['fatal'] else 'warning'}: {p['file']}: {p['reason']}" for p in problems
    ] == lines
    expected = {name: kind for name, (kind, _) in EXPECTED.items() if kind != "ok"}
    expected |= {"binary.txt": "error", "gbk.txt": "warning", "big_text.txt": "error"}
    assert {p["file"]: "error" if p["fatal"] else "warning" for p in problems} == expected
    assert len(problems) == len(expected)  # one line each


def test_batch_builds_everything_readable(batch):
    r, out = batch
    g = Graph().parse(out / "graph.ttl")
    files = {str(o) for o in g.objects(None, IHKG.fileName)}
    readable = {n for n, (kind, _) in EXPECTED.items() if kind != "error"}
    assert files == readable | {
        "gbk.txt",
        'quote"back\\slash {?x}.txt',
        "000_088a84496fb6fbd1.txt",
        "004_61d2a8d4cd7de884.txt",
    }
    labels = {str(o) for o in g.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert {"京东健康", "平安好医生", "江州医院", "石门医院", "银湖医院"} <= labels
    errors = sum(kind == "error" for kind, _ in EXPECTED.values()) + 2  # binary, big_text
    assert (
        f"Errors:     {errors:>4}" in r.stdout
        and f"Read {len(files) - 1} articles ({len(files)} files)" in r.stdout
    )


def test_same_article_twice_is_one_node_with_both_file_names(tmp_path):
    both = [BAD / "same_article_a.txt", BAD / "same_article_b.txt", DATA / "articles"]
    result = build(both, corrections=None)
    key = read_article(BAD / "same_article_a.txt").key
    assert result.files[key] == ["same_article_a.txt", "same_article_b.txt"]
    g = result.graph
    nodes = set(g.subjects(IHKG.fileName, Literal("same_article_a.txt")))
    assert nodes == set(g.subjects(IHKG.fileName, Literal("same_article_b.txt")))
    assert len(nodes) == 1
    assert len(result.articles) == 3 and not result.problems
    once = build([BAD / "same_article_a.txt", DATA / "articles"], corrections=None).graph
    assert len(g) == len(once) + 1  # the second file name is the only new triple


def test_names_with_html_quotes_backslashes_and_sparql_survive_turtle(tmp_path):
    result = build([BAD / "names_with_syntax.txt"])
    paths = write_outputs(result, tmp_path)
    g = Graph().parse(paths["turtle"], format="turtle")
    titles = {str(o) for o in g.objects(None, URIRef("http://purl.org/dc/terms/title"))}
    assert titles == {'标题 " <b>粗</b> \\ } UNION { ?s ?p ?o } # 单引号 "'}
    sources = {str(o) for o in g.objects(None, URIRef("http://purl.org/dc/terms/source"))}
    assert sources == {'http://example.com/a"><script>alert(1)</script>'}
    labels = {str(o) for o in g.objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))}
    assert "甲\\乙医疗集团" in labels
    assert len(g) == len(result.graph)
    html = paths["html"].read_text("utf-8")
    assert "<script>alert(1)" not in html


def test_batch_file_name_with_quotes_survives(batch):
    _, out = batch
    g = Graph().parse(out / "graph.ttl")
    assert (None, IHKG.fileName, Literal('quote"back\\slash {?x}.txt')) in g


def test_usage_errors_exit_2(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for args, message in [
        ([str(tmp_path / "missing")], "no such file or folder"),
        ([str(empty)], "no article files"),
        (
            [str(DATA / "articles"), "--jobs", "2", "--dask-scheduler", "tcp://127.0.0.1:1"],
            "exclude each other",
        ),
        (
            [str(DATA / "articles"), "--no-cache", "--cache", str(tmp_path / "c")],
            "exclude each other",
        ),
        ([str(DATA / "articles"), "--jobs", "-1"], "-1"),
    ]:
        r = CliRunner().invoke(cli, ["build", *args, "--out", str(tmp_path / "out")])
        assert r.exit_code == 2, (args, r.output)
        assert message in r.output and "Traceback" not in r.output
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_clean_build_exits_0_even_with_warnings(tmp_path):
    r = CliRunner().invoke(
        cli,
        ["build", str(DATA / "articles"), str(BAD / "no_date.txt"), "--out", str(tmp_path / "out")],
    )
    assert r.exit_code == 0, r.output
    assert r.stderr.splitlines()[1] == "warning: no_date.txt: front matter has no 'date'"
    assert "corrections.yaml: not applied" in r.stderr.splitlines()[0]  # several paths


def test_a_file_name_that_is_not_utf8_is_shown_with_a_warning(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    raw = os.fsdecode(b"bad\xff.txt")  # Linux keeps the byte; the name has a surrogate
    try:
        (folder / raw).write_bytes((DATA / "articles" / "000_088a84496fb6fbd1.txt").read_bytes())
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system takes UTF-8 file names only")
    out = tmp_path / "out"
    r = CliRunner().invoke(cli, ["build", str(folder), "--out", str(out), "--no-cache"])
    assert r.exit_code == 0, r.output
    line = "warning: bad\ufffd.txt: file name is not valid UTF-8; its bad bytes are shown as U+FFFD"
    assert r.stderr.splitlines()[0] == line
    g = Graph().parse(out / "graph.ttl")
    assert set(g.objects(None, IHKG.fileName)) == {Literal("bad\ufffd.txt")}
    first = (out / "errors.jsonl").read_text("utf-8").splitlines()[0]
    assert json.loads(first)["file"] == "bad\ufffd.txt"
    page = (out / "graph.html").read_text("utf-8")  # valid UTF-8 throughout
    carried = json.dumps(packed_data(page), ensure_ascii=False)  # the page shows no file names
    assert "\ufffd" not in carried and carried.encode("utf-8")


# -- folders: names in any case, unreadable folders, the output folder ---------------------


def test_suffixes_match_in_any_case(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("A.TXT", "b.HTML", "c.Md", "d.htm", "e.jpg"):
        shutil.copy(DATA / "articles" / "000_088a84496fb6fbd1.txt", src / name)
    result = build([src])
    assert sorted(f for fs in result.files.values() for f in fs) == [
        "A.TXT",
        "b.HTML",
        "c.Md",
        "d.htm",
    ]


def test_an_unreadable_folder_is_an_error(tmp_path, monkeypatch):
    src = tmp_path / "in"
    shutil.copytree(DATA / "articles", src / "ok")
    shutil.copytree(DATA / "articles", src / "locked")
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("locked"):  # as chmod 000 does, even for root
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = build([src])
    assert [(Path(p.path).name, p.reason) for p in result.errors] == [
        ("locked", "cannot read folder (Permission denied); its files are not read")
    ]
    assert len(result.articles) == 2


def test_an_output_folder_inside_the_input_is_not_read(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(DATA / "articles", src)
    out = src / "out"
    for _ in range(2):
        r = CliRunner().invoke(cli, ["build", str(src), "--out", str(out)])
        assert r.exit_code == 0, r.output
    assert "graph.html" not in r.stderr and "ids.tsv" not in r.stderr
    assert "Read 2 articles (2 files)" in r.stdout
    assert f"warning: {out}: skipped" in r.stderr


def test_the_same_body_under_another_title_is_a_warning_naming_both(tmp_path):
    text = (BAD / "same_article_a.txt").read_text("utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        re.sub(r"title: .*", "title: '另一个标题'", text, count=1), encoding="utf-8"
    )
    result = build([tmp_path])
    assert len(result.articles) == 1
    [warning] = result.problems
    assert warning.path == "b.txt" and not warning.fatal
    assert warning.reason.startswith("same body as a.txt under another title or date")
    assert "另一个标题" in warning.reason
