"""Entity resolution: one ``Entity`` per real thing, however many names it has.

Names are merged when

- an article says so: an alias in parentheses (以下简称, 简称, 下称,
  股票简称, an English name);
- one is the other's legal or group form: 安和银行股份有限公司 and 安和银行,
  康桥集团 and 康桥;
- a legal name, less its place and legal form, begins with a short name the
  same article uses: 上海仁信医疗咨询有限公司 and 仁信医疗;
- they differ only by a standard abbreviation: 江城市卫生健康委员会 and
  江城市卫健委;
- they are the same string in different articles, or differ by a 公司 at the
  end or a 市 after the place (江城市第二医院, 江城第二医院).

Each entity gets an identifier derived from its canonical name only, so the
IRI does not depend on the order of the input files. Given the identifiers
of an earlier build (``ids``, kept in ``OUT/ids.tsv`` by ``kg build``), an
entity keeps the identifier its names had, so adding articles never renames
an entity, even when they make another of its names the most used::

    kb = resolve(extractions, ids=parse_ids(Path("out/ids.tsv").read_text("utf-8")))
    Path("out/ids.tsv").write_text(format_ids(kb.ids), "utf-8")
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from kg.errors import CorrectionsError
from kg.extract.facts import Extraction
from kg.extract.lexicon import org_type
from kg.rules import load_rules
from kg.text import in_order

__all__ = [
    "Entity",
    "Evidence",
    "Fact",
    "KnowledgeBase",
    "PositionFact",
    "format_ids",
    "match_key",
    "parse_ids",
    "resolve",
]

#: ``(kind, name key)`` to entity id: kind is ``ORG`` or ``PER``, the key ``match_key(name)``.
Ids = dict[tuple[str, str], str]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was read: article key, sentence index, rule, confidence."""

    article: str
    sentence: int
    rule: str
    confidence: float


@dataclass(slots=True)
class Entity:
    """One organization or person.

    Attributes:
        id (str): the local part of its IRI, e.g. ``org/3f2a…``.
        label (str): canonical name (the form the articles use most).
        type (str): ontology class name.
        alt_labels (list[str]): every other surface form.
        articles (list[str]): keys of the articles that mention it.
    """

    id: str
    label: str
    type: str
    alt_labels: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.label, *self.alt_labels]


@dataclass(slots=True)
class _Evidenced:
    """A fact with the sentences that state it; as sure as its surest reading.

    ``evidence`` is keyword-only, after the fields of the kind of fact.
    """

    evidence: list[Evidence] = field(default_factory=list, kw_only=True)

    @property
    def confidence(self) -> float:
        return max(e.confidence for e in self.evidence)


@dataclass(slots=True)
class Fact(_Evidenced):
    """A relation between entities (``subject``, ``object``: entity ids), or an
    attribute value (``object``: the value), with its evidence."""

    subject: str
    predicate: str
    object: str


@dataclass(slots=True)
class PositionFact(_Evidenced):
    """A person's ``title`` at an ``org`` (both entity ids), with its evidence."""

    person: str
    org: str
    title: str


@dataclass(slots=True)
class KnowledgeBase:
    """Resolved entities and facts of a corpus: what the graph is built from."""

    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Fact] = field(default_factory=list)
    positions: list[PositionFact] = field(default_factory=list)
    attributes: list[Fact] = field(default_factory=list)
    #: the id of every name, this build's and earlier ones' (see ``resolve``)
    ids: Ids = field(default_factory=dict)

    def filter(self, min_confidence: float) -> KnowledgeBase:
        """A copy without the evidence below ``min_confidence`` (and facts left bare)."""

        def keep(facts):
            out = []
            for f in facts:
                ev = [e for e in f.evidence if e.confidence >= min_confidence]
                if ev:
                    out.append(replace(f, evidence=ev))
            return out

        return KnowledgeBase(
            dict(self.entities),
            keep(self.relations),
            keep(self.positions),
            keep(self.attributes),
            self.ids,
        )


