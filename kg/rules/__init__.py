"""Rule tables as package data: suffixes, titles, cue words, places, names.

The code that applies these tables knows no company or person; everything
specific to the genre lives in the files beside this module. ``load_rules()``
reads them once, on first use, and checks them as it reads: a table with a
wrong column, an unknown type or relation, a repeated entry, a regular
expression that does not compile, a missing cue or a pattern without the
groups the code reads is a ``RulesError`` that names the file and the line.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from kg.errors import RulesError
from kg.vocab import ORG_CLASSES

__all__ = ["CUES", "Rules", "RulesError", "TitleRule", "load_rules", "read_rules"]

SUFFIX_KINDS = ("name", "legal", "group", "branch", "dept", "brand", "ordinal")
HEAD_RELATIONS = ("ceoOf", "chairOf", "presidentOf")

# Every cue the extractors read, section by section, with the groups the code
# takes from its matches: ``key(a,b)`` names groups, ``key/2`` asks for at least
# two numbered ones. ``cues.yaml`` must hold each of them.
_DECLARED = """
partnership: agreement connector closes_list coordinating founders counterpart
             witness on_behalf objects_of becomes partner_noun party_committee
             subjectless clause_opener respectively listed_after unveiled object_of
             negation generic co_builders place_subject members_of each_signs unit_signs
             both_sides
operates: verbs after_object role founding founded_noun/1 by_agent running_by
          does_it for_hospital/1 owner owner_opens continued disposal made_into
          unit_before toward takeover_noun subject_verb
          subject_lead companion list_stop possessive is_of is_built_by by_pronoun
          operator_as operator_noun relies_on builds built_by launches owns_count enumerates
          enumerated_joiner counted_of by_clause
          stake_verb object_joiner agreement_for operator_is own_hospital not_own
          becomes stake_tail continues parties named_after passive passive_verb joins
          unit_after
suborganization: before_child after_parent marker subject_parent child_of
                 parent_after clause_child_of
founding: after_org/2 before_org/1
alias: cue stock_code bare_code
frame: connector coordinator adverb verb owner kin invests investors list_joiner last_joiner
       date not_in_name builders titled title_joiner kinds not_kind_item speaks
position: no_head chain_gap described not_department government_rest side
          person_joiner board no_head_org appointed_list department_end
          government_post list_gap listed_department listed_self resumes counted
          shared_org_gap before_org appoints appointed_as held_by title_is said_end post_of
          takes_it joins joined_as
          succeeds
names: department_words department_tail committee body_departments vague contraction(keep)
       demonstrative seat_ends seat_party
       whole_names product not_party_start former unnamed_campus founded_unit descriptors
       org_noun_before kin_before
       person_stop modal verb_after_name person_end foreign_person person_trailing
       honorifics org_trailing
       party_trailing self_trailing
       after_person glue_verbs glue_amount glue_joiner glued_joiners legal_tail break_kept
       count_after verb_suffix
       role_after leading_word described leading_preposition glue_owner verb_suffix_object
       hospital_company
