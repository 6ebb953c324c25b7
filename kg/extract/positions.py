"""Positions: (person, organization, title) from the genre's constructions.

Handled, in one left-to-right pass over a sentence's mentions:

- ``A公司董事会主席兼CEO甲``: organization, a chain of titles, a person;
- ``A集团高级副总裁、B公司CEO甲``: titles at several organizations, one person;
- ``A公司董事长甲、总裁乙``: a second title inherits the organization;
- ``甲，A公司副总裁，`` and ``甲（A公司CEO）``: a person before the title;
- ``A公司互联网医疗总经理甲``: a department between organization and title
  stays in the title and gives no head-of relation.

A title after a name with no organization (``梁正院长``) gives nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.extract.clauses import _PARENS
from kg.extract.facts import Position, Relation
from kg.extract.lexicon import title_relations
from kg.extract.spans import Mention
from kg.rules import load_rules

__all__ = ["extract_positions", "government_of", "on_governments"]

_DEPARTMENT = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{0,12}$")
_APPOSITION = (",", "(", ", ")
_NEXT_ORG = ("、", ",", "兼")


def _department(gap: str) -> bool:
    return bool(_DEPARTMENT.match(gap)) and not load_rules().cue(
        "position", "not_department"
    ).search(gap)


def extract_positions(
    text: str, mentions: Sequence[Mention], sentence: int, subject: Mention | None = None
) -> tuple[list[Position], list[Relation]]:
    """Positions and the head-of relations they give, for one sentence.

    Args:
        text (str): the normalised sentence.
        mentions (list[Mention]): its mentions, in order, without overlaps.
        sentence (int): the sentence's index, for provenance.
        subject (Mention): the organization earlier sentences are about, for
            "林海继续担任执行董事" in a sentence that names none.

    Returns:
        (positions, relations)
    """
    items = [  # "首席运营官(COO)": the title again, in parentheses
        m
        for k, m in enumerate(mentions)
        if not (
            k
            and m.label == "TITLE"
            and mentions[k - 1].label == "TITLE"
            and text[mentions[k - 1].end : m.start] == "("
            and text[m.end : m.end + 1] == ")"
        )
    ]
    positions: list[Position] = []
    relations: list[Relation] = []
    pending: list[tuple[Mention, str, str]] = []
    inherit: Mention | None = None
    named: Mention | None = None  # the organization of the last "甲学院林海院士"
    i = 0
    while i < len(items):
        m = items[i]
        if m.label != "TITLE":
            i += 1
            continue
        j = i
        while (
            j + 1 < len(items)
            and items[j + 1].label == "TITLE"
            and load_rules()
            .cue("position", "chain_gap")
            .match(text[items[j].end : items[j + 1].start])
        ):
            j += 1
        title = text[m.start : items[j].end]
        org, dept, rule = _org_for(text, items, i, inherit)
        held = _person_then_title(text, items, i, named) if org is None else None
        if held is not None:  # "甲学院林海院士、周航院士"
            person, named = held
            _emit(positions, relations, person, named, "", title, sentence, "org-person-title")
            i = j + 1
            continue
        appointed = _appointed_by(text, items, i) if org is None else None
        if appointed is not None:  # "公司董事会委任甲先生出任首席执行官"
            person, by = appointed
            _emit(positions, relations, person, by, "", title, sentence, "appointed")
            i = j + 1
            continue
        named_in = _context_appointed(text, items, i, subject) if org is None else None
        if named_in is not None:  # "在甲公司的董事会中,林海、周航担任执行董事"
            people, context = named_in
            for person in people:
                _emit(positions, relations, person, context, "", title, sentence, "appointed")
            i = j + 1
            continue
        nxt = items[j + 1] if j + 1 < len(items) else None
        if org is None and load_rules().cue("position", "post_of").match(text, items[j].end):
            # "…,CEO一职改由林海接任": the post of the sentence's subject
            org = next((o for o in items[:i] if o.label == "ORG"), None)
            dept, rule = "", "title-held-by"
        held = _held_by(text, items, j) if org is not None else None
        if held is not None:  # "甲委员会理事长由…林海担任"
            _emit(positions, relations, held, org, dept, title, sentence, "title-held-by")
            pending = []
            i = j + 1
            continue
        if org is not None:
            pending.append((org, dept, title))
            if rule == "org-title-person" and not dept:
                pending += [(o, "", title) for o in _shared(text, items, items.index(org))]
        if (
            nxt is not None
            and nxt.label == "PER"
            and (
                not _PARENS.sub("", text[items[j].end : nxt.start])  # "首席运营官(COO)甲"
                or load_rules().cue("position", "described").match(text[items[j].end : nxt.start])
            )
        ):
            for person in [nxt, *_also_titled(text, items, j + 1)]:
                _emit_all(positions, relations, person, pending, sentence, rule or "title-list")
            inherit = pending[-1][0] if pending else inherit
            pending = []
        elif (
            nxt is not None
            and nxt.label == "ORG"
            and text[items[j].end : nxt.start] in _NEXT_ORG
            and org is not None
            and not _appointed(text, items, org)
        ):
            pass  # "A集团高级副总裁、B公司CEO甲", "A集团总裁兼B公司CEO甲": wait for the person
        elif (
            org is not None
            and nxt is not None
            and nxt.label == "TITLE"
            and not re.search(r"[,;。]", text[items[j].end : nxt.start])
            and not _appointed(text, items, org)
        ):
            pass  # "A大学副校长、医学院院长甲": the list goes on to its person
        elif org is not None and _UNREAD_NAME.match(text, items[j].end):
            pending = []  # "…,A大学校长解远,": a name the tagger missed is this title's person
        elif org is not None and (counted := _counted(text, items, org)):
            for person in counted:  # "甲、乙等两位A学院院士"
                _emit_all(positions, relations, person, pending, sentence, "person-before-title")
            pending = []
        elif org is not None:
            person = _person_before(text, items, i, org)
            if person is None and pending:  # "甲,A医院院长、B公司创始人"
                person = _person_before(text, items, i, pending[0][0])
            if person is None and pending:  # "甲任A公司董事长,并兼任B公司执行董事"
                person = _resumed(text, items, pending[0][0])
            if person is not None:
                _emit_all(positions, relations, person, pending, sentence, "person-before-title")
            pending = []
        else:
            pending = []
        i = j + 1
    return positions, relations


_UNREAD_NAME = re.compile(r"(?!一职)[\u4e00-\u9fff]{2,3}(?=[、,;。]|和|及|等)")  # not "总裁一职"


def _also_titled(text: str, items: Sequence[Mention], k: int) -> list[Mention]:
    """People listed right after the person at ``items[k]`` who share the title
    before it: "副市长周航和陈远", "关联董事林海、周明远" (not one with a title of
    its own after it, nor the other party of "与").

    >>> from kg.extract.spans import Mention
    >>> text = "副市长周航和陈远出席"
    >>> items = [Mention(0, 3, "副市长", "TITLE"), Mention(3, 5, "周航", "PER"),
    ...          Mention(6, 8, "陈远", "PER")]
    >>> [m.text for m in _also_titled(text, items, 1)]
    ['陈远']
    """
    joins = load_rules().cue("position", "person_joiner")
    out = []
    while k + 1 < len(items) and items[k + 1].label == "PER":
        nxt = items[k + 2] if k + 2 < len(items) else None
        if not joins.match(text[items[k].end : items[k + 1].start]) or (
            nxt is not None and nxt.label == "TITLE" and nxt.start - items[k + 1].end <= 1
        ):
            break
        out.append(items[k + 1])
        k += 1
    return out


def _org_for(text: str, items: Sequence[Mention], i: int, inherit: Mention | None):
    """The organization a title at ``items[i]`` belongs to, and the department."""
    if i == 0:
        return None, "", ""
    prev = items[i - 1]
    gap = _PARENS.sub("", text[prev.end : items[i].start])  # "甲公司(以下简称乙)董事长"
    if prev.label == "ORG" and gap.startswith(")") and "(" in text[: prev.start][-1:]:
        gap = gap[1:]  # "甲大学附属医院(乙医院)院长": the name in parentheses, then the title
    if prev.label == "ORG" and load_rules().cue("position", "side").match(gap):
        return prev, "", "org-title-person"  # "甲医院方面,院长林海"
    if prev.label == "ORG" and gap in ("的", "之"):
        return prev, "", "org-title-person"  # "远山健康的联合创始人兼CTO陈悦"
    if prev.label == "ORG" and _department(gap):
        return prev, gap, "org-title-person"
    if prev.label == "PER" and inherit is not None:
        listed = load_rules().cue("position", "list_gap")
        if listed.match(gap):
            return inherit, "", "title-list"
        for k in range(1, len(gap)):  # "院长林海、信息科科长周航": a department of it
            if not listed.match(gap[:k]):
                continue
            if load_rules().cue("position", "listed_self").match(gap[k:]):
                return inherit, "", "title-list"  # "校长林海、校党委副书记周航"
            if load_rules().cue("position", "listed_department").match(gap[k:]):
                return inherit, gap[k:], "title-list"
    return None, "", ""


def _held_by(text: str, items: Sequence[Mention], j: int) -> Mention | None:
    """The person in "<title>(一职)由…<person>担任", or "<title>为<person>。", after
    the title at ``items[j]``."""
    rules = load_rules()
    said = rules.cue("position", "title_is").match(text, items[j].end)
    if said and j + 1 < len(items) and items[j + 1].label == "PER":
        person = items[j + 1]
        if person.start == said.end() and rules.cue("position", "said_end").match(text, person.end):
            return person  # "北湾健康董事长为周航。"
    if not rules.cue("position", "held_by").match(text, items[j].end):
        return None
    for m in items[j + 1 :]:
        if re.search(r"[;。]", text[items[j].end : m.start]):
            return None
        if m.label == "PER" and rules.cue("position", "takes_it").match(text, m.end):
            return m
    return None


def _person_then_title(
    text: str, items: Sequence[Mention], i: int, last: Mention | None
) -> tuple[Mention, Mention] | None:
    """The person and organization of "甲学院林海院士" (organization, person, title),
    and of "、周航院士" after one."""
    if i < 2 or items[i - 1].label != "PER" or text[items[i - 1].end : items[i].start]:
        return None
    person, before = items[i - 1], items[i - 2]
    gap = text[before.end : person.start]
    if before.label == "ORG" and gap in ("", "的"):
        return person, before
    if before.label == "TITLE" and gap == "、" and last is not None:
        return person, last
    return None


def _appointed_by(text: str, items: Sequence[Mention], i: int) -> tuple[Mention, Mention] | None:
    """The person and the organization in "甲委任乙(先生)出任<title>", or in
    "乙加盟甲,出任<title>", if so written."""
    rules = load_rules()
    if (  # "周航加盟甲,出任首席医疗官": the post is in the body joined
        i >= 2
        and items[i - 1].label == "ORG"
        and items[i - 2].label == "PER"
        and rules.cue("position", "joins").match(text[items[i - 2].end : items[i - 1].start])
        and rules.cue("position", "joined_as").match(text[items[i - 1].end : items[i].start])
    ):
        return items[i - 2], items[i - 1]
    if i < 2 or items[i - 1].label != "PER" or items[i - 2].label != "ORG":
        return None
    person, by = items[i - 1], items[i - 2]
    if not rules.cue("position", "appointed_as").match(text[person.end : items[i].start]):
        return None
    if not rules.cue("position", "appoints").match(text[by.end : person.start]):
        return None
    return person, by


def _context_appointed(
    text: str, items: Sequence[Mention], i: int, subject: Mention | None = None
) -> tuple[list[Mention], Mention] | None:
    """People who take the title at ``items[i]`` with no organization named at it
    ("林海、周航担任执行董事", "聘任周航为财务总监"): the post is in the
    sentence's first organization, named before them, or in ``subject`` (the
    organization earlier sentences are about) when the sentence names none.

    >>> from kg.extract.spans import Mention
    >>> text = "在甲公司的董事会中,林海、周航担任执行董事"
    >>> items = [Mention(1, 4, "甲公司", "ORG"), Mention(10, 12, "林海", "PER"),
    ...          Mention(13, 15, "周航", "PER"), Mention(17, 21, "执行董事", "TITLE")]
    >>> people, org = _context_appointed(text, items, 3)
    >>> [p.text for p in people], org.text
    (['林海', '周航'], '甲公司')
    """
    rules = load_rules()
    if i < 1 or items[i - 1].label != "PER":
        return None
    if not rules.cue("position", "appointed_as").match(text[items[i - 1].end : items[i].start]):
        return None
    k = i - 1
    while (
        k > 0
        and items[k - 1].label == "PER"
        and rules.cue("position", "appointed_list").match(text[items[k - 1].end : items[k].start])
    ):
        k -= 1
    at = next((n for n, m in enumerate(items[:k]) if m.label == "ORG"), None)
    if at is None:  # no organization in the sentence: the one the article is about
        if subject is None or any(m.label == "ORG" for m in items):
            return None
        return list(items[k:i]), subject
    if (
        at + 2 < len(items)
        and items[at + 1].label == "TITLE"
        and items[at + 2].label == "PER"
        and items[at + 2].start == items[at + 1].end
    ):
        return None  # "甲公司董事长林海…": 甲 is someone's affiliation, not the context
    return list(items[k:i]), items[at]


def _shared(text: str, items: Sequence[Mention], k: int) -> list[Mention]:
    """Organizations listed right before ``items[k]`` that share its title."""
    gap = load_rules().cue("position", "shared_org_gap")
    out = []
    while (
        k > 0 and items[k - 1].label == "ORG" and gap.match(text[items[k - 1].end : items[k].start])
    ):
        k -= 1
        out.append(items[k])
    if k > 0 and items[k - 1].label == "PER" and gap.match(text[items[k - 1].end : items[k].start]):
        return []  # "甲、乙公司…": a list of people, not of organizations
    return out


def _appointed(text: str, items: Sequence[Mention], org: Mention) -> bool:
    """A person stands right before ``org`` with a verb ("甲兼任A公司董事长")."""
    k = items.index(org)
    if k == 0 or items[k - 1].label != "PER":
        return False
    gap = _PARENS.sub("", text[items[k - 1].end : org.start]).strip()
    return bool(gap) and gap[-1] not in ",(、" and _person_before(text, items, k, org) is not None


def _person_before(text: str, items: Sequence[Mention], i: int, org: Mention) -> Mention | None:
    k = items.index(org)
    if k == 0:
        return None
    before = items[k - 1]
    gap = _PARENS.sub("", text[before.end : org.start]).strip() or text[before.end : org.start]
    rules = load_rules()
    if before.label == "PER" and rules.cue("position", "before_org").match(gap):
        if (  # "甲将接替乙担任公司CEO": the post is 甲's, 乙 held it before
            k >= 2
            and items[k - 2].label == "PER"
            and rules.cue("position", "succeeds").match(text[items[k - 2].end : before.start])
        ):
            return items[k - 2]
        return before  # "甲,A公司副总裁", "甲(A公司CEO)", "聘任甲为公司总经理"
    if (  # "林海现任甲医院院长、乙学院院长": the same person's second post
        before.label == "TITLE"
        and gap == "、"
        and k >= 3
        and items[k - 2].label == "ORG"
        and not text[items[k - 2].end : before.start]
    ):
        return _person_before(text, items, i, items[k - 2])
    if (  # "甲加盟A公司,担任公司总裁", "甲调往A公司,出任该公司董事长"
        k >= 2
        and before.label == "ORG"
        and before.text == org.text
        and items[k - 2].label == "PER"
        and rules.cue("position", "joins").match(text[items[k - 2].end : before.start])
        and rules.cue("position", "before_org").match(gap.removeprefix(","))
    ):
        return items[k - 2]
    return None


_NUMBERS = {c: n for n, c in enumerate("一二三四五六七八九十", 1)} | {"两": 2}


def _counted(text: str, items: Sequence[Mention], org: Mention) -> list[Mention]:
    """The people counted before ``org``: "林海、周航等两位甲学院院士" names the
    last two people before it.

    >>> from kg.extract.spans import Mention
    >>> text = "乙医院院长林海、周航等两位甲学院院士"
    >>> items = [Mention(0, 3, "乙医院", "ORG"), Mention(5, 7, "林海", "PER"),
    ...          Mention(8, 10, "周航", "PER"), Mention(13, 16, "甲学院", "ORG")]
    >>> [m.text for m in _counted(text, items, items[3])]
    ['林海', '周航']
    """
    k = items.index(org)
    if not k or items[k - 1].label != "PER":
        return []
    found = load_rules().cue("position", "counted").fullmatch(text[items[k - 1].end : org.start])
    if found is None:
        return []
    n = int(found[1]) if found[1].isdigit() else _NUMBERS.get(found[1], 0)
    people = [m for m in items[:k] if m.label == "PER"]
    return people[-n:] if 1 < n <= len(people) else []


def _resumed(text: str, items: Sequence[Mention], org: Mention) -> Mention | None:
    """The one person named before ``org`` when a clause resumes with a post
    ("林海任甲公司董事长,并兼任乙公司执行董事", "林海…,现任乙公司董事").

    >>> from kg.extract.spans import Mention
    >>> text = "林海生于1990年,现任乙公司董事"
    >>> items = [Mention(0, 2, "林海", "PER"), Mention(12, 15, "乙公司", "ORG")]
    >>> _resumed(text, items, items[1]).text
    '林海'
    """
    k = items.index(org)
    start = items[k - 1].end if k else 0
    if not load_rules().cue("position", "resumes").search(text[start : org.start]):
        return None
    people = {m.text: m for m in items[:k] if m.label == "PER"}
    return next(iter(people.values())) if len(people) == 1 else None


def _emit_all(positions, relations, person, pending, sentence, rule) -> None:
    """The person's position for each ``(org, dept, title)`` pending."""
    for org, dept, title in pending:
        _emit(positions, relations, person, org, dept, title, sentence, rule)