@functools.lru_cache(maxsize=1 << 17)
def match_key(name: str) -> str:
    """The form two names must share to be the same name.

    >>> match_key("江城市卫生健康委员会") == match_key("江城市卫健委")
    True
    >>> match_key("WeDoctor ")
    'wedoctor'
    >>> match_key("人民人民政府政府") == match_key(match_key("人民人民政府政府"))
    True
    """
    key = "".join(name.split()).lower()
    previous = None
    while key != previous:  # "人民人民政府政府": one pass leaves a long form behind
        previous = key
        for long, short in load_rules().abbreviations:
            key = key.replace(long, short)
    return key


@functools.lru_cache(maxsize=1 << 17)
def _strip_form(name: str) -> str | None:
    """The name less its legal or group form, or ``None``.

    >>> _strip_form("安和银行股份有限公司"), _strip_form("康桥集团")
    ('安和银行', '康桥')
    """
    forms = _stripped_forms(name)
    return forms[0] if forms else None


@functools.lru_cache(maxsize=1 << 17)
def _stripped_forms(name: str) -> tuple[str, ...]:
    """The name less each legal or group form it ends with, the shortest first.

    >>> _stripped_forms("康桥集团有限公司")
    ('康桥', '康桥集团')
    """
    return load_rules().stripped(name, ("legal", "group"))


_ORDINAL = re.compile(r"^(.*?)(?:附([一二三四五六七八九十])院|([一二三四五六七八九十])附?院)$")


def _ordinal_abbreviates(short: str, name: str) -> bool:
    """Whether ``short`` is ``name`` said by its number: 北湾二院 for 北湾市第二
    人民医院, 溪大四附院 or 溪大附四院 for 溪岚大学第四附属医院.

    >>> [_ordinal_abbreviates("北湾二院", n) for n in ("北湾市第二人民医院", "北湾市第三医院")]
    [True, False]
    >>> [_ordinal_abbreviates(s, "溪岚大学第四附属医院") for s in ("溪大四附院", "溪大附四院")]
    [True, True]
    """
    m = _ORDINAL.match(short)
    if m is None or short == name or not name.endswith("医院") or name.endswith("互联网医院"):
        return False  # not 北湾市第二人民医院互联网医院, nor its 某院区
    number = m.group(2) or m.group(3)
    at = name.find("第" + number)
    if at < 0 or ("附" in short[len(m.group(1)) :]) != ("附属" in name):
        return False
    lead, head = m.group(1), iter(name[: name.find("附属")] if "附属" in name else name[:at])
    return not lead or (lead[0] == name[0] and all(ch in head for ch in lead))


@functools.cache
def _places_by_initial() -> dict[str, list[str]]:
    """The place names by first character, longest first (so 广州市 is tried before 广州)."""
    out: dict[str, list[str]] = {}
    for place in sorted(load_rules().places, key=len, reverse=True):
        out.setdefault(place[:1], []).append(place)
    return out


def _places(name: str) -> list[str]:
    """The place names ``name`` could begin with, longest first."""
    return _places_by_initial().get(name[:1], [])


@functools.lru_cache(maxsize=1 << 17)
def _core(name: str) -> str | None:
    """A legal name less its place and legal form: 上海仁信医疗咨询有限公司 → 仁信医疗咨询."""
    stripped = _strip_form(name)
    if stripped is None:
        return None
    for place in _places(stripped):
        for form in (place + "市", place + "省", place):
            if stripped.startswith(form) and len(stripped) > len(form) + 1:
                return stripped[len(form) :]
    return stripped


