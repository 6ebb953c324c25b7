"""Candidate organizations in a sentence, for ``find_mentions``.

Three finders: a name that ends in an organization suffix, its left edge where
the lexer's words stop being nominal (``_suffix_orgs``); the lexer's ORG words
the suffixes missed (``_lexer_orgs``); the words right before a title
("康桥健康CEO", ``_anchored_orgs``). Overlaps are settled by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.extract.lexicon import (
    _PLACE_PAREN,
    _RARE,
    _SOLID,
    _is_generic,
    _is_place,
    _is_title_word,
    org_type,
)
from kg.extract.spans import Mention
from kg.lexer import Lex, word_frequency
from kg.rules import Rules

_NAME_TAGS = frozenset({"ORG", "LOC", "PER", "nz", "nw", "n", "j", "vn", "an"})
_ANCHOR_TAGS = _NAME_TAGS | {"a"}
_BRAND_TAGS = frozenset({"ORG", "PER", "nz", "nw", "j", "LOC"})
_PROPER_TAGS = _BRAND_TAGS | {"m"}
_ORDINAL = re.compile(r"^(?:第[一二三四五六七八九十百\d]+|\d+)$")
_MAX_ORG = 30


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
            if (
                prev.text in rules.cues["names"]["whole_names"]
                and k - 1 < j
                and not (kind == "legal" and _PLACE_PAREN.fullmatch(words[k].text))
            ):
                break  # "旗舰医院|树兰(杭州)医院": a name does not run through another
                # (but "北湾互联网医院(平潭)有限公司" is the company of that hospital)

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
        start = _after_joined_name(text, words, start, s0, rules)
        for word in rules.breaks:  # "深圳共建湾岸医院", one word for the lexer
            # … or one that the name's first character ends ("买|下北湾医院")
            at = text.rfind(word, max(start - len(word) + 1, 0), s0) if len(word) > 1 else -1
            if rules.cue("names", "break_kept").match(text, max(at, 0)):
                continue  # "某中心建设发展有限公司": part of the name
            if at >= 0 and at + len(word) < s0:  # "香港联合|交易所" keeps its 联合
                start = at + len(word)
        joined_at = _joined_by_yu(text, words, start, rules)
        joined, start = joined_at < start, joined_at
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
        prefix_words = (  # the words the name was found from, or from its place (与)
            [x for x in words[: j + 1] if start <= x.start < s0]
            if joined
            else [x for x in words[k : j + 1] if x.start < s0]
        )
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
        if kind == "branch" and rules.cue("names", "unnamed_campus").search(prefix):
            continue  # "北湾医院新院区": a campus described, not named
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
        tail = rules.cue("names", "legal_tail").match(text, end) if kind == "legal" else None
        if tail:  # "北湾投资基金合伙企业(有限合伙)": the partnership's form is its name's
            end = tail.end()
            name = text[start:end]
        if kind == "legal":  # "北湾福利医院有限公司" is the hospital, by its inner suffix
            otype = org_type(name, rules)
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


def _joined_by_yu(text: str, words: Sequence[Lex], start: int, rules: Rules) -> int:
    """Where a name starts that joins two fields with 与 after a place: "杭州市骨科与
    糖尿病医院" (when the lexer's words meet at 与); not "北湾医院与江州医院" (the part
    before 与 names a body), "北湾市与江州医院" (a place alone) or "北湾联通与明川医院"
    (a brand, not a field).

    >>> from kg.lexer import lex
    >>> from kg.rules import load_rules
    >>> t = "双方合作建设杭州市骨科与糖尿病医院"
    >>> t[_joined_by_yu(t, lex(t), t.index("糖"), load_rules()) :]
    '杭州市骨科与糖尿病医院'
    """
    if start < 2 or text[start - 1] != "与":
        return start
    before = [w for w in words if w.end <= start - 1]
    k = len(before)
    while k > 0 and before[k - 1].tag in ("n", "vn", "an"):
        k -= 1  # the fields: common nouns only
    if (
        k == 0
        or k == len(before)
        or not (_is_place(before[k - 1].text, rules) or before[k - 1].text == "中国")
    ):
        return start
    place = before[k - 1]
    named = rules.suffix(text[place.start : start - 1])
    if named and rules.suffixes[named][1] != "dept":
        return start  # "北湾医院与…": the part before 与 names a body
    after = next((w for w in words if w.start >= start), None)
    if after is None or after.tag not in ("n", "vn", "an"):
        return start  # "…与江州医院", "…与香港某集团": a second name
    return place.start


def _after_joined_name(text: str, words: Sequence[Lex], start: int, s0: int, rules: Rules) -> int:
    """Where a name starts after another name and a joining word glued to both.

    The lexer glues "北湾集团同|江州市人民政府" and "林海和|县人民医院": a name that
    begins with a whole name (its suffix, or a word tagged as a name) and a
    joining character is two. A place before the character ("江州|和美医院")
    or a word it makes ("北湾和平医院": 和平) is no such name.

    >>> from kg.lexer import lex
    >>> from kg.rules import load_rules
    >>> t = "北湾医院同溪岚市人民政府签约"
    >>> _after_joined_name(t, lex(t), 0, 8, load_rules())
    5
    >>> t = "北湾市和平路医院"
    >>> _after_joined_name(t, lex(t), 0, 6, load_rules())
    0
    """
    joiners = rules.cues["names"]["glued_joiners"]
    for pos in range(s0 - 3, start + 1, -1):  # two characters or more on either side
        if text[pos] not in joiners or word_frequency(text[pos : pos + 2]) >= _RARE:
            continue  # "和平医院": the character begins a word
        left = text[start:pos]
        suffix = rules.suffix(left)
        named = suffix is not None and rules.suffixes[suffix][1] in ("name", "legal", "group")
        tagged = any(
            w.start == start and w.end in (pos, pos + 1) and w.tag in ("ORG", "PER", "nz", "nw")
            for w in words
        )
        if (named or tagged) and not _is_place(left, rules):
            return pos + 1
    return start


def _after_owner(text: str, start: int, s0: int, rules: Rules) -> int:
    """Where a hospital's name starts after its owner's whole name: "北湾松禾集团
    江州区松禾医院" is the group's hospital, 江州区松禾医院.

    >>> from kg.rules import load_rules
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


