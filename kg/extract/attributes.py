"""Attributes of organizations stated in one sentence (``extract_attributes``).

Founding years ("成立于2015年", "始建于1937年的…"), with the cue patterns of
``rules/cues.yaml``; stock codes come from the aliases in parentheses
(``kg.extract.mentions``), not from here.
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.extract.clauses import _CLAUSE, _PARENS
from kg.extract.facts import Attribute
from kg.extract.spans import Mention
from kg.rules import load_rules

__all__ = ["extract_attributes"]


def extract_attributes(text: str, mentions: Sequence[Mention], sentence: int) -> list[Attribute]:
    """Founding years stated in one sentence."""
    rules = load_rules()
    out = []
    orgs = [m for m in mentions if m.label == "ORG"]
    pos = 0
    masked = _PARENS.sub(lambda p: " " * len(p.group(0)), text)  # "甲(以下简称乙,…)成立于"
    for clause in _CLAUSE.split(masked):
        start, end = pos, pos + len(clause)
        pos = end + 1
        m = rules.cue("founding", "after_org").search(clause)
        if m:
            subject = next(
                (o for o in orgs if start <= o.start and o.end <= start + m.start()), None
            )
            if subject is not None:
                year = m.group(1) or m.group(2)
                out.append(
                    Attribute(
                        subject.text,
                        "foundingYear",
                        year,
                        sentence,
                        "founded-year",
                        rules.confidence("founded-year"),
                    )
                )
        m = rules.cue("founding", "before_org").search(clause)
        if m:
            subject = next((o for o in orgs if o.start == start + m.end()), None)
            if subject is not None:
                out.append(
                    Attribute(
                        subject.text,
                        "foundingYear",
                        m.group(1),
                        sentence,
                        "founded-year",
                        rules.confidence("founded-year"),
                    )
                )
    return out