@functools.lru_cache(maxsize=1 << 17)
def _short_forms(name: str) -> tuple[str, ...]:
    """Shorter names an article may use for ``name``: without its place, or the
    part after 附属.

    >>> _short_forms("北岭大学附属华安医院")
    ('华安医院', '附属华安医院')
    >>> _short_forms("北岭大学第三附属医院")
    ('第三附属医院',)
    >>> _short_forms("广东省北湾人民医院")
    ('北湾人民医院',)
    >>> _short_forms("广东省江湾区北湾医院")
    ('江湾区北湾医院', '北湾医院')
    """
    out = []
    if "附属" in name:  # 华安医院, 附属华安医院; 第N附属医院
        at = name.rindex("附属")
        if len(name) - at > 4:  # not 附属医院 alone
            out += [name[at + 2 :], name[at:]]
        numbered = re.search(r"第[一二三四五六七八九十]附属医院$", name)
        if numbered and numbered.start() > 0:
            out.append(numbered.group(0))
    for place in _places(name):
        for form in (place + "省", place + "市", place):
            if name.startswith(form) and len(name) > len(form) + 3:
                out.append(name[len(form) :])
                break
        else:
            continue
        break
    for short in list(out):  # 江城市江湾区北湾医院 → 江湾区北湾医院 → 北湾医院
        district = _DISTRICT.match(short)
        if district and len(short) - district.end() >= 4:
            out.append(short[district.end() :])
    return tuple(x for x in out if len(x) >= 3)


_DISTRICT = re.compile(r"^[^区县市省]{1,3}[区县]")


def _abbreviates(short: str, name: str) -> bool:
    """Whether ``short`` is ``name`` with its university abbreviated: 溪岚大学医学院
    附属华安医院 as 溪大华安医院 or 溪岚华安.

    >>> [_abbreviates(s, "溪岚大学医学院附属华安医院") for s in ("溪大华安医院", "溪岚华安")]
    [True, True]

    What stands for the university cannot be left out:

    >>> [_abbreviates(s, "北岭大学附属华安医院") for s in ("北岭华安", "华安医院")]
    [True, False]
    """
    if "附属" not in name or short == name:
        return False
    head, own = name.split("附属", 1)
    if not head:
        return False
    for tail in (own, own.removesuffix("医院")):
        if len(tail) >= 2 and short.endswith(tail) and 2 <= len(short) - len(tail) <= 4:
            lead = short[: len(short) - len(tail)]
            if lead[0] == head[0] and in_order(lead, head):
                return True  # the prefix's characters stand in the university's name, in order
    return False


def _article_links(ex: Extraction) -> list[tuple[str, str]]:
    """Pairs of names one article uses for one organization."""
    links = [(a, b) for a, b, _ in ex.same_as]
    orgs = [n.key for n in ex.names.values() if n.label == "ORG"]
    org_set = set(orgs)
    rules = load_rules()
    runs = {(r.subject, r.object) for r in ex.relations if r.predicate == "operatesHospital"}
    for name in orgs:
        for short in _stripped_forms(name):  # 康桥集团有限公司: 康桥集团, 康桥
            if short in org_set and (
                org_type(short) not in ("Hospital", "InternetHospital")
                # 某医院有限公司 is 某医院's legal name, unless it runs another hospital
                or org_type(name) == org_type(short)
                and not any(s == name and o != short for s, o in runs)
            ):
                links.append((name, short))
        # 北湾二院, 溪大四附院; a bare 附四院 only where one hospital fits
        numbered = [o for o in orgs if _ordinal_abbreviates(name, o)]
        if len(numbered) == 1 or (numbered and _ORDINAL.match(name).group(1)):
            links += [(o, name) for o in numbered]
        for legal in ("股份有限公司", "有限责任公司", "有限公司"):  # 甲银行股份有限公司乙分行
            if legal in name and not name.endswith(legal):
                other = name.replace(legal, "", 1)
                if other in org_set:
                    links.append((name, other))
        for short in _short_forms(name):  # 广东省北湾人民医院, 北岭大学附属华安医院
            if short in org_set and short != name:
                links.append((name, short))
        for other in orgs:  # "华北分公司" for "明川医疗华北分公司"
            if (
                other != name
                and name.endswith(other)
                and len(other) >= 4
                and rules.suffixes.get(rules.suffix(other) or "", ("", ""))[1] == "branch"
                and len(other) > len(rules.suffix(other) or "")
            ):
                links.append((name, other))
        links += [(name, other) for other in _variants(name, org_set)]
        core = _core(name)
        if not core:
            continue
        cores = (core, _strip_form(name))  # 湖北澜石堂投资控股有限公司: 澜石堂…, 湖北澜石堂…
        for other in orgs:
            if other == name or not any(c.startswith(other) for c in cores) or len(other) < 2:
                continue
            if _strip_form(other) is not None or org_type(other) in (
                "Hospital",
                "InternetHospital",
            ):
                continue  # a hospital is not the company named after it
            if any(other + s in org_set for s, (_, k) in rules.suffixes.items() if k == "group"):
                continue  # 康桥 is 康桥集团's, not 北京康桥健康有限公司's
            links.append((name, other))
    return links


