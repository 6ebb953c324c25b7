"""Relations between organizations and attributes of them, from cue words.

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
- **operatesHospital**: "甲运营/托管/开设/直属的乙"; builders ("甲与乙合力建设丙",
  "丙由甲与乙共建", "由甲投资建设、乙托管", "…,合力打造丙", 双方); takeovers and
  stakes (被甲收购, 并入甲, 持有丙医院80%的股权); the hospital an agreement is
  for; founders ("联合成立丙中心"); what a hospital is said to be ("乙是甲旗下的
  医院", "设置单位为甲", "将成为甲的旗舰医院"); 甲的乙互联网医院; who launches an
  internet hospital; hospitals listed after an operated one.
- **subOrganizationOf**: "甲旗下/下属/所属的乙", "甲的全资子公司乙", "乙是甲所属的…".
- **attributes**: founding years (成立于2015年, 始建于1937年的…) and stock
  codes (from the alias step).

Names built from other names (a branch and its parent, a hospital and its own
internet hospital, a university's affiliated hospital, a department and its
body) are handled by ``name_relations``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import combinations, pairwise

from kg.extract.facts import Attribute, Relation
from kg.extract.lexicon import org_type
from kg.extract.spans import Mention
from kg.rules import load_rules

__all__ = ["extract_attributes", "extract_relations", "name_relations", "split_department"]

_PARENS = re.compile(r"\([^()]*\)")
_HOSPITAL_TYPES = ("Hospital", "InternetHospital")
_CLAUSE = re.compile(r"[,;:]")
_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s(?=[\u4e00-\u9fff])")


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
        out.append(m)
    return out


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
        lead = _clause_before(text, group[0].start)
        joined = "".join(_gap(text, a.end, b.start) for a, b in pairwise(group))
        if rules.cue("partnership", "objects_of").search(lead) and "与" not in joined:
            continue  # "双方将携手推进甲和乙两大项目": what is built, not who builds
        if subjectless.match(lead):
            out += _subjectless_partners(text, group, orgs, mentions, sentence, earlier)
            continue
        if len(group) < 2 and not (len(group) == 1 and respectively.search(lead)):
            continue
        inner = "".join(_gap(text, a.end, b.start) for a, b in pairwise(group))
        tail = _tail(text, group[-1].end, mentions)
        cue = agreement.search(tail)
        if cue is not None and rules.cue("partnership", "generic").search(tail[: cue.start()]):
            continue
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
        if split is not None:
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
    operated = _operates(text, mentions, sentence, state, recent)
    out += operated + _builders(text, mentions, sentence, {r.object for r in operated}, state)
    out += _subject_runs(text, mentions, sentence, {r.object for r in out})
    out += _said_operators(text, mentions, sentence)
    out += _owned_list(text, mentions, sentence)
    out += _coordinated_objects(text, mentions, out)
    out += _suborganizations(text, mentions, sentence)
    return out


def _said_operators(text: str, mentions: Sequence[Mention], sentence: int) -> list[Relation]:
    """Operators a sentence names as such: "丙医院…,设置单位为甲", "丙医院将成为甲的旗舰医院",
    "甲通过三家医院提供服务,分别是乙、丙和丁", "甲的两家医院——乙和丙"."""
    rules = load_rules()
    orgs = [m for m in mentions if m.label == "ORG"]
    out = []
    count = rules.cue("operates", "owns_count").search(text)
    owner = next((m for m in orgs if count and m.end <= count.start()), None)
    if count is None:  # "甲(在某地)的四家医疗机构——乙、丙和丁": the owner right before
        counted_of = rules.cue("operates", "counted_of")
        owner, count = next(
            ((m, c) for m in orgs if (c := counted_of.match(text, m.end)) is not None),
            (None, None),
        )
    if count and owner is not None:
        listed = [
            m
            for m in orgs
            if m.start > count.end()
            and m.type in _HOSPITAL_TYPES
            and rules.cue("operates", "enumerates").search(
                _PARENS.sub("", text[count.end() : m.start])
            )
        ]
        if listed:
            later = [o for o in orgs if o.start > listed[0].start]
            chain = _joined(text, listed[0], later, _HOSPITAL_TYPES)
            conf = rules.confidence("operator-named")
            out += [
                Relation(owner.text, "operatesHospital", m.text, sentence, "operator-named", conf)
                for m in chain
                if m.text != owner.text
            ]
    for k, org in enumerate(orgs):
        before = [m for m in orgs[:k] if m.type in _HOSPITAL_TYPES]
        if before and rules.cue("operates", "operator_is").search(text[: org.start]):
            target = before[-1]
        elif (
            before
            and orgs[k - 1] is before[-1]
            and rules.cue("operates", "becomes").match(_gap(text, before[-1].end, org.start))
        ):
            own = rules.cue("operates", "own_hospital").match(text[org.end :])
            if not own or rules.cue("operates", "not_own").search(own.group(0)):
                continue
            target = before[-1]
        else:
            continue
        if target.text != org.text:
            conf = rules.confidence("operator-named")
            out.append(
                Relation(
                    org.text, "operatesHospital", target.text, sentence, "operator-named", conf
                )
            )
    return out


def _subject_runs(
    text: str, mentions: Sequence[Mention], sentence: int, done: set[str]
) -> list[Relation]:
    """The sentence's subject runs a hospital a later clause opens, builds or
    manages: "甲远赴新疆拓展业务,…;2018年又回到武汉,开设了乙医院",
    "甲将发挥自身优势,全面管理乙院区", "甲将与丙政府深入合作,全面托管乙医院". Only
    when no other organization stands between them but one the subject acts with (与丙).
    """
    rules = load_rules()
    orgs = _participants(mentions, text)
    if not orgs or not rules.cue("operates", "subject_lead").match(
        _clause_before(text, orgs[0].start)
    ):
        return []  # the first name is not the sentence's subject
    subject, out = orgs[0], []
    verb = rules.cue("operates", "subject_verb")
    for target in orgs[1:]:
        if (
            target.type in _HOSPITAL_TYPES
            and target.text not in done
            and verb.search(_clause_before(text, target.start))
        ):
            conf = rules.confidence("subject-runs")
            out.append(
                Relation(
                    subject.text, "operatesHospital", target.text, sentence, "subject-runs", conf
                )
            )
            break
        if not rules.cue("operates", "companion").search(text[: target.start]):
            break  # another name that could be the one who runs it
    return out


def _signatories(text: str, mentions: Sequence[Mention], sentence: int) -> list[Relation]:
    """People who sign for their organizations: "甲医院院长林海和乙局局长周航签订了
    合作协议", "…与…代表双方签约": the organizations are partners.
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
        if unit is not None and chain and text[chain[-1][1].end : unit[0].start] in _JOINS:
            chain.append(unit)
            continue
        if len(chain) >= 2:
            tail = _PARENS.sub("", text[chain[-1][1].end :])
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


