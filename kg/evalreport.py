"""``make eval``: scores on every evaluation corpus, side by side.

Real articles come first; they are the yardstick (``data/real/README.md``):

- ``realdev``: the 20 real reports of the development set;
- ``real-tune``: real reports the rules were tuned on;
- ``real-heldout``: real reports kept untouched while the rules were
  written: the honest estimate of the score on articles never seen;
- ``samples``: the two shipped sample articles;
- ``fixtures``: ``tests/corpus``, invented articles, one construction each.

Builds each corpus on its own (articles and gold files beside each other),
scores it, and prints one Markdown table with F1 (and P/R) per category for
each, then the misses of every relation type. Run it with
``python -m kg.evalreport``; ``--json`` prints the numbers only, ``--only``
picks corpora.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kg.build import build
from kg.evaluate import Report, evaluate
from kg.vocab import RELATIONS

__all__ = ["CORPORA", "format_report", "run"]

_REAL = Path("data/real")
CORPORA = {
    "realdev": (_REAL / "dev" / "articles", _REAL / "dev" / "gold"),
    "real-tune": (_REAL / "tune" / "articles", _REAL / "tune" / "gold"),
    "real-heldout": (_REAL / "heldout" / "articles", _REAL / "heldout" / "gold"),
    "samples": (Path("data/articles"), Path("data/gold")),
    "fixtures": (Path("tests/corpus/articles"), Path("tests/corpus/gold")),
}


def run(corpora: dict[str, tuple[Path, Path]] = CORPORA) -> dict[str, Report]:
    """Build and score each corpus; returns its report by name."""
    return {
        name: evaluate(build([articles]).graph, gold) for name, (articles, gold) in corpora.items()
    }


def format_report(reports: dict[str, Report], misses: int = 3) -> str:
    """The side-by-side table and the worst misses, as Markdown."""
    names = list(reports)
    head = "| category | " + " | ".join(f"{n} F1 (P / R)" for n in names) + " |"
    lines = [
        " · ".join(f"{n}: {r.articles} articles" for n, r in reports.items()),
        "",
        head,
        "|---|" + "---|" * len(names),
    ]
    for cat in reports[names[0]].categories():
        cells = []
        for n in names:
            s = reports[n].scores[cat]
            cells.append(f"{s.f1:.3f} ({s.precision:.2f} / {s.recall:.2f})")
        lines.append(f"| {cat} | " + " | ".join(cells) + " |")
    lines += ["", "Misses by relation type (missed, then wrong), first few per corpus:"]
    for rel in RELATIONS:
        items = [(n, "missed", m) for n in names for m in reports[n].missed.get(rel, [])[:misses]]
        items += [(n, "wrong", m) for n in names for m in reports[n].wrong.get(rel, [])[:misses]]
        if items:
            lines.append(f"- **{rel}**")
            lines += [f"  - {n} {kind}: {text}" for n, kind, text in items]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m kg.evalreport", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--only", nargs="+", choices=list(CORPORA), help="score these corpora only")
    args = parser.parse_args(argv)
    reports = run({k: v for k, v in CORPORA.items() if not args.only or k in args.only})
    if args.json:
        print(json.dumps({n: r.as_dict() for n, r in reports.items()}, indent=2))
    else:
        print(format_report(reports))


if __name__ == "__main__":
    main()
