"""Check a graph against the project's SHACL shapes (``kg/shapes.ttl``).

``validate(graph)`` runs pySHACL and returns a ``ValidationReport`` whose
``violations`` each name the focus node (with its label), the property path,
the offending value and the shape's message. The shapes check:

- every entity (organization or person) has an ``rdfs:label``, at most one per
  language (``sh:uniqueLang``), tagged ``@zh`` or ``@en``;
- the domain and range of every relation, of ``ihkg:holdsPosition`` and of
  the position properties;
- every relation, position and attribute triple has an ``ihkg:Assertion``
  derived from a sentence of an article (or from the corrections file), and
  every assertion restates a triple the graph has;
- sentences, articles and assertions carry what the provenance queries need.

The shapes are self-contained (no inference, no ontology needed), so other
SHACL engines give the same answer::

    pyshacl -s kg/shapes.ttl out/graph.ttl
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, Namespace
from rdflib.term import Node

from kg.errors import GraphError
from kg.vocab import preferred_label

__all__ = ["SHAPES", "ValidationReport", "Violation", "format_report", "load_shapes", "validate"]

SHAPES = Path(__file__).parent / "shapes.ttl"
"""The shapes file shipped with the package."""

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result, as text.

    Attributes:
        severity (str): ``Violation`` or ``Warning`` (``Info`` is possible too).
        focus (str): the IRI (or literal) of the focus node.
        label (str): its ``rdfs:label`` in the data graph, or empty.
        path (str): the property path, shortened with the graph's prefixes.
        value (str): the offending value, or empty.
        message (str): what is wrong.
        shape (str): the shape that found it.
    """

    severity: str
    focus: str
    label: str
    path: str
    value: str
    message: str
    shape: str

    def __str__(self) -> str:
        """One line: severity, focus node and label, path, value and message.

        >>> print(Violation("Violation", "ihkgid:org/a", "甲公司", "ihkg:ceoOf", "ihkgid:org/b",
        ...                 "not an Organization", "ihkgsh:CeoOfShape"))
        Violation: 甲公司 ihkgid:org/a ihkg:ceoOf ihkgid:org/b: not an Organization
        """
        who = f"{self.label} {self.focus}" if self.label else self.focus
        parts = [f"{self.severity}: {who}", self.path, self.value]
        return " ".join(p for p in parts if p) + f": {self.message}"


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The result of ``validate``: ``conforms`` is false when any result is a
    ``Violation`` (warnings alone do not break conformance)."""

    conforms: bool
    violations: tuple[Violation, ...]

    @property
    def counts(self) -> dict[str, int]:
        """How many results of each severity."""
        out: dict[str, int] = {}
        for v in self.violations:
            out[v.severity] = out.get(v.severity, 0) + 1
        return out

    def as_dict(self) -> dict:
        """Plain data, for ``--json``."""
        keys = ("severity", "focus", "label", "path", "value", "message", "shape")
        return {
            "conforms": self.conforms,
            "counts": self.counts,
            "results": [{k: getattr(v, k) for k in keys} for v in self.violations],
        }


def load_shapes(path: str | Path | None = None) -> Graph:
    """The shapes graph: ``kg/shapes.ttl``, or the Turtle file at ``path``.

    Raises:
        GraphError: the file is missing or does not parse.
    """
    from kg.load import load_graph

    path = Path(path) if path is not None else SHAPES
    if not path.is_file():
        raise GraphError(f"{path}: no such shapes file")
    return load_graph(path)


def _short(graph: Graph, term: Node | None) -> str:
    """A term as text: an IRI with the longest matching prefix of ``graph``
    (``ihkgid:org/1a2b``), a literal in N-Triples syntax, a blank node empty."""
    if term is None or isinstance(term, BNode):
        return ""
    if isinstance(term, Literal):
        return term.n3(graph.namespace_manager)
    iri = str(term)
    best = ("", "")
    for prefix, ns in graph.namespaces():
        if prefix and iri.startswith(str(ns)) and len(str(ns)) > len(best[1]):
            best = (prefix, str(ns))
    local = iri[len(best[1]) :]
    if best[0] and local and not any(c.isspace() or c in '<>"{}|^`\\' for c in local):
        return f"{best[0]}:{local}"
    return f"<{iri}>"


def _path_text(results: Graph, data: Graph, path: Node | None) -> str:
    """A property path as SPARQL-like text: ``ihkg:p``, ``^ihkg:p``."""
    if path is None:
        return ""
    inverse = results.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _short(data, inverse)
    return _short(data, path)


@functools.lru_cache(maxsize=64)
def _prepared(text: str):
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


class _PreparedQueryGraph(Graph):
    """A view of a graph (same store, no copy) that parses each SPARQL text
    once: pySHACL runs a SPARQL constraint once per focus node, and parsing
    with pyparsing costs far more than running the query."""

    def query(self, query_object, *args, **kwargs):
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def validate(graph: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Validate ``graph`` against the SHACL ``shapes`` (by default
    ``kg/shapes.ttl``).

    Args:
        graph (Graph): the data graph, e.g. ``load_graph("out/graph.ttl")``.
        shapes (Graph): a shapes graph; ``load_shapes()`` when not given.

    Returns:
        ValidationReport: ``conforms`` and one ``Violation`` per result, sorted
        by severity, focus node and path.

    Example:
        >>> from rdflib import RDF, URIRef
        >>> from kg.graph import new_graph
        >>> from kg.vocab import IHKG, IHKGID
        >>> g = new_graph()
        >>> _ = g.add((IHKGID["org/a"], RDF.type, IHKG.Company))
        >>> report = validate(g)
        >>> report.conforms
        False
        >>> print(report.violations[0])
        Violation: ihkgid:org/a rdfs:label: an entity needs an rdfs:label
    """
    from pyshacl import validate as shacl_validate

    shapes = load_shapes() if shapes is None else shapes
    data = _PreparedQueryGraph(
        store=graph.store, identifier=graph.identifier, namespace_manager=graph.namespace_manager
    )
    _, results, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
        abort_on_first=False,
        meta_shacl=False,
        advanced=False,
    )
    found = []
    top = [
        r
        for rep in results.subjects(RDF.type, SH.ValidationReport)
        for r in results.objects(rep, SH.result)
    ]  # not the nested sh:detail results
    for result in top:
        focus = results.value(result, SH.focusNode)
        severity = results.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        found.append(
            Violation(
                severity=str(severity).rsplit("#", 1)[-1],
                focus=_short(graph, focus),
                label=(preferred_label(graph, focus) or "") if focus is not None else "",
                path=_path_text(results, graph, results.value(result, SH.resultPath)),
                value=_short(graph, results.value(result, SH.value)),
                message=messages[0] if messages else "",
                shape=_short(shapes, results.value(result, SH.sourceShape)),
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    found.sort(key=lambda v: (order.get(v.severity, 3), v.focus, v.path, v.value, v.message))
    conforms = not any(v.severity == "Violation" for v in found)
    return ValidationReport(conforms, tuple(dict.fromkeys(found)))


def format_report(report: ValidationReport) -> str:
    """The report as lines of text, one per result, then a summary line.

    >>> print(format_report(ValidationReport(True, ())))
    Conforms: 0 violations, 0 warnings.
    """
    lines = [str(v) for v in report.violations]
    n_viol = report.counts.get("Violation", 0)
    n_warn = report.counts.get("Warning", 0)
    verdict = "Conforms" if report.conforms else "Does not conform"
    lines.append(
        f"{verdict}: {n_viol} violation{'s' * (n_viol != 1)}, "
        f"{n_warn} warning{'s' * (n_warn != 1)}."
    )
    return "\n".join(lines)
