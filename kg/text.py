"""Text normalisation and sentence splitting: pure ``str`` in, ``Sentence`` out.

Extraction runs on a *normalised* copy of each article: traditional characters
become simplified ones and full-width letters, digits and punctuation become
half-width. The copy has exactly the same length as the original, so a
character offset found in it points at the same place in the text as written,
and labels keep the surface forms the article uses.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from kg.records import fast_pickle

__all__ = [
    "MAX_SENTENCE_CHARS",
    "Sentence",
    "bounded_spans",
    "collapse_spaces",
    "fold_key",
    "normalize",
    "plural",
    "shorten",
    "split_sentences",
    "to_simplified",
    "xml_safe",
]

# Characters after which a sentence ends, and closers that stay with it.
_ENDERS = "。！？!?；;"
_CLOSERS = "”’」』）)》\"'"
_SENTENCE_END = re.compile(rf"[{re.escape(_ENDERS)}]+[{re.escape(_CLOSERS)}]*")
# What XML 1.0 cannot hold: C0 controls but tab, line feed and carriage return;
# surrogates; U+FFFE and U+FFFF (https://www.w3.org/TR/xml/#charsets).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200b\u202f\u205f\ufeff]+")
_SOFT_BREAKS = re.compile(r"[，,、：:\s]")
# A sentence is at most a few hundred characters; a run of text this long
# without a full stop is cut at a comma (or anywhere), so that extraction,
# whose cost grows faster than the length of a sentence, stays linear.
MAX_SENTENCE_CHARS = 2_000


@fast_pickle
@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of an article, with its place in the article's text.

    Attributes:
        index (int): position of the sentence in the article, from 0.
        start (int): offset of its first character in ``Article.text``.
        end (int): offset one past its last character.
        text (str): the sentence as written.
    """

    index: int
    start: int
    end: int
    text: str


