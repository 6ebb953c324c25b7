"""Names that a clause frame shows (``frame_names``).

"甲与乙签署…", "甲携手乙,", "甲旗下", "甲(01951.HK)", "甲创始人兼CEO林海": a
compact party of such a frame is an organization's name even where no suffix
or tag marks it, so the article pass looks for it in every sentence.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence

from kg.extract.lexicon import _is_generic, _is_place, stock_code_parenthesis
from kg.extract.persons import _plausible_person
from kg.extract.spans import Mention
from kg.lexer import Lex, word_frequency
from kg.rules import Rules, load_rules

__all__ = ["frame_names"]

_SLOT = r"[\u4e00-\u9fffA-Za-z0-9·&]{2,14}?"
_OPEN = r"(?:^|(?<=[,;:。!?“”\"(\s]))"
_FRAME_FIRST_BAD = frozenset({"v", "vd", "ad", "d", "p", "c", "u", "r", "TIME", "m", "q", "f", "w"})
_FRAME_INNER_BAD = frozenset({"p", "c", "u", "r", "d", "TIME", "w", "f"})  # f: 上, 中
_FRAME_NOUNS = frozenset({"n", "nz", "nw", "ORG", "j", "LOC", "PER", "an", "vn"})
_COMMON_TAGS = frozenset({"n", "vn", "v", "a", "ad", "an", "d"})
_COMMON = 1000  # a word the dictionary has seen this often is a common word
_COMMA = re.compile("、")
_COMPANY_NOUN = re.compile(r".*(?:公司|企业|平台|机构)(?=.{2})")
#: a name in Latin letters ("Lakeside", "Lake Hill", "5K"), as a list item
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9&.\- ]*[A-Za-z0-9]|\d+[A-Za-z][A-Za-z0-9]*")


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
    owner = re.compile(f"(?P<a>{_SLOT}){paren}{f['owner']}(?P<owns>)")  # "北湾医学|旗下"
    kin = re.compile(f"(?P<a>{_SLOT}){paren}{f['kin']}")
    counted = re.compile(
        f"(?P<a>{_SLOT}){paren}(?:{rules.cues['operates']['counted_of']})(?P<strong>)"
    )
    each = rules.cues["partnership"]["respectively"]  # "甲分别与乙、丙签署…"
    respectively = re.compile(f"{_OPEN}{f['date']}(?P<a>{_SLOT}){paren}{adv}{each}")
    coded = re.compile(f"(?P<a>{_SLOT}){stock_code_parenthesis().pattern}")
    # "北湾健康公告称", "北湾健康方面表示", "北湾健康董事会选举…": a body that speaks or acts
    speaks = re.compile(f"{_OPEN}{f['date']}(?P<a>{_SLOT}){paren}(?:{f['speaks']})(?P<strong>)")
    listed = re.compile(
        f'(?:{_OPEN}|由|获得|获)(?P<list>[^,;:。!?()“”"]{{2,80}}?){paren}(?:{f["invests"]})'
    )
    after_word = re.compile(
        f'(?:{f["investors"]})(?P<list>[^,;:。!?()“”"等]{{2,80}}){paren}(?=等|[,;。、]|$)'
    )
    kinds = re.compile(
        f'(?:{_OPEN}|与|和|包括|吸引|投资了|投资|获得了|获得|在)(?P<list>[^,;:。!?()“”"等]{{2,80}}?)'
        f"{paren}(?:{f['kinds']})(?P<kind>)"
    )
    built = re.compile(f'由(?P<list>[^,;:。!?()“”"]{{2,60}}?){paren}(?:{f["builders"]})')
    title = f"(?:{f['titled']})"
    titled = re.compile(
        f"{_OPEN}(?P<a>{_SLOT}){title}(?:{f['title_joiner']}{title})*(?P<person>)(?P<strong>)"
    )
    return (
        pair,
        coordinated,
        respectively,
        owner,
        kin,
        counted,
        coded,
        speaks,
        listed,
        after_word,
        kinds,
        built,
        titled,
    )


def _slots(m: re.Match) -> list[tuple[int, int, bool]]:
    """The spans of a frame match that may hold a name, and whether they are list items.

    A list item, or the name before a stock code, starts after a word for a
    company in it ("医疗AI公司|Lanxi", "上市公司|松禾生命(300143.SZ)").
    """
    spans = []
    for slot in ("a", "b"):
        if slot in m.re.groupindex:
            a, b = m.span(slot)
            cut = _COMPANY_NOUN.match(m.string, a, b) if "code" in m.re.groupindex else None
            spans.append((cut.end() if cut else a, b, False))
    if "list" in m.re.groupindex:
        start = m.start("list")
        joiner = f"{load_rules().cues['frame']['list_joiner']}|由|获得|获"
        for item in re.split(f"({joiner})", m.group("list")):
            if item in ("由", "获得", "获"):
                spans = [s for s in spans if not s[2]]  # "这次大会|由|甲、乙…": not an item
            elif item and not re.fullmatch(joiner, item):
                cut = _COMPANY_NOUN.match(item)
                skip = cut.end() if cut else 0
                spans.append((start + skip, start + len(item), True))
            start += len(item)
    return spans


def _listed_name(words: Sequence[Lex], a: int, b: int, rules: Rules) -> bool:
    """An item of an investor list is a name unless it reads as a phrase.

    The lexer splits unknown brand names into single characters it tags as
    verbs ("启|赋|资本"), so the item is judged by its last word only; an
    item in Latin letters is a name ("Lakeside", "5K").
    """
    inside = [w for w in words if a <= w.start and w.end <= b]
    if not inside or inside[0].start != a or inside[-1].end != b:
        return False
    if _LATIN_NAME.fullmatch("".join(w.text for w in inside)):
        return True
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
            owns = "owns" in m.re.groupindex  # … or over the tagger's guess at its start
            if titled and not any(o.label == "PER" and o.start == m.end() for o in mentions):
                continue  # "甲创始人兼CEO|林海": a titled party only before its person
            for a, b, listed in _slots(m):
                if any(
                    o.label == "ORG"
                    and o.start < b
                    and a < o.end
                    and (o.start, o.end) != (a, b)
                    and not ((strong or listed or owns) and o.weak and a <= o.start and o.end <= b)
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
                        and text[o.end : b]
                        in (
                            *rules.cues["names"]["person_trailing"],
                            *rules.cues["names"]["honorifics"],
                        )
                        for o in mentions
                    ):
                        continue  # "林海代表(签署)": a person signs for a party; "林海女士"
                    if words is not None and not (
                        _kind_item(words, start, b, rules)
                        if "kind" in m.re.groupindex
                        else _listed_name(words, start, b, rules)
                        if listed
                        else _titled_name(words, start, b, rules)
                        if strong
                        else _name_words(words, start, b, rules)
                    ):
                        continue
                    if name not in out:
                        out.append(name)
                    break
    if words is not None:
        out += [n for n in _coordinated_names(text, mentions, words, rules) if n not in out]
    return out


def _coordinated_names(
    text: str, mentions: Sequence[Mention], words: Sequence[Lex], rules: Rules
) -> list[str]:
    """The other items of a list whose items are mostly organizations' names.

    "投资方包括北湾资本、Lakeside、溪岚健康和Brook": where at least two items,
    and a third of them, are names the rules found, an item between two
    commas (or a Latin name right after the last joiner) that could be a
    name is one.

    >>> from kg.lexer import lex
    >>> t = "投资方包括北湾资本、Lakeside、松禾科技和Brook。"
    >>> found = [Mention(5, 9, "北湾资本", "ORG"), Mention(19, 23, "松禾科技", "ORG")]
    >>> _coordinated_names(t, found, lex(t), load_rules())
    ['Lakeside', 'Brook']
    """
    orgs = [(m.start, m.end) for m in mentions if m.label == "ORG" and not m.weak]
    last_joiner = re.compile(rules.cues["frame"]["last_joiner"])
    bad = re.compile(rules.cues["frame"]["not_in_name"])
    out: list[str] = []
    for clause in re.finditer(r"[^,;:。!?()“”\"]+", text):
        commas = [m.start() for m in _COMMA.finditer(text, clause.start(), clause.end())]
        cuts = [clause.start() - 1, *commas, clause.end()]
        if len(cuts) < 3:
            continue  # no 、: no list
        items = [(a + 1, b) for a, b in itertools.pairwise(cuts)]
        a, b = items[-1]
        joined = next(
            (
                j
                for j in last_joiner.finditer(text, a, b)
                if not any(x < j.start() < y for x, y in orgs)
            ),
            None,
        )
        if joined:
            items[-1:] = [(a, joined.start()), (joined.end(), b)]
        first, last = items[0], items[-1]
        found = [
            item
            for item in items
            if any(
                y == item[1] and (x == item[0] or item == first) or x == item[0] and item == last
                for x, y in orgs
            )
        ]
        if len(found) < 2 or 3 * len(found) < len(items):
            continue
        for a, b in items:
            if (a, b) in found:
                continue
            if (a, b) in (first, last):
                latin = _LATIN_NAME.match(text, a) if (a, b) == last else None
                if latin is None:
                    continue  # the first item and the last run on into the clause
                b = latin.end()
            name = text[a:b].strip()
            if not 2 <= len(name) <= 12 or bad.search(name) or _not_a_name(name, rules):
                continue
            if any(m.start < b and a < m.end for m in mentions):
                continue
            if _listed_name(words, a, b, rules) and name not in out:
                out.append(name)
    return out


def _kind_item(words: Sequence[Lex], a: int, b: int, rules: Rules) -> bool:
    """An item of a list closed by "等…企业" is a name, not a phrase or common nouns.

    "一头连着社区医生" holds a verb, "公共卫生|机构" ends on a word for a kind of
    body and "医疗|卫生" is common words only; a brand the lexer splits into
    single characters ("牙|博士") or takes for a person's name is a name.
    """
    inside = [w for w in words if a <= w.start and w.end <= b]
    if [w.tag for w in inside] == ["PER"] and inside[0].start == a and inside[0].end == b:
        return True  # a brand the tagger took for a person's name
    if not _listed_name(words, a, b, rules) or re.search(
        rules.cues["frame"]["not_kind_item"], inside[-1].text
    ):
        return False
    if any(w.tag == "v" and len(w.text) > 1 for w in inside[:-1]):
        return False
    return not all(
        w.tag in _COMMON_TAGS and len(w.text) > 1 and word_frequency(w.text) >= _COMMON
        for w in inside
    )


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
    return bool(
        rules.cue("names", "not_party_start").match(name)
        or rules.cue("names", "former").match(name)
        or rules.cue("names", "vague").search(name)  # "四家合作医院", "有关部门"
        or rules.cue("names", "described").match(name)  # "医疗AI公司|北湾健康": from 北湾
    )