def _emit(positions, relations, person, org, dept, title, sentence, rule) -> None:
    full = dept + title
    sure = org.rule.startswith(("org-suffix", "article-name"))
    conf = load_rules().confidence("position" if sure else "position-weak-org")
    positions.append(Position(person.text, org.text, full, sentence, rule, conf))
    if dept and not load_rules().cue("position", "board").match(dept):
        return  # a department's head is not the organization's
    if load_rules().cue("position", "no_head_org").search(org.text):
        return  # "区政协主席": a post in a consultative or party body, no head-of relation
    for rel in title_relations(title, org.type):
        relations.append(Relation(person.text, rel, org.text, sentence, f"title:{rule}", conf))


def on_governments(
    positions: Sequence[Position], names: dict
) -> tuple[list[Position], list[Relation]]:
    """Posts written on a bare place ("某市市长") moved to that place's government.

    When the article names the government (某市人民政府, 某市政府), a post the
    text gives with the place alone is the government's, and its head gets
    ``presidentOf`` (``titles.tsv``); a place with no government named keeps it.

    >>> from kg.extract.facts import Name
    >>> names = {"江州市政府": Name("江州市政府", "ORG", "GovernmentAgency")}
    >>> moved, heads = on_governments([Position("甲", "江州市", "市长", 1, "r", 0.9)], names)
    >>> moved[0].org, [(r.predicate, r.object) for r in heads]
    ('江州市政府', [('presidentOf', '江州市政府')])
    >>> post = Position("乙", "江州市委", "副书记、市长", 1, "r", 0.9)
    >>> moved, heads = on_governments([post], names)
    >>> moved[0].org, [(r.predicate, r.object) for r in heads]
    ('江州市政府', [('presidentOf', '江州市政府')])
    >>> moved, _ = on_governments([Position("丙", "市委", "副书记、市长", 1, "r", 0.9)], names)
    >>> moved[0].org
    '江州市政府'
    """
    orgs = [k for k, n in names.items() if n.label == "ORG"]
    moved: list[Position] = []
    heads: list[Relation] = []
    post = load_rules().cue("position", "government_post")
    for p in positions:
        place = p.org
        if place[-1:] == "委" and place[-2:-1] in "省市区县州镇" and post.search(p.title):
            place = place[:-1]  # "某区委副书记、区长": the head of the district's government
        found = government_of(place, orgs)
        if found is None and place in ("省", "市", "区", "县") and post.search(p.title):
            # "区委副书记、区长": the one district government the article names
            level = [g for g in orgs if re.fullmatch(rf".{{2,}}{place}(?:人民)?政府", g)]
            found = level[0] if len(level) == 1 else None
        if found is None and place != p.org and not re.search(r"书记|常委|委员", p.title):
            continue  # "某市委…,副市长甲": a government's post, and no government named
        if "政府" in p.org or found is None:
            moved.append(p)
            continue
        moved.append(
            Position(p.person, found, p.title, p.sentence, p.rule + "+government", p.confidence)
        )
        for rel in title_relations(p.title, "GovernmentAgency"):
            heads.append(
                Relation(p.person, rel, found, p.sentence, "title:government", p.confidence)
            )
    return moved, heads


def government_of(place: str, orgs: Sequence[str]) -> str | None:
    """The one government of ``place`` among the names ``orgs``, if there is one.

    >>> government_of("北湾市", ["北湾市人民政府", "北湾市卫健委"])
    '北湾市人民政府'
    >>> government_of("北湾市", ["北湾市政府", "北湾市人民政府"])  # one body, two names
    '北湾市人民政府'
    >>> government_of("澜石区", ["北湾市澜石区人民政府"])  # the city written before it
    '北湾市澜石区人民政府'
    >>> government_of("澜石区", ["北湾市澜石区人民政府", "江州市澜石区政府"]) is None
    True
    """
    rest = load_rules().cue("position", "government_rest")
    found = [
        g
        for g in orgs
        if (i := g.find(place)) >= 0
        and (i == 0 or _OUTER_PLACE.fullmatch(g[:i]))
        and rest.match(g[i + len(place) :])
    ]
    if len({g[: g.find(place)] for g in found} - {""}) > 1:
        return None  # places of one name in two cities: unsure
    return max(found, key=len) if found else None  # the fullest of its names


# the city or province written before a district's name ("北湾市澜石区人民政府")
_OUTER_PLACE = re.compile(r"[\u4e00-\u9fff]{2,6}?[省市]")