@functools.cache
def _t2s():
    import opencc  # imported on first use: nothing heavy at import time

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Convert traditional Chinese to simplified, keeping the length.

    OpenCC converts phrases, which can change the length of a string; when it
    does, each character is converted on its own instead.

    >>> to_simplified("華東腫瘤防治聯盟")
    '华东肿瘤防治联盟'
    """
    converted = _t2s().convert(text)
    if len(converted) == len(text):
        return converted
    out = []
    for ch in text:
        c = _t2s().convert(ch)
        out.append(c if len(c) == 1 else ch)
    return "".join(out)


def _fold(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


def normalize(text: str) -> str:
    """Return the matching form of ``text``: simplified, half-width, same length.

    >>> normalize("安和好醫生（０１８３３.ＨＫ）")
    '安和好医生(01833.HK)'
    >>> len(normalize("ﬁ㈱")) == len("ﬁ㈱")
    True
    """
    folded = "".join(_fold(ch) for ch in text)
    return to_simplified(folded)


def fold_key(name: str) -> str:
    """The form a name is looked up by: ``normalize``d (simplified, half-width),
    lower case, without spaces. Search, ``kg neighbors``, ``kg path`` and the
    name parameters of ``kg query`` all compare names this way.

    >>> fold_key("東康 Health") == fold_key("东康health")
    True
    """
    return "".join(normalize(name).casefold().split())


def plural(n: int, noun: str) -> str:
    """A count and its noun, plural unless the count is 1.

    >>> plural(1, "entity"), plural(2, "entity"), plural(0, "relation"), plural(1, "day")
    ('1 entity', '2 entities', '0 relations', '1 day')
    """
    if n != 1:
        consonant_y = noun.endswith("y") and noun[-2:-1] not in tuple("aeiou")
        noun = noun[:-1] + "ies" if consonant_y else noun + "s"
    return f"{n} {noun}"


def xml_safe(text: str, replacement: str = "") -> str:
    """``text`` without the characters XML 1.0 cannot hold (``NOT_XML``).

    Text is cleaned when it is read, so that every export format, RDF/XML,
    GraphML and GEXF included, can hold all of it. Each such character becomes
    ``replacement`` (by default it is dropped), but a vertical tab or form feed,
    which separate words, becomes a space.

    Args:
        text (str): the text.
        replacement (str): what each character becomes (``"\\ufffd"`` to show it).

    Returns:
        str: the text, or ``text`` itself when it holds no such character.

    >>> xml_safe("甲公司\\x01与\\x0b乙医院")
    '甲公司与 乙医院'
    >>> xml_safe("bad\\x1b.txt", "\\ufffd")
    'bad�.txt'
    """
    if NOT_XML.search(text) is None:
        return text
    return NOT_XML.sub(lambda m: " " if m.group() in "\x0b\x0c" else replacement, text)


def collapse_spaces(text: str) -> str:
    """``text`` with each run of white space (no-break and zero-width spaces
    too) made one space, and trimmed.

    >>> collapse_spaces(" 甲  \\t 乙\\n")
    '甲 乙'
    """
    return _SPACES.sub(" ", text).strip()


def shorten(text: str, n: int = 60) -> str:
    """``text`` cut to ``n`` characters, the last an ellipsis, to quote in a message.

    >>> shorten("甲乙丙丁", 3)
    '甲乙…'
    """
    return text if len(text) <= n else text[: n - 1] + "…"


def split_sentences(text: str, spans: Iterable[tuple[int, int]] | None = None) -> list[Sentence]:
    """Split ``text`` into sentences on Chinese and Latin sentence punctuation.

    Args:
        text (str): the article text.
        spans (iterable of (start, end)): blocks that a sentence never crosses,
            such as paragraphs; the whole text if omitted.

    Returns:
        list[Sentence]: non-empty sentences in order, whitespace trimmed.

    >>> [s.text for s in split_sentences("甲与乙达成合作。双方将共建平台！")]
    ['甲与乙达成合作。', '双方将共建平台！']
    >>> s = split_sentences("第一段。\\n（图注）")[1]
    >>> (s.start, s.end, s.text)
    (5, 9, '（图注）')
    """
    if spans is None:
        spans = _lines(text)
    sentences: list[Sentence] = []
    for block_start, block_end in spans:
        pos = block_start
        block = text[block_start:block_end]
        cuts = [m.end() + block_start for m in _SENTENCE_END.finditer(block)]
        for cut in [*cuts, block_end]:
            _append(sentences, text, pos, cut)
            pos = cut
    return sentences


def bounded_spans(text: str, start: int, end: int, limit: int = MAX_SENTENCE_CHARS):
    """Cut ``text[start:end]`` into spans of at most ``limit`` characters.

    A cut falls after the last full stop that leaves a span of ``limit`` or
    less, so no sentence is cut that fits; a longer one is cut at its last
    comma, or at the limit.

    >>> list(bounded_spans("甲。乙，丙丁戊", 0, 7, limit=3))
    [(0, 2), (2, 4), (4, 7)]
    >>> list(bounded_spans("甲乙丙丁戊", 0, 5, limit=2))
    [(0, 2), (2, 4), (4, 5)]
    """
    while end - start > limit:
        window = text[start : start + limit]
        # full stops (with their closing quotes) that end inside the window
        stops = [
            m.end() - start
            for m in (
                _SENTENCE_END.match(text, start + w.start()) for w in _SENTENCE_END.finditer(window)
            )
            if m is not None and m.end() <= start + limit
        ] or [m.end() for m in _SOFT_BREAKS.finditer(window)]
        cut = start + (stops[-1] if stops else limit)
        yield start, cut
        start = cut
    yield start, end


def _lines(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        sentences.append(Sentence(len(sentences), start, end, text[start:end]))


def in_order(short: str, name: str) -> bool:
    """Whether every character of ``short`` stands in ``name``, in order: how an
    abbreviation is made (北湾二院 of 溪岚大学北湾第二医院).

    >>> in_order("北湾二院", "溪岚大学北湾第二医院"), in_order("二北院", "溪岚大学北湾第二医院")
    (True, False)
    """
    rest = iter(name)
    return all(ch in rest for ch in short)