anaphora: pattern(kind,bare) before_title(bare) antecedents
"""


def _declared(text: str) -> dict[tuple[str, ...], tuple[str, ...] | int]:
    """The cue table of a declaration like ``_DECLARED``.

    >>> _declared("frame: verb pair(a,b)\\nnames: count/1")
    {('frame', 'verb'): (), ('frame', 'pair'): ('a', 'b'), ('names', 'count'): 1}
    """
    out: dict[tuple[str, ...], tuple[str, ...] | int] = {}
    section = ""
    for line in text.strip().splitlines():
        head, sep, keys = line.partition(":")
        if sep and not line[:1].isspace():
            section = head
        else:
            keys = line
        for key in keys.split():
            name, named, count = re.fullmatch(r"(\w+)(?:\(([\w,]+)\)|/(\d+))?", key).groups()
            out[(section, name)] = tuple(named.split(",")) if named else int(count or 0) or ()
    return out


CUES = _declared(_DECLARED)


@dataclass(frozen=True, slots=True)
class TitleRule:
    """A title and the head-of relation it gives (``None``: position only)."""

    title: str
    relation: str | None
    org_types: frozenset[str]


_LONGEST_SUFFIX = 10  # characters: no suffix of org_suffixes.tsv is longer


@dataclass(frozen=True, eq=False)
class Rules:
    """Every rule table, loaded and checked.

    Attributes:
        suffixes: organization suffix to ``(type, kind)``.
        titles: title to its ``TitleRule``.
        modifiers: words that may stand before a title.
        cues: the cue tree of ``cues.yaml`` as written (strings and lists).
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
    patterns: dict[tuple[str, ...], re.Pattern[str]] = field(default_factory=dict)
    confidences: dict[str, float] = field(default_factory=dict)

    @functools.cached_property
    def title_pattern(self) -> re.Pattern[str]:
        """Matches a title: modifiers, a title from the table, then 助理 or not."""
        mods = "|".join(map(re.escape, sorted(self.modifiers, key=len, reverse=True)))
        # a title never takes the 院 of 学院 or 医院 ("江州学院|校长", not 院校长)
        core = "|".join(
            ("(?<![学医])" if t.startswith("院") else "") + re.escape(t)
            for t in sorted(self.titles, key=len, reverse=True)
        )
        return re.compile(rf"(?:(?:{mods}))*(?:{core})(?:助理)?")

    def suffix(self, text: str, end: int | None = None) -> str | None:
        """The longest organization suffix of ``org_suffixes.tsv`` that ends
        ``text`` (or ``text[:end]``), or None.

        >>> load_rules().suffix("北湾医院管理有限公司")
        '有限公司'
        >>> load_rules().suffix("北湾医院管理有限公司", 4)
        '医院'
        """
        end = len(text) if end is None else end
        for n in range(min(end, _LONGEST_SUFFIX), 0, -1):
            if text[end - n : end] in self.suffixes:
                return text[end - n : end]
        return None

    def stripped(self, name: str, kinds: tuple[str, ...]) -> tuple[str, ...]:
        """``name`` less each suffix of one of ``kinds`` that it ends with,
        the shortest first; two characters at least stay.

        >>> load_rules().stripped("康桥集团有限公司", ("legal", "group"))
        ('康桥', '康桥集团')
        """
        return tuple(
            name[:-n]
            for n in range(min(len(name) - 2, _LONGEST_SUFFIX), 1, -1)
            if self.suffixes.get(name[-n:], ("", ""))[1] in kinds
        )

    def confidence(self, reading: str) -> float:
        """How sure a reading is (``cues.yaml: confidence``).

        >>> load_rules().confidence("partner-cue")
        0.85
        """
        try:
            return self.confidences[reading]
        except KeyError:
            raise RulesError(f"cues.yaml gives no confidence for {reading!r}") from None

    def cue(self, *path: str) -> re.Pattern[str]:
        """The compiled regular expression of a cue in ``cues.yaml``.

        A list is one alternation, longest entry first.

        >>> load_rules().cue("partnership", "respectively").pattern
        '(?:分别|先后)(?:与|和|同)'
        """
        try:
            return self.patterns[path]
        except KeyError:
            raise RulesError(f"cues.yaml has no cue {'.'.join(path)}") from None


@functools.cache
def load_rules() -> Rules:
    """Read and check every rule table of the package (cached).

    >>> rules = load_rules()
    >>> rules.titles["CEO"].relation
    'ceoOf'
    >>> rules.suffixes["互联网医院"]
    ('InternetHospital', 'name')
    """
    return read_rules(Path(str(resources.files(__package__))))


def read_rules(folder: str | Path) -> Rules:
    """Read and check the rule tables in ``folder`` (a copy of ``kg/rules``).

    Raises:
        RulesError: a table is malformed; the message names the file and line.
    """
    folder = Path(folder)
    suffixes = {}
    for n, row in _rows(folder, "org_suffixes.tsv", 3, 3):
        otype, kind = row[1], row[2]
        if otype not in ORG_CLASSES:
            raise _error(folder, "org_suffixes.tsv", n, f"unknown organization type {otype!r}")
        if kind not in SUFFIX_KINDS:
            raise _error(folder, "org_suffixes.tsv", n, f"unknown kind {kind!r}")
        suffixes[row[0]] = (otype, kind)
    titles = {}
    for n, row in _rows(folder, "titles.tsv", 2, 3):
        relation = None if row[1] == "-" else row[1]
        if relation is not None and relation not in HEAD_RELATIONS:
            raise _error(folder, "titles.tsv", n, f"unknown relation {row[1]!r}")
        types = frozenset(row[2].split(",")) if len(row) > 2 and row[2] else frozenset()
        if types - set(ORG_CLASSES):
            raise _error(folder, "titles.tsv", n, f"unknown type in {row[2]!r}")
        titles[row[0]] = TitleRule(row[0], relation, types)
    surnames = [line for _, line in _lines(folder, "surnames.txt")]
    cues, patterns, confidences = _cues(folder)
    return Rules(
        suffixes=suffixes,
        titles=titles,
        modifiers=tuple(_words(folder, "title_modifiers.txt")),
        cues=cues,
        places=frozenset(_words(folder, "places.txt")),
        generic=frozenset(_words(folder, "generic.txt")),
        breaks=frozenset(_words(folder, "name_breaks.txt")),
        name_verbs=frozenset(_words(folder, "name_verbs.txt")),
        abbreviations=tuple((r[0], r[1]) for _, r in _rows(folder, "abbreviations.tsv", 2, 2)),
        surnames=frozenset(surnames[0]) if surnames else frozenset(),
        compound_surnames=frozenset(surnames[1:]),
        patterns=patterns,
        confidences=confidences,
    )