_CONTROLLING = 50  # per cent: a larger stake controls

_JOINS = ("和", "与", "同", "、")


def _owned_list(text: str, mentions: Sequence[Mention], sentence: int) -> list[Relation]:
    """Hospitals listed after the subject's 旗下, however the list is worded.

    "甲深耕多年,旗下除乙医院外,还有丙医院以及丁中心等机构": the sentence's
    subject owns each hospital named after its 旗下, up to the end of the
    sentence or a ；, unless an agreement or partner cue stands between.
    """
    rules = load_rules()
    orgs = _participants(mentions, text)
    owner = rules.cue("operates", "owner")
    stop = rules.cue("operates", "list_stop")
    out: list[Relation] = []
    if not orgs or rules.cue("partnership", "subjectless").match(
        _clause_before(text, orgs[0].start)
    ):
        return out
    subject = orgs[0]
    cue = owner.search(text, subject.end)
    if cue is None or any(subject.end <= m.start < cue.start() for m in orgs):
        return out
    if (
        _gap(text, subject.end, cue.start()).count(",") > 2
        or "。" in text[subject.end : cue.start()]
    ):
        return out
    end = re.search(r"[;。]|$", text[cue.end() :]).start() + cue.end()
    conf = rules.confidence("owner-list")
    for m in orgs:
        if not cue.end() <= m.start < end:
            continue
        if stop.search(_PARENS.sub("", text[cue.end() : m.start])) or owner.search(
            text, cue.end(), m.start
        ):
            break  # another relation, or another owner's 旗下
        if m.type in _HOSPITAL_TYPES and m.text != subject.text:
            out.append(
                Relation(subject.text, "operatesHospital", m.text, sentence, "owner-list", conf)
            )
    return out


