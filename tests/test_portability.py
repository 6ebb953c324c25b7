"""Named queries run unchanged in other SPARQL engines and give kg's rows.

Each ``.rq`` file declares its own prefixes, so it runs as written in ARQ,
Fuseki, GraphDB or roqet. Apache Jena (Debian's ``libapache-jena-java``) is
the independent engine: the README's Fuseki recipe (a TDB2 store loaded from
``graph.ttl``) is followed with Jena's own loader and query tool, and every
named query must give the rows ``kg query`` gives.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pytest

from kg.export import write_turtle
from kg.query import load_queries, run_named
from kg.store import open_store

from .jena import jena_classpath, rows, run

QUERIES = load_queries()


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_named_query_declares_the_prefixes_it_uses(name):
    """pyoxigraph with no predeclared prefix parses it (an unknown prefix is an error)."""
    import pyoxigraph as ox

    ox.Store().query(QUERIES[name].text)


def test_an_undeclared_prefix_is_caught_by_that_check():
    import pyoxigraph as ox

    with pytest.raises(SyntaxError):
        ox.Store().query("SELECT ?x WHERE { ?x a ihkg:Company }")


def with_values(text: str, bindings) -> str:
    """The query with its parameters bound by a trailing VALUES clause."""
    if not bindings:
        return text
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(t.n3() for t in bindings.values())
    return f"{text}\nVALUES ({names}) {{ ({terms}) }}\n"


def same_values(rows: list[list[str]]) -> list[list[str]]:
    """Rows in a canonical order, numbers by value: Jena keeps a decimal's
    lexical form ("0.80") where ``kg`` writes the canonical one ("0.8")."""

    def cell(text: str) -> str:
        try:
            return format(Decimal(text).normalize(), "f")
        except InvalidOperation:
            return text

    return sorted([cell(c) for c in row] for row in rows)


@pytest.fixture(scope="module")
def jena(tmp_path_factory):
    classpath = jena_classpath(tmp_path_factory.mktemp("jena"))
    if classpath is None:
        pytest.skip("Java and Apache Jena (Debian: libapache-jena-java) are not installed")
    return classpath


def test_the_fuseki_recipe_gives_kg_rows_for_every_named_query(jena, demo_result, tmp_path):
    turtle = write_turtle(demo_result.graph, tmp_path / "out" / "graph.ttl")
    tdb = tmp_path / "out" / "tdb2"
    run(jena, "tdb2.tdbloader", "--loc", str(tdb), str(turtle))
    store = open_store(turtle)

    def jena_rows(name):
        q = QUERIES[name]
        path = tmp_path / f"{name}.rq"
        path.write_text(with_values(q.text, q.bindings()), encoding="utf-8")
        out = run(jena, "tdb2.tdbquery", "--loc", str(tdb), "--results=JSON", "--query", str(path))
        return rows(out)

    for name in QUERIES:  # one process at a time: TDB2 locks its folder
        ours = run_named(store, name).rows
        assert ours, f"{name}: no rows on the demo graph"
        assert same_values(jena_rows(name)) == same_values(ours), name
