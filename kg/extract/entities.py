"""Mentions of organizations, people and titles in a sentence, and in an article.

Sentence level (``find_mentions``, run by the ``ihkg_mentions`` component):

- **suffix rule**: a name ends in an organization suffix (有限公司, 医院,
  互联网医院, 卫健委, 联盟, 大学 …, see ``rules/org_suffixes.tsv``); its left
  edge is where the statistical lexer's words stop being nominal;
- **statistical tags**: LAC's ORG and PER words that the rules did not cover;
- **title anchor**: the words right before a title name an organization
  ("康桥健康CEO"), and a person name right after a title is a person even when
  the lexer missed it ("CEO周远");
- **aliases**: parentheses after a name give its short names, English name and
  stock code ("(以下简称“远枫医疗”)", "(股票简称“甲”，01833.HK)").

Article level (``complete_mentions``): every organization or person name found
anywhere in the article is looked for in every sentence, so a short name that
the rules only recognise in one place ("康桥健康CEO") is found everywhere, and
a fragment the lexer cut wrongly ("康桥" of "康桥健康") gives way to the name.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from kg.lexer import Lex, word_frequency
from kg.rules import Rules, load_rules

__all__ = [
    "Alias",
    "Found",
    "Mention",
    "complete_mentions",
    "find_mentions",
    "frame_names",
    "org_type",
    "title_relations",
]

_NAME_TAGS = frozenset({"ORG", "LOC", "PER", "nz", "nw", "n", "j", "vn", "an"})
_ANCHOR_TAGS = _NAME_TAGS | {"a"}
_BRAND_TAGS = frozenset({"ORG", "PER", "nz", "nw", "j", "LOC"})
_PROPER_TAGS = _BRAND_TAGS | {"m"}
_ORDINAL = re.compile(r"^(?:第[一二三四五六七八九十百\d]+|\d+)$")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_LATIN_EDGE = re.compile(r"[A-Za-z0-9]")
_SOLID = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9&·]+$")
_QUOTES = " \t:：“”\"'‘’「」『』《》"
_MAX_ORG = 30


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of a sentence that names an organization, a person or a title.

    Attributes:
        start, end (int): character offsets in the sentence.
        text (str): the span in normalised text.
        label (str): ``ORG``, ``PER`` or ``TITLE``.
        type (str | None): the ontology class of an organization.
        rule (str): the rule that found it.
        confidence (float): how sure that rule is, in [0, 1].
        weak (bool): kept only if the article supports it elsewhere.
    """

    start: int
    end: int
    text: str
    label: str
    type: str | None = None
    rule: str = ""
    confidence: float = 1.0
    weak: bool = False


@dataclass(frozen=True, slots=True)
class Alias:
    """A name or stock code given in parentheses after an organization.

    ``kind`` is ``"alias"`` or ``"stockCode"``; offsets are in the sentence.
    """

    org_start: int
    org_end: int
    start: int
    end: int
    text: str
    kind: str


@dataclass(slots=True)
class Found:
    """What ``find_mentions`` found in one sentence."""

    mentions: list[Mention] = field(default_factory=list)
    aliases: list[Alias] = field(default_factory=list)


def org_type(name: str, rules: Rules | None = None) -> str:
    """The ontology class of an organization name, from its suffix.

    >>> org_type("江城市皮肤病医院互联网医院"), org_type("华东肿瘤防治联盟")
    ('InternetHospital', 'Association')
    >>> org_type("仁信医疗"), org_type("江城市卫健委规划信息处"), org_type("江城大学(深圳)")
    ('Company', 'GovernmentAgency', 'University')
    >>> org_type("江城福利医院有限公司"), org_type("江城医院管理有限公司")
    ('Hospital', 'Company')
    """
    rules = rules or load_rules()
    place = _PLACE_PAREN.search(name)
    if place and place.end() == len(name):  # "香港中文大学(深圳)"
        name = name[: place.start()]
    m = rules.suffix(name)
    if m and rules.suffixes[m][1] == "legal":  # "江城福利医院有限公司" is the hospital
        inner = rules.suffix(name, len(name) - len(m))
        if inner and rules.suffixes[inner][0] in ("Hospital", "InternetHospital"):
            return rules.suffixes[inner][0]
    return rules.suffixes[m][0] if m else "Company"


def title_relations(title: str, org_type_: str | None = None) -> list[str]:
    """Head-of relations that a title (or a chain of titles) gives.

    Deputy and assistant titles give none; a title whose relation is limited
    to some organization types (主任) gives it only for those.

    >>> title_relations("董事会主席兼CEO")
    ['chairOf', 'ceoOf']
    >>> title_relations("行长助理"), title_relations("高级副总裁"), title_relations("中国区总裁")
    ([], [], [])
    >>> title_relations("校长顾问")
    []
    >>> title_relations("主任", "Hospital"), title_relations("主任", "GovernmentAgency")
    ([], ['presidentOf'])
    """
    rules = load_rules()
    no_head = rules.cue("position", "no_head")
    out: list[str] = []
    parts = list(rules.title_pattern.finditer(title))
    for k, m in enumerate(parts):
        part = m.group(0)
        if no_head.search(part):
            continue
        if k + 1 < len(parts) and parts[k + 1].start() == m.end():
            continue  # "校长顾问", "董事长秘书": the head's adviser, not the head
        core = _title_core(part, rules)
        rule = rules.titles.get(core)
        if rule is None or rule.relation is None:
            continue
        if rule.org_types and org_type_ is not None and org_type_ not in rule.org_types:
            continue
        if rule.relation not in out:
            out.append(rule.relation)
    return out


