"""The command line: thin over the library, one-line errors, exit codes."""

import json
import re
import shutil

import click
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.tables import TABLE_FORMATS

from .conftest import DATA, write_article


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_build_writes_turtle_html_and_a_summary(tmp_path):
    out = tmp_path / "out"
    r = run("build", DATA / "articles", "--out", out)
    assert r.exit_code == 0, r.output
    assert "Read 2 articles" in r.output and "partnersWith" in r.output
    assert (out / "graph.ttl").read_text("utf-8").count("ihkg:partnersWith") >= 6
    assert "<script" in (out / "graph.html").read_text("utf-8")


def test_build_keeps_the_ids_file_and_reads_it_back(tmp_path):
    from kg.resolve import parse_ids

    out = tmp_path / "out"
    assert run("build", DATA / "articles", "--out", out).exit_code == 0
    ids = parse_ids((out / "ids.tsv").read_text("utf-8"))
    turtle = (out / "graph.ttl").read_text("utf-8")
    assert ids and all(f"ihkgid:{eid}" in turtle or f"/id/{eid}>" in turtle for eid in ids.values())
    with (out / "ids.tsv").open("a", encoding="utf-8") as f:
        f.write("ORG\tno id here\n")
    r = run("build", DATA / "articles", "--out", out)
    assert r.exit_code == 0 and "warning: ids.tsv: line" in r.output
    assert (out / "graph.ttl").read_text("utf-8") == turtle
    assert parse_ids((out / "ids.tsv").read_text("utf-8")) == ids  # the bad line is dropped


def test_broken_article_is_one_line_and_the_rest_is_built(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(DATA / "articles", src)
    (src / "broken.txt").write_text("no front matter here", encoding="utf-8")
    r = CliRunner().invoke(cli, ["build", str(src), "--out", str(tmp_path / "out")])
    assert r.exit_code == 1
    assert "error: broken.txt: no front matter" in r.output
    assert "Traceback" not in r.output
    assert "Read 2 articles" in r.output
    assert "broken.txt" in (tmp_path / "out" / "errors.jsonl").read_text("utf-8")


def test_missing_path_is_a_usage_error(tmp_path):
    r = CliRunner().invoke(cli, ["build", str(tmp_path / "nope"), "--out", str(tmp_path)])
    assert r.exit_code == 2
    assert "no such file or folder" in r.output and "Traceback" not in r.output


def test_the_kg_process_flushes_its_output_and_keeps_exit_codes(tmp_path):
    """``main`` flushes what was printed before the process ends: nothing may be lost."""
    import subprocess
    import sys

    src = tmp_path / "in"
    src.mkdir()
    write_article(src, "a.txt", "甲公司与乙医院签署战略合作协议。")
    (src / "broken.txt").write_text("no front matter here", encoding="utf-8")

    def kg(*args):
        cmd = [sys.executable, "-m", "kg", *map(str, args)]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=300)

    built = kg("build", src, "--out", tmp_path / "out", "--no-cache", "--json")
    assert built.returncode == 1, built.stderr
    assert json.loads(built.stdout)["articles"] == 1  # the whole JSON came through the pipe
    assert "error: broken.txt: no front matter" in built.stderr
    assert (tmp_path / "out" / "graph.ttl").is_file()
    (src / "broken.txt").unlink()
    again = kg("build", src, "--out", tmp_path / "out")
    assert again.returncode == 0 and again.stdout.rstrip().endswith(
        "from the cache (%s)." % (tmp_path / "out" / ".cache")
    )
    missing = kg("build", tmp_path / "nope", "--out", tmp_path / "out")
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr


