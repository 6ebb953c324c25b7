"""The article pass over the sentences' mentions (``complete_mentions``).

Every organization or person name found anywhere in the article is looked for
in every sentence, so a short name that the rules only recognise in one place
("康桥健康CEO") is found everywhere, and a fragment the lexer cut wrongly ("康桥"
of "康桥健康") gives way to the name; "该公司", "该院" go to the organization meant.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import replace

from kg.extract.frames import frame_names
from kg.extract.lexicon import org_type, stock_code_parenthesis
from kg.extract.mentions import _resolve
from kg.extract.spans import Alias, Mention
from kg.lexer import Lex
from kg.rules import Rules, load_rules

__all__ = ["complete_mentions"]


_LATIN_EDGE = re.compile(r"[A-Za-z0-9]")


def _titled_or_surnamed(m: Mention, mentions: Sequence[Mention], rules: Rules) -> bool:
    """The tagger's person ``m`` begins with a surname of ``surnames.txt`` or
    follows a title: "雨桐", "青岚" alone are no one's name, "院长傅岚" is."""
    if m.rule != "lexer-per" or m.text[:1] in rules.surnames:
        return True
    return m.text[:2] in rules.compound_surnames or any(
        t.label == "TITLE" and t.end == m.start for t in mentions
    )


def complete_mentions(
    texts: Sequence[str],
    mentions: Sequence[Sequence[Mention]],
    aliases: Sequence[Sequence[Alias]],
    headline: str = "",
    words: Sequence[Sequence[Lex]] | None = None,
    headline_found: tuple[Sequence[Mention], Sequence[Alias]] | None = None,
) -> list[list[Mention]]:
    """Find every name of the article in every sentence of it.

    Args:
        texts: the article's normalised sentences.
        mentions: ``find_mentions`` results per sentence.
        aliases: alias results per sentence.
        headline: the article's normalised title; names that stand in a frame
            there (``frame_names``) count like names of the body.
        words: the lexer's words per sentence, the headline's last (checks
            the frames' parties); without them the frames are not read.
        headline_found: the headline's own mentions and aliases; with them,
            the headline's completed mentions come last in the result (the
            body's names found in it; its own names do not count in the body).

    Returns:
        list[list[Mention]]: mentions per sentence, weak ones kept only where
        the article supports them, names added where the article uses them.
    """
    rules = load_rules()
    memory = rules.confidence("article-memory")
    org_names: dict[str, str] = {}
    per_names: set[str] = set()
    unsure: set[str] = set()  # the tagger's persons with no surname and no title before
    for sent_mentions, sent_aliases in zip(mentions, aliases, strict=True):
        for m in sent_mentions:
            if m.label == "ORG" and not m.weak and m.confidence >= memory:
                org_names.setdefault(m.text, m.type or "Company")
            elif m.label == "PER" and _titled_or_surnamed(m, sent_mentions, rules):
                per_names.add(m.text)
            elif m.label == "PER":
                unsure.add(m.text)
        for a in sent_aliases:
            if a.kind == "alias":
                owner = next((m for m in sent_mentions if m.start == a.org_start), None)
                org_names.setdefault(a.text, owner.type if owner and owner.type else "Company")
    unsure -= per_names
    framed = [*zip(texts, mentions, strict=True), (headline, ())]
    for (text, sent_mentions), sent_words in zip(framed, words or (), strict=False):
        for name in frame_names(text, sent_mentions, sent_words):
            if name not in per_names:
                org_names.setdefault(name, org_type(name, rules))
    # a person's name and a character that follows names is that name ("林海任内")
    glued = {
        per: short
        for per in per_names
        for short in per_names
        if len(short) >= 2
        and len(per) == len(short) + 1
        and per.startswith(short)
        and rules.cue("names", "after_person").match(per[-1])
    }
    per_names -= set(glued)
    mentions = [
        [
            replace(m, end=m.end - 1, text=glued[m.text])
            if m.label == "PER" and m.text in glued
            else m
            for m in sent_mentions
        ]
        for sent_mentions in mentions
    ]
    # a "person" that begins an organization's name is that organization ("仁信")
    for per in sorted(per_names | unsure):
        longer = [n for n in org_names if n.startswith(per) and len(n) > len(per)]
        if longer:
            per_names.discard(per)
            org_names.setdefault(per, org_names[min(longer)])
    # a fragment that is a known name less its suffix is a short name ("康桥" of "康桥集团")
    for sent_mentions in mentions:
        for m in sent_mentions:
            if m.weak and any(
                n.startswith(m.text)
                and rules.suffixes.get(n[len(m.text) :], ("", ""))[1] in ("legal", "group")
                for n in list(org_names)
            ):
                org_names.setdefault(m.text, m.type or "Company")
    # weak candidates confirmed anywhere become names too
    for text, sent_mentions in zip(texts, mentions, strict=True):
        for m in sent_mentions:
            if m.weak and _supported(m, sent_mentions, text, org_names):
                org_names.setdefault(m.text, m.type or "Company")
    code = stock_code_parenthesis()
    listed = {  # names with a stock code: "松禾生命(300143.SZ)"
        n for t in texts for c in code.finditer(t) for n in org_names if t.endswith(n, 0, c.start())
    }
    pattern = _name_pattern(list(org_names) + sorted(per_names))
    seats = _government_seats(org_names, rules)
    out = []
    recent: dict[str, str] = {}
    seen: Counter[tuple[str, str]] = Counter()
    sentences = list(zip(texts, mentions, aliases, strict=True))
    if headline_found is not None:
        sentences.append((headline, *headline_found))
    for text, sent_mentions, sent_aliases in sentences:
        extra = []
        hidden = _alias_spans(text, sent_aliases)
        if pattern is not None:
            for mt in pattern.finditer(text):
                a, b = mt.start(), mt.end()
                if any(x <= a < y for x, y in hidden):
                    continue
                name = mt.group(0)
                if (a > 0 and _LATIN_EDGE.match(text[a - 1]) and _LATIN_EDGE.match(name[0])) or (
                    b < len(text) and _LATIN_EDGE.match(text[b]) and _LATIN_EDGE.match(name[-1])
                ):
                    continue  # inside a Latin word ("AB" in "ABC"), not before one ("甲CEO")
                if rules.cue("names", "product").match(text, b):
                    continue
                if name in org_names:
                    conf = rules.confidence("article-name")
                    extra.append(Mention(a, b, name, "ORG", org_names[name], "article-name", conf))
                else:
                    conf = rules.confidence("article-name-person")
                    extra.append(Mention(a, b, name, "PER", "Person", "article-name", conf))
        kept = [
            replace(m, weak=False) if m.weak and m.text in org_names else m for m in sent_mentions
        ]
        kept = [
            m
            for m in kept
            if not m.weak and not (m.label == "PER" and (m.text in org_names or m.text in unsure))
        ]
        products = [(a, b) for a, b in _products(text, pattern)]
        kept = [m for m in kept if not any(a < m.end and m.start < b for a, b in products)]
        taken = kept + extra
        resolved = _resolve(taken + _seat_mentions(text, seats, taken, rules))
        out.append(_resolve(resolved + _anaphora(text, resolved, recent, seen, listed)))
    return out


