"""Extraction: one article in, its names and facts out (``extract_article``).

The spaCy pipeline (``kg.nlp``) finds mentions sentence by sentence; the
article pass (``coref.complete_mentions``) makes every name the article uses
count in every sentence; ``positions``, ``relations`` and ``attributes`` then
read facts off each sentence with the cue and title tables, and ``names`` the
relations a name states by itself. The code is the same for every article:
what is specific to the genre is in ``kg/rules``.
"""

from __future__ import annotations

from dataclasses import replace

from kg.articles import HEADLINE, Article
from kg.extract.attributes import extract_attributes
from kg.extract.coref import complete_mentions
from kg.extract.facts import Attribute, Extraction, Name, Position, Relation
from kg.extract.lexicon import org_type
from kg.extract.names import name_relations, split_department
from kg.extract.positions import extract_positions, government_of, on_governments
from kg.extract.relations import extract_relations
from kg.rules import HEAD_RELATIONS, Rules, load_rules
from kg.text import in_order, normalize

__all__ = ["Attribute", "Extraction", "Name", "Position", "Relation", "extract_article"]


def extract_article(article: Article, nlp=None) -> Extraction:
    """Names, relations, positions and attributes stated in one article.

    Args:
        article (Article): a read article.
        nlp: the pipeline (``kg.nlp.get_nlp()`` by default).

    Returns:
        Extraction: names keyed by their normalised form, facts with the
        index of the sentence they come from.
    """
    sentences = article.sentences
    texts, mentions, docs = article_mentions(article, nlp)
    *texts, headline = texts
    *mentions, headline_mentions = mentions
    docs = docs[:-1]
    out = Extraction()
    first_seen: dict[str, int] = {}
    seen_orgs: list = []  # organizations named so far, for "联手成立互联网医疗中心"
    state: dict = {}
    anaphoric = {
        (s.index, m.text)
        for s, ms in zip(sentences, mentions, strict=True)
        for m in ms
        if m.rule == "anaphora"
    }
    for sent, text, ms, doc in zip(sentences, texts, mentions, docs, strict=True):
        for m in ms:
            if m.label in ("ORG", "PER") and m.rule != "anaphora":
                out.add_name(m.text, m.label, m.type or "Company", sent.text[m.start : m.end])
                first_seen.setdefault(m.text, sent.index)
        for a in doc._.aliases:
            owner = text[a.org_start : a.org_end]
            surface = sent.text[a.start : a.end]
            if a.kind == "stockCode":
                out.attributes.append(
                    Attribute(
                        owner,
                        "stockCode",
                        surface,
                        sent.index,
                        "stock-code",
                        load_rules().confidence("stock-code"),
                    )
                )
            elif a.text != owner:
                owner_type = out.names[owner].type if owner in out.names else "Company"
                out.add_name(a.text, "ORG", owner_type, surface)
                out.same_as.append((owner, a.text, "alias-parenthesis"))
        positions, heads = extract_positions(text, ms, sent.index, state.get("subject"))
        out.positions += positions
        out.relations += heads
        seen_orgs += [m for m in ms if m.label == "ORG"]
        out.relations += extract_relations(text, ms, sent.index, seen_orgs, state)
        out.attributes += extract_attributes(text, ms, sent.index)
    # the headline states relations between names the body uses ("甲与乙签约 共建丙医院"),
    # also in a short form of one ("北湾二院" for the body's 溪岚大学北湾第二医院)
    for r in extract_relations(headline, headline_mentions, HEADLINE, seen_orgs, {}):
        subject, obj = _body_name(r.subject, out), _body_name(r.object, out)
        if subject is not None and obj is not None and subject != obj:
            out.relations.append(replace(r, subject=subject, object=obj))
    out.positions, heads = on_governments(out.positions, out.names)
    out.relations += heads
    out.relations = [_discount(r, anaphoric) for r in out.relations]
    for r in out.relations:  # a name built by a rule ("为甲医院开设互联网医院")
        for key in (r.subject, r.object):
            if key not in out.names:
                out.add_name(key, "ORG", org_type(key), key)
    _add_name_structure(out, first_seen)
    _link_short_governments(out)
    _link_short_places(out)
    _fold_endings(out)
    _places_as_governments(out)
    return out


