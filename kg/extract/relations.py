"""Relations between organizations, from cue words, one sentence at a time.

Per sentence, with the cue tables of ``rules/cues.yaml`` (every word list,
pattern and confidence is there; this module holds the constructions):

- **partnersWith**: organizations joined by 与/和/、/携手 … (dates, adverbs and
  descriptors may stand between) form a group; a group with an agreement
  predicate after it (达成战略合作, 签署…协议, 共建, 组成联合体 …; the tail runs
  through the name of what is signed), or with 携手/联手 inside it, are
  partners, every pair once. A group after 与 in a clause whose subject stands
  before ("甲…并与乙、丙签约", "甲分别与乙、丙签约") pairs the subject with each;
  a clause with no subject continues the subject of the clause before it,
  across a ； too. 对方 is the other organization named before. A sentence
  with a negation cue (终止, 取消 …) gives none (its units stay units).
- **operatesHospital**: the rules of ``operating`` (operators, builders,
  takeovers, founders), run from here.
- **subOrganizationOf**: "甲旗下/下属/所属的乙", "甲的全资子公司乙", "乙是甲所属的…".

Attributes (founding years) are read by ``attributes``; relations a name
states by its own structure (a branch and its parent, a department and its
body) by ``names``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import combinations, pairwise

from kg.extract.clauses import (
    _PARENS,
    _clause_before,
    _clause_subject,
    _gap,
    _groups,
    _joined,
    _participants,
)
from kg.extract.facts import Relation
from kg.extract.lexicon import _HOSPITAL_TYPES, _branch_name
from kg.extract.operating import (
    _builders,
    _coordinated_objects,
    _group_operates,
    _operates,
    _owned_list,
    _said_operators,
    _subject_runs,
)
from kg.extract.spans import Mention
from kg.rules import load_rules

__all__ = ["extract_relations"]

_JOINS = ("和", "与", "同", "、")


def extract_relations(
    text: str,
    mentions: Sequence[Mention],
    sentence: int,
    article_orgs: Sequence[Mention] = (),
    state: dict | None = None,
) -> list[Relation]:
    """partnersWith, operatesHospital and subOrganizationOf in one sentence.

    Args:
        text (str): the normalised sentence.
        mentions (list[Mention]): its mentions, in order.
        sentence (int): the sentence's index.
        article_orgs (list[Mention]): organization mentions of the whole article,
            to resolve "联手成立互联网医疗中心" to the one centre it names.
        state (dict): what earlier sentences established (the last partner
            group, for "双方"; the last subject, for "分别与"); updated.
    """
    rules = load_rules()
    out: list[Relation] = []
    orgs = _participants(mentions, text)
    subjectless = rules.cue("partnership", "subjectless")
    earlier = state.get("subject") if state is not None else None
    recent = earlier if state is not None and state.get("subject_at") == sentence - 1 else None
    if state is not None and orgs and not subjectless.match(_clause_before(text, orgs[0].start)):
        state["subject"], state["subject_at"] = orgs[0], sentence
    if rules.cue("partnership", "negation").search(text):
        return _suborganizations(text, mentions, sentence)  # what ends is the tie, not the unit
    groups = _groups(orgs, text)
    agreement = rules.cue("partnership", "agreement")
    coordinating = rules.cue("partnership", "coordinating")
    respectively = rules.cue("partnership", "respectively")
    for group in groups:
        if len(group) > 2 and rules.cue("partnership", "unveiled").match(text, group[-1].end):
            group = group[:-1]  # "甲携手乙 丙中心揭牌": 丙 is unveiled
        unit = next((m for m in orgs if m.start > group[-1].end), None)
        if (
            len(group) > 1
            and unit is not None
            and rules.cue("partnership", "unit_signs").fullmatch(
                _gap(text, group[-1].end, unit.start)
            )
        ):
            group = [*group[:-1], unit]  # "甲与乙旗下的丙签约": 丙 signs, not 乙
        about = next(  # "甲与乙就丙、丁项目签约": 丙 and 丁 are what the signing is about
            (
                k
                for k in range(1, len(group))
                if _gap(text, group[k - 1].end, group[k].start).endswith("就")
            ),
            None,
        )
        if about is not None:
            group = group[:about]
        lead = _clause_before(text, group[0].start)
        lead = _without_names(text, group[0].start - len(lead), group[0].start, orgs)
        joined = "".join(_gap(text, a.end, b.start) for a, b in pairwise(group))
        if rules.cue("partnership", "objects_of").search(lead) and "与" not in joined:
            continue  # "双方将携手推进甲和乙两大项目": what is built, not who builds
        if subjectless.match(lead):
            out += _subjectless_partners(text, group, orgs, mentions, sentence, earlier)
            continue
        if len(group) < 2 and not (len(group) == 1 and respectively.search(lead)):
            continue
        inner = "".join(_gap(text, a.end, b.start) for a, b in pairwise(group))
        tail = (
            _tail(text, group[-1].end, mentions)
            if about is None
            else _PARENS.sub("", text[group[-1].end : group[-1].end + 60])
        )
        if respectively.match(tail.lstrip("也还均都将已")):
            continue  # "甲和乙也分别同各委办局签约": each signs with bodies left unnamed
        cue = agreement.search(tail)
        named_of_many = False  # "甲已与乙、丙等多家机构达成合作": 甲 partners each one named
        each = rules.cue("partnership", "each_signs").match(tail)  # "甲与乙、丙分别签署…"
        if (
            each
            and len(group) > 2
            and re.search("[与同]", _gap(text, group[0].end, group[1].start))
        ):
            named_of_many = True
        many = cue and rules.cue("partnership", "generic").search(tail[: cue.start()])
        if many:
            first_gap = _gap(text, group[0].end, group[1].start) if len(group) > 1 else ""
            named_of_many = bool(re.search("[与同]", first_gap))
            if not named_of_many and not many.group().startswith("等"):
                continue  # "乙、丙等多家医院与甲签约": none of the named is the subject
        founders = rules.cue("partnership", "founders").search(
            text[max(0, group[0].start - 30) : group[0].start]
        )
        if cue is None and not coordinating.search(inner) and not founders:
            continue
        split = next(
            (
                k
                for k in range(1, len(group))
                if respectively.search(_gap(text, group[k - 1].end, group[k].start))
            ),
            None,
        )
        if split is None:  # "甲、乙和丙将与丁合作": a closed list on one side, 丁 on the other
            gaps = [_gap(text, a.end, b.start) for a, b in pairwise(group)]
            split = next(
                (
                    k
                    for k in range(2, len(group))
                    if rules.cue("partnership", "object_of").search(gaps[k - 1])
                    and rules.cue("partnership", "closes_list").search("".join(gaps[: k - 1]))
                    # "甲携手乙和丙,与丁签署协议" is one multi-party signing: every pair
                    and not coordinating.search("".join(gaps[: k - 1]))
                ),
                None,
            )
        if named_of_many:
            pairs = [(group[0], b) for b in group[1:]]
        elif split is not None:
            pairs = [(a, b) for a in group[:split] for b in group[split:]]
        elif respectively.search(lead) or rules.cue("partnership", "object_of").search(lead):
            # "甲在峰会上分别与乙、丙签约", "甲…并与(丁、)乙、丙建立了合作关系": the
            # subject stands earlier in the sentence; the listed ones are not partners
            subject = next((m for m in reversed(orgs) if m.end <= group[0].start), None)
            if subject is None and respectively.search(lead) and state is not None:
                subject = state.get("subject")
            pairs = [(subject, b) for b in group] if subject is not None else []
        else:
            pairs = list(combinations(group, 2))
        conf = rules.confidence("partner-cue" if cue is not None else "partner-coordinated")
        committee = rules.cue("partnership", "party_committee")
        units = {  # "乙及其旗下的丙": a unit and its parent are no partners
            frozenset((x.text, y.text))
            for x, y in pairwise(group)
            if _gap(text, x.end, y.start).startswith("及其")
        }
        pairs = [(a, b) for a, b in pairs if frozenset((a.text, b.text)) not in units]
        members_of = rules.cue("partnership", "members_of")  # "丙的32名股东签署…": not 丙
        pairs = [(a, b) for a, b in pairs if not any(members_of.match(text, m.end) for m in (a, b))]
        for a, b in pairs:
            if committee.search(a.text) or committee.search(b.text):
                continue  # "某县委、县政府": the party's committee is no party to it
            if a.text != b.text:
                out.append(Relation(a.text, "partnersWith", b.text, sentence, "partner-cue", conf))
        if state is not None and pairs:
            state["group"] = [m.text for m in group]
        out += _group_operates(text, group, mentions, sentence, article_orgs)
    for a, b in pairwise(orgs):  # "甲成为乙的战略合作伙伴"
        if rules.cue("partnership", "becomes").match(_gap(text, a.end, b.start)) and rules.cue(
            "partnership", "partner_noun"
        ).match(text, b.end):
            conf = rules.confidence("partner-cue")
            out.append(Relation(a.text, "partnersWith", b.text, sentence, "partner-cue", conf))
    out += _named_co_builders(text, orgs, sentence)
    counterpart = rules.cue("partnership", "counterpart").search(text)
    if counterpart and agreement.search(text[counterpart.end() : counterpart.end() + 30]):
        named = [m for m in orgs if m.end <= counterpart.start()]
        if len(named) >= 2 and named[0].text != named[-1].text:
            out.append(
                Relation(
                    named[0].text,
                    "partnersWith",
                    named[-1].text,
                    sentence,
                    "partner-cue",
                    rules.confidence("partner-counterpart"),
                )
            )
    out += _listed_partners(text, orgs, sentence)
    out += _signatories(text, mentions, sentence)
    out += _both_sides(text, [m for m in mentions if m.label == "ORG"], sentence, state)
    operated = _operates(text, mentions, sentence, state, recent)
    out += operated + _builders(text, mentions, sentence, {r.object for r in operated}, state)
    out += _subject_runs(text, mentions, sentence, {r.object for r in out})
    out += _said_operators(text, mentions, sentence)
    out += _owned_list(text, mentions, sentence, recent)
    out += _coordinated_objects(text, mentions, out)
    out += _suborganizations(text, mentions, sentence)
    out += _founded_units(text, mentions, sentence)
    subject = state.get("subject") if state is not None else None
    if subject is not None and any(
        r.predicate == "operatesHospital" and r.subject == subject.text for r in out
    ):
        state["operator_at"] = sentence  # the next sentence may go on buying or running
    return out


def _founded_units(text: str, mentions: Sequence[Mention], sentence: int) -> list[Relation]:
    """A business unit belongs to who sets it up: "北湾集团宣布成立松禾文旅事业部"."""
    out = []
    orgs = [m for m in mentions if m.label == "ORG"]
    for k, unit in enumerate(orgs):
        if unit.rule != "founded-unit":
            continue
        parent = _clause_subject(text[: unit.start], orgs[:k]) or next(iter(orgs[:k]), None)
        if parent is not None:
            conf = load_rules().confidence("suborg-cue")
            out.append(
                Relation(
                    unit.text, "subOrganizationOf", parent.text, sentence, "founded-unit", conf
                )
            )
    return out


def _both_sides(
    text: str, orgs: Sequence[Mention], sentence: int, state: dict | None
) -> list[Relation]:
    """ "甲董事长林海一行到访乙,双方签署了合作协议"; "甲与乙举行座谈。会上,双方签署了…":
    双方 that sign stand for the two organizations named before them in the
    sentence, or else in the sentence before (the last one's are kept in ``state``).
    """
    rules = load_rules()
    found = rules.cue("partnership", "both_sides").search(text)
    before = list(dict.fromkeys(m.text for m in orgs if found and m.end <= found.start()))
    if state is not None:
        previous, state["named"] = state.get("named", []), list(dict.fromkeys(m.text for m in orgs))
    else:
        previous = []
    if found is None:
        return []
    pair = before if len(before) == 2 else previous if not before and len(previous) == 2 else []
    conf = rules.confidence("partner-cue")
    committee = rules.cue("partnership", "party_committee")
    if (
        not pair
        or any(committee.search(x) or _branch_name(x) for x in pair)
        or pair[0].startswith(pair[1])
        or pair[1].startswith(pair[0])
    ):
        return []  # (not a party's committee, nor a body and its own unit)
    return [Relation(pair[0], "partnersWith", pair[1], sentence, "partner-cue", conf)]


def _signatories(text: str, mentions: Sequence[Mention], sentence: int) -> list[Relation]:
    """People who sign for their organizations: "甲医院院长林海和乙局局长周航签订了
    合作协议", "…与…代表双方签约", "甲主任林海,与乙总裁周航,分别作为甲方和乙方的代表,
    签下了…协议": the organizations are partners.
    """
    rules = load_rules()
    units: list[tuple[Mention, Mention]] = []  # (organization, person), in order
    for k, m in enumerate(mentions):
        if m.label != "ORG" or rules.cue("partnership", "party_committee").search(m.text):
            continue
        if k and mentions[k - 1].label == "TITLE" and text[mentions[k - 1].end : m.start] == "、":
            continue  # "甲大学校长、乙学院院长林海": the person's first organization signs
        j = k + 1
        while j < len(mentions) and mentions[j].label == "TITLE":
            j += 1
        if j > k + 1 and j < len(mentions) and mentions[j].label == "PER":
            if not text[mentions[j - 1].end : mentions[j].start]:
                units.append((m, mentions[j]))
    out: list[Relation] = []
    chain: list[tuple[Mention, Mention]] = []
    for unit in [*units, None]:
        if (
            unit is not None
            and chain
            and text[chain[-1][1].end : unit[0].start].lstrip(",") in _JOINS
        ):
            chain.append(unit)
            continue
        if len(chain) >= 2:
            tail = _PARENS.sub("", text[chain[-1][1].end :]).removeprefix(",")
            clauses = re.split(r"[,;。]", tail, maxsplit=2)
            on_behalf = len(clauses) > 1 and rules.cue("partnership", "on_behalf").match(tail)
            tail = ",".join(clauses[:2]) if on_behalf else clauses[0]
            cue = rules.cue("partnership", "agreement").search(tail)
            if cue and not rules.cue("partnership", "witness").search(tail[: cue.start()]):
                conf = rules.confidence("partner-cue")
                orgs = list(dict.fromkeys(org.text for org, _ in chain))
                out += [
                    Relation(a, "partnersWith", b, sentence, "partner-signatories", conf)
                    for a, b in combinations(orgs, 2)
                ]
        chain = [unit] if unit is not None else []
    return out


def _subjectless_partners(
    text: str,
    group: Sequence[Mention],
    orgs: Sequence[Mention],
    mentions: Sequence[Mention],
    sentence: int,
    earlier: Mention | None,
) -> list[Relation]:
    """ "甲与乙签约,并与丙、丁签署…": the subject of the clause before (or of the
    sentence, or of the last sentence) signs with each of the group."""
    rules = load_rules()
    first = _clause_subject(text, [m for m in orgs if m.end <= group[0].start])
    first = first or (orgs[0] if orgs[0] is not group[0] else earlier)
    if first is earlier and rules.cue("partnership", "place_subject").match(text):
        return []  # "当前,北湾区正以…,与乙开展合作": the place is the subject
    if first is None or not rules.cue("partnership", "agreement").search(
        _tail(text, group[-1].end, mentions)
    ):
        return []
    conf = rules.confidence("partner-carried" if first is earlier else "partner-subjectless")
    return [
        Relation(first.text, "partnersWith", other.text, sentence, "partner-cue", conf)
        for other in group
        if other.text != first.text
    ]


def _without_names(text: str, start: int, end: int, names: Sequence[Mention]) -> str:
    """``text[start:end]`` with the names in it blanked, so that no cue is read
    inside one (the 同 of "江州同川医院由…").

    >>> _without_names("江州同川医院由甲", 0, 7, [Mention(0, 6, "江州同川医院", "ORG")])
    '######由'
    """
    chars = list(text[start:end])
    for m in names:
        for i in range(max(m.start, start), min(m.end, end)):
            chars[i - start] = "#"
    return "".join(chars)


def _named_co_builders(text: str, orgs: Sequence[Mention], sentence: int) -> list[Relation]:
    """ "甲与乙是丙医院的合作共建双方": 甲 and 乙 are partners, and each operates 丙.

    >>> t = "北湾医院与江州医院是北湾医院江州分院的合作共建双方。"
    >>> orgs = [Mention(0, 4, "北湾医院", "ORG", "Hospital"), Mention(5, 9, "江州医院", "ORG"),
    ...         Mention(10, 18, "北湾医院江州分院", "ORG", "Hospital")]
    >>> [(r.subject, r.object) for r in _named_co_builders(t, orgs, 0)]
    [('北湾医院', '江州医院'), ('北湾医院', '北湾医院江州分院'), ('江州医院', '北湾医院江州分院')]
    """
    rules = load_rules()
    out = []
    for a, b, built in zip(orgs, orgs[1:], orgs[2:], strict=False):
        if not (
            _gap(text, a.end, b.start) in ("与", "和", "及", "、")
            and rules.cue("partnership", "becomes").match(_gap(text, b.end, built.start))
            and rules.cue("partnership", "co_builders").match(text[built.end :])
        ):
            continue
        conf = rules.confidence("partner-cue")
        out.append(Relation(a.text, "partnersWith", b.text, sentence, "partner-cue", conf))
        if built.type in _HOSPITAL_TYPES:
            conf = rules.confidence("builds")
            out += [
                Relation(m.text, "operatesHospital", built.text, sentence, "builds", conf)
                for m in (a, b)
            ]
    return out


def _listed_partners(text: str, orgs: Sequence[Mention], sentence: int) -> list[Relation]:
    """ "甲还与一批高端医院分别签约,包括乙、丙和丁": 甲 partners each one listed.

    >>> from kg.extract.spans import Mention
    >>> text = "甲集团还与多家医院分别签约,包括乙医院、丙医院"
    >>> orgs = [Mention(0, 3, "甲集团", "ORG"), Mention(16, 19, "乙医院", "ORG"),
    ...         Mention(20, 23, "丙医院", "ORG")]
    >>> [(r.subject, r.object) for r in _listed_partners(text, orgs, 0)]
    [('甲集团', '乙医院'), ('甲集团', '丙医院')]
    """
    rules = load_rules()
    out: list[Relation] = []
    for k, org in enumerate(orgs):
        if k + 1 >= len(orgs):
            break
        first = orgs[k + 1]
        if not rules.cue("partnership", "listed_after").search(_gap(text, org.end, first.start)):
            continue
        listed = _joined(text, first, orgs[k + 2 :])
        conf = rules.confidence("partner-cue")
        out += [
            Relation(org.text, "partnersWith", m.text, sentence, "partner-cue", conf)
            for m in listed
            if m.text != org.text
        ]
    return out


def _tail(text: str, pos: int, mentions: Sequence[Mention]) -> str:
    """Text after a group, up to the next organization or 40 characters."""
    end = min(len(text), pos + 40)
    nxt = next(
        (
            m
            for m in mentions
            if m.start >= pos
            and m.label == "ORG"
            and text[m.start - 1 : m.start] not in "在于赴到"
            and not re.match(r"^[^,;。]{0,10}?(?:协议|合同|备忘录)", text[m.end :])
        ),
        None,
    )  # "甲与乙在江州举行签约仪式": the place is no party, nor "丙医院运营协议" the name
    if nxt is not None:
        end = min(end, nxt.start)
    return _PARENS.sub("", text[pos:end])


def _suborganizations(text: str, mentions: Sequence[Mention], sentence: int) -> list[Relation]:
    rules = load_rules()
    before_child = re.compile(rf"^(?:{rules.cue('suborganization', 'before_child').pattern})$")
    after_parent = rules.cue("suborganization", "after_parent")
    child_of = rules.cue("suborganization", "child_of")
    marker = rules.cue("suborganization", "marker")
    owner = rules.cue("operates", "owner")
    out = []
    orgs = [m for m in mentions if m.label == "ORG"]

    def add(child: Mention, parent: Mention, gap: str, reading: str, owned: bool = False) -> None:
        if child.text == parent.text:
            return
        conf = rules.confidence(reading)
        out.append(
            Relation(child.text, "subOrganizationOf", parent.text, sentence, "suborg-cue", conf)
        )
        if (owned or owner.search(gap)) and child.type in _HOSPITAL_TYPES:
            out.append(
                Relation(parent.text, "operatesHospital", child.text, sentence, "owner-cue", conf)
            )

    def listed(child: Mention, parent: Mention, gap: str) -> None:
        for sibling in orgs[orgs.index(child) + 1 :]:  # "甲下属的乙、丙"
            if _gap(text, child.end, sibling.start) not in ("、", "和", "及", "以及"):
                break
            if owner.match(text, sibling.end + text[sibling.end :].startswith("的")):
                break  # "甲旗下的乙、丙旗下的丁": 丙 is the next owner
            add(sibling, parent, gap, "suborg-list")
            child = sibling

    joiner = rules.cue("operates", "object_joiner")  # "乙和丙均为甲的…": a list of children
    for k, child in enumerate(orgs):
        prev = orgs[k - 1] if k else None
        gap = _gap(text, prev.end, child.start) if prev is not None else ""
        branch = gap == "及其" and _branch_name(child.text)  # "甲医院及其乙分院、丙院区"

        if prev is not None and gap and before_child.match(gap) and (marker.search(gap) or branch):
            add(child, prev, gap, "suborg-cue")
            listed(child, prev, gap)
        elif prev is not None and rules.cue("suborganization", "parent_after").match(gap):
            add(prev, child, gap, "suborg-cue")  # "乙(的)母公司甲"
        elif prev is orgs[0] and rules.cue("suborganization", "clause_child_of").match(gap):
            # "乙成立于2014年,隶属于甲"; "乙医院…,属于甲直属的医疗单位": 甲 runs it
            add(prev, child, gap, "suborg-cue", owned=bool(owner.match(text, child.end)))
        elif prev is not None and child_of.match(gap):
            tail = _PARENS.sub("", text[child.end : child.end + 30])
            if gap.startswith("隶属") or after_parent.match(tail):
                # "乙医院成为甲的控股子公司": a hospital owned as a subsidiary is run by its owner
                add(prev, child, gap, "suborg-child-of", owned="子公司" in tail[:12])
                at = k - 1  # "乙和丙均为甲的附属医院": each one listed before
                while at > 0 and joiner.match(_gap(text, orgs[at - 1].end, orgs[at].start)):
                    at -= 1
                    add(orgs[at], child, gap, "suborg-child-of", owned="子公司" in tail[:12])
            elif (
                prev.type in _HOSPITAL_TYPES
                and (builders := next(g for g in _groups(orgs[k:], text) if child in g))
                and rules.cue("operates", "is_built_by").match(
                    _PARENS.sub("", text[builders[-1].end :])
                )
            ):
                for builder in builders:  # "丙医院是甲与乙共建的项目之一"
                    out.append(
                        Relation(
                            builder.text,
                            "operatesHospital",
                            prev.text,
                            sentence,
                            "is-of",
                            rules.confidence("is-of"),
                        )
                    )
            elif prev.type in _HOSPITAL_TYPES and rules.cue("operates", "is_of").match(tail):
                # "乙医院是甲旗下的互联网医院"; "乙医院和丙医院均为甲旗下医院": each one
                at = k - 1
                while True:
                    if orgs[at].type in _HOSPITAL_TYPES:
                        out.append(
                            Relation(
                                child.text,
                                "operatesHospital",
                                orgs[at].text,
                                sentence,
                                "is-of",
                                rules.confidence("is-of"),
                            )
                        )
                    if at == 0 or not joiner.match(_gap(text, orgs[at - 1].end, orgs[at].start)):
                        break
                    at -= 1
        else:
            lead = _clause_before(text, child.start)
            cue = rules.cue("suborganization", "subject_parent").search(lead)
            subject = orgs[0] if orgs and orgs[0] is not child else None
            if cue and subject is not None and subject.end <= child.start - len(cue.group(0)):
                add(child, subject, cue.group(0), "suborg-subject")
                listed(child, subject, cue.group(0))
    return out
