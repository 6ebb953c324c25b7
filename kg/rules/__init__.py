"""Rule tables as package data: suffixes, titles, cue words, places, names.

The code that applies these tables knows no company or person; everything
specific to the genre lives in the files beside this module. ``load_rules()``
reads them once, on first use.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

__all__ = ["Rules", "TitleRule", "load_rules"]


@dataclass(frozen=True, slots=True)
class TitleRule:
    """A title and the head-of relation it gives (``None``: position only)."""

    title: str
    relation: str | None
    org_types: frozenset[str]


@dataclass(frozen=True, eq=False)
class Rules:
    """Every rule table, loaded.

    Attributes:
        suffixes: organization suffix to ``(type, kind)``.
        titles: title to its ``TitleRule``.
        modifiers: words that may stand before a title.
        cues: the cue-word tree of ``cues.yaml``.
        places, generic: words that are not names on their own.
        breaks: words that never stand inside a name.
        name_verbs: verbs that may stand inside a name.
        abbreviations: ``(long, short)`` forms that name the same thing.
        surnames: single-character surnames; compound_surnames: two-character ones.
    """

    suffixes: dict[str, tuple[str, str]]
    titles: dict[str, TitleRule]
    modifiers: tuple[str, ...]
    cues: dict
    places: frozenset[str]
    generic: frozenset[str]
    breaks: frozenset[str]
    name_verbs: frozenset[str]
    abbreviations: tuple[tuple[str, str], ...]
    surnames: frozenset[str]
    compound_surnames: frozenset[str]

    @functools.cached_property
    def title_pattern(self) -> re.Pattern[str]:
        """Matches a title: modifiers, a title from the table, then 助理 or not."""
        mods = "|".join(map(re.escape, sorted(self.modifiers, key=len, reverse=True)))
        core = "|".join(map(re.escape, sorted(self.titles, key=len, reverse=True)))
        return re.compile(rf"(?:(?:{mods}))*(?:{core})(?:助理)?")

    @functools.cached_property
    def suffix_pattern(self) -> re.Pattern[str]:
        """Matches any organization suffix, longest first."""
        alts = "|".join(map(re.escape, sorted(self.suffixes, key=len, reverse=True)))
        return re.compile(rf"(?:{alts})")

    def cue(self, *path: str) -> re.Pattern[str]:
        """The compiled regular expression of a cue list or string in ``cues.yaml``."""
        return _compile_cue(self, path)


@functools.cache
def _compile_cue(rules: Rules, path: tuple[str, ...]) -> re.Pattern[str]:
    node = rules.cues
    for key in path:
        node = node[key]
    if isinstance(node, list):
        node = "|".join(f"(?:{x})" for x in sorted(node, key=len, reverse=True))
    return re.compile(node)


def _lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _rows(name: str) -> list[list[str]]:
    return [ln.split("\t") for ln in _lines(name)]


@functools.cache
def load_rules() -> Rules:
    """Read every rule table of the package (cached).

    >>> rules = load_rules()
    >>> rules.titles["CEO"].relation
    'ceoOf'
    >>> rules.suffixes["互联网医院"]
    ('InternetHospital', 'name')
    """
    import yaml

    titles = {}
    for row in _rows("titles.tsv"):
        relation = None if row[1] == "-" else row[1]
        types = frozenset(row[2].split(",")) if len(row) > 2 and row[2] else frozenset()
        titles[row[0]] = TitleRule(row[0], relation, types)
    surname_lines = _lines("surnames.txt")
    cues = yaml.safe_load(resources.files(__package__).joinpath("cues.yaml").read_text("utf-8"))
    return Rules(
        suffixes={r[0]: (r[1], r[2]) for r in _rows("org_suffixes.tsv")},
        titles=titles,
        modifiers=tuple(_lines("title_modifiers.txt")),
        cues=cues,
        places=frozenset(_lines("places.txt")),
        generic=frozenset(_lines("generic.txt")),
        breaks=frozenset(_lines("name_breaks.txt")),
        name_verbs=frozenset(_lines("name_verbs.txt")),
        abbreviations=tuple((r[0], r[1]) for r in _rows("abbreviations.tsv")),
        surnames=frozenset(surname_lines[0]),
        compound_surnames=frozenset(surname_lines[1:]),
    )