def _coordinated_objects(
    text: str, mentions: Sequence[Mention], found: Sequence[Relation]
) -> list[Relation]:
    """Hospitals listed after an operated one share its operators: "开始运营甲医院和乙医院"."""
    joiner = load_rules().cue("operates", "object_joiner")
    orgs = [m for m in mentions if m.label == "ORG"]
    out = []
    for r in [r for r in found if r.predicate == "operatesHospital"]:
        k = next((k for k, m in enumerate(orgs) if m.text == r.object), None)
        if k is None:
            continue
        for prev, nxt in pairwise(orgs[k:]):
            if nxt.type not in _HOSPITAL_TYPES or not joiner.match(_gap(text, prev.end, nxt.start)):
                break
            if nxt.text != r.subject:
                out.append(
                    Relation(r.subject, r.predicate, nxt.text, r.sentence, r.rule, r.confidence)
                )
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


def _group_operates(
    text: str,
    group: Sequence[Mention],
    mentions: Sequence[Mention],
    sentence: int,
    article_orgs: Sequence[Mention],
) -> list[Relation]:
    """What a group of signers runs: the hospital their agreement is for
    ("甲与乙签订了丙医院运营合作协议"), or what they found together
    ("甲与乙联合成立丙互联网医疗中心")."""
    rules = load_rules()
    targets: list[tuple[str, str]] = []
    for m in [m for m in mentions if m.start >= group[-1].end][:2]:
        if (
            m.label == "ORG"
            and m.type in _HOSPITAL_TYPES
            and m.start - group[-1].end <= 20
            and rules.cue("operates", "agreement_for").match(text[m.end :])
        ):
            targets.append((m.text, "agreement-for"))
    found = rules.cue("operates", "founding").search(text, group[-1].end)
    if found and found.start() - group[-1].end <= 12:
        target = _founded(text, found.end(), mentions, article_orgs)
        if target is not None and target not in {m.text for m in group}:
            targets.append((target, "co-founded"))  # not "甲与乙共同成立了甲肛肠中心乙分中心"
    return [
        Relation(org.text, "operatesHospital", target, sentence, rule, rules.confidence(rule))
        for target, rule in targets
        for org in group
        if org.text != target
    ]


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


def _founded(text: str, pos: int, mentions: Sequence[Mention], article_orgs) -> str | None:
    nxt = next((m for m in mentions if m.start >= pos), None)
    if (
        nxt is not None
        and nxt.label == "ORG"
        and nxt.type in _HOSPITAL_TYPES
        and (nxt.start - pos <= 6)
        and not _CLAUSE.search(text[pos : nxt.start])
        # not the hospital whose centre is founded: "成立甲医院影像中心"
        and not load_rules().cue("operates", "unit_after").match(text, nxt.end)
    ):
        return nxt.text
    noun = load_rules().cue("operates", "founded_noun").match(text[pos:])
    if noun:
        named = sorted({m.text for m in article_orgs if m.text.endswith(noun.group(1))})
        if len(named) == 1:
            return named[0]
    return None


