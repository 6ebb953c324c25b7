"""Mentions of organizations, people and titles in one sentence (``find_mentions``,
run by the ``ihkg_mentions`` component).

- **suffix rule**: a name ends in an organization suffix (有限公司, 医院,
  互联网医院, 卫健委, 联盟, 大学 …, see ``rules/org_suffixes.tsv``); its left
  edge is where the statistical lexer's words stop being nominal;
- **statistical tags**: LAC's ORG and PER words that the rules did not cover;
- **title anchor**: the words right before a title name an organization
  ("康桥健康CEO"), and a person name right after a title is a person even when
  the lexer missed it ("CEO周远");
- **aliases**: parentheses after a name give its short names, English name and
  stock code ("(以下简称“远枫医疗”)", "(股票简称“甲”，01833.HK)").

The finders are in ``orgs`` and ``persons``; this module repairs their spans,
settles overlaps and reads the aliases.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from kg.extract.lexicon import (
    _HAN,
    _PLACE_PAREN,
    _SOLID,
    _branch_name,
    _is_generic,
    _is_place,
    org_type,
)
from kg.extract.orgs import _anchored_orgs, _lexer_orgs, _suffix_orgs
from kg.extract.persons import _persons
from kg.extract.spans import Alias, Mention
from kg.lexer import Lex
from kg.rules import Rules, load_rules

__all__ = ["Found", "find_mentions"]


_QUOTES = " \t:：“”\"'‘’「」『』《》"


@dataclass(slots=True)
class Found:
    """What ``find_mentions`` found in one sentence."""

    mentions: list[Mention] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)


def find_mentions(text: str, words: Sequence[Lex], tokens: Sequence[tuple[int, int]] = ()) -> Found:
    """Organizations, people and titles in one normalised sentence.

    Args:
        text (str): the sentence, normalised.
        words (list[Lex]): the statistical lexer's words of ``text``.
        tokens (list[(start, end)]): the tokenizer's words, used to find the
            end of a name after a title when the lexer missed it.

    Returns:
        Found: mentions without overlaps, in order, and aliases.
    """
    rules = load_rules()
    # where the tokenizer's longer words begin: 同 that opens one is no joiner
    starts = {a for a, b in tokens if b - a >= 2} if tokens else None
    words = _split_verb_glue(_place_parentheses(text, words, rules), rules, starts)
    titles = _titles(text, words, rules)
    words = _split_at(words, {p for t in titles for p in (t.start, t.end)})
    candidates = _suffix_orgs(text, words, rules, titles)
    candidates += _anchored_orgs(text, words, titles, candidates, rules)
    candidates += _lexer_orgs(words, rules, candidates)
    unit_conf = rules.confidence("founded-unit")
    candidates += [  # "甲成立松禾文旅事业部": a business unit the text sets up
        Mention(*u.span("unit"), u.group("unit"), "ORG", "Company", "founded-unit", unit_conf)
        for u in rules.cue("names", "founded_unit").finditer(text)
    ]
    candidates = [
        _without_trailing_word(
            _without_leading_word(_without_former(m, text, rules), starts, rules), rules
        )
        for m in candidates
    ]
    persons = [
        _without_appointing_wei(_without_trailing_word(m, rules), text, rules)
        for m in _persons(text, words, tokens, titles, rules)
    ]
    org_noun = rules.cue("names", "org_noun_before")
    persons = [  # "附属公司澜云久康": what follows a word for a company is one
        replace(m, label="ORG", type=org_type(m.text, rules), rule="after-org-noun")
        if org_noun.search(text[: m.start])
        else m
        for m in persons
    ]
    product = rules.cue("names", "product")
    products = [(m.start, m.end) for m in candidates if product.match(text, m.end)]
    candidates = [m for m in candidates + persons if not _overlaps(m, products)]
    vague, described = rules.cue("names", "vague"), rules.cue("names", "described")
    candidates = [  # "有关部门", "医疗AI公司": no name
        m
        for m in candidates
        if not (m.label == "ORG" and (vague.search(m.text) or described.fullmatch(m.text)))
    ]
    mentions = [_without_description(m, rules) for m in _resolve(candidates + titles)]
    mentions = [_without_verb_suffix(m, text, mentions, rules) for m in mentions]
    aliases, hidden = _aliases(text, mentions, rules)
    listed = {a.org_start for a in aliases if a.kind == "stockCode"}
    mentions = [  # "北湾医院(02120)": a hospital's name with a stock code is its company's
        replace(m, type="Company") if m.start in listed and m.type == "Hospital" else m
        for m in mentions
        if not any(a <= m.start < b for a, b in hidden)
    ]
    return Found(mentions, aliases)


def _without_description(m: Mention, rules: Rules) -> Mention:
    """An organization's name less a count and a description glued after it:
    "江州康复医院|三家重症康复专科医院" (the last of a list, then what they are),
    or less the role it plays for another: "北湾医院|协作医院".

    >>> m = Mention(0, 16, "江州康复医院三家重症康复专科医院", "ORG", "Hospital")
    >>> _without_description(m, load_rules()).text
    '江州康复医院'
    """
    if m.label != "ORG":
        return m
    count = rules.cue("names", "count_after").search(m.text) or rules.cue(
        "names", "role_after"
    ).search(m.text)
    if count is None or not rules.suffix(m.text, count.start()):
        return m
    short = m.text[: count.start()]
    return replace(m, end=m.start + len(short), text=short, type=org_type(short, rules))


def _without_verb_suffix(
    m: Mention, text: str, mentions: Sequence[Mention], rules: Rules
) -> Mention:
    """A name less a suffix that is the verb of what follows: "北湾集团控股|江州医院"
    is 北湾集团 taking control of 江州医院 (not a "北湾集团控股" group), when
    the name before the word ends with a suffix of its own (not a brand word:
    "江州健康控股" is a name) and a name or a verb of building or buying follows.

    >>> text = "北湾集团控股江州医院"
    >>> ms = [Mention(0, 6, "北湾集团控股", "ORG", "Company"), Mention(6, 10, "江州医院", "ORG")]
    >>> _without_verb_suffix(ms[0], text, ms, load_rules()).text
    '北湾集团'
    """
    verb = rules.cue("names", "verb_suffix").search(m.text) if m.label == "ORG" else None
    stem = rules.suffix(m.text, verb.start()) if verb else None
    if stem is None or rules.suffixes[stem][1] == "brand":  # "江州健康控股" is a name
        return m
    follows = any(o.start == m.end and o.label == "ORG" for o in mentions)
    if not follows and not rules.cue("names", "verb_suffix_object").match(text, m.end):
        return m
    short = m.text[: verb.start()]
    return replace(m, end=m.start + len(short), text=short, type=org_type(short, rules))


def _glued_parts(
    w: Lex, rules: Rules, starts: set[int] | None = None
) -> list[tuple[int, int, str]]:
    """The two names in a lexer word "甲医院托管乙医院": each ends with a suffix
    (a full name's, around a joiner where no longer word of the tokenizer begins,
    the offsets in ``starts``: "甲卫健委同乙市人民政府", not 同 opening a longer word).

    >>> _glued_parts(Lex(0, 12, "北湾省中医院托管江州医院", "ORG"), load_rules())
    [(0, 6, '北湾省中医院'), (8, 12, '江州医院')]
    >>> _glued_parts(Lex(0, 13, "北湾省卫健委同江州市人民政府", "ORG"), load_rules(), {0, 3, 7})
    [(0, 6, '北湾省卫健委'), (7, 14, '江州市人民政府')]
    >>> _glued_parts(Lex(0, 10, "澜石医疗附属北湾医管公司", "ORG"), load_rules())
    [(0, 4, '澜石医疗'), (6, 12, '北湾医管公司')]
    >>> _glued_parts(Lex(0, 10, "北湾大学附属江州医院", "ORG"), load_rules())
    []
    """
    joiner = rules.cue("names", "glue_joiner")
    owner = rules.cue("names", "glue_owner")
    full = ("name", "legal", "group")
    glue = f"{rules.cue('names', 'glue_verbs').pattern}|{joiner.pattern}|{owner.pattern}"
    for verb in re.finditer(glue, w.text):
        left, right = w.text[: verb.start()], w.text[verb.end() :]
        ends = [rules.suffix(x) for x in (left, right)]
        if (
            len(left) >= 3
            and len(right) >= 3
            and all(ends)
            and (
                not owner.fullmatch(verb.group(0))
                or org_type(left, rules) == "Company"  # not "某大学附属某医院"
            )
            and (
                not joiner.fullmatch(verb.group(0))
                or starts is not None
                and w.start + verb.start() not in starts
                and all(rules.suffixes[x][1] in full for x in ends)
            )
        ):
            at = w.start + verb.end()
            return [(w.start, w.start + len(left), left), (at, at + len(right), right)]
    return []


def _without_trailing_word(m: Mention, rules: Rules) -> Mention:
    """A name less a word the tagger glued to it: "周航代表(签署)",
    "北湾市人民政府合作(办医)", "北岭数据三方(共建)".

    >>> rules = load_rules()
    >>> [_without_trailing_word(Mention(0, len(t), t, label), rules).text for t, label in (
    ...     ("周航代表", "PER"), ("北湾市人民政府合作", "ORG"), ("北岭数据三方", "ORG"),
    ...     ("北湾医院院", "ORG"))]
    ['周航', '北湾市人民政府', '北岭数据', '北湾医院']
    """
    names = rules.cues["names"]
    if m.label == "ORG":  # "北湾市人民政府|合作(办医)": a verb after a full name
        head = m.text[:-1]
        if m.text[-1:] in names["self_trailing"] and rules.suffix(head):
            if rules.suffixes[rules.suffix(head)][1] == "name" and head[-1] in ("院", "学"):
                return replace(m, end=m.end - 1, text=head, type=org_type(head, rules))
        for word in names["org_trailing"]:
            rest = m.text[: -len(word)]
            if m.text.endswith(word) and len(rest) >= 3 and rules.suffix(rest):
                return replace(m, end=m.end - len(word), text=rest)
    trailing = names["party_trailing"] if m.label == "ORG" else names["person_trailing"]
    for word in trailing:  # "北岭数据|三方(共建)", "周航|代表"
        if m.text.endswith(word) and len(m.text) - len(word) >= 2:
            return replace(m, end=m.end - len(word), text=m.text[: -len(word)])
    return m


def _without_appointing_wei(m: Mention, text: str, rules: Rules) -> Mention:
    """A name less the 为 of an appointment glued to it: "聘任|林海为|董事会秘书".

    >>> m = Mention(2, 5, "林海为", "PER", "Person")
    >>> _without_appointing_wei(m, "聘任林海为董事会秘书", load_rules()).text
    '林海'
    """
    appoints = rules.cue("position", "appoints")
    before = text[max(0, m.start - 6) : m.start]
    if len(m.text) == 3 and m.text.endswith("为"):
        if any(appoints.match(before[i:]) for i in range(len(before))):
            return replace(m, end=m.end - 1, text=m.text[:-1])
    return m


def _without_former(m: Mention, sentence: str, rules: Rules) -> Mention:
    """A name less the 原/前 ("former") glued to it: "北湾省卫健委原副主任",
    "原北湾军医大学附属医院" (a former name is still the name), "前北湾|副总裁".

    >>> m = Mention(0, 7, "北湾省卫健委原", "ORG", "GovernmentAgency", "lexer-org", 0.6)
    >>> _without_former(m, "北湾省卫健委原副主任林海", load_rules()).text
    '北湾省卫健委'
    """
    text = m.text
    if m.label != "ORG":
        return m
    if text[-1:] in ("原", "前") and len(text) > 3 and rules.title_pattern.match(sentence, m.end):
        return replace(m, end=m.end - 1, text=text[:-1])
    former = rules.cue("names", "former").match(text)
    if former and (
        len(text) > 4 and rules.suffix(text) or rules.title_pattern.match(sentence, m.end)
    ):
        return replace(m, start=m.start + 1, text=text[1:])  # "原|北湾副总裁"
    return m


def _without_leading_word(m: Mention, starts: set[int] | None, rules: Rules) -> Mention:
    """A name less a word glued before it that never begins one: a role, a verb
    or a description ("领投|明川集团", "卖方|北湾资本", "医疗科技公司|明川集团"), or a
    one-character preposition or verb the tokenizer reads as a word of its own
    ("同|江州县人民医院", "继|北湾医院"; not 和平区人民医院).

    >>> m = Mention(0, 6, "领投明川集团", "ORG", "Company")
    >>> _without_leading_word(m, None, load_rules()).text
    '明川集团'
    >>> m = Mention(0, 8, "同江州县人民医院", "ORG", "Hospital")
    >>> rules = load_rules()
    >>> _without_leading_word(m, {1, 4}, rules).text, _without_leading_word(m, {0}, rules).text
    ('江州县人民医院', '同江州县人民医院')
    >>> m = Mention(0, 8, "继北湾松禾禅诚医院", "ORG", "Hospital")
    >>> _without_leading_word(m, {1}, rules).text
    '北湾松禾禅诚医院'
    >>> m = Mention(0, 10, "医疗科技公司明川集团", "ORG", "Company")
    >>> _without_leading_word(m, None, rules).text
    '明川集团'
    """
    if m.label != "ORG":
        return m
    lead = rules.cue("names", "leading_word").match(m.text)
    described = rules.cue("names", "described").match(m.text) if lead is None else None
    if described:
        rest = m.text[described.end() :]
        legal = tuple(x for x, (_, kind) in rules.suffixes.items() if kind == "legal")
        if len(rest) >= 2 and rest not in rules.suffixes and not rest.startswith(legal):
            if not _branch_name(rest, rules):  # "民营医疗集团|溪岚医疗"; not "医药集团|有限公司"
                return replace(
                    m,
                    start=m.start + len(m.text) - len(rest),
                    text=rest,
                    type=org_type(rest, rules),
                )
    if lead is None:
        lead = rules.cue("names", "leading_preposition").match(m.text)
        if lead is None or starts is None or m.start in starts:
            return m
    rest = m.text[lead.end() :]
    if len(rest) < 4 or not rules.suffix(rest) or _branch_name(rest, rules):
        return m  # (not "北湾医疗公司|江州分公司": a unit of the body named first)
    return replace(m, start=m.start + lead.end(), text=rest, type=org_type(rest, rules))


def _place_parentheses(text: str, words: Sequence[Lex], rules: Rules) -> list[Lex]:
    """Make "(杭州)" inside a name one place word: "澜石(杭州)医院", "青川(中国)有限公司";
    so too a group's or a legal form's word: "北湾投资(集团)有限公司".

    A place in parentheses between a name and the rest of it belongs to the
    name; the lexer splits it into punctuation and a place, and sometimes
    glues the closing parenthesis to the suffix (")有限公司").
    """
    spans = []
    for m in _PLACE_PAREN.finditer(text):
        inner = m.group(1)
        before, after = text[m.start() - 1 : m.start()], text[m.end() : m.end() + 1]
        if not (before and after and _HAN.match(before) and _SOLID.match(after)):
            continue
        tagged = any(w.tag == "LOC" and w.text == inner for w in words)
        legal = rules.suffixes.get(inner, ("", ""))[1] in ("group", "legal")  # "北湾(集团)有限公司"
        if tagged or legal or _is_place(inner, rules) or inner[-1] in "省市区县":
            spans.append((m.start(), m.end()))
    if not spans:
        return list(words)
    out: list[Lex] = []
    for w in words:
        cut = [c for a, b in spans for c in (a, b) if w.start < c < w.end]
        if not cut:
            out.append(w)
            continue
        start = w.start
        for c in [*cut, w.end]:
            out.append(Lex(start, c, text[start:c], "w" if text[start] in "()" else "n"))
            start = c
    merged: list[Lex] = []
    for w in out:
        span = next(((a, b) for a, b in spans if a <= w.start < b), None)
        if span is None:
            merged.append(w)
        elif w.start == span[0]:
            merged.append(Lex(span[0], span[1], text[span[0] : span[1]], "LOC"))
    return merged


def _split_at(words: Sequence[Lex], cuts: set[int]) -> list[Lex]:
    """Split the lexer's words where a title begins or ends ("青木医疗CTO" → "青木医疗", "CTO")."""
    if not cuts:
        return list(words)
    order = sorted(cuts)
    out = []
    for w in words:
        inner = order[bisect.bisect_right(order, w.start) : bisect.bisect_left(order, w.end)]
        start, tag = w.start, w.tag
        for c in [*inner, w.end]:
            out.append(Lex(start, c, w.text[start - w.start : c - w.start], tag))
            start, tag = c, "n"
    return out


