"""The README shows real output: these tests fail when it drifts."""

import pytest

from kg.cli import cli

from .conftest import ROOT, script

README = (ROOT / "README.md").read_text(encoding="utf-8")
UPDATE = script("update_readme")
BLOCKS = [steps for steps in UPDATE.console_blocks(README) if any(map(UPDATE.checked, steps))]


def test_readme_starts_with_the_two_commands():
    head = README[: README.index("## What it does")]
    assert "make demo" in head and "make test" in head


def test_readme_demo_summary_is_the_real_one():
    assert UPDATE.refresh_summary(README) == README


def test_readme_eval_table_is_the_real_one(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert UPDATE.refresh_eval_table(README) == README


def test_every_command_is_in_the_readme():
    for name in cli.commands:
        assert f"kg {name}" in README, name


def test_readme_prefix_table_is_the_one_kg_predeclares():
    import re

    from kg.query import PREFIXES

    rows = dict(re.findall(r"^\| `(\w+)` \| `([^`]+)` \|$", README, re.M))
    assert rows == PREFIXES


@pytest.mark.parametrize("steps", BLOCKS, ids=[steps[0].command for steps in BLOCKS])
def test_readme_console_block_shows_the_real_output(steps, built, tmp_path):
    """Each ``$ kg …`` step of the block, run on the demo build, prints what the
    README shows (``scripts/update_readme.py`` writes it). Left out, by
    ``UNCHECKED``: ``kg serve`` and the curl requests to it (a server; its
    answers are tested in test_serve.py), the rebuild that adds a folder
    ``more`` and the Dask build (a cluster); and steps that are no ``kg``
    command (``make``, ``head``, ``python``)."""
    printed = UPDATE.run_block(steps, tmp_path, built / "out")
    shown = [(s.command, s.shown) for s in steps if UPDATE.checked(s)]
    real = [
        (s.command, UPDATE.as_shown(s.shown, p))
        for s, p in zip(steps, printed, strict=True)
        if UPDATE.checked(s)
    ]
    assert shown == real


def test_readme_lists_the_formats_of_kg_formats():
    from kg.formats import FORMATS, RDF_FORMATS

    titles = ", ".join(f.title for f in FORMATS.values())
    assert f"| `kg export GRAPH --format F -o FILE` | {titles} |" in README
    whole = ", ".join(f"`{name}`" for name in RDF_FORMATS[:-1]) + f" and `{RDF_FORMATS[-1]}`"
    assert f"{whole} hold the whole graph" in " ".join(README.split())  # line breaks aside