_PLACE_LEAD = re.compile(r"^[\u4e00-\u9fff]{2,3}?[省市]")


def _variants(name: str, names: set[str]) -> list[str]:
    """Other names in ``names`` that one article uses for ``name``: without
    公司 (溪岚公司, 溪岚), without a place written with 省 or 市 that the place
    table may not know (北岭市明川集团, 明川集团), without 中国 or 国家 (中国江州
    保险, 江州保险), and a short form that keeps the first and the last
    character and others in order, in at most five (溪岚慈济医院, 溪岚慈院; not a name with
    the same ending, as 北湾医院 is not 北湾大学第一医院, nor the start of the
    name, as 北湾医院 is not 北湾医院东山分院), and the name with its university
    said by two characters (岚溪大学松禾学院, 岚大松禾学院).

    >>> sorted(_variants("北岭市明川控股集团", {"明川控股集团", "北岭市明川控股集团"}))
    ['明川控股集团']
    >>> _variants("溪岚慈济医院", {"溪岚慈院", "溪岚医院"})
    ['溪岚慈院']
    >>> _variants("北湾县卫健委", {"北湾县委"})  # the county's party committee
    []
    >>> _variants("国家江州总局", {"中国江州总局", "江州总局"})
    ['江州总局', '中国江州总局']
    >>> _variants("江州岚溪大学松禾学院", {"江州岚大松禾学院"})
    ['江州岚大松禾学院']
    """
    out = []
    if name.endswith("公司") and len(name) >= 4 and name[:-2] in names:
        out.append(name[:-2])
    lead = _PLACE_LEAD.match(name)
    if lead and len(name) - lead.end() >= 4 and name[lead.end() :] in names:
        out.append(name[lead.end() :])
    for nation in ("中国", "国家"):
        if name.startswith(nation) and len(name) >= 5:
            rest, other = name[2:], ("国家" if nation == "中国" else "中国") + name[2:]
            out += [x for x in (rest, other) if x in names]
    kind, rules = org_type(name), load_rules()
    contracted = rules.cue("names", "contraction").sub(r"\g<keep>大", name, count=1)
    if contracted != name and contracted in names:
        out.append(contracted)  # 岚溪大学松禾学院, 岚大松禾学院: the university in two characters
    short = [
        x
        for x in names
        if 3 <= len(x) <= min(5, len(name) - 2)
        and x[0] == name[0]
        and name[0] not in "附市省区县第"  # 附四院, 市七院: a form many bodies share
        and not (x[-1] == "委" and x[-2] in rules.cues["names"]["seat_ends"])  # 北湾县委
        and x[-1] == name[-1]
        and (org_type(x) == kind or rules.suffix(x) is None)
        and not name.endswith(_whole_suffix(x))
        and not name.startswith(x)  # 北湾医院东山分院, 北湾三院高新分院: a unit of it
        and in_order(x, name)
    ]
    out += short
    return [x for x in dict.fromkeys(out) if x != name]


def _whole_suffix(name: str) -> str:
    """The name's suffix if it is a word of two characters or more (医院, 大学), else "\\0"."""
    suffix = load_rules().suffix(name) or ""
    return suffix if len(suffix) >= 2 else "\0"