def _overlaps(m: Mention, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a < m.end and m.start < b for a, b in spans)


def _boundaries(words: Sequence[Lex]) -> tuple[set[int], set[int]]:
    return {w.start for w in words}, {w.end for w in words}


def _titles(text: str, words: Sequence[Lex], rules: Rules) -> list[Mention]:
    starts, ends = _boundaries(words)
    out = []
    for m in rules.title_pattern.finditer(text):
        if m.group(0).endswith("事") and text[m.end() : m.end() + 1] == "会":
            continue  # 董事会, 理事会: the board, not a title
        if m.start() in starts or m.end() in ends:
            out.append(Mention(m.start(), m.end(), m.group(0), "TITLE", rule="title-table"))
    return out


def _split_verb_glue(
    words: Sequence[Lex], rules: Rules, starts: set[int] | None = None
) -> list[Lex]:
    """The lexer's "投资北湾总医院" (one verb) as the verb and the name after it,
    its "北湾医院托管江州医院" (one name) as the two names and the verb, and its
    "北湾医院同" as the name and the joining word.

    >>> [w.text for w in _split_verb_glue([Lex(0, 7, "投资北湾总医院", "v")], load_rules())]
    ['投资', '北湾总医院']
    >>> words = [Lex(0, 10, "北湾医院托管江州医院", "ORG")]
    >>> [w.text for w in _split_verb_glue(words, load_rules())]
    ['北湾医院', '托管', '江州医院']
    >>> [w.text for w in _split_verb_glue([Lex(0, 5, "北湾医院同", "ORG")], load_rules())]
    ['北湾医院', '同']
    >>> words = [Lex(0, 12, "1.3亿元控股松禾华健医院", "m")]
    >>> [w.text for w in _split_verb_glue(words, load_rules())]
    ['1.3亿元', '控股', '松禾华健医院']
    """
    out = []
    for w in words:
        amount = rules.cue("names", "glue_amount").match(w.text) if w.tag == "m" else None
        if amount and rules.cue("names", "glue_verbs").match(w.text, amount.end()):
            out.append(Lex(w.start, w.start + amount.end(), amount.group(0), "m"))
            w = Lex(w.start + amount.end(), w.end, w.text[amount.end() :], "v")  # noqa: PLW2901
        glue = re.match(rules.cue("names", "glue_verbs").pattern, w.text)
        verb = (
            glue.group(0)
            if glue
            else next((v for v in rules.name_verbs if w.text.startswith(v)), None)
        )
        rest = w.text[len(verb) :] if verb else ""
        parts = _glued_parts(w, rules, starts) if w.tag == "ORG" else []
        joiner = w.text[-1:] in rules.cues["names"]["glued_joiners"]
        if joiner and w.tag == "ORG" and len(w.text) > 3 and rules.suffix(w.text[:-1]):
            out += [  # "北湾医院同|…": a name and the joining word after it
                Lex(w.start, w.end - 1, w.text[:-1], "ORG"),
                Lex(w.end - 1, w.end, w.text[-1], "p"),
            ]
        elif parts:
            (a, b, left), (c, d, right) = parts
            out += [
                Lex(a, b, left, "ORG"),
                Lex(b, c, w.text[b - w.start : c - w.start], "v"),
                Lex(c, d, right, "ORG"),
            ]
        elif w.tag == "v" and len(rest) >= 4 and rules.suffix(rest):
            out += [
                Lex(w.start, w.start + len(verb), verb, "v"),
                Lex(w.start + len(verb), w.end, rest, "ORG"),
            ]
        else:
            out.append(w)
    return out


