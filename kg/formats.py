"""The graph file formats, in one table: name, other names, suffixes, writer.

As in rdflib's plugin registry, a writer is named by ``"module:function"``
and imported on first use, so this module imports nothing heavy and the
command line can list the formats without loading rdflib.

- RDF formats hold the whole graph; pyoxigraph reads each of them
  (``Format.oxigraph``: the name of its ``RdfFormat``), so ``kg.load`` reads
  any file ``kg export`` writes.
- Network formats hold the entities and relations only (``kg.export.flat_network``).

>>> get("jsonld").name, format_of("out/g.nq").name, format_of("g.owl").title
('json-ld', 'nquads', 'RDF/XML')
>>> get("dot")
Traceback (most recent call last):
...
kg.errors.ExportError: unknown format 'dot'; available: turtle, nt, json-ld, trig, nquads, xml, ...
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.errors import ExportError

__all__ = [
    "ALIASES",
    "FORMATS",
    "NETWORK_FORMATS",
    "RDF_FORMATS",
    "Format",
    "format_of",
    "get",
]


@dataclass(frozen=True, slots=True)
class Format:
    """A file format ``kg export`` writes.

    Attributes:
        name (str): its name, as rdflib names it (``--format``).
        title (str): its name for people (the README's list).
        suffix (str): the usual suffix of its files.
        writer (str): ``"module:function"``, a function from a graph to bytes.
        network (bool): whether it holds the network only, not the whole graph.
        aliases (tuple[str, ...]): other names ``--format`` accepts.
        suffixes (tuple[str, ...]): other suffixes that name it.
        oxigraph (str | None): its ``pyoxigraph.RdfFormat``, when pyoxigraph reads it.
    """

    name: str
    title: str
    suffix: str
    writer: str
    network: bool = False
    aliases: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()
    oxigraph: str | None = None

    def serialize(self, graph: Any) -> bytes:
        """``graph`` in this format (the writer, imported on first use)."""
        module, _, function = self.writer.partition(":")
        write: Callable[[Any], bytes] = getattr(importlib.import_module(module), function)
        return write(graph)


_TABLE = (
    Format("turtle", "Turtle", ".ttl", "kg.export:generate_turtle", oxigraph="TURTLE"),
    Format(
        "nt",
        "N-Triples",
        ".nt",
        "kg.export:generate_nt",
        aliases=("ntriples",),
        suffixes=(".ntriples",),
        oxigraph="N_TRIPLES",
    ),
    Format(
        "json-ld",
        "JSON-LD",
        ".jsonld",
        "kg.export:generate_jsonld",
        aliases=("jsonld",),
        suffixes=(".json",),
        oxigraph="JSON_LD",
    ),
    Format("trig", "TriG", ".trig", "kg.export:generate_trig", oxigraph="TRIG"),
    Format(
        "nquads",
        "N-Quads",
        ".nq",
        "kg.export:generate_nquads",
        suffixes=(".nquads",),
        oxigraph="N_QUADS",
    ),
    Format(
        "xml",
        "RDF/XML",
        ".rdf",
        "kg.export:generate_xml",
        suffixes=(".xml", ".owl"),
        oxigraph="RDF_XML",
    ),
    Format("graphml", "GraphML", ".graphml", "kg.export:generate_graphml", network=True),
    Format("gexf", "GEXF", ".gexf", "kg.export:generate_gexf", network=True),
    Format("csv", "CSV", ".zip", "kg.export:generate_csv_zip", network=True),
)

FORMATS: dict[str, Format] = {f.name: f for f in _TABLE}
"""Every format by name, in the order of ``kg export --help``."""

RDF_FORMATS = tuple(name for name, f in FORMATS.items() if not f.network)
"""The formats that hold the whole graph; each reads back to the same graph."""

NETWORK_FORMATS = tuple(name for name, f in FORMATS.items() if f.network)
"""The formats that hold the entities and relations only."""

ALIASES = {alias: f.name for f in _TABLE for alias in f.aliases}
"""Other names a format is given by."""

_BY_SUFFIX = {s: f for f in _TABLE for s in (f.suffix, *f.suffixes)}


def get(name: str) -> Format:
    """The format called ``name`` (or one of its ``aliases``).

    Raises:
        ExportError: no format has that name (the message lists them).
    """
    found = FORMATS.get(ALIASES.get(name, name))
    if found is None:
        raise ExportError(f"unknown format {name!r}; available: {', '.join(FORMATS)}")
    return found


def format_of(path: str | Path, default: str | None = None) -> Format:
    """The format a file's suffix names (in any case), else ``default``.

    Raises:
        ExportError: the suffix names no format and there is no ``default``.
    """
    path = Path(path)
    found = _BY_SUFFIX.get(path.suffix.lower())
    if found is not None:
        return found
    if default is not None:
        return get(default)
    suffix = path.suffix.lower() or "(none)"
    raise ExportError(
        f"{path}: cannot tell the format from the suffix {suffix!r}; "
        f"give one of: {', '.join(FORMATS)}"
    )