def _error(folder: Path, name: str, line: int, why: str) -> RulesError:
    return RulesError(f"{folder / name} line {line}: {why}")


def _lines(folder: Path, name: str) -> list[tuple[int, str]]:
    """Numbered lines of a table, without comments and blank lines."""
    try:
        text = (folder / name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise RulesError(f"{folder / name}: cannot read the rule table ({e})") from None
    out = []
    seen: dict[str, int] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key = line.split("\t")[0]
        if key in seen:
            raise _error(folder, name, n, f"{key!r} repeats line {seen[key]}")
        seen[key] = n
        out.append((n, line))
    return out


def _words(folder: Path, name: str) -> list[str]:
    return [line for _, line in _lines(folder, name)]


def _rows(folder: Path, name: str, least: int, most: int) -> list[tuple[int, list[str]]]:
    out = []
    for n, line in _lines(folder, name):
        row = line.split("\t")
        if not least <= len(row) <= most or not all(row[:least]):
            want = f"{least}" if least == most else f"{least} to {most}"
            raise _error(folder, name, n, f"expected {want} tab-separated columns: {line!r}")
        out.append((n, row))
    return out


def _cues(
    folder: Path,
) -> tuple[dict, dict[tuple[str, ...], re.Pattern[str]], dict[str, float]]:
    """The cue tree, every cue compiled, and the confidences; errors name their line."""
    import yaml

    name = "cues.yaml"
    try:
        text = (folder / name).read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise RulesError(f"{folder / name}: cannot read the cue table ({e})") from None
    if not isinstance(root, yaml.MappingNode):
        raise RulesError(f"{folder / name}: the cue table is not a mapping")
    patterns: dict[tuple[str, ...], re.Pattern[str]] = {}
    lines: dict[tuple[str, ...], int] = {}

    def build(node, path: tuple[str, ...]):
        line = node.start_mark.line + 1
        lines[path] = line
        if isinstance(node, yaml.MappingNode):
            out = {}
            for key, value in node.value:
                if key.value in out:
                    raise _error(folder, name, key.start_mark.line + 1, f"{key.value!r} repeats")
                out[key.value] = build(value, (*path, key.value))
            return out
        if isinstance(node, yaml.SequenceNode):
            items = [build(item, (*path, str(k))) for k, item in enumerate(node.value)]
            if not all(isinstance(x, str) for x in items):
                raise _error(folder, name, line, f"{'.'.join(path)} must be a list of patterns")
            alternation = "|".join(f"(?:{x})" for x in sorted(items, key=len, reverse=True))
            patterns[path] = _compile(alternation, folder, name, line, path)
            return items
        patterns[path] = _compile(str(node.value), folder, name, line, path)
        return str(node.value)

    cues = build(root, ())
    for path, groups in CUES.items():
        if path not in lines:
            raise RulesError(f"{folder / name}: the cue {'.'.join(path)} is missing")
        if path not in patterns:
            continue  # a mapping (anaphora.antecedents), checked below
        pattern = patterns[path]
        if isinstance(groups, int) and pattern.groups < groups:
            raise _error(folder, name, lines[path], f"{'.'.join(path)} needs {groups} group(s) (…)")
        if not isinstance(groups, int) and set(groups) - set(pattern.groupindex):
            missing = ", ".join(sorted(set(groups) - set(pattern.groupindex)))
            raise _error(folder, name, lines[path], f"{'.'.join(path)} needs groups {missing}")
    antecedents = cues["anaphora"]["antecedents"]
    for noun, types in antecedents.items():
        if not isinstance(types, list) or not types or set(types) - set(ORG_CLASSES):
            raise _error(
                folder,
                name,
                lines[("anaphora", "antecedents", noun)],
                f"anaphora.antecedents.{noun} must list organization types",
            )
    confidences = {}
    for reading, value in cues.get("confidence", {}).items():
        try:
            confidences[reading] = float(value)
        except ValueError:
            confidences[reading] = -1.0
        if not 0 <= confidences[reading] <= 1:
            line = lines[("confidence", reading)]
            raise _error(folder, name, line, f"confidence {reading} must be a number from 0 to 1")
    for path in list(patterns):  # confidences are numbers, not cues
        if path[0] == "confidence":
            del patterns[path]
    return cues, patterns, confidences


def _compile(
    text: str, folder: Path, name: str, line: int, path: tuple[str, ...]
) -> re.Pattern[str]:
    try:
        return re.compile(text)
    except re.error as e:
        raise _error(folder, name, line, f"{'.'.join(path)} is not a valid pattern: {e}") from None
