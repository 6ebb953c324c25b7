"""People's names in a sentence, for ``find_mentions``.

The lexer's PER words, and a name right after a title that the lexer missed
("CEO周远"), unless a verb or a company word is glued to it; the test of what
a person's name can look like (``_plausible_person``) also serves the frames.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from kg.extract.lexicon import _HAN, _RARE, _is_generic
from kg.extract.spans import Mention
from kg.lexer import Lex, word_frequency
from kg.rules import Rules, load_rules

_WORD = 3000  # two characters the dictionary has seen this often are a word, not a name
_NOT_NAME_TAGS = frozenset({"v", "vd", "vn", "d", "ad", "p", "c", "u", "r", "q", "w", "TIME", "m"})


def _persons(
    text: str,
    words: Sequence[Lex],
    tokens: Sequence[tuple[int, int]],
    titles: Sequence[Mention],
    rules: Rules,
) -> list[Mention]:
    out = []
    token_at = {a: b for a, b in tokens}
    stop = rules.cue("names", "person_stop")
    for w in words:
        if w.tag == "PER" and _plausible_person(w.text, rules):
            if _heads_company(words, w.end, rules):
                continue  # "岚彤|投资", "高岚昱泰|健康": the head of a company's name
            end = w.end
            longer = token_at.get(w.start, w.end)
            if (
                len(w.text) == 2
                and longer == w.end + 1
                and _HAN.match(text[w.start : longer])
                and not stop.match(text[w.end])
                and (
                    longer == len(text) or stop.match(text[longer]) or not _HAN.match(text[longer])
                )
            ):
                end = longer  # "高政|南": the tokenizer's word holds the whole name
            elif len(w.text) == 2 and _verb_glued_to_name(text, words, w, stop):
                end = w.end + 1  # "周明|献|签署": one verb does not follow another
            if (
                end - w.start == 3
                and rules.cue("names", "verb_after_name").fullmatch(text[end - 1])
                and _HAN.match(text[end : end + 1])
            ):
                end -= 1  # "周航接|任": the lexer took the verb's first character
            honorific = next(
                (h for h in rules.cues["names"]["honorifics"] if w.text.endswith(h)), ""
            )
            if honorific and len(w.text) - len(honorific) >= 2:
                end = w.end - len(honorific)  # "林海女士" as one word: the name is 林海
            conf = rules.confidence("lexer-per")
            out.append(
                Mention(w.start, end, text[w.start : end], "PER", "Person", "lexer-per", conf)
            )
    starts = {m.start for m in out}
    foreign = rules.cue("names", "foreign_person")
    for t in titles:
        at = t.end + (text[t.end : t.end + 1] == " ")  # "CEO Tom Lee"
        name = foreign.match(text, at) if at not in starts else None
        if name:
            conf = rules.confidence("name-after-title")
            out.append(Mention(at, name.end(), name.group(0), "PER", "Person", "foreign", conf))
            starts.add(at)
            continue
        if t.end in starts or t.end >= len(text):
            continue
        name = _name_after(text, t.end, words, token_at, rules)
        if name:
            out.append(
                Mention(
                    t.end,
                    t.end + len(name),
                    name,
                    "PER",
                    "Person",
                    "name-after-title",
                    rules.confidence("name-after-title"),
                )
            )
    return out


def _verb_glued_to_name(text: str, words: Sequence[Lex], w: Lex, stop: re.Pattern[str]) -> bool:
    """The lexer cut a two-character name from its third character, which it
    read as a one-character verb before the clause's real verb ("周明|献|签署")
    or glued to the joiner after the name ("周明|献与"); not a modal verb
    ("林志|应|用于") or a word ("周明|参与").

    >>> from kg.lexer import lex
    >>> text = "院长周明献签署协议"
    >>> words = lex(text)
    >>> _verb_glued_to_name(text, words, words[1], load_rules().cue("names", "person_stop"))
    True
    """
    k = next((i for i, x in enumerate(words) if x.start == w.end), None)
    if k is None or k + 1 >= len(words):
        return False
    one, verb = words[k], words[k + 1]
    rules = load_rules()
    modal = rules.cue("names", "modal")
    if len(one.text) == 2 and rules.cue("frame", "connector").fullmatch(one.text[1]):
        # "周明|献与|…": the name's last character and the joiner after it (not "参与")
        return (
            word_frequency(one.text) < _RARE
            and bool(_HAN.match(one.text[0]))
            and not stop.match(one.text[0])
            and not modal.match(one.text[0])
        )
    return (
        one.tag == "v"
        and len(one.text) == 1
        and _HAN.match(one.text) is not None
        and not stop.match(one.text)
        and not modal.match(one.text)
        and verb.tag == "v"
        and len(verb.text) >= 2
    )


def _heads_company(words: Sequence[Lex], end: int, rules: Rules) -> bool:
    """The lexer's word at ``end`` ends a company's name ("岚彤|投资", "高岚昱泰|健康|股权…"),
    not a word that begins with one ("周海锋|健康状况").

    >>> from kg.lexer import lex
    >>> rules = load_rules()
    >>> _heads_company(lex("阿岚瑞资本等"), 3, rules), _heads_company(lex("林海医生说"), 2, rules)
    (True, False)
    """
    word = next((w for w in words if w.start == end), None)
    return word is not None and word.text in _company_tails(rules)


@functools.cache
def _company_tails(rules: Rules) -> tuple[str, ...]:
    """Suffixes that end a company's name after a brand, not a person's title."""
    kinds = ("legal", "group", "brand")
    return tuple(
        s
        for s, (_, kind) in rules.suffixes.items()
        if kind in kinds and len(s) >= 2 and s not in rules.cues["names"]["honorifics"]
    )


def _plausible_person(name: str, rules: Rules) -> bool:
    if not 2 <= len(name) <= 4 or not _HAN.match(name):
        return False
    rest = name[2:] if name[:2] in rules.compound_surnames else name[1:]
    if rest in ("总", "董", "老", "工", "总监") or rest in rules.cues["names"]["honorifics"]:
        return False
    if rules.title_pattern.fullmatch(rest) or _is_generic(name, rules):
        return False
    return True


def _name_after(text: str, pos: int, words: Sequence[Lex], token_at: dict, rules: Rules) -> str:
    head = text[pos : pos + 2]
    if not (head[:1] in rules.surnames or head in rules.compound_surnames):
        return ""
    if word_frequency(head) >= _WORD:
        return ""  # "理事|单位代表", "董事长|任期为": a common word, not a name
    if rules.cue("names", "leading_preposition").match(head) and head[1:] in rules.surnames:
        return ""  # "董事长|由周航担任": a preposition, then the name
    word = next((w for w in words if w.start == pos), None)
    if (
        word is not None
        and len(word.text) == 2
        and word.tag in _NOT_NAME_TAGS
        and not rules.cue("names", "person_end").match(text, word.end)
        and not (word_frequency(word.text) < _RARE and re.match(r"[、,;。]|$", text[word.end :]))
    ):
        return ""  # "院长强调": a verb, not a name ("总裁张望一行", "校长林军," are one)
    stop = rules.cue("names", "person_stop")
    end = token_at.get(pos)
    if end is not None and 2 <= end - pos <= 4 and _HAN.match(text[pos:end]):
        cand = text[pos:end]
        after = text[end : end + 2]
        if (
            len(cand) == 2
            and after[:1]
            and not stop.match(after[:1])
            and _HAN.match(after[:1])
            and (len(after) < 2 or stop.match(after[1]) or not _HAN.match(after[1]))
        ):
            cand = text[pos : end + 1]  # "江北|辰、": most names have three characters
    else:
        n = 0
        while pos + n < len(text) and n < 3 and not stop.match(text[pos + n]):
            n += 1
        cand = text[pos : pos + n]
    return cand if _plausible_person(cand, rules) else ""
