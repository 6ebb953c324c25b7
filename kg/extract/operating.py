"""Who operates, builds or owns a hospital, from one sentence (``operatesHospital``).

"甲运营/托管/开设/直属的乙"; builders ("甲与乙合力建设丙", "丙由甲与乙共建",
"由甲投资建设、乙托管", "…,合力打造丙", 双方); takeovers and stakes (被甲收购,
并入甲, 持有丙医院80%的股权); what a hospital is said to be ("乙是甲旗下的医院",
"设置单位为甲"); founders ("联合成立丙中心"); the hospitals listed after the
subject's 旗下 or after an operated one. ``extract_relations`` runs them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from kg.extract.clauses import (
    _CLAUSE,
    _PARENS,
    _clause_before,
    _clause_subject,
    _gap,
    _group_ending,
    _groups,
    _participants,
)
from kg.extract.facts import Relation
from kg.extract.lexicon import _HOSPITAL_TYPES
from kg.extract.spans import Mention
from kg.rules import load_rules

_CONTROLLING = 50  # per cent: a larger stake controls
_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s(?=[\u4e00-\u9fff])")


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
            joiner = rules.cue("operates", "enumerated_joiner")
            chain = listed[:1]
            for nxt in (o for o in orgs if o.start > listed[0].start):
                if nxt.type not in _HOSPITAL_TYPES or not joiner.match(
                    _gap(text, chain[-1].end, nxt.start)
                ):
                    break
                chain.append(nxt)
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
    conf = rules.confidence("operator-named")
    for org, target in pairwise(orgs):  # "甲是乙医院的举办方", "甲作为乙医院的运营主体"
        gap = _gap(text, org.end, target.start)
        if (
            target.type in _HOSPITAL_TYPES
            and rules.cue("operates", "operator_as").match(gap)
            and rules.cue("operates", "operator_noun").match(text, target.end)
        ):
            out.append(
                Relation(
                    org.text, "operatesHospital", target.text, sentence, "operator-named", conf
                )
            )
        elif (  # "乙互联网医院依托甲医院建设": the hospital's own internet hospital
            org.type == "InternetHospital"
            and target.type == "Hospital"
            and rules.cue("operates", "relies_on").match(gap)
        ):
            out.append(
                Relation(
                    target.text, "operatesHospital", org.text, sentence, "operator-named", conf
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


def _owned_list(
    text: str, mentions: Sequence[Mention], sentence: int, recent: Mention | None = None
) -> list[Relation]:
    """Hospitals listed after the subject's 旗下, however the list is worded.

    "甲深耕多年,旗下除乙医院外,还有丙医院以及丁中心等机构": the sentence's
    subject owns each hospital named after its 旗下, up to the end of the
    sentence or a ；, unless an agreement or partner cue stands between. A
    sentence that opens with 旗下 goes on from the subject of the sentence
    before (``recent``): "甲越做越大。旗下5家医院——乙、丙".
    """
    rules = load_rules()
    orgs = _participants(mentions, text)
    owner = rules.cue("operates", "owner")
    stop = rules.cue("operates", "list_stop")
    out: list[Relation] = []
    opening = rules.cue("operates", "owner_opens").match(text)
    if opening and recent is not None and recent.label == "ORG":
        subject, cue = recent, opening
    elif not orgs or rules.cue("partnership", "subjectless").match(
        _clause_before(text, orgs[0].start)
    ):
        return out
    else:
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
        if m.type in _HOSPITAL_TYPES and m.text != subject.text and m.rule != "anaphora":
            out.append(  # (not "这家医院", which points back out of the list)
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
    operated = [r for r in found if r.predicate == "operatesHospital"]
    known = {(r.subject, r.object) for r in operated}
    for r in operated:
        k = next((k for k, m in enumerate(orgs) if m.text == r.object), None)
        if k is None:
            continue
        for prev, nxt in pairwise(orgs[k:]):
            if nxt.type not in _HOSPITAL_TYPES or not joiner.match(_gap(text, prev.end, nxt.start)):
                break
            if nxt.text != r.subject and (r.subject, nxt.text) not in known:
                known.add((r.subject, nxt.text))
                out.append(
                    Relation(r.subject, r.predicate, nxt.text, r.sentence, r.rule, r.confidence)
                )
    return out


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
    before = re.compile(rf"(?:{verbs})(?:了|着)?(?:的)?$")  # "运营着乙医院"
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
        # "乙互联网医院(和丙医院)将由甲负责建设及运营"
        last, j = target, k + 1
        while (
            j < len(orgs)
            and orgs[j].type in _HOSPITAL_TYPES
            and rules.cue("operates", "object_joiner").match(_gap(text, last.end, orgs[j].start))
        ):
            last, j = orgs[j], j + 1
        agent = orgs[j] if j < len(orgs) else None
        agents = next((g for g in _groups(orgs[j:], text) if agent in g), [agent])
        if (
            agent is not None
            and by_agent.match(text[last.end : agent.start])
            and after.search(text[agents[-1].end : agents[-1].end + 16])
        ):
            for org in agents:  # "丙医院由甲和乙共同运营": each of them
                add(org.text, target.text, "operated-by")
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
            if (  # "甲以9亿元拿下乙医院75%的股权;2018年,以1亿元控股丙医院": 甲 goes on
                k == 0
                and earlier is not None
                and state is not None
                and state.get("operator_at") == sentence - 1
                and rules.cue("operates", "continued").match(text[: target.start])
            ):
                add(earlier.text, target.text, "continued-subject")
                state["subject"], state["subject_at"] = earlier, sentence
                continue
            if (
                rules.cue("operates", "parties").search(clause)
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
            for org in group:  # "甲与乙共同运营丙医院": each of them
                add(org.text, target.text, "operates-verb-object")
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
            group = _group_ending(before, text)
            operators = [m.text for m in group] or (
                [subject.text] if subject is not None and ";" not in text[:cut] else []
            )
            unit = rules.cue("operates", "unit_before")
            if group and unit.search(_PARENS.sub("", text[: group[0].start])):
                # "甲表示,其全资子公司乙将受让丙医院100%的股权": 甲 runs it too
                parent = _clause_subject(text[: group[0].start], orgs[:k])
                if parent is not None and parent not in group:
                    operators.insert(0, parent.text)
        elif rules.cue("operates", "disposal").search(text[: target.start]) and rules.cue(
            "operates", "made_into"
        ).match(text[target.end :]):
            # "甲和乙将…,努力把丙医院建成…": who makes the hospital into something runs it
            before = [m for m in orgs[:k] if m.type not in _HOSPITAL_TYPES]
            operators = [m.text for m in _group_ending(before, text)]
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
    if rules.cue("operates", "unit_after").match(text, target.end):
        return []  # "共同成立了甲医院肛肠中心北湾分中心": a unit of the hospital is built
    lead = text[: target.start]
    verb = rules.cue("operates", "builds").search(lead[-12:])
    if not verb and target.type == "InternetHospital":
        verb = rules.cue("operates", "launches").search(lead[-12:])
    if verb:
        if verb.group(0)[-1:] in '“"' and text[target.end : target.end + 1] not in '”"':
            return []  # "打造“甲医院某某中心”": the quoted name is longer than 甲医院
        at = len(lead) - len(lead[-12:]) + verb.start()
    elif named := rules.cue("operates", "named_after").search(lead[-60:]):
        at = len(lead) - len(lead[-60:]) + named.start()  # "打造一所…医院——丙医院"
    else:
        return []
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
        parties = rules.cue("operates", "parties")
        if parties.search(clause):
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
        opened = (c[:6] for c in re.split(r"[,;]", lead[cut + 1 : comma]))
        if not subjects and any(parties.search(c) for c in opened) and state:
            return list(state.get("group", []))  # "双方将依托甲,共同打造丙": the partners
        unit = rules.cue("operates", "unit_before")
        acting = [g for g in subjects[1:] if unit.search(_PARENS.sub("", text[: g[0].start]))]
        # "甲宣布其下属子公司乙(…),拟以…收购丙": 乙 buys for 甲, and both run 丙
        return [m.text for g in subjects[:1] + acting[:1] for m in g]
    if before and "为" not in text[before[-1].end : target.start]:
        return [m.text for m in _group_ending(before, text)]
    return []
