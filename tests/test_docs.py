"""The README shows real output: these tests fail when it drifts."""

from kg.cli import cli, format_summary
from kg.evalreport import format_report, run

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands():
    head = README[: README.index("## What it does")]
    assert "make demo" in head and "make test" in head


def test_readme_demo_summary_is_the_real_one():
    from kg.build import build

    result = build([ROOT / "data" / "articles"])  # its own corrections.yaml applies
    summary = format_summary(
        result.summary(),
        {"turtle": "out/graph.ttl", "html": "out/graph.html", "ids": "out/ids.tsv"},
    )
    assert summary in README


def test_readme_eval_table_is_the_real_one(monkeypatch):
    monkeypatch.chdir(ROOT)
    table = format_report(run()).split("\n\nMisses")[0]
    assert table in README


def test_every_command_is_in_the_readme():
    for name in cli.commands:
        assert f"kg {name}" in README, name


def test_readme_prefix_table_is_the_one_kg_predeclares():
    import re

    from kg.query import PREFIXES

    rows = dict(re.findall(r"^\| `(\w+)` \| `([^`]+)` \|$", README, re.M))
    assert rows == PREFIXES


def test_readme_lists_the_formats_of_kg_formats():
    from kg.formats import FORMATS, RDF_FORMATS

    titles = ", ".join(f.title for f in FORMATS.values())
    assert f"| `kg export GRAPH --format F -o FILE` | {titles} |" in README
    whole = ", ".join(f"`{name}`" for name in RDF_FORMATS[:-1]) + f" and `{RDF_FORMATS[-1]}`"
    assert f"{whole} hold the whole graph" in " ".join(README.split())  # line breaks aside
