"""The command line: thin over the library, one-line errors, exit codes."""

import json
import shutil

from click.testing import CliRunner

from kg.cli import cli

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
    """``main`` ends the process with ``os._exit``: nothing printed may be lost."""
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


def test_evaluate_prints_scores_and_misses(tmp_path):
    run("build", DATA / "articles", "--out", tmp_path)
    r = run("evaluate", tmp_path / "graph.ttl", "--gold", DATA / "gold", "-v")
    assert r.exit_code == 0
    assert "core" in r.output and "1.000" in r.output


def test_evaluate_missing_graph_is_a_usage_error(tmp_path):
    r = CliRunner().invoke(cli, ["evaluate", str(tmp_path / "none.ttl")])
    assert r.exit_code == 2 and "kg build" in r.output


def test_every_command_has_help():
    for name, command in cli.commands.items():
        r = run(name, "--help")
        assert r.exit_code == 0, name
        assert command.help and "Example" in command.help, name


def test_shipped_corrections_apply_only_to_the_shipped_articles(tmp_path, monkeypatch):
    monkeypatch.chdir(DATA.parent)  # where data/corrections.yaml is found by default
    src = tmp_path / "in"
    shutil.copytree(DATA / "articles", src)
    other = run("build", src, "--out", tmp_path / "other")
    assert other.exit_code == 0 and "Warnings: 0" in other.output
    assert "ihkgid:corrections" not in (tmp_path / "other" / "graph.ttl").read_text("utf-8")
    default = run("build", "--out", tmp_path / "default")
    assert default.exit_code == 0
    assert "ihkgid:corrections" in (tmp_path / "default" / "graph.ttl").read_text("utf-8")


def test_control_characters_in_names_are_escaped_in_every_message(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a\x1b]0;pwned\x07\nerror: forged.txt").write_text("no front matter", "utf-8")
    r = CliRunner().invoke(cli, ["build", str(src), "--out", str(tmp_path / "out\x1b[2J")])
    assert r.exit_code == 1, r.output
    assert not any(c in r.output for c in "\x1b\x07")
    [line] = [x for x in r.stderr.splitlines() if "forged" in x]
    assert line == (
        "error: a\\x1b]0;pwned\\x07\\nerror: forged.txt: "
        "no front matter (the file must start with a '---' block)"
    )
    assert "out\\x1b[2J" in r.stdout  # the paths written and the cache
    gone = tmp_path / "gone\x1b[31m.txt"
    r = CliRunner().invoke(cli, ["build", str(gone), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
    assert r.stderr == f"Error: {tmp_path}/gone\\x1b[31m.txt: no such file or folder\n"
    assert not (tmp_path / "o").exists()