def _resolve(candidates: list[Mention]) -> list[Mention]:
    """The longest, surest candidates that do not overlap."""
    ranked = sorted(
        candidates,
        key=lambda m: (m.weak, m.label != "TITLE", -(m.end - m.start), -m.confidence, m.start),
    )
    taken: list[Mention] = []
    used = bytearray(max((m.end for m in candidates), default=0) + 1)  # characters taken
    for m in ranked:
        if m.start == m.end:  # an empty candidate overlaps what covers its position
            free = all(m.end <= o.start or m.start >= o.end for o in taken)
        else:
            free = not any(used[m.start : m.end])
        if free:
            taken.append(m)
            used[m.start : m.end] = b"\x01" * (m.end - m.start)
    return sorted(taken, key=lambda m: m.start)


def _aliases(text: str, mentions: Sequence[Mention], rules: Rules):
    """Names and stock codes in parentheses right after an organization."""
    cue = rules.cue("alias", "cue")
    code = rules.cue("alias", "stock_code")
    bare = rules.cue("alias", "bare_code")
    aliases: list[Alias] = []
    hidden: list[tuple[int, int]] = []
    for m in mentions:
        if m.label != "ORG" or m.weak:
            continue
        pos = m.end
        while pos < len(text) and text[pos] == " ":
            pos += 1
        if pos >= len(text) or text[pos] != "(":
            continue
        close = text.find(")", pos)
        if close < 0 or close - pos > 80:
            continue
        found = False
        for part_start, part in _parts(text, pos + 1, close):
            c = code.search(part) or bare.fullmatch(part)
            c_cue = cue.match(part)
            if c and not c_cue:
                aliases.append(
                    Alias(
                        m.start,
                        m.end,
                        part_start + c.start(),
                        part_start + c.end(),
                        c.group(0),
                        "stockCode",
                    )
                )
                found = True
                continue
            body_start = part_start + (c_cue.end() if c_cue else 0)
            a, b = _strip(text, body_start, part_start + len(part))
            name = text[a:b]
            if not name:
                continue
            quoted = a > body_start and text[a - 1] in _QUOTES
            latin = re.fullmatch(r"[A-Za-z][A-Za-z0-9 .&'-]{1,40}", name) is not None
            named = any(  # "北湾大学附属医院(北湾医院)": a second name of the same kind
                (o.start, o.end) == (a, b) and o.label == "ORG" and not o.weak and o.type == m.type
                for o in mentions
            )
            if (c_cue or quoted or latin or named) and len(name) <= 20 and not code.fullmatch(name):
                if name not in rules.suffixes and not _is_generic(name, rules):
                    aliases.append(Alias(m.start, m.end, a, b, name, "alias"))
                found = True  # "(以下简称“公司”)": a word for it, no name
        if found:
            hidden.append((pos, close + 1))
    return aliases, hidden


def _parts(text: str, start: int, end: int):
    pos = start
    for i in range(start, end + 1):
        if i == end or text[i] in ",;、":
            if i > pos:
                yield pos, text[pos:i]
            pos = i + 1


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a] in _QUOTES:
        a += 1
    while b > a and text[b - 1] in _QUOTES:
        b -= 1
    return a, b
