"""The pyoxigraph store: persisted next to the Turtle, same answers as rdflib."""

from __future__ import annotations

import json
import os

import pytest
from rdflib import XSD, BNode, Graph, Literal, URIRef

from kg.errors import GraphError, QueryError
from kg.export import write_turtle
from kg.query import load_queries, run_named, run_query, term_text
from kg.store import (
    STAMP,
    GraphStore,
    from_graph,
    from_oxigraph,
    is_fresh,
    load_turtle,
    open_store,
    store_path,
    to_oxigraph,
)

from .test_query import CASES, INJECTIONS, fixture_graph


def canonical(term):
    """A term as engines agree on it: literals by canonical text, language and datatype."""
    if isinstance(term, Literal):
        return ("literal", term_text(term), term.language, str(term.datatype or XSD.string))
    return (type(term).__name__, str(term))


def assert_same_tables(a, b):
    assert a.columns == b.columns
    assert a.rows == b.rows
    assert [[canonical(t) for t in r] for r in a.terms] == [
        [canonical(t) for t in r] for r in b.terms
    ]


@pytest.fixture(scope="module")
def demo_store(demo_result):
    return from_graph(demo_result.graph)


@pytest.fixture(scope="module")
def corpus_pair(corpus_result):
    return corpus_result.graph, from_graph(corpus_result.graph)


def test_terms_round_trip():
    for term in [
        URIRef("urn:x"),
        Literal("甲", lang="zh"),
        Literal("x"),
        Literal("0.90", datatype=XSD.decimal),
        Literal(3),
        BNode("b1"),
    ]:
        back = from_oxigraph(to_oxigraph(term))
        assert canonical(back) == canonical(term)
    assert from_oxigraph(None) is None


def test_the_store_holds_the_same_triples_as_the_graph(demo_result, demo_store):
    g = demo_result.graph
    assert len(demo_store) == len(g)
    assert {tuple(map(canonical, t)) for t in demo_store.triples()} == {
        tuple(map(canonical, t)) for t in g
    }


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_named_query_gives_the_same_rows_on_both_engines(
    demo_result, demo_store, corpus_pair, name
):
    assert_same_tables(run_named(demo_result.graph, name), run_named(demo_store, name))
    graph, store = corpus_pair
    assert_same_tables(run_named(graph, name), run_named(store, name))


@pytest.fixture(scope="module")
def demo_files(demo_result, tmp_path_factory):
    """The demo graph as Turtle, TriG and N-Quads, as ``kg export`` writes them."""
    from kg.export import export

    folder = tmp_path_factory.mktemp("formats")
    return {s: export(demo_result.graph, folder / f"graph.{s}") for s in ("ttl", "trig", "nq")}


@pytest.mark.parametrize("suffix", ["trig", "nq"])
@pytest.mark.parametrize("name", sorted(load_queries()))
def test_named_queries_see_provenance_in_trig_and_nquads_on_both_engines(demo_files, name, suffix):
    """A dataset keeps the sentences in named graphs: both engines query their union."""
    from kg.load import load_graph

    expected = run_named(open_store(demo_files["ttl"]), name)
    assert_same_tables(run_named(open_store(demo_files[suffix]), name), expected)
    assert_same_tables(run_named(load_graph(demo_files[suffix]), name), expected)


def test_a_dataset_store_holds_each_triple_once(demo_files, demo_result):
    store = open_store(demo_files["nq"])
    assert store.union
    assert len(list(store.triples())) == len(demo_result.graph)
    assert not open_store(demo_files["ttl"]).union


@pytest.mark.parametrize(("name", "params", "expected"), CASES[:6])
def test_fixture_cases_agree_term_by_term(name, params, expected):
    g = fixture_graph()
    assert_same_tables(run_named(g, name, params), run_named(from_graph(g), name, params))


def test_a_raw_pyoxigraph_store_can_be_queried(demo_store):
    table = run_named(demo_store.store, "partnerships")
    assert table.rows == run_named(demo_store, "partnerships").rows


# --- persistence ---------------------------------------------------------------------------


@pytest.fixture
def turtle(tmp_path):
    return write_turtle(fixture_graph(), tmp_path / "out" / "graph.ttl")


def test_open_store_builds_the_folder_next_to_the_turtle(turtle):
    store = open_store(turtle)
    assert store.path == turtle.parent / "graph.oxigraph" == store_path(turtle)
    stamp = json.loads((store.path / STAMP).read_text(encoding="utf-8"))
    assert stamp["source"] == "graph.ttl" and stamp["triples"] == len(fixture_graph())
    assert len(store) == len(fixture_graph())
    assert run_named(store, "partners", {"org": "甲健康"}).rows[0][1] == "乙医疗"
    assert is_fresh(turtle)