def _corpus_links(names: set[str]) -> list[tuple[str, str]]:
    """Pairs of names, from any articles, that are two spellings of one name:
    a name and the name plus 公司, a place's name with and without 市
    (北湾市第二医院, 北湾第二医院), a university's hospital with the university
    abbreviated (溪岚大学附属华安医院, 溪大华安医院).

    Legal and group forms are linked only within an article: across articles
    甲集团有限公司 and 甲 are as often a group and its listed company.

    >>> _corpus_links({"溪岚健康", "溪岚健康公司"})
    [('溪岚健康公司', '溪岚健康')]
    >>> _corpus_links({"北湾市第二医院", "北湾第二医院"})
    [('北湾市第二医院', '北湾第二医院')]
    """
    out = []
    keys = {match_key(name): name for name in sorted(names)}  # 深圳卫计委 for 深圳卫生计生委
    by_tail: dict[str, list[str]] = defaultdict(list)  # 华安医院, 华安 → 北岭大学附属华安医院
    for name in names:
        if "附属" in name:
            own = name.split("附属", 1)[1]
            for tail in {own, own.removesuffix("医院")}:
                by_tail[tail].append(name)
    for name in sorted(names):
        for n in range(2, len(name) - 1):
            out += [(long, name) for long in by_tail.get(name[n:], ()) if _abbreviates(name, long)]
        if name.endswith("公司") and name[:-2] in names and len(name) > 4:
            out.append((name, name[:-2]))
        at = name.find("市")
        if 2 <= at <= 3 and len(name) - at > 3:
            other = keys.get(match_key(name[:at] + name[at + 1 :]))
            if other and org_type(other) == org_type(name):
                out.append((name, other))
    return out


