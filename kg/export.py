"""Writing outputs: deterministic Turtle, written atomically.

Every file is written to a temporary file in the same folder and renamed into
place, so a build stopped half-way leaves the previous output intact.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rdflib import Graph

from kg.errors import GraphError

__all__ = ["load_graph", "serialize_turtle", "write_atomic", "write_turtle"]


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = write_atomic(p, "甲")
    >>> p.read_text(encoding="utf-8")
    '甲'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def serialize_turtle(graph: Graph) -> str:
    """Turtle text that is the same for the same triples, byte for byte.

    rdflib's ``longturtle`` writer sorts subjects and predicates; with no blank
    nodes in the graph its output does not depend on insertion order or on
    ``PYTHONHASHSEED``.
    """
    return graph.serialize(format="longturtle")


def write_turtle(graph: Graph, path: str | Path) -> Path:
    """Write ``graph`` as deterministic Turtle, atomically."""
    return write_atomic(path, serialize_turtle(graph))


def load_graph(path: str | Path) -> Graph:
    """Read a graph file (format from its suffix).

    Raises:
        GraphError: the file is missing or does not parse.
    """
    from kg.graph import new_graph

    path = Path(path)
    if not path.is_file():
        raise GraphError(f"{path}: no such graph file (run `kg build` first)")
    g = new_graph()
    try:
        g.parse(path)
    except Exception as e:  # rdflib raises many kinds of parser errors
        raise GraphError(f"{path}: cannot parse graph ({e})") from None
    return g
