"""What single words and names are, by the rule tables.

The class an organization name's suffix gives (``org_type``), the head-of
relations a title gives (``title_relations``), and whether a word is generic,
a place or a title: every finder of names asks these, so they sit below them.
"""

from __future__ import annotations

import functools
import re

from kg.rules import Rules, load_rules

__all__ = ["org_type", "title_relations"]

_HOSPITAL_TYPES = ("Hospital", "InternetHospital")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_SOLID = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9&·]+$")
_PLACE_PAREN = re.compile(r"\(([\u4e00-\u9fff]{2,6})\)")
_RARE = 50  # a word the dictionary has seen less often than this is no word it knows


@functools.cache
def stock_code_parenthesis() -> re.Pattern[str]:
    """A stock code in parentheses, the code as group ``code``: "(300143.SZ)",
    "(证券简称:北湾医疗,证券代码:600587)", "(02120)".

    >>> stock_code_parenthesis().match("(股票简称:北湾, 01833.HK)").group("code")
    '01833.HK'
    >>> stock_code_parenthesis().match("(2019)") is None
    True
    """
    alias = load_rules().cues["alias"]
    code = f"{alias['stock_code']}|{alias['bare_code']}"
    return re.compile(rf"\((?:[^()]{{0,20}}?[,;:])?\s*(?P<code>{code})\s*\)")


def org_type(name: str, rules: Rules | None = None) -> str:
    """The ontology class of an organization name, from its suffix.

    >>> org_type("江城市皮肤病医院互联网医院"), org_type("华东肿瘤防治联盟")
    ('InternetHospital', 'Association')
    >>> org_type("仁信医疗"), org_type("江城市卫健委规划信息处"), org_type("江城大学(深圳)")
    ('Company', 'GovernmentAgency', 'University')
    >>> org_type("江城福利医院有限公司"), org_type("江城医院管理有限公司")
    ('Hospital', 'Company')
    >>> org_type("江城医院控股有限公司")
    'Company'
    """
    rules = rules or load_rules()
    place = _PLACE_PAREN.search(name)
    if place and place.end() == len(name):  # "香港中文大学(深圳)"
        name = name[: place.start()]
    m = rules.suffix(name)
    if m and rules.suffixes[m][1] == "legal":  # "江城福利医院有限公司" is the hospital
        if m.startswith(("控股", "集团")) or name[: -len(m)].endswith(("控股", "集团")):
            return "Company"  # "江城医院控股有限公司": a holding company
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


def _branch_name(name: str, rules: Rules | None = None) -> bool:
    """A name that ends as a branch or campus does (某分院, 某院区, 某分公司).

    >>> _branch_name("北湾医院东山分院"), _branch_name("分院"), _branch_name("北湾医院")
    (True, False, False)
    """
    rules = rules or load_rules()
    return any(
        name.endswith(suffix) and len(name) > len(suffix)
        for suffix, (_, kind) in rules.suffixes.items()
        if kind == "branch"
    )


def _is_place(word: str, rules: Rules) -> bool:
    return word in rules.places or (
        len(word) > 1 and word[:-1] in rules.places and word[-1] in "省市区县"
    )