def _link_short_places(out: Extraction) -> None:
    """ "县中医院", "市第二人民医院", "省药品管理局": the one body the article
    names in full with a place before that name, of which it is a short form.

    >>> ex = Extraction()
    >>> for key in ("北湾县中医院", "县中医院", "市第二人民医院", "江州省药监局", "省药监局"):
    ...     ex.add_name(key, "ORG", "Hospital", key)
    >>> _link_short_places(ex)
    >>> [(full, short) for full, short, _ in ex.same_as]
    [('北湾县中医院', '县中医院'), ('江州省药监局', '省药监局')]
    """
    orgs = [k for k, n in out.names.items() if n.label == "ORG"]
    for short in orgs:
        if short[:1] not in "省市区县" or len(short) < 4:
            continue
        full = [k for k in orgs if k.endswith(short) and len(k) - len(short) >= 2]
        if len(full) == 1:
            out.same_as.append((full[0], short, "short-place-name"))


def _places_as_governments(out: Extraction) -> None:
    """A relation stated with a bare place ("北湾市与甲签约") is its government's
    when the article names that government (北湾市人民政府).

    >>> ex = Extraction()
    >>> for key in ("北湾市", "北湾市人民政府", "甲公司"):
    ...     ex.add_name(key, "ORG", "GovernmentAgency", key)
    >>> ex.relations.append(Relation("北湾市", "partnersWith", "甲公司", 0, "r", 0.9))
    >>> _places_as_governments(ex)
    >>> [(r.subject, r.object) for r in ex.relations], sorted(ex.names)
    ([('北湾市人民政府', '甲公司')], ['北湾市人民政府', '甲公司'])
    """
    orgs = [k for k, n in out.names.items() if n.label == "ORG"]
    government = {
        place: found
        for place in orgs
        if "政府" not in place
        and place[-1:] in "省市区县州"
        and (found := government_of(place, orgs)) is not None
    }
    if government:
        out.relations = [
            replace(
                r,
                subject=government.get(r.subject, r.subject),
                object=government.get(r.object, r.object),
            )
            for r in out.relations
            if government.get(r.subject, r.subject) != government.get(r.object, r.object)
        ]
        used = {k for p in out.positions for k in (p.person, p.org)}
        used |= {a.subject for a in out.attributes} | {k for a, b, _ in out.same_as for k in (a, b)}
        for place in government.keys() - used:  # its facts are its government's now
            del out.names[place]


def _link_short_governments(out: Extraction) -> None:
    """ "市政府", "区卫健委": the one body of that kind the article names in full.

    A bare name like this means a different body in each article, so it is
    replaced by the article's full name; where the article names none, its
    facts are dropped (they could not be told apart from another city's).

    >>> ex = Extraction()
    >>> for key in ("北湾市政府", "市政府", "北湾市卫健委", "区政府"):
    ...     ex.add_name(key, "ORG", "GovernmentAgency", key)
    >>> ex.relations.append(Relation("市政府", "partnersWith", "甲", 0, "r", 0.9))
    >>> _link_short_governments(ex)
    >>> sorted(ex.names), [r.subject for r in ex.relations]
    (['北湾市卫健委', '北湾市政府'], ['北湾市政府'])
    """
    rules = load_rules()

    def brief(name: str) -> str:  # 卫生健康委员会 → 卫健委
        for long, short in rules.abbreviations:
            name = name.replace(long, short)
        return name

    orgs = [k for k, n in out.names.items() if n.label == "ORG"]
    full_of: dict[str, str | None] = {}
    for short in orgs:
        if short[:1] not in "省市区县" or rules.suffixes.get(short[1:], ("",))[0] != (
            "GovernmentAgency"
        ):
            continue
        full = [
            k
            for k in orgs
            if k != short
            and brief(k).endswith(brief(short))
            and len(brief(k)) - len(brief(short)) >= 2
        ]
        full_of[short] = full[0] if len(full) == 1 else None
    _rename(out, full_of)


