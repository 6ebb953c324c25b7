"""Relations that a name states by its own structure (``name_relations``).

A branch and its parent (某银行临海分行), a hospital and its own internet
hospital, a hospital named for a company's brand, a university's affiliated
hospital, and a department and its body (``split_department``): no sentence is
needed, so these run once per name, not per sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kg.extract.lexicon import _HOSPITAL_TYPES, org_type
from kg.rules import load_rules

__all__ = ["name_relations", "split_department"]


def split_department(name: str, known: Iterable[str] = ()) -> tuple[str, str] | None:
    """Split "江城市卫健委规划信息处" into the body and its department.

    A body the article names on its own also splits off a department that
    ends like one ("北岭大学|校务办公室", "江州省文旅厅|资源开发处"), and any
    hospital, school or company its expert or academic committee.

    >>> split_department("江城市卫健委规划信息处")
    ('江城市卫健委', '规划信息处')
    >>> split_department("江城市卫健委") is None
    True
    >>> split_department("北岭大学校务办公室", known=["北岭大学"])
    ('北岭大学', '校务办公室')
    >>> split_department("北湾医院学术委员会")
    ('北湾医院', '学术委员会')
    """
    rules = load_rules()
    tail, committee = rules.cue("names", "department_tail"), rules.cue("names", "committee")
    bodies = [
        k
        for k in known
        if name.startswith(k)
        and len(k) >= 3
        and k[-1] not in "省市区县州"  # "江州市|卫健局" is the city's own agency
        and tail.fullmatch(rest := name[len(k) :])
        and rules.suffixes.get(rules.suffix(rest) or "", ("", "dept"))[1] == "dept"
    ]  # not a unit with a name of its own ("北岭大学|医学部")
    bodies += [  # "北湾医院|学术委员会": a committee of a body, named or not on its own
        name[:i]
        for i in range(3, len(name) - 3)
        if committee.fullmatch(name[i:])
        and rules.suffixes.get(rules.suffix(name[:i]) or "", ("", ""))[1] in ("name", "group")
        and org_type(name[:i]) not in ("GovernmentAgency", "Association")
    ]
    if bodies:
        body = max(bodies, key=len)
        return body, name[len(body) :]
    suffix = rules.suffix(name)
    if suffix is None or rules.suffixes[suffix][1] != "dept":
        return None
    best = None
    for i in range(2, len(name) - 1):
        head = rules.suffix(name, i)
        if head is not None and rules.suffixes[head] == ("GovernmentAgency", "name"):
            best = i
    if best is None or name.endswith("中心"):
        return None  # a 中心 under a commission: a centre is a body of its own
    return name[:best], name[best:]


def name_relations(
    name: str, known: Iterable[str] = (), companies: Iterable[str] = ()
) -> list[tuple[str, str, str, str]]:
    """Relations a name states by its own structure, as (subject, predicate, object, rule).

    >>> name_relations("鸿泰银行股份有限公司临海分行")
    [('鸿泰银行股份有限公司临海分行', 'subOrganizationOf', '鸿泰银行股份有限公司', 'branch-name')]
    >>> name_relations("华安医院互联网医院")
    [('华安医院', 'operatesHospital', '华安医院互联网医院', 'own-internet-hospital')]
    >>> name_relations("成都松禾医院", companies=["松禾"])
    [('松禾', 'operatesHospital', '成都松禾医院', 'brand-name')]
    >>> name_relations("北岭大学附属第一医院", known=["北岭大学"])
    [('北岭大学附属第一医院', 'subOrganizationOf', '北岭大学', 'affiliated-hospital')]
    """
    rules = load_rules()
    known = set(known)
    out = []
    suffix = rules.suffix(name) or ""
    kind = rules.suffixes[suffix][1] if suffix else None
    if kind == "branch":
        head = name[: -len(suffix)]
        # the longest start of the name that names an organization: one the
        # article names, or a full name of the branch's type ("某大学附属某医院|某地分院")
        starts = [k for k in known if head.startswith(k) and len(k) <= len(head)]
        starts.append(_longest_prefix(head, rules, rules.suffixes[suffix][0]) or "")
        parent = max(starts, key=len) or None
        if parent:
            out.append((name, "subOrganizationOf", parent, "branch-name"))
    own = name[: -len(suffix)] if kind == "name" and org_type(name) == "InternetHospital" else ""
    if len(own) >= 2 and (own in known or (org_type(own) == "Hospital" and len(own) > 2)):
        # "某医院互联网医院", "某医院网络医院": the hospital's own internet hospital
        out.append((own, "operatesHospital", name, "own-internet-hospital"))
    elif own:
        # "某医院松禾互联网医院": the hospital's, built with the company named after it
        host = max(
            (k for k in known if own.startswith(k) and org_type(k) == "Hospital"),
            key=len,
            default="",
        )
        if host and (own[len(host) :] in companies or len(own) - len(host) <= 4):
            out.append((host, "operatesHospital", name, "own-internet-hospital"))
    brand = _brand(name, companies, known) if kind != "branch" else None
    if brand:
        # "成都松禾医院", "四川松禾互联网医院": a hospital named for the company the
        # article names, after at most a place, is the company's
        out.append((brand, "operatesHospital", name, "brand-name"))
    if "附属" in name and org_type(name) == "Hospital" and kind != "branch":
        # "某大学医学院附属第五医院": under the university the article names on its
        # own; a school that appears only inside the name is no entity
        head = name[: name.index("附属")]
        named = [k for k in known if head.startswith(k) and org_type(k) == "University"]
        parent = max(named, key=len) if named else ""
        if len(parent) > 2 and org_type(parent) == "University":
            out.append((name, "subOrganizationOf", parent, "affiliated-hospital"))
    elif org_type(name) in ("Hospital", "University") and kind != "branch":
        # "北岭大学长川医院", "北岭大学江城医学院": a university the article names on its own
        head = max(
            (k for k in known if name.startswith(k) and len(name) - len(k) >= 3),
            key=len,
            default="",
        )
        if head and org_type(head) == "University":
            out.append((name, "subOrganizationOf", head, "university-unit"))
    society = max(
        (k for k in known if name.startswith(k) and org_type(k) == "Association"),
        key=len,
        default="",
    )
    if society and re.search(r"(?:委员会|分会|专委会)$", name) and len(name) - len(society) >= 4:
        # "北岭医学会青年委员会": a committee of the society the article names
        out.append((name, "subOrganizationOf", society, "society-unit"))
    return out


def _brand(name: str, companies: Iterable[str], known: Iterable[str] = ()) -> str | None:
    """The company a hospital's name is made of: place? + company + rest, or a
    hospital the article names + company + 互联网医院. The company may stand in
    the name without its group, legal or brand form (松禾集团 in 江州松禾医院).

    >>> _brand("成都松禾医院", ["松禾"])
    '松禾'
    >>> _brand("江州区松禾老年病医院", ["松禾医疗集团"])
    '松禾医疗集团'
    >>> _brand("北岭大学附属松禾医院", ["松禾"]) is None
    True
    >>> _brand("北湾晴川医院", ["北湾晴川"]) is None
    True
    """
    if org_type(name) not in _HOSPITAL_TYPES or "附属" in name:
        return None
    rules = load_rules()
    places = rules.places
    companies = set(companies)
    hosts = {k for k in known if org_type(k) == "Hospital"}
    for k in sorted(companies, key=lambda c: (-len(c), c)):  # the same order in every run
        if len(k) < 2 or org_type(k) != "Company" or name.startswith(k + "有限"):
            continue
        if k in places or k[-1] in "省市区县州" or any(k + c in companies for c in "省市区县州"):
            continue  # 江州 in 江州松禾医院 is where it stands
        cores = (k, _core(k, rules)) if org_type(name) == "Hospital" else (k,)
        for brand in dict.fromkeys(cores):  # an internet hospital bears the whole name
            at = name.find(brand)
            if len(brand) < 2 or brand in places or at < 0 or len(name) - at - len(brand) < 2:
                continue
            if name[at + len(brand)] in "省市区县州":
                continue  # "山东省江州市某医院": 江州 is where it stands
            place = name[:at]
            if not place and brand == k and not rules.suffix(k):
                continue  # "北湾晴川|医院": the hospital's short name, not a company's
            if (
                not place
                or place in places
                or (place[-1] in "省市区县" and len(place) <= 6)
                or (brand != k and len(place) <= 2)  # "江州|松禾老年病医院"
            ):
                return k
            if org_type(name) == "InternetHospital" and place in hosts:
                return k
    return None


def _core(name: str, rules) -> str:
    """A company's name less its legal, group and brand forms: 松禾医疗集团 → 松禾."""
    while forms := rules.stripped(name, ("legal", "group", "brand")):
        name = forms[0]
    return name


def _longest_prefix(head: str, rules, otype: str = "Company") -> str | None:
    """The longest start of ``head`` that is a full name of type ``otype``."""
    for i in range(len(head), 2, -1):
        suffix = rules.suffix(head, i)
        if suffix is not None and rules.suffixes[suffix][0] == otype:
            if rules.suffixes[suffix][1] in ("name", "legal", "group"):
                return head[:i]
    return None