def _operates(
    text: str,
    mentions: Sequence[Mention],
    sentence: int,
    state: dict | None = None,
    earlier: Mention | None = None,
) -> list[Relation]:
    rules = load_rules()
    verbs = rules.cue("operates", "verbs").pattern
    before = re.compile(rf"(?:{verbs})(?:了)?(?:的)?$")
    after = re.compile(rf"^(?:的)?(?:{rules.cue('operates', 'after_object').pattern})")
    by_agent = rules.cue("operates", "by_agent")
    for_hospital = rules.cue("operates", "for_hospital")
    role = rules.cue("operates", "role")
    out = []

    def add(operator: str, target: str, rule: str) -> None:
        if operator != target:
            out.append(
                Relation(
                    operator, "operatesHospital", target, sentence, rule, rules.confidence(rule)
                )
            )

    orgs = [m for m in mentions if m.label == "ORG"]
    for k, target in enumerate(orgs):
        if target.type not in _HOSPITAL_TYPES:
            continue
        clause = _clause_before(text, target.start)
        before_orgs = [m for m in orgs[:k] if m.end > target.start - len(clause)]
        rest = text[target.end :]
        nxt = orgs[k + 1] if k + 1 < len(orgs) else None
        # "乙互联网医院将由甲负责建设及运营"
        if (
            nxt is not None
            and by_agent.match(text[target.end : nxt.start])
            and after.search(text[nxt.end : nxt.end + 16])
        ):
            add(nxt.text, target.text, "operated-by")
            continue
        if (
            nxt is not None
            and rules.cue("operates", "running_by").match(text[target.end : nxt.start])
            and rules.cue("operates", "does_it").match(text[nxt.end :])
        ):
            add(nxt.text, target.text, "operated-by")
            continue
        lead = text[: target.start]
        if rules.cue("operates", "by_pronoun").search(lead):
            subject = orgs[0] if k > 0 else earlier
            subject = subject.text if subject is not None else None
            if subject:
                add(subject, target.text, "operated-by-pronoun")
            continue
        if not before_orgs:
            if (
                re.search(r"双方|三方", clause)
                and state
                and state.get("group")
                and (after.match(rest) or before.search(clause))
            ):
                for org in state["group"]:
                    add(org, target.text, "operates-parties")
            continue
        operator = before_orgs[-1]
        between = text[operator.end : target.start]
        if target.type == "InternetHospital" and rules.cue("operates", "possessive").match(between):
            add(operator.text, target.text, "own-internet-hospital")
            continue
        if rules.cue("operates", "toward").search(between) and rules.cue(
            "operates", "takeover_noun"
        ).match(rest):
            add(operator.text, target.text, "operates-verb-object")  # "甲完成对乙医院的收购"
            continue
        if "旗下" in between or len(between) > 16:
            continue
        group = _group_ending(before_orgs, text)
        if (
            after.match(rest)
            and target.type == "InternetHospital"
            or (after.match(rest) and role.search(between))
        ):
            for org in group:
                add(org.text, target.text, "operates-object-verb")
        elif before.search(between):
            m = for_hospital.match(rest)
            if m and target.type == "Hospital" and between.endswith("为"):
                continue
            add(operator.text, target.text, "operates-verb-object")
        elif between.endswith("为") and for_hospital.match(rest) and target.type == "Hospital":
            add(operator.text, target.text + "互联网医院", "opens-for-hospital")
    return out