def _fold_endings(out: Extraction) -> None:
    """A name of four characters or more that ends exactly one longer name of
    its kind in the article is that name said short (北岭大学明川医院 and
    明川医院, 江州市溪岚妇幼医院 and 溪岚妇幼医院): its facts are the long
    name's, and the short one is kept only as a written form (a label) of it,
    so that it joins nothing in another article where it may be short for
    another body.

    >>> ex = Extraction()
    >>> for key in ("北岭大学明川医院", "明川医院", "松禾科技"):
    ...     ex.add_name(key, "ORG", org_type(key), key)
    >>> ex.relations.append(Relation("松禾科技", "partnersWith", "明川医院", 0, "r", 0.9))
    >>> _fold_endings(ex)
    >>> sorted(ex.names), [(r.subject, r.object) for r in ex.relations]
    (['北岭大学明川医院', '松禾科技'], [('松禾科技', '北岭大学明川医院')])
    """
    rules = load_rules()
    orgs = [k for k, n in out.names.items() if n.label == "ORG"]
    full_of: dict[str, str | None] = {}
    for short in orgs:
        if len(short) < 4 or short in rules.generic or short in rules.suffixes:
            continue
        kind = org_type(short)
        longer = [
            k
            for k in orgs
            if k.endswith(short) and len(k) - len(short) >= 2 and org_type(k) == kind
        ]
        if len(longer) == 1 and not _two_names(longer[0][: -len(short)], kind, rules):
            full_of[short] = longer[0]
    for short, full in full_of.items():  # the short form stays one of its labels
        for surface, count in out.names[short].surfaces.items():
            out.names[full].surfaces[surface] = out.names[full].surfaces.get(surface, 0) + count
    _rename(out, full_of)


def _two_names(head: str, kind: str, rules: Rules) -> bool:
    """Whether a long name's ``head`` before a shorter name makes it two names
    run together ("北湾信息中心|松禾医学院", "北湾大|和|松禾控股"), not one name
    and its parent university (北岭大学|明川医院).

    >>> rules = load_rules()
    >>> _two_names("北湾信息中心", "University", rules), _two_names("北岭大学", "Hospital", rules)
    (True, False)
    """
    if any(j in head for j in (*rules.cues["names"]["glued_joiners"], "、")):
        return True
    suffix = rules.suffix(head)
    if suffix is None or rules.suffixes[suffix][1] not in ("name", "legal", "group", "dept"):
        return False
    return not (org_type(head) == "University" and kind == "Hospital")


def _rename(out: Extraction, full_of: dict[str, str | None]) -> None:
    """Every fact of a name in ``full_of`` moved to its full name (dropped where
    that is ``None``), and the name itself no longer kept."""
    if not full_of:
        return
    for short in full_of:  # the bare name is no name of the body elsewhere: not kept
        del out.names[short]

    def named(key: str) -> str | None:
        return full_of.get(key, key) if key in full_of else key

    out.relations = [
        replace(r, subject=named(r.subject), object=named(r.object))
        for r in out.relations
        if named(r.subject) and named(r.object) and named(r.subject) != named(r.object)
    ]
    out.positions = [replace(p, org=named(p.org)) for p in out.positions if named(p.org)]
    out.attributes = [
        replace(a, subject=named(a.subject)) for a in out.attributes if named(a.subject)
    ]
    out.same_as = [
        (named(a), named(b), rule)
        for a, b, rule in out.same_as
        if named(a) and named(b) and named(a) != named(b)
    ]


