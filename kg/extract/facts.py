"""What extraction hands to resolution: names, relations, positions, attributes.

Names are keys in the article's normalised text; each fact records the sentence
it came from, the rule that produced it and that rule's confidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.records import fast_pickle

__all__ = ["Attribute", "Extraction", "Name", "Position", "Relation"]


@fast_pickle
@dataclass(slots=True)
class Name:
    """A name the article uses for one organization or person.

    Attributes:
        key (str): the name in normalised text.
        label (str): ``ORG`` or ``PER``.
        type (str): ontology class (``Company``, ``Person`` …).
        surfaces (dict[str, int]): forms as written, with how often each occurs.
    """

    key: str
    label: str
    type: str
    surfaces: dict[str, int] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(self.surfaces.values())


@fast_pickle
@dataclass(frozen=True, slots=True)
class Relation:
    """``subject predicate object`` between two names, from one sentence."""

    subject: str
    predicate: str
    object: str
    sentence: int
    rule: str
    confidence: float


@fast_pickle
@dataclass(frozen=True, slots=True)
class Position:
    """A person's title at an organization, as written, from one sentence."""

    person: str
    org: str
    title: str
    sentence: int
    rule: str
    confidence: float


@fast_pickle
@dataclass(frozen=True, slots=True)
class Attribute:
    """A literal fact about one name: ``stockCode`` or ``foundingYear``."""

    subject: str
    key: str
    value: str
    sentence: int
    rule: str
    confidence: float


@fast_pickle
@dataclass(slots=True)
class Extraction:
    """Everything one article states.

    ``same_as`` holds pairs of names the article says are one thing (an alias
    in parentheses), with the rule that says so.
    """

    names: dict[str, Name] = field(default_factory=dict)
    same_as: list[tuple[str, str, str]] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)

    def add_name(self, key: str, label: str, type_: str, surface: str) -> None:
        """Record one occurrence of a name."""
        name = self.names.get(key)
        if name is None:
            name = self.names[key] = Name(key, label, type_)
        name.surfaces[surface] = name.surfaces.get(surface, 0) + 1