def _anaphora(
    text: str,
    mentions: Sequence[Mention],
    recent: dict[str, str],
    seen: Counter[tuple[str, str]] | None = None,
    listed: Collection[str] = (),
) -> list[Mention]:
    """ "该公司", "该院": the organization of that kind named last; "公司将…": the
    one the article is about: the listed company (``listed``: names the
    article gives a stock code) named most often so far, else any.

    ``recent`` maps a type to the last organization of that type seen so far
    in the article, ``seen`` counts (type, name) mentions; both are updated as
    the article is read.

    >>> recent, seen = {}, Counter()
    >>> qh = Mention(0, 4, "松禾医疗", "ORG", "Company", "r", 0.9)
    >>> ls = Mention(5, 9, "溪岚科技", "ORG", "Company", "r", 0.9)
    >>> _ = _anaphora("松禾医疗", [qh], recent, seen)
    >>> text = "松禾医疗与溪岚科技合作,该公司…,公司将…"
    >>> [m.text for m in _anaphora(text, [qh, ls], recent, seen)]
    ['溪岚科技', '松禾医疗']
    """
    seen = Counter() if seen is None else seen
    rules = load_rules()
    out = []
    pos = 0
    titles = {m.start for m in mentions if m.label == "TITLE"}
    events = sorted(
        [(m.start, "m", m) for m in mentions if m.label == "ORG"]
        + [(a.start(), "a", a) for a in rules.cue("anaphora", "pattern").finditer(text)]
        + [  # "集团执行董事林海", "学校党委书记周航": the body the article is about
            (a.start(), "a", a)
            for a in rules.cue("anaphora", "before_title").finditer(text)
            if a.end() in titles
        ],
        key=lambda e: e[0],
    )
    for start, what, item in events:
        if what == "m":
            recent[item.type or "Company"] = item.text
            seen[(item.type or "Company", item.text)] += 1
            continue
        if start < pos:
            continue
        found = item.groupdict()
        kind = found.get("kind") or found["bare"]
        types = rules.cues["anaphora"]["antecedents"][kind]
        target = next((recent[t] for t in types if t in recent), None)
        if found["bare"] and target is not None:
            kin = [n for (t, n) in seen if t == types[0]]
            named = [n for n in kin if kind == "集团" and kind in n]  # "集团…": a group
            if kind == "公司":  # "公司…" in a listed company's news is that company
                named = [n for n in kin if n in listed]
            target = max(named or kin, key=lambda n: seen[(types[0], n)], default=target)
        if target is not None:
            conf = rules.confidence("anaphora")
            out.append(Mention(item.start(), item.end(), target, "ORG", types[0], "anaphora", conf))
        pos = item.end()
    return out