def _brand_centre(name: str, rules: Rules) -> bool:
    """A centre named after a brand-like head is a body of its own, not the
    brand's department: "江州医疗|大数据中心" (but "北溪医院|信息中心").

    >>> from kg.rules import load_rules
    >>> rules = load_rules()
    >>> _brand_centre("江州医疗大数据中心", rules), _brand_centre("北溪医院信息中心", rules)
    (True, False)
    """
    head = _department_head(name, rules)
    return (
        head is not None
        and name.endswith("中心")
        and rules.suffixes[rules.suffix(name, head)][1] == "brand"
    )


def _ministry(name: str, rules: Rules) -> bool:
    """A name in 部 that only a one-character cut would make a department:
    "江州信息|化部" is a ministry, not a department of "江州信息".

    >>> from kg.rules import load_rules
    >>> _ministry("江州信息化部", load_rules()), _ministry("北湾科技市场部", load_rules())
    (True, False)
    """
    return (
        name.endswith("部")
        and _department_head(name, rules) is None
        and rules.suffix(name, len(name) - 2) is not None
    )


def _department_head(name: str, rules: Rules) -> int | None:
    """Length of the organization name that begins ``name``, a department: the
    shortest name, or the longest full one (ending in 医院, 大学…) when the
    shortest is full too.

    >>> from kg.rules import load_rules
    >>> _department_head("永诚健康保险事业部", load_rules())
    4
    >>> _department_head("北岭大学第一医院澜石学部", load_rules())
    8
    >>> _department_head("江州信息化部", load_rules()) is None
    True
    """
    least = 3 if name.endswith("部") and not name.endswith("事业部") else 2
    heads = [  # "江州信息|化部" is no department: a ministry's name ends in 部
        p
        for p in range(3, len(name) - least + 1)
        if rules.suffix(name, p) and not _is_generic(name[:p], rules)
    ]
    full = [p for p in heads if rules.suffixes[rules.suffix(name, p)][1] == "name"]
    if full and full[0] == heads[0]:  # "北岭大学第一医院|澜石学部": the hospital, not the
        return full[-1]  # university; but "青川健康|互联网医院事业部": the brand
    return heads[0] if heads else None


def _lexer_orgs(words: Sequence[Lex], rules: Rules, found: Sequence[Mention] = ()) -> list[Mention]:
    out = []
    body_words = tuple(rules.cues["names"]["body_departments"])
    for k, w in enumerate(words):
        if (
            w.text.endswith(tuple(rules.cues["names"]["department_words"]))
            and not rules.suffix(w.text)
            and not _brand_centre(w.text, rules)
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
            if head is not None or not _ministry(w.text, rules):
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
