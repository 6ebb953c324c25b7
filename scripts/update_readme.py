"""Refresh the README blocks that show real output: the demo summary and the eval table.

Run ``python scripts/update_readme.py`` after a change to extraction; the
tests in ``tests/test_docs.py`` fail until the README shows what the code does.
"""

import re
from pathlib import Path

from kg.build import build
from kg.cli import format_summary
from kg.defaults import EVAL_CORPORA
from kg.evaluate import evaluate_corpora, format_corpora

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    result = build([ROOT / "data/articles"])  # its own corrections.yaml applies
    summary = format_summary(
        result.summary(),
        {"turtle": "out/graph.ttl", "html": "out/graph.html", "ids": "out/ids.tsv"},
    )
    text = re.sub(
        r"Read \d+ articles \(\d+ files\)\.\n.*?\nWrote out/graph\.ttl, out/graph\.html, "
        r"out/ids\.tsv",
        lambda _: summary,
        text,
        count=1,
        flags=re.S,
    )
    table = format_corpora(evaluate_corpora(EVAL_CORPORA)).split("\n\nMisses")[0]
    first = re.escape(next(iter(EVAL_CORPORA)))
    text = re.sub(
        rf"{first}: \d+ articles · .*?\n\n\|.*?\n(?=```)",
        lambda _: table + "\n",
        text,
        count=1,
        flags=re.S,
    )
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