def resolve(
    extractions: Sequence[tuple[str, Extraction]],
    merge: Sequence[tuple[str, str]] = (),
    split: Sequence[str] = (),
    problems: list[str] | None = None,
    ids: Mapping[tuple[str, str], str] | None = None,
) -> KnowledgeBase:
    """Merge the names of every article into entities and map facts onto them.

    Args:
        extractions: ``(article key, Extraction)`` pairs, in any order.
        merge: pairs of names to treat as one entity (from corrections).
        split: names kept apart from every other name (from corrections).
        problems: where to report merge or split names that match nothing.
        ids: the ids an earlier build gave each name (``KnowledgeBase.ids``):
            an entity takes the id most of its names had, so that it keeps
            its IRI; the others get one from their canonical name.

    Returns:
        KnowledgeBase: entities keyed by id, facts with their evidence, and
        ``ids`` updated with this build's names.
    """
    from networkx.utils import UnionFind

    from kg.text import normalize

    labels: dict[str, str] = {}
    # each article's names as union-find nodes: (label, match key), by name key
    named = [
        (art, ex, {key: (n.label, match_key(key)) for key, n in ex.names.items()})
        for art, ex in extractions
    ]
    uf = UnionFind(node for _, _, own in named for node in own.values())
    for _, ex, own in named:
        for key, node in own.items():
            labels.setdefault(node[1], ex.names[key].label)
    _check_merges(merge, labels)
    apart = {match_key(normalize(n)) for n in split}
    for _, ex in extractions:
        for a, b in _article_links(ex):
            if match_key(a) in apart or match_key(b) in apart:
                continue
            uf.union(("ORG", match_key(a)), ("ORG", match_key(b)))
    org_keys = {key for _, ex in extractions for key, n in ex.names.items() if n.label == "ORG"}
    for a, b in _corpus_links(org_keys):
        if match_key(a) not in apart and match_key(b) not in apart:
            uf.union(("ORG", match_key(a)), ("ORG", match_key(b)))
    report = problems if problems is not None else []
    for name in split:
        if match_key(normalize(name)) not in labels:
            report.append(f"split: no entity is named {name!r}")
    for a, b in merge:
        ka, kb_ = match_key(normalize(a)), match_key(normalize(b))
        missing = [n for n, k in ((a, ka), (b, kb_)) if k not in labels]
        if missing:
            report.append(f"merge: no entity is named {', '.join(map(repr, missing))}")
            continue
        uf.union((labels[ka], ka), (labels[kb_], kb_))

    # a group is known by its least node: entities are numbered and ties broken in that order
    least = {node: min(group) for group in uf.to_sets() for node in group}
    root_of = {node: least[node] for _, _, own in named for node in own.values()}
    surfaces: dict = defaultdict(Counter)
    types: dict = defaultdict(Counter)
    articles: dict = defaultdict(set)
    for art, ex, own in named:
        for key, name in ex.names.items():
            root = root_of[own[key]]
            seen, n = surfaces[root], 0
            for surface, count in name.surfaces.items():  # Counter.update, without its checks
                seen[surface] = seen.get(surface, 0) + count
                n += count
            types[root][name.type] += n
            articles[root].add(art)

    members: dict = defaultdict(list)
    for node, root in root_of.items():
        members[root].append(node)
    chosen = {
        root: min(surfaces[root], key=lambda s: (-surfaces[root][s], len(s), s))
        for root in sorted(surfaces)
    }
    given = dict(ids or {})
    assigned = _assign_ids(chosen, members, given)
    kb = KnowledgeBase()
    kb.ids = given | {m: assigned[root] for root in chosen for m in members[root]}
    for root, label in chosen.items():
        type_ = _choose_type(types[root]) if root[0] == "ORG" else "Person"
        eid = assigned[root]
        kb.entities[eid] = Entity(
            eid,
            label,
            type_,
            sorted(s for s in surfaces[root] if s != label),
            sorted(articles[root]),
        )

    relations: dict = {}
    positions: dict = {}
    attributes: dict = {}
    for art, ex, own in named:
        # the entity of each name the article uses
        ent = {key: assigned.get(root_of[node]) for key, node in own.items()}.get
        for r in ex.relations:
            s, o = ent(r.subject), ent(r.object)
            if s is None or o is None or s == o:
                continue
            if r.predicate == "partnersWith" and o < s:
                s, o = o, s
            fact = relations.setdefault((s, r.predicate, o), Fact(s, r.predicate, o))
            fact.evidence.append(Evidence(art, r.sentence, r.rule, r.confidence))
        for p in ex.positions:
            s, o = ent(p.person), ent(p.org)
            if s is None or o is None:
                continue
            pos = positions.setdefault((s, o, p.title), PositionFact(s, o, p.title))
            pos.evidence.append(Evidence(art, p.sentence, p.rule, p.confidence))
        for a in ex.attributes:
            s = ent(a.subject)
            if s is None:
                continue
            fact = attributes.setdefault((s, a.key, a.value), Fact(s, a.key, a.value))
            fact.evidence.append(Evidence(art, a.sentence, a.rule, a.confidence))
    kb.relations = [relations[k] for k in sorted(relations)]
    kb.positions = [positions[k] for k in sorted(positions)]
    kb.attributes = [attributes[k] for k in sorted(attributes)]
    for fact in (*kb.relations, *kb.positions, *kb.attributes):
        fact.evidence = _one_per_sentence_and_rule(fact.evidence)
    return kb


def _check_merges(merge: Sequence[tuple[str, str]], kinds: Mapping[str, str]) -> None:
    """Refuse a merge of a person's name with an organization's, before any merge.

    ``kinds`` gives ``"PER"`` or ``"ORG"`` by match key; a merge pair that
    comes from a corrections file (``kg.corrections.Item``) says ``where``.

    Raises:
        CorrectionsError: the message names the file and line of the merge.
    """
    from kg.text import normalize

    for pair in merge:
        a, b = pair
        ka, kb_ = match_key(normalize(a)), match_key(normalize(b))
        if ka in kinds and kb_ in kinds and kinds[ka] != kinds[kb_]:
            person, org = (a, b) if kinds[ka] == "PER" else (b, a)
            where = getattr(pair, "where", "")
            raise CorrectionsError(
                f"{where}{': ' if where else ''}merge: {person!r} is a person and {org!r} an "
                "organization; one entity cannot be both"
            )