def _builders(
    text: str,
    mentions: Sequence[Mention],
    sentence: int,
    done: set[str],
    state: dict | None = None,
) -> list[Relation]:
    """Who builds, runs or takes over a named hospital.

    "甲与乙合力建设丙医院"; "甲与乙签约,合力打造丙医院" (a clause with no subject
    builds for the organizations before it, 双方 for the last partner group);
    "丙医院由甲与乙共建"; "丙医院被甲收购"; "丙医院正式并入甲". The operators are
    the group of organizations nearest before the verb, not counting hospitals
    that are themselves built in the sentence; with "丙由甲与乙…", the group
    after 由. Hospitals another rule already gave an operator in this sentence
    are left alone.
    """
    rules = load_rules()
    built_by = rules.cue("operates", "built_by")
    passive = rules.cue("operates", "passive")
    orgs = [m for m in mentions if m.label == "ORG"]
    targets = [m for m in orgs if m.type in _HOSPITAL_TYPES and m.text not in done]
    out: list[Relation] = []
    if targets and orgs and targets[0] is orgs[0]:
        for org in _by_clause(text, orgs):
            if org != targets[0].text:
                conf = rules.confidence("builds")
                out.append(
                    Relation(org, "operatesHospital", orgs[0].text, sentence, "builds", conf)
                )
    for target in targets:
        k = orgs.index(target)
        nxt = orgs[k + 1] if k + 1 < len(orgs) else None
        gap = _gap(text, target.end, nxt.start) if nxt is not None else None
        if nxt is not None and built_by.match(gap):
            group = next(g for g in _groups(orgs[k + 1 :], text) if nxt in g)
            tail = text[group[-1].end : group[-1].end + 12]
            builds = rules.cue("operates", "builds")
            found = any(builds.search(tail[: i + 1]) for i in range(len(tail)))
            operators = [m.text for m in group] if found else []
        elif nxt is not None and (
            passive.match(gap)
            and rules.cue("operates", "passive_verb").match(_PARENS.sub("", text[nxt.end :]))
            or rules.cue("operates", "joins").match(gap)
        ):
            operators = [nxt.text]
        elif rules.cue("operates", "stake_verb").search(text[: target.start]) and (
            stake := rules.cue("operates", "stake_tail").match(text[target.end :])
        ):
            if stake.group(1) and float(stake.group(1)) < _CONTROLLING:
                continue  # "甲持有丙医院10%的股权": a minority holder
            # "甲(间接)持有丙医院80%的股权": the owner, the organization nearest before
            cut = max(text.rfind(c, 0, target.start) for c in ",;。")
            before = [m for m in orgs[:k] if m.start > cut]
            subject = _clause_subject(text[: max(cut, 0)], orgs[:k]) if not before else None
            # "甲随后发布公告,拟增资取得丙医院66%的股权": the clause goes on with its subject
            operators = [m.text for m in _group_ending(before, text)] or (
                [subject.text] if subject is not None and ";" not in text[:cut] else []
            )
        else:
            operators = _built_before(text, orgs, k, targets, state)
        for org in operators:
            if org != target.text:
                conf = rules.confidence("builds")
                out.append(Relation(org, "operatesHospital", target.text, sentence, "builds", conf))
    return out


def _by_clause(text: str, orgs: Sequence[Mention]) -> list[str]:
    """Builders named in a later clause opened by 由: "丙医院是…,由甲投资建设、乙托管".

    Each part of the clause (parts joined by 、) names an organization and
    what it does; those that build or run are the operators.
    """
    rules = load_rules()
    builds = rules.cue("operates", "builds")
    out: list[str] = []
    start = 0
    for clause in re.split(r"[,;:]", text):
        if start > 0 and rules.cue("operates", "by_clause").match(clause):
            at = start
            for part in clause.split("、"):
                inside = [m for m in orgs if at <= m.start < at + len(part)]
                rest = text[inside[0].end : at + len(part)][:10] if inside else ""
                if inside and any(builds.search(rest[: i + 1]) for i in range(len(rest))):
                    out.append(inside[0].text)
                at += len(part) + 1
        start += len(clause) + 1
    return out


def _built_before(
    text: str, orgs: Sequence[Mention], k: int, targets: Sequence[Mention], state: dict | None
) -> list[str]:
    """The builders of ``orgs[k]`` named before the verb right in front of it."""
    rules = load_rules()
    target = orgs[k]
    lead = text[: target.start]
    verb = rules.cue("operates", "builds").search(lead[-12:])
    if not verb and target.type == "InternetHospital":
        verb = rules.cue("operates", "launches").search(lead[-12:])
    if not verb:
        return []
    if verb.group(0)[-1:] in '“"' and text[target.end : target.end + 1] not in '”"':
        return []  # "打造“甲医院某某中心”": the quoted name is longer than 甲医院
    at = len(lead) - len(lead[-12:]) + verb.start()
    # a space between two Chinese words parts the clauses of a headline like a comma
    comma = max(
        [lead.rfind(c, 0, at) for c in ",;。"]
        + [m.start() for m in _SPACE.finditer(lead) if m.start() < at]
    )
    cut = max(lead.rfind(c) for c in ";。")
    builds = rules.cue("operates", "builds")
    before = [
        m
        for m in orgs[:k]
        if m.start > cut
        and not (m in targets and builds.search(text[: m.start][-12:]))  # built here too
    ]
    if at - comma <= 6 and not any(m.start > comma for m in before):
        # the verb's clause has no subject: it continues the clause before it
        clause = lead[comma + 1 : at]
        if re.search(r"双方|三方", clause):
            return list(state.get("group", [])) if state else []
        if (
            comma < 0
            or not (lead[comma] == "," or lead[comma].isspace())
            or not rules.cue("operates", "continues").match(clause)
        ):
            return []
        # the clause continues the sentence's subject, not the last name before it
        subjects = [
            g
            for g in _groups(before, text)
            if not re.search(
                r"与|同|和|跟|依托|依靠|在|对|向|为|把|将", _clause_before(text, g[0].start)
            )
        ]
        if not subjects and lead[comma].isspace():  # "甲与乙签约 共建丙": 甲 is a place
            return [m.text for m in _group_ending(before, text)]
        return [m.text for m in subjects[0]] if subjects else []
    if before and "为" not in text[before[-1].end : target.start]:
        return [m.text for m in _group_ending(before, text)]
    return []


