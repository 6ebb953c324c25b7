"""How a sentence's mentions stand in its clauses, for the relation rules.

The text between two mentions less asides in parentheses (``_gap``), the
clause before a point, a clause's subject, and the groups of organizations
joined by 与/和/、: the sentence rules of ``relations`` and ``operating`` share them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.extract.spans import Mention
from kg.rules import load_rules

_PARENS = re.compile(r"\([^()]*\)")
_CLAUSE = re.compile(r"[,;:]")


def _gap(text: str, a: int, b: int) -> str:
    return _PARENS.sub("", text[a:b])


def _participants(mentions: Sequence[Mention], text: str) -> list[Mention]:
    """Organizations that can be parties: not someone's affiliation."""
    out = []
    agreement = load_rules().cue("partnership", "agreement")
    inside = [
        (p.start(), p.end())
        for p in _PARENS.finditer(text)
        if not agreement.search(p.group(0))  # "(甲与乙签约仪式)": a caption, not an aside
    ]
    for k, m in enumerate(mentions):
        if m.label != "ORG" or any(a < m.start < b for a, b in inside):
            continue
        nxt = mentions[k + 1] if k + 1 < len(mentions) else None
        if nxt is not None and nxt.label == "TITLE" and len(text[m.end : nxt.start]) <= 12:
            gap = _PARENS.sub("", text[m.end : nxt.start])
            if not gap or load_rules().cue("position", "department_end").search(gap):
                continue  # "甲公司CEO", "甲公司市场部总监": someone's affiliation
        if re.match(
            r"的(?:全资|控股)?(?:子公司|下属|附属公司)(?![\u4e00-\u9fff]{2})", text[m.end :]
        ) and not (nxt is not None and nxt.label == "ORG" and nxt.start <= m.end + 8):
            continue  # "联合甲的子公司,为…": the unnamed subsidiaries are the party
        out.append(m)
    return out


def _joined(
    text: str, first: Mention, later: Sequence[Mention], types: Sequence[str] = ()
) -> list[Mention]:
    """``first`` and the names right after it joined by 、/和/及/以及/与 (of
    ``types``, when given): the items of one list."""
    joiner = load_rules().cue("operates", "object_joiner")
    chain = [first]
    for nxt in later:
        if (types and nxt.type not in types) or not joiner.match(
            _gap(text, chain[-1].end, nxt.start)
        ):
            break
        chain.append(nxt)
    return chain


def _clause_subject(text: str, orgs: Sequence[Mention]) -> Mention | None:
    """The last of ``orgs`` that opens its clause (after a date or adverb at most):
    the subject a following clause without one continues.

    >>> from kg.extract.spans import Mention
    >>> text = "为落实甲委的部署,乙医院于5月24日出席,并与丙签约"
    >>> orgs = [Mention(3, 5, "甲委", "ORG"), Mention(9, 12, "乙医院", "ORG")]
    >>> _clause_subject(text, orgs).text
    '乙医院'
    """
    opener = load_rules().cue("partnership", "clause_opener")
    found = None
    for m in orgs:
        if opener.match(_clause_before(text, m.start)):
            found = m
    return found


def _clause_before(text: str, pos: int) -> str:
    """The text from the start of the clause up to ``pos``."""
    start = max(text.rfind(c, 0, pos) for c in ",;:")
    return text[start + 1 : pos]


def _groups(orgs: Sequence[Mention], text: str) -> list[list[Mention]]:
    connector = load_rules().cue("partnership", "connector")
    groups: list[list[Mention]] = []
    for m in orgs:
        gap = _gap(text, groups[-1][-1].end, m.start) if groups else ""
        if groups and connector.sub("", gap) == "":
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _group_ending(orgs: Sequence[Mention], text: str) -> list[Mention]:
    """The coordinated organizations that end with the last of ``orgs``."""
    groups = _groups(orgs, text)
    return groups[-1] if groups else []