def test_the_store_is_reused_while_the_turtle_is_unchanged(turtle, monkeypatch):
    import kg.store

    open_store(turtle)
    calls = []
    monkeypatch.setattr(kg.store, "_build", lambda *a: calls.append(a))
    open_store(turtle)
    stamp = turtle.parent / "graph.oxigraph" / STAMP
    before = json.loads(stamp.read_text(encoding="utf-8"))
    # rewritten with the same content (a new build): a new mtime, the same hash
    turtle.write_bytes(turtle.read_bytes())
    os.utime(turtle, ns=(before["mtime_ns"] + 10**9, before["mtime_ns"] + 10**9))
    assert is_fresh(turtle)
    open_store(turtle)
    assert calls == []
    assert json.loads(stamp.read_text(encoding="utf-8"))["mtime_ns"] == before["mtime_ns"] + 10**9


def test_the_store_is_rebuilt_when_the_turtle_changes(turtle):
    first = open_store(turtle)
    assert run_named(first, "partners", {"org": "丙医院"}).rows == [
        ["丙医院", "甲健康", "Company", "1"]
    ]
    del first
    g = fixture_graph()
    g.remove((URIRef("https://w3id.org/ihkg/id/org-c"), None, None))
    write_turtle(g, turtle)
    assert not is_fresh(turtle)
    second = open_store(turtle)
    assert len(second) == len(g)
    assert run_named(second, "partners", {"org": "丙医院"}).rows == []
    assert not list(turtle.parent.glob(".graph.oxigraph.*"))  # no temporary folder left


def test_a_turtle_replaced_with_the_same_size_and_time_is_loaded_again(turtle):
    first = open_store(turtle)
    assert run_named(first, "partners", {"org": "丙医院"}).rows
    del first
    st = turtle.stat()
    text = turtle.read_text("utf-8")
    assert "丙医院" in text
    forged = text.replace("丙医院", "丁医院")  # the same length in bytes
    assert len(forged.encode()) == st.st_size
    turtle.write_text(forged, encoding="utf-8")
    os.utime(turtle, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert not is_fresh(turtle)
    second = open_store(turtle)
    assert run_named(second, "partners", {"org": "丙医院"}).rows == []
    assert run_named(second, "partners", {"org": "丁医院"}).rows


def test_rebuild_on_request_and_a_custom_folder(turtle, tmp_path):
    folder = tmp_path / "elsewhere"
    store = open_store(turtle, folder, rebuild=True)
    assert store.path == folder and (folder / STAMP).is_file()
    assert not store_path(turtle).exists()


def test_an_unwritable_folder_falls_back_to_memory(turtle, monkeypatch):
    import kg.store

    def refuse(*args):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(kg.store, "_build", refuse)
    store = open_store(turtle)
    assert store.path is None and len(store) == len(fixture_graph())


def test_missing_or_broken_turtle_names_the_file(tmp_path):
    with pytest.raises(GraphError, match="no such graph file"):
        open_store(tmp_path / "none.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(GraphError, match=r"bad\.ttl: cannot load graph"):
        open_store(bad)
    with pytest.raises(GraphError, match=r"bad\.ttl: cannot load graph"):
        load_turtle(bad)


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_changes_nothing_in_a_persisted_store(turtle, value):
    store = open_store(turtle)
    before = len(store)
    assert run_named(store, "evidence", {"name": value}).rows == []
    assert run_named(store, "by-rule", {"rule": value}).rows == []
    assert len(store) == before
    assert Graph().parse(turtle).__len__() == before


def test_syntax_errors_on_the_store_carry_line_and_column(turtle):
    store = open_store(turtle)
    with pytest.raises(QueryError, match=r"line 1, column \d+"):
        run_query(store, "SELECT ?x WHERE { ?x ?y }")
    assert isinstance(store, GraphStore)


def test_the_store_imports_only_modules_below_it():
    # kg.store and kg.query once imported each other; now kg.query imports
    # kg.store, and what both need lives in kg.sparql beneath them
    import subprocess
    import sys

    code = "import sys, kg.store; print(*sorted(m for m in sys.modules if m.startswith('kg.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = out.stdout.split()
    assert "kg.sparql" in loaded and "kg.query" not in loaded
