"""The README shows real output: these tests fail when it drifts."""

from kg.cli import cli, format_summary
from kg.defaults import EVAL_CORPORA
from kg.evaluate import evaluate_corpora, format_corpora

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
    table = format_corpora(evaluate_corpora(EVAL_CORPORA)).split("\n\nMisses")[0]
    assert table in README


def test_every_command_is_in_the_readme():
    for name in cli.commands:
        assert f"kg {name}" in README, name


def test_readme_prefix_table_is_the_one_kg_predeclares():
    import re

    from kg.query import PREFIXES

    rows = dict(re.findall(r"^\| `(\w+)` \| `([^`]+)` \|$", README, re.M))
    assert rows == PREFIXES