def _group_ending(orgs: Sequence[Mention], text: str) -> list[Mention]:
    """The coordinated organizations that end with the last of ``orgs``."""
    groups = _groups(orgs, text)
    return groups[-1] if groups else []


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
            add(prev, child, gap, "suborg-cue")  # "乙成立于2014年,隶属于甲"
        elif prev is not None and child_of.match(gap):
            tail = _PARENS.sub("", text[child.end : child.end + 30])
            if gap.startswith("隶属") or after_parent.match(tail):
                # "乙医院成为甲的控股子公司": a hospital owned as a subsidiary is run by its owner
                add(prev, child, gap, "suborg-child-of", owned="子公司" in tail[:12])
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
                # "乙医院是甲旗下的互联网医院"
                out.append(
                    Relation(
                        child.text,
                        "operatesHospital",
                        prev.text,
                        sentence,
                        "is-of",
                        rules.confidence("is-of"),
                    )
                )
        else:
            lead = _clause_before(text, child.start)
            cue = rules.cue("suborganization", "subject_parent").search(lead)
            subject = orgs[0] if orgs and orgs[0] is not child else None
            if cue and subject is not None and subject.end <= child.start - len(cue.group(0)):
                add(child, subject, cue.group(0), "suborg-subject")
                listed(child, subject, cue.group(0))
    return out


def _branch_name(name: str) -> bool:
    """A name that ends as a branch or campus does (某分院, 某院区, 某分公司)."""
    rules = load_rules()
    return any(
        name.endswith(suffix) and len(name) > len(suffix)
        for suffix, (_, kind) in rules.suffixes.items()
        if kind == "branch"
    )


def extract_attributes(text: str, mentions: Sequence[Mention], sentence: int) -> list[Attribute]:
    """Founding years stated in one sentence."""
    rules = load_rules()
    out = []
    orgs = [m for m in mentions if m.label == "ORG"]
    pos = 0
    masked = _PARENS.sub(lambda p: " " * len(p.group(0)), text)  # "甲(以下简称乙,…)成立于"
    for clause in _CLAUSE.split(masked):
        start, end = pos, pos + len(clause)
        pos = end + 1
        m = rules.cue("founding", "after_org").search(clause)
        if m:
            subject = next(
                (o for o in orgs if start <= o.start and o.end <= start + m.start()), None
            )
            if subject is not None:
                year = m.group(1) or m.group(2)
                out.append(
                    Attribute(
                        subject.text,
                        "foundingYear",
                        year,
                        sentence,
                        "founded-year",
                        rules.confidence("founded-year"),
                    )
                )
        m = rules.cue("founding", "before_org").search(clause)
        if m:
            subject = next((o for o in orgs if o.start == start + m.end()), None)
            if subject is not None:
                out.append(
                    Attribute(
                        subject.text,
                        "foundingYear",
                        m.group(1),
                        sentence,
                        "founded-year",
                        rules.confidence("founded-year"),
                    )
                )
    return out


def split_department(name: str) -> tuple[str, str] | None:
    """Split "江城市卫健委规划信息处" into the body and its department.

    >>> split_department("江城市卫健委规划信息处")
    ('江城市卫健委', '规划信息处')
    >>> split_department("江城市卫健委") is None
    True
    """
    rules = load_rules()
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