def _alias_spans(text: str, aliases: Sequence[Alias]) -> list[tuple[int, int]]:
    """The parentheses that hold aliases: names inside them are not mentions."""
    spans = []
    for a in aliases:
        close = text.find(")", a.end)
        spans.append((a.org_end, close + 1 if close >= 0 else a.end))
    return spans


def _products(text: str, pattern: re.Pattern[str] | None):
    """Spans of "<name>App": a product, not its maker."""
    if pattern is None:
        return
    product = load_rules().cue("names", "product")
    for mt in pattern.finditer(text):
        if product.match(text, mt.end()):
            yield mt.start(), product.match(text, mt.end()).end()


def _supported(m: Mention, mentions: Sequence[Mention], text: str, names: dict) -> bool:
    """A weak organization is confirmed by a title right after it, a word for
    its kin right before it when it ends like a name ("母公司|甲集团"), or by
    being joined to a known organization with 与/和/、/携手."""
    after = next((o for o in mentions if o.start >= m.end), None)
    if after is not None and after.start == m.end and after.label == "TITLE":
        return True
    rules = load_rules()
    if rules.cue("names", "kin_before").search(text, 0, m.start):
        return bool(rules.suffix(m.text))  # "母公司|明川集团"
    for o in mentions:
        if o is m or o.label != "ORG" or o.weak:
            continue
        gap = text[o.end : m.start] if o.end <= m.start else text[m.end : o.start]
        if gap in ("与", "和", "、", "及", "携手", "联手"):
            return True
    return False


def _government_seats(org_names: dict[str, str], rules: Rules) -> dict[str, str]:
    """Places whose government the article names: "北湾市" for 北湾市人民政府.

    >>> names = {"北湾市人民政府": "GovernmentAgency", "江州医院": "Hospital"}
    >>> _government_seats(names, load_rules())
    {'北湾市': '北湾市人民政府'}
    """
    rest = rules.cue("position", "government_rest")
    ends = rules.cues["names"]["seat_ends"]
    seats: dict[str, str] = {}
    for name, type_ in org_names.items():
        if type_ != "GovernmentAgency":
            continue
        cut = next(
            (
                i
                for i in range(2, len(name))
                if name[i - 1] in ends and name[i] not in ends and rest.fullmatch(name[i:])
            ),
            None,
        )
        if cut is not None:
            seats.setdefault(name[:cut], name)
    return seats


def _seat_mentions(
    text: str, seats: dict[str, str], taken: Sequence[Mention], rules: Rules
) -> list[Mention]:
    """A place whose government the article names, standing as a party
    ("北湾市与甲大学签约", "甲医院、北湾县和乙公司"): the government. Its
    relations go to the government (``kg.extract._places_as_governments``).
    """
    out = []
    party = rules.cue("names", "seat_party")
    for place in seats:
        for m in re.finditer(re.escape(place), text):
            a, b = m.span()
            if any(t.start < b and a < t.end for t in taken):
                continue
            if party.match(text, b) and (
                a == 0 or party.match(text[a - 1]) or text[a - 1] in ",;:。"
            ):
                conf = rules.confidence("article-name")
                out.append(Mention(a, b, place, "ORG", "GovernmentAgency", "seat-government", conf))
    return out


def _name_pattern(names: list[str]) -> re.Pattern[str] | None:
    names = [n for n in names if len(n) >= 2]
    if not names:
        return None
    return re.compile("|".join(map(re.escape, sorted(set(names), key=len, reverse=True))))
