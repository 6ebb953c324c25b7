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


# name, title, suffix, writer in kg.export, other names, other suffixes, pyoxigraph's RdfFormat
# (none: a network format; pyoxigraph reads every format that holds the whole graph)
_ROWS = (
    ("turtle", "Turtle", ".ttl", "generate_turtle", "", "", "TURTLE"),
    ("nt", "N-Triples", ".nt", "generate_nt", "ntriples", ".ntriples", "N_TRIPLES"),
    ("json-ld", "JSON-LD", ".jsonld", "generate_jsonld", "jsonld", ".json", "JSON_LD"),
    ("trig", "TriG", ".trig", "generate_trig", "", "", "TRIG"),
    ("nquads", "N-Quads", ".nq", "generate_nquads", "", ".nquads", "N_QUADS"),
    ("xml", "RDF/XML", ".rdf", "generate_xml", "", ".xml .owl", "RDF_XML"),
    ("graphml", "GraphML", ".graphml", "generate_graphml", "", "", None),
    ("gexf", "GEXF", ".gexf", "generate_gexf", "", "", None),
    ("csv", "CSV", ".zip", "generate_csv_zip", "", "", None),
)

_TABLE = tuple(
    Format(
        name,
        title,
        suffix,
        f"kg.export:{writer}",
        ox is None,
        (*names.split(),),
        (*more.split(),),
        ox,
    )
    for name, title, suffix, writer, names, more, ox in _ROWS
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