def test_the_kg_process_runs_atexit_handlers():
    """``main`` ends the process with a normal exit: handlers registered with
    ``atexit`` (by a library or an embedding program) still run."""
    import subprocess
    import sys

    code = (
        "import atexit, sys\n"
        "atexit.register(print, 'atexit handler ran')\n"
        "sys.argv = ['kg', 'queries']\n"
        "from kg.cli import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "single-source" in done.stdout
    assert done.stdout.endswith("atexit handler ran\n")


def test_min_confidence_drops_weaker_evidence(tmp_path):
    a = write_article(
        tmp_path,
        "a.txt",
        "<p>澜石健康（以下简称“公司”）成立于2015年。"
        "该公司将负责江州医院互联网医院的运营。澜石健康与江州医院达成战略合作。</p>",
    )
    args = ["build", a, "--json", "--corrections", tmp_path / "none.yaml"]
    (tmp_path / "none.yaml").write_text("corrections: []\n", encoding="utf-8")
    low = json.loads(run(*args, "--out", tmp_path / "low").output)
    high = json.loads(run(*args, "--out", tmp_path / "high", "--min-confidence", "0.8").output)
    # read through "该公司", the company's role is less sure than the hospital's own
    assert low["relations"]["operatesHospital"] == 2
    assert high["relations"]["operatesHospital"] == 1
    assert high["relations"]["partnersWith"] == 1


def test_evaluate_prints_scores_and_misses(built, tmp_path):
    graph = built / "out" / "graph.ttl"
    clean = run("evaluate", graph, "--gold", DATA / "gold", "-v")
    assert clean.exit_code == 0 and "missed" not in clean.output and "wrong" not in clean.output
    # the gold with one chair taken out (the graph's one is then wrong) and one CEO
    # the graph lacks (missed): the rest of the gold is found, as the clean run shows
    gold = tmp_path / "gold"
    shutil.copytree(DATA / "gold", gold)
    path = gold / "000_088a84496fb6fbd1.json"
    doc = json.loads(path.read_text("utf-8"))
    doc["relations"].remove(next(r for r in doc["relations"] if r["p"] == "chairOf"))
    doc["relations"].append({"s": "wh", "p": "ceoOf", "o": "shwjw"})
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    r = run("evaluate", graph, "--gold", gold, "-v")
    assert r.exit_code == 0
    lines = r.output.splitlines()
    rows = {line.split()[0]: line.split()[1:] for line in lines[3:14]}
    # ceoOf: 3 of 4 found, none wrong; chairOf: 1 of 1, and 1 wrong
    assert rows["ceoOf"] == ["1.000", "0.750", "0.857", "3", "0", "1"]
    assert rows["chairOf"] == ["0.500", "1.000", "0.667", "1", "1", "0"]
    # core (partnersWith 6, ceoOf, operatesHospital 4): 13 of 14; chairOf is not core
    assert rows["core"] == ["1.000", "0.929", "0.963", "13", "0", "1"]
    assert rows["relations"] == ["0.941", "0.941", "0.941", "16", "1", "1"]
    assert rows["positions"] == ["1.000", "1.000", "1.000", "9", "0", "0"]  # untouched
    assert lines[14:] == [
        "missed  ceoOf              吴宏 ceoOf 上海市卫健委",
        "wrong   chairOf            何晓顺 chairOf 中国肿瘤防治联盟",
    ]


def test_evaluate_missing_graph_is_a_usage_error(tmp_path):
    r = CliRunner().invoke(cli, ["evaluate", str(tmp_path / "none.ttl")])
    assert r.exit_code == 2 and "kg build" in r.output


def test_eval_report_scores_the_corpora_it_is_given(tmp_path):
    r = run("eval-report", "--corpus", "mine", DATA / "articles", DATA / "gold")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("mine: 2 articles\n\n| category | mine F1 (P / R) |\n")
    assert "| core | 1.000 (1.00 / 1.00) |" in r.output
    scores = json.loads(
        run(
            "eval-report", "--corpus", "a", DATA / "articles", DATA / "gold", "--format", "json"
        ).output
    )
    assert list(scores) == ["a"] and scores["a"]["core"]["f1"] == 1.0
    both = run("eval-report", "--only", "samples", "--corpus", "a", DATA / "articles", tmp_path)
    assert both.exit_code == 2 and "exclude each other" in both.output


def test_a_library_error_is_one_printable_line_in_every_command(tmp_path):
    """The one error handler: a ``KgError`` is a line on standard error, exit 2,
    control characters of a file name escaped."""
    for args in (["validate", tmp_path / "a\nb\x07.ttl"], ["neighbors", tmp_path / "x.ttl", "甲"]):
        r = CliRunner().invoke(cli, [str(a) for a in args])
        assert r.exit_code == 2, r.output
        assert r.output.startswith("Error: ") and r.output.count("\n") == 1, r.output
        assert "no such graph file" in r.output and "\x07" not in r.output


def test_a_query_syntax_error_keeps_its_caret_under_the_column(built):
    graph = str(built / "out" / "graph.ttl")
    r = CliRunner().invoke(cli, ["query", graph, "SELECT ?x WHERE { ?x \x1b ?y }"])
    assert r.exit_code == 2, r.output
    first, source, caret = r.output.splitlines()  # the query's line, a caret under it
    column = int(re.search(r"^Error: SPARQL syntax error at line 1, column (\d+):", first)[1])
    assert source == "  SELECT ?x WHERE { ?x \\x1b ?y }" and "\x1b" not in r.output
    assert caret == "  " + " " * (column - 1) + "^"


def test_a_corpus_applies_its_own_corrections_and_no_other(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for article in (DATA / "articles").glob("*.txt"):  # the articles without their corrections
        shutil.copy(article, src)
    other = run("build", src, "--out", tmp_path / "other")
    assert other.exit_code == 0 and "Warnings: 0" in other.output
    assert "ihkgid:corrections" not in (tmp_path / "other" / "graph.ttl").read_text("utf-8")
    own = run("build", DATA / "articles", "--out", tmp_path / "own")
    assert own.exit_code == 0 and "Warnings: 0" in own.output
    assert "ihkgid:corrections" in (tmp_path / "own" / "graph.ttl").read_text("utf-8")
    # several paths: the corpus's corrections would reach the other one; left out, and said so
    both = run("build", DATA / "articles", src, "--out", tmp_path / "both")
    assert both.exit_code == 0
    assert (
        "warning: " + str(DATA / "articles" / "corrections.yaml") + ": not applied" in both.output
    )
    assert "ihkgid:corrections" not in (tmp_path / "both" / "graph.ttl").read_text("utf-8")
    asked = DATA / "articles" / "corrections.yaml"
    on_request = run("build", src, "--corrections", asked, "--out", tmp_path / "asked")
    assert "ihkgid:corrections" in (tmp_path / "asked" / "graph.ttl").read_text("utf-8")
    assert on_request.exit_code == 0
    none = run("build", DATA / "articles", "--no-corrections", "--out", tmp_path / "none")
    assert "ihkgid:corrections" not in (tmp_path / "none" / "graph.ttl").read_text("utf-8")
    assert none.exit_code == 0


def test_the_library_and_the_command_line_build_the_same_graph(tmp_path, monkeypatch):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from kg.build import build

    library = build([DATA / "articles"]).graph
    monkeypatch.chdir(DATA.parent)  # where the default corpus, data/articles, is
    for args, out in (([], tmp_path / "default"), ([DATA / "articles"], tmp_path / "named")):
        assert run("build", *args, "--out", out, "--no-cache").exit_code == 0
        graph = Graph().parse(out / "graph.ttl")
        assert len(graph) == len(library) and isomorphic(graph, library), args


def test_the_graph_is_the_first_argument_and_graph_still_works(built):
    graph = built / "out" / "graph.ttl"
    for args in (
        ["analyze", graph, "--top", "2"],
        ["neighbors", graph, "京东健康"],
        ["path", graph, "济爱医疗", "何晓顺"],
        ["query", graph, "partners"],
    ):
        new = CliRunner().invoke(cli, [str(a) for a in args])
        assert new.exit_code == 0, (args, new.output)
        old = CliRunner().invoke(cli, [str(a) for a in [*args[:1], *args[2:], "--graph", graph]])
        assert old.exit_code == 0, (args, old.output)
        assert old.stdout == new.stdout
        assert (
            old.stderr == "Notice: --graph is deprecated; give the graph as the first argument.\n"
        )
    r = CliRunner().invoke(cli, ["neighbors", str(graph), str(graph), "京东健康"])
    assert r.exit_code == 2 and "unexpected extra argument" in r.output


def test_the_graph_argument_defaults_to_out_graph_ttl(built, monkeypatch):
    monkeypatch.chdir(built)
    assert "京东健康" in run("neighbors", "济爱医疗").output
    assert run("analyze", "--top", "1").exit_code == 0


def test_json_numbers_are_numbers_and_strings_stay_strings(built):
    graph = built / "out" / "graph.ttl"
    sparql = 'SELECT * { BIND(7 AS ?n) BIND(0.85 AS ?d) BIND(true AS ?b) BIND("7" AS ?s) }'
    for engine in ("oxigraph", "rdflib"):
        r = run("query", graph, sparql, "--format", "json", "--engine", engine)
        assert json.loads(r.output) == [{"n": 7, "d": 0.85, "b": True, "s": "7"}], engine
    [first, *_] = json.loads(run("neighbors", graph, "京东健康", "--format", "json").output)
    assert isinstance(first["sentences"], int) and isinstance(first["neighbor"], str)
    [hop] = json.loads(run("path", graph, "济爱医疗", "京东健康", "--json").output)
    assert isinstance(hop["evidence"][0]["confidence"], float)
    rows = json.loads(run("analyze", graph, "--format", "json").output)["centrality"]
    assert isinstance(rows["Organization"][0]["degree"], int)


def test_a_name_parameter_finds_traditional_characters(built):
    graph = built / "out" / "graph.ttl"
    simplified = run("query", graph, "partners", "-p", "org=京东健康", "--format", "csv")
    traditional = run("query", graph, "partners", "-p", "org=京東健康", "--format", "csv")
    assert traditional.exit_code == 0 and "济爱医疗" in traditional.output
    assert traditional.output == simplified.output


def test_viz_of_a_part_does_not_overwrite_the_build_page(built, tmp_path, monkeypatch):
    shutil.copytree(built / "out", tmp_path / "out")
    monkeypatch.chdir(tmp_path)
    page = (tmp_path / "out" / "graph.html").read_bytes()
    r = run("viz", "--focus", "京東健康", "--hops", "0")
    assert r.output == "Wrote out/graph-京东健康.html (1 entity, 0 relations)\n"
    r = run("viz", "--relation", "partnersWith", "--type", "Company")
    assert r.output.startswith("Wrote out/graph-partnersWith-Company.html (")
    assert (tmp_path / "out" / "graph.html").read_bytes() == page
    assert sorted(p.name for p in (tmp_path / "out").glob("*.html")) == [
        "graph-partnersWith-Company.html",
        "graph-京东健康.html",
        "graph.html",
    ]


def test_counts_are_singular_for_one():
    from kg.cli import format_summary

    summary = {
        "articles": 1,
        "files": 1,
        "entities": {},
        "relations": {},
        "positions": 0,
        "attributes": {},
        "triples": 0,
        "errors": 0,
        "warnings": 0,
    }
    paths = {"turtle": "g.ttl", "html": "g.html", "ids": "ids.tsv"}
    assert format_summary(summary, paths).startswith("Read 1 article (1 file).\n")


def _commands(group=cli, prefix=()):
    """Every command of the command tree, with its full name: a new one is included."""
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield " ".join((*prefix, name)), command


READS_NO_GRAPH = {"build", "queries", "eval-report"}
TABLES = {"query", "queries", "analyze", "neighbors", "path", "evaluate", "validate", "diff"}
NOT_TABLES = {
    "build": ("text", "json"),
    "export": None,
    "eval-report": ("md", "json"),
}  # a summary; export's formats are files


@pytest.mark.parametrize("name, command", list(_commands()))
def test_every_command_has_the_same_shape(name, command):
    """The rules of the command line, checked on every command's --help."""
    r = run(*name.split(), "--help")
    assert r.exit_code == 0 and command.help and "Example" in command.help, name
    assert command.short_help or command.help.strip().splitlines()[0], name
    arguments = [p for p in command.params if isinstance(p, click.Argument)]
    options = {o: p for p in command.params if isinstance(p, click.Option) for o in p.opts}
    if name not in READS_NO_GRAPH:  # the graph comes first, named alike everywhere
        assert arguments and arguments[0].name in ("graph_path", "old_path", "source"), name
        assert arguments[0].human_readable_name in ("GRAPH", "[GRAPH]", "OLD_PATH", "SOURCE")
    fmt = options.get("--format")
    assert name not in TABLES or fmt is not None, name
    if name in NOT_TABLES:
        assert fmt is None or NOT_TABLES[name] in (None, tuple(fmt.type.choices)), name
    elif fmt is not None:
        assert tuple(fmt.type.choices) == TABLE_FORMATS, name
    json_flag = options.get("--json")
    assert json_flag is None or (json_flag.hidden and fmt is not None), name  # an alias only
    assert "--graph" not in options or options["--graph"].hidden, name
    for option in command.params:  # a file or folder written is -o/--out
        written = "write" in (option.help or "").lower() if isinstance(option, click.Option) else 0
        if written and isinstance(option.type, click.Path):
            assert option.opts[:2] == ["-o", "--out"], (name, option.opts)
        if "--out" in option.opts:
            assert "-o" in option.opts, name
    for p in command.params:
        assert isinstance(p, click.Argument) or p.hidden or p.help, (name, p.name)
