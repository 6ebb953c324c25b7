"""The SPARQL endpoint, driven over HTTP with httpx against a server running
on 127.0.0.1 (port 0: a free one). No request goes anywhere else."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
from rdflib import Graph

from kg.errors import GraphError
from kg.export import export, load_oxigraph, write_turtle
from kg.query import run_query
from kg.serve import HOST, serve_in_thread
from kg.vocab import IHKG

PARTNERS = """
SELECT ?a ?b WHERE {
    ?x ihkg:partnersWith ?y . ?x rdfs:label ?a . ?y rdfs:label ?b .
} ORDER BY ?a ?b
"""
SPARQL_NS = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def graph_file(demo_result, tmp_path_factory):
    return write_turtle(demo_result.graph, tmp_path_factory.mktemp("serve") / "graph.ttl")


@pytest.fixture(scope="module")
def server(graph_file):
    with serve_in_thread(graph_file, workers=1, timeout=60) as running:
        yield running


@pytest.fixture(scope="module")
def client():
    # trust_env=False: no proxy from the environment; every request stays on 127.0.0.1
    with httpx.Client(timeout=60, trust_env=False) as c:
        yield c


@pytest.fixture(scope="module")
def expected(demo_result):
    rows = run_query(demo_result.graph, PARTNERS).rows
    assert rows
    return rows


def test_server_binds_loopback_only(server):
    assert server.server.server_address[0] == HOST == "127.0.0.1"
    assert server.url == f"http://127.0.0.1:{server.port}/sparql" and server.port > 0


def test_select_as_sparql_json(server, client, expected):
    r = client.get(
        server.url,
        params={"query": PARTNERS},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+json"
    doc = r.json()
    assert doc["head"]["vars"] == ["a", "b"]
    rows = [[b["a"]["value"], b["b"]["value"]] for b in doc["results"]["bindings"]]
    assert rows == expected
    assert doc["results"]["bindings"][0]["a"]["xml:lang"] == "zh"
    assert "x-results-truncated" not in r.headers


def test_select_as_sparql_xml(server, client, expected):
    r = client.get(
        server.url, params={"query": PARTNERS}, headers={"Accept": "application/sparql-results+xml"}
    )
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/sparql-results+xml"
    root = ET.fromstring(r.content)
    names = [v.get("name") for v in root.iter(f"{SPARQL_NS}variable")]
    assert names == ["a", "b"]
    rows = [
        [b.find(f"{SPARQL_NS}literal").text for b in result.iter(f"{SPARQL_NS}binding")]
        for result in root.iter(f"{SPARQL_NS}result")
    ]
    assert rows == expected


def test_select_as_csv_by_form_post(server, client, expected):
    r = client.post(server.url, data={"query": PARTNERS, "format": "csv"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["a", "b"] and rows[1:] == expected


def test_select_as_tsv_by_query_body(server, client, expected):
    r = client.post(
        server.url,
        content=PARTNERS.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"},
    )
    assert r.status_code == 200
    lines = r.text.splitlines()
    assert lines[0] == "?a\t?b"
    assert [line.split("\t") for line in lines[1:]] == [
        [f'"{a}"@zh', f'"{b}"@zh'] for a, b in expected
    ]


def test_ask_and_construct(server, client, demo_result):
    r = client.get(server.url, params={"query": "ASK { ?a ihkg:ceoOf ?b }"})
    assert r.status_code == 200 and r.json() == {"head": {}, "boolean": True}
    r = client.get(server.url, params={"query": "ASK { ?a ihkg:ceoOf ?a }", "format": "xml"})
    assert b"<boolean>false</boolean>" in r.content
    r = client.get(server.url, params={"query": "CONSTRUCT WHERE { ?a ihkg:partnersWith ?b }"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    assert set(g) == set(demo_result.graph.triples((None, IHKG.partnersWith, None)))


def test_malformed_query_gives_400_with_the_parser_message(server, client):
    r = client.get(server.url, params={"query": "SELECT ?x WHERE { ?x "})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/plain")
    assert r.text.startswith("malformed query: error at 1:")


@pytest.mark.parametrize("how", ["get", "form", "body"])
def test_updates_are_refused_and_change_nothing(server, client, how):
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    if how == "get":
        r = client.get(server.url, params={"query": update})
    elif how == "form":
        r = client.post(server.url, data={"update": update})
    else:
        r = client.post(
            server.url,
            content=update.encode(),
            headers={"Content-Type": "application/sparql-update"},
        )
    assert r.status_code == 403
    assert "read-only" in r.text
    r = client.get(server.url, params={"query": "ASK { <urn:a> ?p ?o }"})
    assert r.json()["boolean"] is False


def test_federated_query_is_refused(server, client):
    r = client.get(
        server.url,
        params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"},
    )
    assert r.status_code == 400
    assert "SERVICE" in r.text


def test_bad_requests_are_named(server, client):
    r = client.get(server.url, params={"query": PARTNERS}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and "application/sparql-results+json" in r.text
    r = client.get(server.url, params={"query": PARTNERS, "format": "yaml"})
    assert r.status_code == 400 and "unknown format 'yaml'" in r.text
    r = client.get(server.url.replace("/sparql", "/admin"))
    assert r.status_code == 404
    r = client.put(server.url, content=b"x")
    assert r.status_code == 405 and r.headers["allow"] == "GET, POST"
    r = client.post(server.url, content=b"x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    r = client.get(server.url)
    assert r.status_code == 200 and "read-only" in r.text


def test_result_limit_cuts_and_says_so(graph_file, client, expected):
    with serve_in_thread(graph_file, limit=2) as small:
        r = client.get(small.url, params={"query": PARTNERS})
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == 2 < len(expected)
    assert r.headers["x-results-truncated"] == "true"
    assert r.headers["x-result-limit"] == "2"


def test_runaway_query_is_stopped_and_the_server_goes_on(graph_file, client):
    runaway = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with serve_in_thread(graph_file, timeout=1) as strict:
        r = client.get(strict.url, params={"query": runaway})
        assert r.status_code == 503
        assert "timed out" in r.text
        r = client.get(strict.url, params={"query": "ASK { ?s ?p ?o }"})
        assert r.status_code == 200 and r.json()["boolean"] is True


def test_named_graphs_of_a_trig_export(demo_result, tmp_path, client, expected):
    trig = export(demo_result.graph, tmp_path / "graph.trig")
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?a a ihkg:Assertion } } ORDER BY ?g"
    with serve_in_thread(trig) as srv:
        graphs = client.get(srv.url, params={"query": query}).json()["results"]["bindings"]
        partners = client.get(srv.url, params={"query": PARTNERS, "format": "csv"})
    articles = run_query(demo_result.graph, "SELECT ?a WHERE { ?a a ihkg:Article } ORDER BY ?a")
    assert [b["g"]["value"] for b in graphs] == [r[0] for r in articles.rows]
    # the default graph is the union of all graphs: the same answers as the Turtle
    assert list(csv.reader(io.StringIO(partners.text)))[1:] == expected


def test_serves_an_oxigraph_store_folder(demo_result, tmp_path, client, expected):
    nq = export(demo_result.graph, tmp_path / "graph.nq")
    load_oxigraph(nq, tmp_path / "store")
    with serve_in_thread(tmp_path / "store") as srv:
        r = client.post(srv.url, data={"query": PARTNERS}, headers={"Accept": "text/csv"})
    assert list(csv.reader(io.StringIO(r.text)))[1:] == expected


def test_missing_or_broken_source_is_named(tmp_path):
    with pytest.raises(GraphError, match="no such graph file"):
        serve_in_thread(tmp_path / "missing.ttl")
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(GraphError, match="broken.ttl: cannot load"):
        serve_in_thread(broken)


def test_json_results_are_utf8_and_parse(server, client):
    r = client.get(server.url, params={"query": "SELECT ?l WHERE { ?x rdfs:label ?l } LIMIT 1"})
    assert json.loads(r.content.decode("utf-8"))["results"]["bindings"]