def _one_per_sentence_and_rule(evidence: list[Evidence]) -> list[Evidence]:
    """The evidence sorted, one per (article, sentence, rule): the most confident.

    A rule can read the same fact twice in one sentence (directly and through
    anaphora, say); the graph has one assertion for it, with one confidence.

    >>> _one_per_sentence_and_rule([Evidence("a", 1, "r", 0.6), Evidence("a", 1, "r", 0.9)])
    [Evidence(article='a', sentence=1, rule='r', confidence=0.9)]
    """
    best: dict[tuple, Evidence] = {}
    for e in evidence:
        key = (e.article, e.sentence, e.rule)
        if key not in best or e.confidence > best[key].confidence:
            best[key] = e
    return [best[k] for k in sorted(best)]


def _assign_ids(
    labels: Mapping[tuple, str], members: Mapping[tuple, list], given: Mapping[tuple, str]
) -> dict[tuple, str]:
    """An id for each entity (by union-find root): the one most of its names had, or a new one.

    When two entities claim one id (an entity split), the one with more names
    under it keeps it. A new id is a hash of the canonical name's key (with a
    counter when that id is taken), so a build without ``given`` ids is the
    same whatever the input order.
    """
    claims: dict[str, list] = defaultdict(list)
    for root in labels:
        votes = Counter(given[m] for m in members[root] if m in given)
        if votes:
            eid = min(votes, key=lambda e: (-votes[e], e))
            claims[eid].append((-votes[eid], root))
    out = {min(roots)[1]: eid for eid, roots in claims.items()}
    taken = set(given.values()) | set(out.values())
    for root, label in labels.items():
        if root in out:
            continue
        prefix = "person" if root[0] == "PER" else "org"
        seed, n = match_key(label), 0
        eid = f"{prefix}/{hashlib.sha1(seed.encode()).hexdigest()[:12]}"
        while eid in taken:
            n += 1
            eid = f"{prefix}/{hashlib.sha1(f'{seed}#{n}'.encode()).hexdigest()[:12]}"
        taken.add(eid)
        out[root] = eid
    return out


_IDS_HEADER = (
    "# ihkg identifiers: kind, name key, entity id. `kg build` reads and rewrites this file\n"
    "# so that adding articles never changes an entity's IRI; delete it to start afresh.\n"
)


def format_ids(ids: Mapping[tuple[str, str], str]) -> str:
    r"""The ids as TSV text, sorted (see ``parse_ids``).

    >>> format_ids({("ORG", "甲公司"): "org/0123456789ab"}).splitlines()[-1].split("\t")
    ['ORG', '甲公司', 'org/0123456789ab']
    """
    rows = "".join(f"{kind}\t{key}\t{eid}\n" for (kind, key), eid in sorted(ids.items()))
    return _IDS_HEADER + rows


def parse_ids(text: str, problems: list[str] | None = None) -> Ids:
    r"""Read ``format_ids`` text; a malformed line is skipped and reported in ``problems``.

    >>> parse_ids("ORG\t甲公司\torg/0123456789ab\nbad line\n", problems := [])
    {('ORG', '甲公司'): 'org/0123456789ab'}
    >>> problems
    ['line 2: expected kind, name key and id separated by tabs']
    """
    out: Ids = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] not in ("ORG", "PER") or not _ID.match(parts[2]):
            if problems is not None:
                problems.append(f"line {n}: expected kind, name key and id separated by tabs")
            continue
        out[(parts[0], parts[1])] = parts[2]
    return out


_ID = re.compile(r"^(org|person)/[0-9a-f]{12}$")


def _choose_type(counts: Counter) -> str:
    """The most used type; a type a suffix gave beats the default ``Company``."""
    specific = Counter({t: c for t, c in counts.items() if t != "Company"})
    if specific:
        return min(specific, key=lambda t: (-specific[t], t))
    return "Company"