def article_mentions(article: Article, nlp=None) -> tuple[list[str], list[list], list]:
    """The normalised sentences of an article, their mentions and their docs,
    the headline's last (``HEADLINE``).

    Mentions are completed over the whole article (a name found once counts in
    every sentence, the headline included), as relation rules see them; the
    headline's own names do not count in the body.
    """
    if nlp is None:
        from kg.nlp import get_nlp

        nlp = get_nlp()
    texts = [normalize(s.text) for s in article.sentences]
    headline = normalize(article.title)
    *docs, head_doc = nlp.pipe([*texts, headline])
    mentions = complete_mentions(
        texts,
        [d._.mentions for d in docs],
        [d._.aliases for d in docs],
        headline,
        [d._.lex for d in [*docs, head_doc]],
        (head_doc._.mentions, head_doc._.aliases),
    )
    return [*texts, headline], mentions, [*docs, head_doc]


def _body_name(name: str, out: Extraction) -> str | None:
    """The body's name for a headline's ``name``: itself, or the one body name of
    its kind that holds its characters in order and ends like it (北湾二院 for
    溪岚大学北湾第二医院, 江州市政府 for 江州市人民政府).

    >>> out = Extraction()
    >>> out.add_name("溪岚大学北湾第二医院", "ORG", "Hospital", "溪岚大学北湾第二医院")
    >>> _body_name("北湾二院", out), _body_name("明川医院", out)
    ('溪岚大学北湾第二医院', None)
    """
    if name in out.names:
        return name
    kind = org_type(name)
    fits = [
        key
        for key, n in out.names.items()
        if n.label == "ORG"
        and n.type == kind
        and len(key) > len(name) >= 3
        and key[-1] == name[-1]
        and in_order(name, key)
    ]
    return fits[0] if len(fits) == 1 else None


def _discount(r: Relation, anaphoric: set[tuple[int, str]]) -> Relation:
    """A relation read through "该公司" is less sure than one read off names."""
    if (r.sentence, r.subject) in anaphoric or (r.sentence, r.object) in anaphoric:
        return Relation(
            r.subject,
            r.predicate,
            r.object,
            r.sentence,
            r.rule + "+anaphora",
            round(r.confidence * load_rules().confidence("anaphora-discount"), 2),
        )
    return r


def _add_name_structure(out: Extraction, first_seen: dict[str, int]) -> None:
    """Relations that names state by their form, and departments folded into titles."""
    for key in sorted(out.names):
        name = out.names[key]
        if name.label != "ORG":
            continue
        surface = max(name.surfaces, key=name.surfaces.get)
        known = [k for k, n in out.names.items() if n.label == "ORG" and k != key]
        companies = [k for k in known if out.names[k].type == "Company"]
        for subj, pred, obj, rule in name_relations(key, known, companies):
            for part in (subj, obj):
                if part not in out.names:
                    at = key.find(part)
                    out.add_name(part, "ORG", org_type(part), surface[at : at + len(part)])
            conf = load_rules().confidence("name-structure")
            out.relations.append(Relation(subj, pred, obj, first_seen.get(key, 0), rule, conf))
    folded, heads_of_offices = [], set()
    bodies = [k for k, n in out.names.items() if n.label == "ORG"]
    for p in out.positions:
        split = split_department(p.org, [k for k in bodies if k != p.org])
        if split is not None:
            body, dept = split
            if body not in out.names and p.org in out.names:  # the body the title is held in
                written = out.names[p.org].surfaces
                out.add_name(
                    body, "ORG", org_type(body), max(written, key=written.get)[: len(body)]
                )
            heads_of_offices.add((p.person, p.org))
            folded.append(
                Position(
                    p.person,
                    body,
                    dept + p.title if not p.title.startswith(dept) else p.title,
                    p.sentence,
                    p.rule,
                    p.confidence,
                )
            )
        else:
            folded.append(p)
    out.positions = folded
    # the head of an office heads neither the office (an optional entity) nor its body
    out.relations = [
        r
        for r in out.relations
        if r.predicate not in HEAD_RELATIONS or (r.subject, r.object) not in heads_of_offices
    ]
