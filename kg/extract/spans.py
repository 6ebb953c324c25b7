"""The spans of a sentence that the finders hand on: ``Mention`` and ``Alias``.

The sentence finders, the article pass, the frames and the relation rules all
read them, so they stand in a module of their own below every one of those.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Alias", "Mention"]


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of a sentence that names an organization, a person or a title.

    Attributes:
        start, end (int): character offsets in the sentence.
        text (str): the span in normalised text.
        label (str): ``ORG``, ``PER`` or ``TITLE``.
        type (str | None): the ontology class of an organization.
        rule (str): the rule that found it.
        confidence (float): how sure that rule is, in [0, 1].
        weak (bool): kept only if the article supports it elsewhere.
    """

    start: int
    end: int
    text: str
    label: str
    type: str | None = None
    rule: str = ""
    confidence: float = 1.0
    weak: bool = False


@dataclass(frozen=True, slots=True)
class Alias:
    """A name or stock code given in parentheses after an organization.

    ``kind`` is ``"alias"`` or ``"stockCode"``; offsets are in the sentence.
    """

    org_start: int
    org_end: int
    start: int
    end: int
    text: str
    kind: str