def _title_core(part: str, rules: Rules) -> str:
    if part in rules.titles:
        return part
    for mod in sorted(rules.modifiers, key=len, reverse=True):
        if part.startswith(mod) and part[len(mod) :] in rules.titles:
            return part[len(mod) :]
    for mod in sorted(rules.modifiers, key=len, reverse=True):
        if part.startswith(mod):
            return _title_core(part[len(mod) :], rules)
    return part


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
    candidates = [
        _without_trailing_word(
            _without_leading_word(_without_former(m, text, rules), starts, rules), rules
        )
        for m in candidates
    ]
    persons = [
        _without_trailing_word(m, rules) for m in _persons(text, words, tokens, titles, rules)
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
    mentions = [_without_description(m, rules) for m in _resolve(candidates + titles)]
    mentions = [_without_verb_suffix(m, text, mentions, rules) for m in mentions]
    aliases, hidden = _aliases(text, mentions, rules)
    mentions = [m for m in mentions if not any(a <= m.start < b for a, b in hidden)]
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
    "北湾市人民政府合作(办医)".

    >>> m = Mention(0, 4, "周航代表", "PER", "Person", "lexer-per", 0.8)
    >>> _without_trailing_word(m, load_rules()).text
    '周航'
    >>> m = Mention(0, 9, "北湾市人民政府合作", "ORG", "GovernmentAgency", "lexer-org", 0.8)
    >>> _without_trailing_word(m, load_rules()).text
    '北湾市人民政府'
    """
    if m.label == "ORG":  # "北湾市人民政府|合作(办医)": a verb after a full name
        for word in rules.cues["names"]["org_trailing"]:
            rest = m.text[: -len(word)]
            if m.text.endswith(word) and len(rest) >= 3 and rules.suffix(rest):
                return replace(m, end=m.end - len(word), text=rest)
        return m
    for word in rules.cues["names"]["person_trailing"]:
        if m.text.endswith(word) and len(m.text) - len(word) >= 2:
            return replace(m, end=m.end - len(word), text=m.text[: -len(word)])
    return m


def _without_former(m: Mention, sentence: str, rules: Rules) -> Mention:
    """A name less the 原/前 ("former") glued to it: "北湾省卫健委原副主任",
    "原北湾军医大学附属医院" (a former name is still the name).

    >>> m = Mention(0, 7, "北湾省卫健委原", "ORG", "GovernmentAgency", "lexer-org", 0.6)
    >>> _without_former(m, "北湾省卫健委原副主任林海", load_rules()).text
    '北湾省卫健委'
    """
    text = m.text
    if m.label != "ORG":
        return m
    if text[-1:] in ("原", "前") and len(text) > 3 and rules.title_pattern.match(sentence, m.end):
        return replace(m, end=m.end - 1, text=text[:-1])
    if text[:1] == "原" and len(text) > 4 and rules.suffix(text):
        return replace(m, start=m.start + 1, text=text[1:])
    return m


def _without_leading_word(m: Mention, starts: set[int] | None, rules: Rules) -> Mention:
    """A name less a word glued before it that never begins one: a role or a
    verb ("领投|明川集团", "卖方|北湾资本"), or a one-character preposition the
    tokenizer reads as a word of its own ("同|江州县人民医院"; not 和平区人民医院).

    >>> m = Mention(0, 6, "领投明川集团", "ORG", "Company")
    >>> _without_leading_word(m, None, load_rules()).text
    '明川集团'
    >>> m = Mention(0, 8, "同江州县人民医院", "ORG", "Hospital")
    >>> rules = load_rules()
    >>> _without_leading_word(m, {1, 4}, rules).text, _without_leading_word(m, {0}, rules).text
    ('江州县人民医院', '同江州县人民医院')
    """
    if m.label != "ORG":
        return m
    lead = rules.cue("names", "leading_word").match(m.text)
    if lead is None:
        lead = rules.cue("names", "leading_preposition").match(m.text)
        if lead is None or starts is None or m.start in starts:
            return m
    rest = m.text[lead.end() :]
    if len(rest) < 4 or not rules.suffix(rest):
        return m
    return replace(m, start=m.start + lead.end(), text=rest, type=org_type(rest, rules))


_PLACE_PAREN = re.compile(r"\(([\u4e00-\u9fff]{2,6})\)")


def _place_parentheses(text: str, words: Sequence[Lex], rules: Rules) -> list[Lex]:
    """Make "(杭州)" inside a name one place word: "澜石(杭州)医院", "青川(中国)有限公司".

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
        if tagged or _is_place(inner, rules) or inner[-1] in "省市区县":
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


def _is_title_word(word: str, rules: Rules) -> bool:
    m = rules.title_pattern.fullmatch(word)
    return m is not None


def _is_generic(word: str, rules: Rules) -> bool:
    """A word that names nothing: "双方", "该院", "本公司" (not "本岚市政府").

    >>> rules = load_rules()
    >>> _is_generic("该院", rules), _is_generic("本岚市政府", rules)
    (True, False)
    """
    return word in rules.generic or bool(rules.cue("names", "demonstrative").match(word))


def _is_place(word: str, rules: Rules) -> bool:
    return word in rules.places or (
        len(word) > 1 and word[:-1] in rules.places and word[-1] in "省市区县"
    )


def _suffix_orgs(
    text: str, words: Sequence[Lex], rules: Rules, titles: Sequence[Mention] = ()
) -> list[Mention]:
    out = []
    for i, w in enumerate(words):
        suffix = rules.suffix(text, w.end)
        if suffix is None or w.tag in ("w", "v", "p", "c", "u", "d", "TIME", "m", "q"):
            continue
        otype, kind = rules.suffixes[suffix]
        s0 = w.end - len(suffix)
        j = i
        while j > 0 and words[j].start > s0:
            j -= 1
        if _is_generic(words[j].text, rules) and words[j].start < s0:
            continue  # the suffix ends a common word ("好处", "格局")
        k = j
        while k > 0:
            prev = words[k - 1]
            if w.end - prev.start > _MAX_ORG:
                break
            if not _name_word(prev, rules) and not (
                # "某医院北苑院区": a campus's own name may be any short word
                kind == "branch"
                and k == j
                and words[j].start >= s0
                and _campus_word(prev, rules)
                and k >= 2
                and org_type(words[k - 2].text, rules) == otype  # "某医院|北苑|院区"
                and rules.suffix(words[k - 2].text, len(words[k - 2].text))
            ):
                break
            if prev.text in rules.cues["names"]["whole_names"] and k - 1 < j:
                break  # "旗舰医院|树兰(杭州)医院": a name does not run through another

            k -= 1
        while k < j and words[k].text in rules.name_verbs:
            k += 1  # "(正式)投资明川医院": a verb before a name does not begin it
        start = words[k].start
        if kind == "ordinal":  # "北湾二院", "明大附四院": the tagged word alone
            if w.tag != "ORG" or not 2 <= s0 - w.start <= 4 or "院" in text[w.start : s0]:
                continue
            start = w.start
        if start >= s0:  # a bare suffix: "互联网医院", "公司"
            if w.tag != "ORG" or kind == "brand" or w.text == suffix:
                continue
            start = w.start
        cut = max(text.rfind(c, start, s0) for c in "与、")
        if cut >= 0:
            start = cut + 1
        for word in rules.breaks:  # "深圳共建湾岸医院", one word for the lexer
            at = text.rfind(word, start, s0) if len(word) > 1 else -1
            if rules.cue("names", "break_kept").match(text, max(at, 0)):
                continue  # "某中心建设发展有限公司": part of the name
            if at >= 0 and at + len(word) < s0:  # "香港联合|交易所" keeps its 联合
                start = at + len(word)
        if otype in ("Hospital", "InternetHospital"):
            start = _after_glued_verb(text, words[k:j], start, s0, rules)
            owned = _after_owner(text, start, s0, rules)
            owner = text[start:owned]
            if (
                owned > start
                and len(re.sub(r"\([^()]*\)", "", owner)) > 4
                and not owner.endswith("附属公司")
            ):
                kind_ = rules.suffixes[rules.suffix(owner)][1]
                conf = rules.confidence("org-suffix")
                out.append(
                    Mention(start, owned, owner, "ORG", "Company", f"org-suffix:{kind_}", conf)
                )
            start = owned
        prefix = text[start:s0]
        name = text[start : w.end]
        if re.fullmatch(r"(?:19|20)\d\d年?度?", prefix):
            continue  # "2017医院管理创新奖": a year, not a name
        if len(prefix) < 2 and not (
            prefix in ("省", "市", "区", "县") and otype == "GovernmentAgency"
        ):
            continue  # "市卫健委", "区政府": the city's or district's own body
        nxt = words[i + 1].text if i + 1 < len(words) else ""
        if nxt in rules.cues["names"]["department_words"] and kind in ("name", "brand"):
            continue  # "青川健康互联网医院|事业部": a department, not a name
        if _is_generic(prefix, rules) or _is_generic(name, rules) or _is_place(name, rules):
            continue
        if rules.cue("names", "descriptors").search(prefix):
            continue  # "中国领先社会办医疗集团": a description
        prefix_words = [x for x in words[k : j + 1] if x.start < s0]
        if (
            prefix_words
            and all(_is_generic(x.text, rules) or _is_place(x.text, rules) for x in prefix_words)
            and kind not in ("name", "group")
        ):
            continue
        weak = False
        if kind == "brand":
            if not 2 <= len(prefix) <= 4 or _is_place(prefix, rules):
                continue
            if any(t.end == start for t in titles) and name[:1] in rules.surnames:
                continue  # "局长林峰云": a person's name after a title, not a brand
            if (
                suffix == "医生"
                and all(x.tag == "PER" for x in prefix_words)
                and not rules.cue("names", "product").match(text, w.end)
            ):
                continue  # "林海明医生": a person and what they are ("康翎医生App" is a product)
            nxt = words[i + 1] if i + 1 < len(words) else None
            if (
                nxt is not None
                and nxt.tag in ("n", "vn", "nz", "an")
                and nxt.text not in rules.breaks
                and not any(t.start == nxt.start for t in titles)
            ):
                continue  # "皮肤病专科医疗|健康服务": a noun phrase goes on
            weak = not any(x.tag in _BRAND_TAGS for x in prefix_words)
            if not _SOLID.match(prefix):
                continue
        if kind == "dept" and not (w.tag == "ORG" or _contains_agency(prefix, rules)):
            continue
        if kind == "dept" and org_type(prefix, rules) in ("Hospital", "University"):
            continue  # "某医院信息中心": a department of the hospital
        if (
            kind in ("name", "group")
            and not any(x.tag in _PROPER_TAGS for x in prefix_words)
            and (w.tag != "ORG")
        ):
            weak = True  # "往返医院", "成员医院": only common nouns before the suffix
        if otype == "InternetHospital" and all(_is_place(x.text, rules) for x in prefix_words):
            weak = True  # "东川省互联网医院": a province's internet hospitals
        if kind in ("name", "group") and all(_is_generic(x.text, rules) for x in prefix_words):
            continue
        end = w.end
        after = words[i + 1] if i + 1 < len(words) else None
        if (
            after is not None
            and after.start == end
            and after.tag == "LOC"
            and _PLACE_PAREN.fullmatch(after.text)
            and kind in ("name", "legal", "group")
        ):
            end = after.end  # "香港中文大学(深圳)": the campus's place is part of the name
            name = text[start:end]
        company = rules.cue("names", "hospital_company").match(text, end)
        if otype == "Hospital" and kind == "name" and company:
            end = company.end()  # "北湾医院管理(持有…)": a company named for its hospital
            name, otype = text[start:end], "Company"
        out.append(
            Mention(
                start,
                end,
                name,
                "ORG",
                otype,
                f"org-suffix:{kind}",
                rules.confidence("org-suffix-weak" if weak else "org-suffix"),
                weak,
            )
        )
    return out


def _after_owner(text: str, start: int, s0: int, rules: Rules) -> int:
    """Where a hospital's name starts after its owner's whole name: "北湾松禾集团
    江州区松禾医院" is the group's hospital, 江州区松禾医院.

    >>> _after_owner("北湾松禾集团江州区松禾医院", 0, 11, load_rules())
    6
    >>> _after_owner("北湾松禾集团总医院", 0, 7, load_rules())
    0
    """
    for p in range(s0 - 2, start + 2, -1):
        suffix = rules.suffix(text[:p], p)
        if suffix and (rules.suffixes[suffix][1] in ("group", "legal") or suffix == "公司"):
            return p
    return start


def _split_verb_glue(
    words: Sequence[Lex], rules: Rules, starts: set[int] | None = None
) -> list[Lex]:
    """The lexer's "投资北湾总医院" (one verb) as the verb and the name after it,
    and its "北湾医院托管江州医院" (one name) as the two names and the verb.

    >>> [w.text for w in _split_verb_glue([Lex(0, 7, "投资北湾总医院", "v")], load_rules())]
    ['投资', '北湾总医院']
    >>> words = [Lex(0, 10, "北湾医院托管江州医院", "ORG")]
    >>> [w.text for w in _split_verb_glue(words, load_rules())]
    ['北湾医院', '托管', '江州医院']
    """
    out = []
    for w in words:
        glue = re.match(rules.cue("names", "glue_verbs").pattern, w.text)
        verb = (
            glue.group(0)
            if glue
            else next((v for v in rules.name_verbs if w.text.startswith(v)), None)
        )
        rest = w.text[len(verb) :] if verb else ""
        parts = _glued_parts(w, rules, starts) if w.tag == "ORG" else []
        if parts:
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


def _after_glued_verb(text: str, words: Sequence[Lex], start: int, s0: int, rules: Rules) -> int:
    """Where a hospital's name starts when a whole name and a verb stand before it.

    "松禾集团投资明川医院" is 松禾集团, 投资, 明川医院: the words before the verb
    end with a full organization suffix, and after it a hospital's own name
    follows. ("松禾医院管理有限公司" keeps its 管理: nothing but the legal form follows.)
    """
    for x in words:
        if x.text not in rules.name_verbs or x.start < start or s0 - x.end < 2:
            continue
        before = rules.suffix(text[: x.start], x.start)
        if before and rules.suffixes[before][1] != "brand" and _SOLID.match(text[x.end : s0]):
            start = x.end
    return start


def _campus_word(w: Lex, rules: Rules) -> bool:
    return (
        len(w.text) <= 3
        and bool(_SOLID.match(w.text))
        and w.text not in rules.breaks
        and w.tag not in ("w", "p", "c", "u", "r")
        and (w.tag not in ("m", "q") or bool(_ORDINAL.match(w.text)))  # "3个院区": a count
    )


def _contains_agency(prefix: str, rules: Rules) -> bool:
    return any(
        t == "GovernmentAgency" and k == "name" and s in prefix
        for s, (t, k) in rules.suffixes.items()
    )


def _name_word(w: Lex, rules: Rules) -> bool:
    if w.text in rules.breaks or _is_title_word(w.text, rules):
        return False
    if rules.cue("names", "demonstrative").match(w.text):
        return False
    if w.tag == "LOC" and _PLACE_PAREN.fullmatch(w.text):
        return True
    if not _SOLID.match(w.text):
        return False
    if w.tag in _NAME_TAGS or (w.tag == "a" and len(w.text) == 1) or w.text in rules.name_verbs:
        return True
    return w.tag == "m" and bool(_ORDINAL.match(w.text))


def _anchor_word(w: Lex, rules: Rules) -> bool:
    return (
        w.tag in _ANCHOR_TAGS
        and not _is_generic(w.text, rules)
        and not _is_title_word(w.text, rules)
    )


def _department_head(name: str, rules: Rules) -> int | None:
    """Length of the organization name that begins ``name``, a department: the
    shortest name, or the longest full one (ending in 医院, 大学…) when the
    shortest is full too.

    >>> _department_head("永诚健康保险事业部", load_rules())
    4
    >>> _department_head("北岭大学第一医院澜石学部", load_rules())
    8
    """
    heads = [
        p for p in range(3, len(name)) if rules.suffix(name, p) and not _is_generic(name[:p], rules)
    ]
    full = [p for p in heads if rules.suffixes[rules.suffix(name, p)][1] == "name"]
    if full and full[0] == heads[0]:  # "北岭大学第一医院|澜石学部": the hospital, not the
        return full[-1]  # university; but "青川健康|互联网医院事业部": the brand
    return heads[0] if heads else None


def _lexer_orgs(words: Sequence[Lex], rules: Rules, found: Sequence[Mention] = ()) -> list[Mention]:
    out = []
    body_words = tuple(rules.cues["names"]["body_departments"])
    for k, w in enumerate(words):
        if w.text.endswith(tuple(rules.cues["names"]["department_words"])) and not rules.suffix(
            w.text
        ):
            # "北溪医院信息中心", "永诚健康保险事业部": the name before the department
            head = _department_head(w.text, rules)
            if (
                head is None
                and w.tag == "ORG"
                and w.text.endswith(body_words)
                and k + 1 < len(words)
                and rules.title_pattern.match(words[k + 1].text)
            ):
                head = len(w.text)  # "明川部火炬中心|副主任": a centre whose head is named
            if head is not None:
                out.append(
                    Mention(
                        w.start,
                        w.start + head,
                        w.text[:head],
                        "ORG",
                        org_type(w.text[:head], rules),
                        "lexer-org",
                        rules.confidence("lexer-department"),
                    )
                )
            continue
        if w.tag != "ORG" or len(w.text) < 2 or not _SOLID.match(w.text) or "与" in w.text:
            continue
        if _is_place(w.text, rules) or _is_generic(w.text, rules) or _is_title_word(w.text, rules):
            continue
        if rules.cue("names", "descriptors").search(w.text):
            continue
        end = w.end
        tail = rules.suffix(w.text)
        if tail and rules.suffixes[tail][1] == "brand":
            head = rules.suffix(w.text, len(w.text) - len(tail))
            if head and rules.suffixes[head][1] == "name":
                end -= len(tail)  # "某县人民政府|医疗(战略合作)": a full name, then a word
        out.append(
            Mention(
                w.start,
                end,
                w.text[: end - w.start],
                "ORG",
                org_type(w.text, rules),
                "lexer-org",
                rules.confidence("lexer-org"),
                True,
            )
        )
    return out


def _anchored_orgs(
    text: str,
    words: Sequence[Lex],
    titles: Sequence[Mention],
    orgs: Sequence[Mention],
    rules: Rules,
) -> list[Mention]:
    """Organizations named right before a title: "康桥健康CEO", "青川健康副总裁"."""
    strong_ends = {m.end for m in orgs if not m.weak and m.rule.startswith("org-suffix")}
    by_end = {w.end: i for i, w in enumerate(words)}
    out = []
    for t in titles:
        i = by_end.get(t.start)
        if i is None or t.start in strong_ends:
            continue
        k, department = i, False
        while k >= 0 and _anchor_word(words[k], rules) and t.start - words[k].start <= 16:
            if k > 0 and words[k - 1].end in strong_ends:
                department = True  # "康桥健康|互联网医疗|总经理": the name is already known
                break
            k -= 1
        if department or k == i:
            continue
        k += 1
        if words[i].tag == "PER":
            continue  # "专家梁正明院长": a person and an honorific title
        if not any(w.tag in _BRAND_TAGS for w in words[k : i + 1]):
            continue  # "创新发展院长论坛": common words, no name
        start, stop = words[k].start, t.start
        if text[start:stop].endswith(tuple(rules.cues["names"]["department_words"])):
            # "青川健康|互联网医院事业部|总经理": the name ends at its first name suffix
            head = _department_head(text[start:stop], rules)
            if head is None:
                continue
            stop = start + head
        name = text[start:stop]
        post = rules.cue("position", "government_post").search(t.text)
        if len(name) < 2 or (_is_place(name, rules) and not post) or _is_generic(name, rules):
            continue  # a place is a name before its own post: "北湾市|副市长" (its government)
        conf = rules.confidence("title-anchor")
        out.append(Mention(start, stop, name, "ORG", org_type(name, rules), "title-anchor", conf))
    return out


def _persons(
    text: str,
    words: Sequence[Lex],
    tokens: Sequence[tuple[int, int]],
    titles: Sequence[Mention],
    rules: Rules,
) -> list[Mention]:
    out = []
    token_at = {a: b for a, b in tokens}
    stop = rules.cue("names", "person_stop")
    for w in words:
        if w.tag == "PER" and _plausible_person(w.text, rules):
            if _heads_company(words, w.end, rules):
                continue  # "岚彤|投资", "高岚昱泰|健康": the head of a company's name
            end = w.end
            longer = token_at.get(w.start, w.end)
            if (
                len(w.text) == 2
                and longer == w.end + 1
                and _HAN.match(text[w.start : longer])
                and not stop.match(text[w.end])
                and (
                    longer == len(text) or stop.match(text[longer]) or not _HAN.match(text[longer])
                )
            ):
                end = longer  # "高政|南": the tokenizer's word holds the whole name
            elif len(w.text) == 2 and _verb_glued_to_name(text, words, w, stop):
                end = w.end + 1  # "周明|献|签署": one verb does not follow another
            conf = rules.confidence("lexer-per")
            out.append(
                Mention(w.start, end, text[w.start : end], "PER", "Person", "lexer-per", conf)
            )
    starts = {m.start for m in out}
    for t in titles:
        if t.end in starts or t.end >= len(text):
            continue
        name = _name_after(text, t.end, words, token_at, rules)
        if name:
            out.append(
                Mention(
                    t.end,
                    t.end + len(name),
                    name,
                    "PER",
                    "Person",
                    "name-after-title",
                    rules.confidence("name-after-title"),
                )
            )
    return out


def _verb_glued_to_name(text: str, words: Sequence[Lex], w: Lex, stop: re.Pattern[str]) -> bool:
    """The lexer cut a two-character name from its third character, which it
    read as a one-character verb before the clause's real verb ("周明|献|签署")
    or glued to the joiner after the name ("周明|献与"); not a modal verb
    ("林志|应|用于") or a word ("周明|参与").

    >>> from kg.lexer import lex
    >>> text = "院长周明献签署协议"
    >>> words = lex(text)
    >>> _verb_glued_to_name(text, words, words[1], load_rules().cue("names", "person_stop"))
    True
    """
    k = next((i for i, x in enumerate(words) if x.start == w.end), None)
    if k is None or k + 1 >= len(words):
        return False
    one, verb = words[k], words[k + 1]
    rules = load_rules()
    modal = rules.cue("names", "modal")
    if len(one.text) == 2 and rules.cue("frame", "connector").fullmatch(one.text[1]):
        # "周明|献与|…": the name's last character and the joiner after it (not "参与")
        return (
            word_frequency(one.text) < _RARE
            and bool(_HAN.match(one.text[0]))
            and not stop.match(one.text[0])
            and not modal.match(one.text[0])
        )
    return (
        one.tag == "v"
        and len(one.text) == 1
        and _HAN.match(one.text) is not None
        and not stop.match(one.text)
        and not modal.match(one.text)
        and verb.tag == "v"
        and len(verb.text) >= 2
    )


def _titled_or_surnamed(m: Mention, mentions: Sequence[Mention], rules: Rules) -> bool:
    """The tagger's person ``m`` begins with a surname of ``surnames.txt`` or
    follows a title: "雨桐", "青岚" alone are no one's name, "院长傅岚" is."""
    if m.rule != "lexer-per" or m.text[:1] in rules.surnames:
        return True
    return m.text[:2] in rules.compound_surnames or any(
        t.label == "TITLE" and t.end == m.start for t in mentions
    )


def _heads_company(words: Sequence[Lex], end: int, rules: Rules) -> bool:
    """The lexer's word at ``end`` ends a company's name ("岚彤|投资", "高岚昱泰|健康|股权…"),
    not a word that begins with one ("周海锋|健康状况").

    >>> from kg.lexer import lex
    >>> rules = load_rules()
    >>> _heads_company(lex("阿岚瑞资本等"), 3, rules), _heads_company(lex("林海医生说"), 2, rules)
    (True, False)
    """
    word = next((w for w in words if w.start == end), None)
    return word is not None and word.text in _company_tails(rules)


@functools.cache
def _company_tails(rules: Rules) -> tuple[str, ...]:
    """Suffixes that end a company's name after a brand, not a person's title."""
    kinds = ("legal", "group", "brand")
    return tuple(
        s
        for s, (_, kind) in rules.suffixes.items()
        if kind in kinds and len(s) >= 2 and s not in rules.cues["names"]["honorifics"]
    )


def _plausible_person(name: str, rules: Rules) -> bool:
    if not 2 <= len(name) <= 4 or not _HAN.match(name):
        return False
    rest = name[2:] if name[:2] in rules.compound_surnames else name[1:]
    if rest in ("总", "董", "老", "工", "总监") or rest in rules.cues["names"]["honorifics"]:
        return False
    if rules.title_pattern.fullmatch(rest) or _is_generic(name, rules):
        return False
    return True


_NOT_NAME_TAGS = frozenset({"v", "vd", "vn", "d", "ad", "p", "c", "u", "r", "q", "w", "TIME", "m"})


def _name_after(text: str, pos: int, words: Sequence[Lex], token_at: dict, rules: Rules) -> str:
    head = text[pos : pos + 2]
    if not (head[:1] in rules.surnames or head in rules.compound_surnames):
        return ""
    word = next((w for w in words if w.start == pos), None)
    if (
        word is not None
        and len(word.text) == 2
        and word.tag in _NOT_NAME_TAGS
        and not rules.cue("names", "person_end").match(text, word.end)
        and not (word_frequency(word.text) < _RARE and re.match(r"[、,;。]|$", text[word.end :]))
    ):
        return ""  # "院长强调": a verb, not a name ("总裁张望一行", "校长林军," are one)
    stop = rules.cue("names", "person_stop")
    end = token_at.get(pos)
    if end is not None and 2 <= end - pos <= 4 and _HAN.match(text[pos:end]):
        cand = text[pos:end]
        after = text[end : end + 2]
        if (
            len(cand) == 2
            and after[:1]
            and not stop.match(after[:1])
            and _HAN.match(after[:1])
            and (len(after) < 2 or stop.match(after[1]) or not _HAN.match(after[1]))
        ):
            cand = text[pos : end + 1]  # "江北|辰、": most names have three characters
    else:
        n = 0
        while pos + n < len(text) and n < 3 and not stop.match(text[pos + n]):
            n += 1
        cand = text[pos : pos + n]
    return cand if _plausible_person(cand, rules) else ""


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
            c = code.search(part)
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
            if (c_cue or quoted or latin) and len(name) <= 20 and not code.fullmatch(name):
                aliases.append(Alias(m.start, m.end, a, b, name, "alias"))
                found = True
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


def complete_mentions(
    texts: Sequence[str],
    mentions: Sequence[Sequence[Mention]],
    aliases: Sequence[Sequence[Alias]],
    headline: str = "",
    words: Sequence[Sequence[Lex]] | None = None,
    headline_found: tuple[Sequence[Mention], Sequence[Alias]] | None = None,
) -> list[list[Mention]]:
    """Find every name of the article in every sentence of it.

    Args:
        texts: the article's normalised sentences.
        mentions: ``find_mentions`` results per sentence.
        aliases: alias results per sentence.
        headline: the article's normalised title; names that stand in a frame
            there (``frame_names``) count like names of the body.
        words: the lexer's words per sentence, the headline's last (checks
            the frames' parties); without them the frames are not read.
        headline_found: the headline's own mentions and aliases; with them,
            the headline's completed mentions come last in the result (the
            body's names found in it; its own names do not count in the body).

    Returns:
        list[list[Mention]]: mentions per sentence, weak ones kept only where
        the article supports them, names added where the article uses them.
    """
    rules = load_rules()
    memory = rules.confidence("article-memory")
    org_names: dict[str, str] = {}
    per_names: set[str] = set()
    unsure: set[str] = set()  # the tagger's persons with no surname and no title before
    for sent_mentions, sent_aliases in zip(mentions, aliases, strict=True):
        for m in sent_mentions:
            if m.label == "ORG" and not m.weak and m.confidence >= memory:
                org_names.setdefault(m.text, m.type or "Company")
            elif m.label == "PER" and _titled_or_surnamed(m, sent_mentions, rules):
                per_names.add(m.text)
            elif m.label == "PER":
                unsure.add(m.text)
        for a in sent_aliases:
            if a.kind == "alias":
                owner = next((m for m in sent_mentions if m.start == a.org_start), None)
                org_names.setdefault(a.text, owner.type if owner and owner.type else "Company")
    unsure -= per_names
    framed = [*zip(texts, mentions, strict=True), (headline, ())]
    for (text, sent_mentions), sent_words in zip(framed, words or (), strict=False):
        for name in frame_names(text, sent_mentions, sent_words):
            if name not in per_names:
                org_names.setdefault(name, org_type(name, rules))
    # a person's name and a character that follows names is that name ("林海任内")
    glued = {
        per: short
        for per in per_names
        for short in per_names
        if len(short) >= 2
        and len(per) == len(short) + 1
        and per.startswith(short)
        and rules.cue("names", "after_person").match(per[-1])
    }
    per_names -= set(glued)
    mentions = [
        [
            replace(m, end=m.end - 1, text=glued[m.text])
            if m.label == "PER" and m.text in glued
            else m
            for m in sent_mentions
        ]
        for sent_mentions in mentions
    ]
    # a "person" that begins an organization's name is that organization ("仁信")
    for per in sorted(per_names | unsure):
        longer = [n for n in org_names if n.startswith(per) and len(n) > len(per)]
        if longer:
            per_names.discard(per)
            org_names.setdefault(per, org_names[min(longer)])
    # a fragment that is a known name less its suffix is a short name ("康桥" of "康桥集团")
    for sent_mentions in mentions:
        for m in sent_mentions:
            if m.weak and any(
                n.startswith(m.text)
                and rules.suffixes.get(n[len(m.text) :], ("", ""))[1] in ("legal", "group")
                for n in list(org_names)
            ):
                org_names.setdefault(m.text, m.type or "Company")
    # weak candidates confirmed anywhere become names too
    for text, sent_mentions in zip(texts, mentions, strict=True):
        for m in sent_mentions:
            if m.weak and _supported(m, sent_mentions, text, org_names):
                org_names.setdefault(m.text, m.type or "Company")
    pattern = _name_pattern(list(org_names) + sorted(per_names))
    seats = _government_seats(org_names, rules)
    out = []
    recent: dict[str, str] = {}
    seen: Counter[tuple[str, str]] = Counter()
    sentences = list(zip(texts, mentions, aliases, strict=True))
    if headline_found is not None:
        sentences.append((headline, *headline_found))
    for text, sent_mentions, sent_aliases in sentences:
        extra = []
        hidden = _alias_spans(text, sent_aliases)
        if pattern is not None:
            for mt in pattern.finditer(text):
                a, b = mt.start(), mt.end()
                if any(x <= a < y for x, y in hidden):
                    continue
                name = mt.group(0)
                if (a > 0 and _LATIN_EDGE.match(text[a - 1]) and _LATIN_EDGE.match(name[0])) or (
                    b < len(text) and _LATIN_EDGE.match(text[b]) and _LATIN_EDGE.match(name[-1])
                ):
                    continue  # inside a Latin word ("AB" in "ABC"), not before one ("甲CEO")
                if rules.cue("names", "product").match(text, b):
                    continue
                if name in org_names:
                    conf = rules.confidence("article-name")
                    extra.append(Mention(a, b, name, "ORG", org_names[name], "article-name", conf))
                else:
                    conf = rules.confidence("article-name-person")
                    extra.append(Mention(a, b, name, "PER", "Person", "article-name", conf))
        kept = [
            replace(m, weak=False) if m.weak and m.text in org_names else m for m in sent_mentions
        ]
        kept = [
            m
            for m in kept
            if not m.weak and not (m.label == "PER" and (m.text in org_names or m.text in unsure))
        ]
        products = [(a, b) for a, b in _products(text, pattern)]
        kept = [m for m in kept if not any(a < m.end and m.start < b for a, b in products)]
        taken = kept + extra
        resolved = _resolve(taken + _seat_mentions(text, seats, taken, rules))
        out.append(_resolve(resolved + _anaphora(text, resolved, recent, seen)))
    return out


_SLOT = r"[\u4e00-\u9fffA-Za-z0-9·&]{2,14}?"
_OPEN = r"(?:^|(?<=[,;:。!?“”\"(\s]))"


@functools.cache
def _frames() -> tuple[re.Pattern[str], ...]:
    rules = load_rules()
    f = rules.cues["frame"]
    paren = r"(?:\([^()]{0,40}\))?"
    adv = f"(?:{f['adverb']})*"
    pair = re.compile(
        f"{_OPEN}{f['date']}(?P<a>{_SLOT}){paren}{adv}{f['connector']}"
        f"(?P<b>{_SLOT}){paren}{adv}{f['verb']}"
    )
    coordinated = re.compile(
        f"{_OPEN}{f['date']}(?P<a>{_SLOT}){paren}{adv}{f['coordinator']}"
        f"(?P<b>{_SLOT})(?=[,;。、(]|$)"
    )
    owner = re.compile(f"(?P<a>{_SLOT}){paren}(?:{f['owner']}|{f['kin']})")
    counted = re.compile(
        f"(?P<a>{_SLOT}){paren}(?:{rules.cues['operates']['counted_of']})(?P<strong>)"
    )
    each = rules.cues["partnership"]["respectively"]  # "甲分别与乙、丙签署…"
    respectively = re.compile(f"{_OPEN}{f['date']}(?P<a>{_SLOT}){paren}{adv}{each}")
    code = rules.cues["alias"]["stock_code"]
    coded = re.compile(f"(?P<a>{_SLOT})\\((?:[^()]{{0,20}}?[,;:])?\\s*(?:{code})\\s*\\)")
    listed = re.compile(
        f'(?:{_OPEN}|由|获得|获)(?P<list>[^,;:。!?()“”"]{{2,80}}?){paren}(?:{f["invests"]})'
    )
    after_word = re.compile(
        f'(?:{f["investors"]})(?P<list>[^,;:。!?()“”"等]{{2,80}}){paren}(?=等|[,;。、]|$)'
    )
    built = re.compile(f'由(?P<list>[^,;:。!?()“”"]{{2,60}}?){paren}(?:{f["builders"]})')
    title = f"(?:{f['titled']})"
    titled = re.compile(
        f"{_OPEN}(?P<a>{_SLOT}){title}(?:{f['title_joiner']}{title})*(?P<person>)(?P<strong>)"
    )
    return pair, coordinated, respectively, owner, counted, coded, listed, after_word, built, titled


def _slots(m: re.Match) -> list[tuple[int, int, bool]]:
    """The spans of a frame match that may hold a name, and whether they are list items."""
    spans = [(*m.span(slot), False) for slot in ("a", "b") if slot in m.re.groupindex]
    if "list" in m.re.groupindex:
        start = m.start("list")
        joiner = f"{load_rules().cues['frame']['list_joiner']}|由|获得|获"
        noun = re.compile(r".*(?:公司|企业|平台|机构)(?=.{2})")  # "医疗AI公司|Lanxi"
        for item in re.split(f"({joiner})", m.group("list")):
            if item and not re.fullmatch(joiner, item):
                cut = noun.match(item)
                skip = cut.end() if cut else 0
                spans.append((start + skip, start + len(item), True))
            start += len(item)
    return spans


def _listed_name(words: Sequence[Lex], a: int, b: int, rules: Rules) -> bool:
    """An item of an investor list is a name unless it reads as a phrase.

    The lexer splits unknown brand names into single characters it tags as
    verbs ("启|赋|资本"), so the item is judged by its last word only.
    """
    inside = [w for w in words if a <= w.start and w.end <= b]
    if not inside or inside[0].start != a or inside[-1].end != b:
        return False
    if any(w.tag in ("p", "c", "u", "r", "w", "TIME") and w.text.strip(" &") for w in inside):
        return False  # "Lakes & Rivers" keeps its spaces and ampersand
    last = inside[-1]
    return (
        last.tag in ("n", "nz", "nw", "ORG", "j", "LOC")
        or last.text in rules.suffixes
        or last.text in rules.name_verbs  # "岚溪|投资"
    )


def frame_names(
    text: str, mentions: Sequence[Mention] = (), words: Sequence[Lex] | None = None
) -> list[str]:
    """Strings that a frame shows to be organizations' names.

    The frames: "甲与乙签署…", "甲携手乙," (at the start of a clause), "甲旗下",
    "甲(01951.HK)" and "甲创始人兼CEO林海" (a head's title right before a
    person). A party is a name when it is compact (no function word, not a
    place, a person, a title or a generic word) and does not cut a mention
    the rules found in two. With the lexer's ``words``, a party also
    begins and ends on a word, begins with no verb or function word and holds
    a noun; words before it that fail this are dropped ("只有|澜泽生殖旗下").

    >>> frame_names("7月19日,禾医与江城儿童医学中心正式签署战略合作协议。")
    ['禾医', '江城儿童医学中心']
    >>> frame_names("双方将携手打造互联网医院")
    []
    """
    rules = load_rules()
    bad = re.compile(rules.cues["frame"]["not_in_name"])
    out: list[str] = []
    for pattern in _frames():
        for m in pattern.finditer(text):
            titled = "person" in m.re.groupindex
            strong = "strong" in m.re.groupindex  # a frame that shows a name by itself
            if titled and not any(o.label == "PER" and o.start == m.end() for o in mentions):
                continue  # "甲创始人兼CEO|林海": a titled party only before its person
            for a, b, listed in _slots(m):
                if any(
                    o.label == "ORG"
                    and o.start < b
                    and a < o.end
                    and (o.start, o.end) != (a, b)
                    and not ((strong or listed) and o.weak and a <= o.start and o.end <= b)
                    for o in mentions
                ):
                    continue  # the rules found an organization here already (in a
                    # list or before a title, not the tagger's guess at its start: "拜博|口腔")
                starts = [a]
                if words is not None and not listed:
                    starts = [w.start for w in words if a <= w.start < b - 1][:4]
                elif words is not None:  # "老股东|明川资本": a common word before the name
                    ends = [w.end for w in words if a < w.end < b - 1]
                    cut = max((e for e in ends if _is_generic(text[a:e], rules)), default=a)
                    starts = [cut]
                for start in starts:
                    name = text[start:b]
                    if len(name) < 2 or bad.search(name) or _not_a_name(name, rules):
                        continue
                    if any(o.start < start < o.end or o.start < b < o.end for o in mentions):
                        continue  # it would cut a mention the rules found
                    if any(
                        o.label == "PER"
                        and o.start == start
                        and text[o.end : b] in rules.cues["names"]["person_trailing"]
                        for o in mentions
                    ):
                        continue  # "林海代表(签署)": a person signs for a party
                    if words is not None and not (
                        _listed_name(words, start, b, rules)
                        if listed
                        else _titled_name(words, start, b, rules)
                        if strong
                        else _name_words(words, start, b, rules)
                    ):
                        continue
                    if name not in out:
                        out.append(name)
                    break
    return out


_FRAME_FIRST_BAD = frozenset({"v", "vd", "ad", "d", "p", "c", "u", "r", "TIME", "m", "q", "f", "w"})
_FRAME_INNER_BAD = frozenset({"p", "c", "u", "r", "d", "TIME", "w"})
_FRAME_NOUNS = frozenset({"n", "nz", "nw", "ORG", "j", "LOC", "PER", "an", "vn"})
_COMMON_TAGS = frozenset({"n", "vn", "v", "a", "ad", "an", "d"})
_COMMON = 1000  # a word the dictionary has seen this often is a common word
_RARE = 50  # … and one it has seen less often than this is no word it knows


def _name_words(words: Sequence[Lex], a: int, b: int, rules: Rules) -> bool:
    """The lexer's words of a frame's party ``a:b`` could make a name."""
    inside = [w for w in words if a <= w.start and w.end <= b]
    if not inside or inside[0].start != a or inside[-1].end != b:
        return False  # the party cuts a word
    if inside[0].tag in _FRAME_FIRST_BAD or any(w.tag in _FRAME_INNER_BAD for w in inside):
        return False
    if len(inside) > 1 and _is_generic(inside[-1].text, rules):
        return False  # "江城区战略": a modifier and a common word
    if inside[-1].tag == "v" and inside[0].tag not in ("ORG", "PER", "nz", "LOC", "j"):
        return False  # "患者完成": a clause; "锦欣|生殖" begins with a proper name
    if sum(w.tag == "v" for w in inside) > 1 or (
        len(inside) > 2 and any(w.tag == "v" for w in inside[1:-1])
    ):
        return False  # a clause, not a name
    if all(w.tag in _COMMON_TAGS and word_frequency(w.text) >= _COMMON for w in inside):
        return False  # "硬件条件", "医疗水平": common words only
    return any(w.tag in _FRAME_NOUNS for w in inside)


def _titled_name(words: Sequence[Lex], a: int, b: int, rules: Rules) -> bool:
    """The lexer's words of a party before a head's title and a person could make a name.

    The title and the person make the frame strong, so a brand name the lexer
    reads as a common word and a noun passes ("拜博|口腔", "妙|健康"), but a
    clause, a function word or a title's modifier does not ("现任", "常务副").
    """
    inside = [w for w in words if a <= w.start and w.end <= b]
    if not inside or inside[0].start != a or inside[-1].end != b:
        return False
    name = "".join(w.text for w in inside)
    if len(name) > 8 or name.endswith((*rules.modifiers, "助理")) or _is_generic(name, rules):
        return False
    if name.endswith(tuple(rules.cues["names"]["department_words"])):
        return False  # "(甲公司)某某事业部总经理": a department of a body named before
    if any(w.tag in ("p", "c", "u", "r", "w", "m", "q", "TIME") for w in inside):
        return False
    if all(len(w.text) == 1 for w in inside):
        return len(inside) <= 4  # a name the lexer did not know, one character at a time
    if any(w.tag in _FRAME_INNER_BAD for w in inside):
        return False
    if inside[0].tag in _FRAME_FIRST_BAD and inside[0].tag not in ("ORG", "PER", "nz", "LOC", "j"):
        return False
    return not all(w.tag in _COMMON_TAGS and word_frequency(w.text) >= _COMMON for w in inside)


def _not_a_name(name: str, rules: Rules) -> bool:
    """Places, people, titles and common words cannot be a frame's party."""
    if _is_generic(name, rules) or _is_place(name, rules) or name[-1] in "省市区县州镇乡村":
        return True
    if name in rules.suffixes:
        return True  # "资本", "医院": a suffix alone
    if rules.title_pattern.search(name) or name.isdigit():
        return True
    if any(name.startswith(w) for w in rules.breaks if len(w) > 1):
        return True  # "打造互联网医院": a verb phrase
    if _plausible_person(name, rules) and len(name) <= 3 and name[0] in rules.surnames:
        return not rules.suffix(name)
    return bool(rules.cue("names", "not_party_start").match(name))


def _anaphora(
    text: str,
    mentions: Sequence[Mention],
    recent: dict[str, str],
    seen: Counter[tuple[str, str]] | None = None,
) -> list[Mention]:
    """ "该公司", "该院": the organization of that kind named last; "公司将…": the
    one the article is about, named most often so far.

    ``recent`` maps a type to the last organization of that type seen so far
    in the article, ``seen`` counts (type, name) mentions; both are updated as
    the article is read.

    >>> recent, seen = {}, Counter()
    >>> qh = Mention(0, 4, "松禾医疗", "ORG", "Company", "r", 0.9)
    >>> ls = Mention(5, 9, "溪岚科技", "ORG", "Company", "r", 0.9)
    >>> _ = _anaphora("松禾医疗", [qh], recent, seen)
    >>> text = "松禾医疗与溪岚科技合作,该公司…,公司将…"
    >>> [m.text for m in _anaphora(text, [qh, ls], recent, seen)]
    ['溪岚科技', '松禾医疗']
    """
    seen = Counter() if seen is None else seen
    rules = load_rules()
    out = []
    pos = 0
    titles = {m.start for m in mentions if m.label == "TITLE"}
    events = sorted(
        [(m.start, "m", m) for m in mentions if m.label == "ORG"]
        + [(a.start(), "a", a) for a in rules.cue("anaphora", "pattern").finditer(text)]
        + [  # "集团执行董事林海", "学校党委书记周航": the body the article is about
            (a.start(), "a", a)
            for a in rules.cue("anaphora", "before_title").finditer(text)
            if a.end() in titles
        ],
        key=lambda e: e[0],
    )
    for start, what, item in events:
        if what == "m":
            recent[item.type or "Company"] = item.text
            seen[(item.type or "Company", item.text)] += 1
            continue
        if start < pos:
            continue
        found = item.groupdict()
        kind = found.get("kind") or found["bare"]
        types = rules.cues["anaphora"]["antecedents"][kind]
        target = next((recent[t] for t in types if t in recent), None)
        if found["bare"] and target is not None:
            kin = [n for (t, n) in seen if t == types[0]]
            named = [n for n in kin if kind == "集团" and kind in n]  # "集团…": a group
            target = max(named or kin, key=lambda n: seen[(types[0], n)], default=target)
        if target is not None:
            conf = rules.confidence("anaphora")
            out.append(Mention(item.start(), item.end(), target, "ORG", types[0], "anaphora", conf))
        pos = item.end()
    return out


def _alias_spans(text: str, aliases: Sequence[Alias]) -> list[tuple[int, int]]:
    """The parentheses that hold aliases: names inside them are not mentions."""
    spans = []
    for a in aliases:
        close = text.find(")", a.end)
        spans.append((a.org_end, close + 1 if close >= 0 else a.end))
    return spans


def _products(text: str, pattern: re.Pattern[str] | None):
    """Spans of "<name>App": a product, not its maker."""
    if pattern is None:
        return
    product = load_rules().cue("names", "product")
    for mt in pattern.finditer(text):
        if product.match(text, mt.end()):
            yield mt.start(), product.match(text, mt.end()).end()


def _supported(m: Mention, mentions: Sequence[Mention], text: str, names: dict) -> bool:
    """A weak organization is confirmed by a title right after it, a word for
    its kin right before it when it ends like a name ("母公司|甲集团"), or by
    being joined to a known organization with 与/和/、/携手."""
    after = next((o for o in mentions if o.start >= m.end), None)
    if after is not None and after.start == m.end and after.label == "TITLE":
        return True
    rules = load_rules()
    if rules.cue("names", "kin_before").search(text, 0, m.start):
        return bool(rules.suffix(m.text))  # "母公司|明川集团"
    for o in mentions:
        if o is m or o.label != "ORG" or o.weak:
            continue
        gap = text[o.end : m.start] if o.end <= m.start else text[m.end : o.start]
        if gap in ("与", "和", "、", "及", "携手", "联手"):
            return True
    return False


def _government_seats(org_names: dict[str, str], rules: Rules) -> dict[str, str]:
    """Places whose government the article names: "北湾市" for 北湾市人民政府.

    >>> names = {"北湾市人民政府": "GovernmentAgency", "江州医院": "Hospital"}
    >>> _government_seats(names, load_rules())
    {'北湾市': '北湾市人民政府'}
    """
    rest = rules.cue("position", "government_rest")
    ends = rules.cues["names"]["seat_ends"]
    seats: dict[str, str] = {}
    for name, type_ in org_names.items():
        if type_ != "GovernmentAgency":
            continue
        cut = next(
            (
                i
                for i in range(2, len(name))
                if name[i - 1] in ends and name[i] not in ends and rest.fullmatch(name[i:])
            ),
            None,
        )
        if cut is not None:
            seats.setdefault(name[:cut], name)
    return seats


def _seat_mentions(
    text: str, seats: dict[str, str], taken: Sequence[Mention], rules: Rules
) -> list[Mention]:
    """A place whose government the article names, standing as a party
    ("北湾市与甲大学签约", "甲医院、北湾县和乙公司"): the government. Its
    relations go to the government (``kg.extract._places_as_governments``).
    """
    out = []
    party = rules.cue("names", "seat_party")
    for place in seats:
        for m in re.finditer(re.escape(place), text):
            a, b = m.span()
            if any(t.start < b and a < t.end for t in taken):
                continue
            if party.match(text, b) and (
                a == 0 or party.match(text[a - 1]) or text[a - 1] in ",;:。"
            ):
                conf = rules.confidence("article-name")
                out.append(Mention(a, b, place, "ORG", "GovernmentAgency", "seat-government", conf))
    return out


def _name_pattern(names: list[str]) -> re.Pattern[str] | None:
    names = [n for n in names if len(n) >= 2]
    if not names:
        return None
    return re.compile("|".join(map(re.escape, sorted(set(names), key=len, reverse=True))))
