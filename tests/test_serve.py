"""The SPARQL endpoint, driven over HTTP with httpx against a server running
on 127.0.0.1 (port 0: a free one). No request goes anywhere else."""

import csv
import io
import json
import select
import socket
import time
import xml.etree.ElementTree as ET

import httpx
import pytest
from rdflib import Graph

from kg.errors import GraphError
from kg.export import export, write_turtle
from kg.load import load_oxigraph
from kg.query import run_query
from kg.serve import HOST, serve_in_thread
from kg.vocab import IHKG
from kg.workers import Request, execute, open_source

from .conftest import rdflib_internals
from .listener import LEAKED, SPELLINGS, Listener

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


def test_bad_requests_are_named(server, client):
    # as Fuseki: an Accept naming nothing it writes gets the default; one that
    # refuses everything (q=0) gets 406, naming what there is
    r = client.get(server.url, params={"query": PARTNERS}, headers={"Accept": "image/png"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/sparql-results+json"
    r = client.get(
        server.url,
        params={"query": PARTNERS, "format": "yaml"},
        headers={"Accept": "image/png, */*;q=0"},
    )
    assert r.status_code == 406 and "application/sparql-results+json" in r.text
    assert "format 'yaml' names none" in r.text
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


# --- issue 14: no outgoing request, whatever the query says ---------------------------------


@pytest.fixture
def listener():
    """An endpoint on 127.0.0.1 that records what reaches it."""
    lst = Listener()
    yield lst
    lst.close()


def _send(client, url, how, query, headers=None):
    if how == "get":
        return client.get(url, params={"query": query}, headers=headers)
    if how == "form":
        return client.post(url, data={"query": query}, headers=headers)
    return client.post(
        url,
        content=query.encode(),
        headers={"Content-Type": "application/sparql-query", **(headers or {})},
    )


@pytest.mark.parametrize("name", [n for n, (_, live) in SPELLINGS.items() if live])
def test_each_spelling_of_service_reaches_the_listener_when_nothing_stops_it(listener, name):
    # the control: pyoxigraph on its own sends these, so the tests below mean something
    import pyoxigraph as ox

    result = ox.Store().query(listener.query(name))
    bool(result) if isinstance(result, ox.QueryBoolean) else list(result)
    assert len(listener.received) == 1


@pytest.mark.parametrize("how", ["get", "form", "body"])
def test_no_spelling_of_service_makes_the_server_send_a_request(server, client, listener, how):
    for name in SPELLINGS:
        r = _send(client, server.url, how, listener.query(name))
        assert LEAKED not in r.text, name
        assert r.status_code in (200, 400), (name, r.status_code, r.text)
        if name in ("plain", "escape-hash", "escape-quote", "prefixed-name", "in-subquery"):
            assert r.status_code == 400 and "SERVICE" in r.text, (name, r.text)
    assert listener.received == []


def test_without_the_sandbox_every_spelling_is_refused_before_it_runs(graph_file, listener):
    # where seccomp cannot be had, the worker refuses what rdflib cannot prove SERVICE-free;
    # run here, in the test process, a miss would reach the listener
    store, union = open_source(str(graph_file))
    for name in SPELLINGS:
        resp = execute(store, union, Request(listener.query(name), 10), sandboxed=False)
        assert resp.status == 400, (name, resp.body)
    assert listener.received == []
    ok = execute(store, union, Request(PARTNERS, 10), sandboxed=False)
    assert ok.status == 200


def test_another_host_is_refused(server, client):
    # DNS rebinding: a name of the attacker's that resolves to 127.0.0.1
    r = client.get(
        server.url, params={"query": PARTNERS}, headers={"Host": f"evil.example:{server.port}"}
    )
    assert r.status_code == 403 and "Host" in r.text
    r = client.get(
        server.url, params={"query": "ASK {}"}, headers={"Host": f"localhost:{server.port}"}
    )
    assert r.status_code == 200


@pytest.mark.parametrize("how", ["get", "form", "body"])
def test_a_page_of_another_origin_is_refused(server, client, how):
    r = _send(client, server.url, how, PARTNERS, {"Origin": "http://evil.example"})
    assert r.status_code == 403 and "evil.example" in r.text
    assert "access-control-allow-origin" not in r.headers
    r = _send(client, server.url, how, "ASK {}", {"Origin": f"http://127.0.0.1:{server.port}"})
    assert r.status_code == 200


def test_hosts_and_origins_can_be_allowed(graph_file, client):
    with serve_in_thread(
        graph_file, allowed_hosts=("kg.internal",), allowed_origins=("https://ui.example",)
    ) as srv:
        r = client.get(
            srv.url, params={"query": "ASK {}"}, headers={"Host": f"kg.internal:{srv.port}"}
        )
        assert r.status_code == 200
        r = client.post(srv.url, data={"query": "ASK {}"}, headers={"Origin": "https://ui.example"})
        assert r.status_code == 200
        assert r.headers["access-control-allow-origin"] == "https://ui.example"
        r = client.post(
            srv.url, data={"query": "ASK {}"}, headers={"Origin": "https://evil.example"}
        )
        assert r.status_code == 403


# --- issue 14: bounded work --------------------------------------------------------------


def _raw(port: int, data: bytes) -> bytes:
    """Send ``data`` on a new connection and read until the server closes it."""
    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(data)
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
    return out


def _worker_pid(running) -> int:
    return running.server.pool.pids[0]


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"query": "ASK {}", "default-graph-uri": "not an iri"}, "default-graph-uri"),
        ({"query": "ASK {}", "named-graph-uri": "http://a b"}, "named-graph-uri"),
        ({"format": "json"}, "query"),
        ({"query": ["ASK {}", "ASK {}"]}, "query"),
        ({"query": "SELECT * { BIND(<urn:x> AS ?e) SERVICE ?e { ?s ?p ?o } }"}, "unbound"),
        ({"query": "ASK {}", **{f"p{i}": "x" for i in range(80)}}, "parameters"),
    ],
)
def test_malformed_parameters_give_400_and_the_worker_lives(server, client, params, reason):
    pid = _worker_pid(server)
    r = client.get(server.url, params=params)
    assert r.status_code == 400 and reason in r.text
    assert _worker_pid(server) == pid


@pytest.mark.parametrize(
    ("request_line", "body", "headers", "status"),
    [
        ("GET /sparql?query=ASK%zz", b"", "", 400),  # bad percent-encoding
        ("GET /sparql?query=ASK%ff%7B%7D", b"", "", 400),  # not UTF-8
        ("POST /sparql", b"query=ASK%7B%7D", "Content-Length: \u00b2\r\n", 400),
        ("POST /sparql", b"query=ASK%7B%7D", "Content-Length: -1\r\n", 400),
        ("POST /sparql", b"\xff\xfe", "Content-Length: 2\r\n", 400),  # body not UTF-8
        ("POST /sparql?query=ASK%7B%7D", b"ASK {}", "Content-Length: 6\r\n", 400),
        ("POST /sparql", b"", "Transfer-Encoding: chunked\r\n", 411),
    ],
)
def test_malformed_requests_give_4xx_not_500(server, request_line, body, headers, status):
    ctype = (
        "application/sparql-query"
        if "query=" in request_line
        else "application/x-www-form-urlencoded"
    )
    head = (
        f"{request_line} HTTP/1.1\r\nHost: {HOST}:{server.port}\r\nConnection: close\r\n"
        f"Content-Type: {ctype}\r\n{headers}\r\n"
    )
    reply = _raw(server.port, head.encode("latin-1") + body)
    assert reply.startswith(f"HTTP/1.1 {status} ".encode()), reply[:200]


def test_a_request_without_host_is_refused(server):
    reply = _raw(server.port, b"GET /sparql?query=ASK%7B%7D HTTP/1.0\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 400 ") and b"Host" in reply


@pytest.fixture(scope="module")
def strict(graph_file):
    """A server with small limits: 1 KiB queries, half a second to send a request,
    three connections, 64 MiB per query."""
    with serve_in_thread(
        graph_file, max_query=1024, read_timeout=0.5, max_connections=3, memory=64, timeout=60
    ) as running:
        yield running


@pytest.mark.parametrize("how", ["get", "form", "body"])
def test_a_query_over_the_size_limit_gets_413(strict, client, how):
    query = "ASK { ?s ?p " + '"' + "x" * 1100 + '" }'
    r = _send(client, strict.url, how, query)
    assert r.status_code == 413 and "1024 bytes" in r.text
    assert _send(client, strict.url, how, "ASK {}").status_code == 200


def test_a_body_over_the_limit_is_refused_unread(strict, client):
    limit = 3 * 1024 + 4096
    r = client.post(strict.url, data={"query": "ASK {}", "pad": "x" * limit})
    assert r.status_code == 413 and str(limit) in r.text


def test_a_pathological_query_is_checked_in_linear_time(graph_file, client):
    # 96 KB of "\ took the old request check 43.6 s of CPU; now the parser says no at once
    with serve_in_thread(graph_file, max_query=128 * 1024) as srv:
        r = client.post(
            srv.url,
            content=b'"\\' * 48 * 1024,
            headers={"Content-Type": "application/sparql-query"},
            timeout=20,
        )
    assert r.status_code == 400 and r.text.startswith("malformed query")


def _trickle(port: int, head: bytes, then: bytes) -> bytes:
    """Send ``head``, then ``then`` a byte at a time until the server answers or
    hangs up; what it sent back."""
    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(head)
        for i in range(len(then)):
            if select.select([sock], [], [], 0.05)[0]:
                break
            try:
                sock.sendall(then[i : i + 1])
            except OSError:
                break
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
    return out


def test_slow_headers_are_dropped_with_408(strict):
    head = f"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: {HOST}:{strict.port}\r\n".encode()
    reply = _trickle(strict.port, head, b"X-Pad: " + b"a" * 600 + b"\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 408 ")


def test_a_slow_body_is_dropped_with_408(strict):
    head = (
        f"POST /sparql HTTP/1.1\r\nHost: {HOST}:{strict.port}\r\n"
        "Content-Type: application/sparql-query\r\nContent-Length: 600\r\n\r\n"
    ).encode()
    reply = _trickle(strict.port, head, b" " * 590 + b"ASK {}\n   ")
    assert reply.startswith(b"HTTP/1.1 408 ")


def test_connections_beyond_the_limit_get_503(strict, client):
    idle = [socket.create_connection((HOST, strict.port)) for _ in range(3)]
    try:
        with socket.create_connection((HOST, strict.port), timeout=30) as extra:
            extra.sendall(f"GET /sparql HTTP/1.1\r\nHost: {HOST}:{strict.port}\r\n\r\n".encode())
            assert extra.recv(65536).startswith(b"HTTP/1.1 503 ")
    finally:
        for sock in idle:
            sock.close()
    for _ in range(100):  # the idle connections' threads end as they see the close
        r = client.get(strict.url, params={"query": "ASK {}"})
        if r.status_code == 200:
            break
        time.sleep(0.05)
    assert r.status_code == 200


def test_a_query_over_the_memory_limit_gets_503_and_a_new_worker(strict, client):
    pid = _worker_pid(strict)
    big = "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY STR(?c) STR(?f) LIMIT 1"
    r = client.get(strict.url, params={"query": big})
    assert r.status_code == 503 and "64 MiB" in r.text
    r = client.get(strict.url, params={"query": PARTNERS})
    assert r.status_code == 200 and r.json()["results"]["bindings"]
    assert _worker_pid(strict) != pid


# --- what SPARQL clients send: SPARQLWrapper, format= and output=, truncation in the body ----

SW_PREFIXES = """PREFIX ihkg: <https://w3id.org/ihkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
# every triple, so every kind of term (IRIs, @zh, xsd:decimal, gYear, dateTime, ...),
# and a column mostly unbound
SW_SELECT = (
    SW_PREFIXES
    + "SELECT ?s ?p ?o ?year WHERE { ?s ?p ?o OPTIONAL { ?s ihkg:foundingYear ?year } } "
    "ORDER BY ?s ?p ?o"
)
SW_ASK = SW_PREFIXES + "ASK { ?a ihkg:ceoOf ?b }"
SW_GRAPHS = {
    "CONSTRUCT": "CONSTRUCT WHERE { ?s ?p ?o }",
    "DESCRIBE": SW_PREFIXES + "DESCRIBE ?p WHERE { ?p ihkg:ceoOf ?o }",
}


@pytest.fixture
def urllib_without_proxy():
    """SPARQLWrapper opens URLs with urllib: no proxy from the environment, so
    every request stays on 127.0.0.1."""
    import urllib.request

    urllib.request.install_opener(urllib.request.build_opener(urllib.request.ProxyHandler({})))
    yield
    urllib.request.install_opener(None)


@pytest.fixture(scope="module")
def store(graph_file):
    """The same graph file in an Oxigraph store of this process: the answers
    the endpoint must give, got without it."""
    import pyoxigraph as ox

    st = ox.Store()
    st.bulk_load(path=str(graph_file), format=ox.RdfFormat.TURTLE)
    return st


def _wrapper(url: str, query: str, fmt: str, method: str):
    from SPARQLWrapper import SPARQLWrapper

    sparql = SPARQLWrapper(url)
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setMethod(method)
    return sparql


PLAIN = {
    None,
    "http://www.w3.org/2001/XMLSchema#string",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
}


def _literal(value: str, lang: str | None, datatype: str | None) -> tuple:
    """A literal as a comparable tuple, its lexical form as rdflib normalises it
    (rdflib writes ``…Z`` as ``…+00:00``)."""
    from rdflib import Literal, URIRef

    datatype = None if datatype in PLAIN else datatype
    lexical = str(Literal(value, lang=lang, datatype=URIRef(datatype) if datatype else None))
    return ("literal", lexical, lang, datatype)


def _canon(term) -> tuple | None:
    """A pyoxigraph or rdflib term, or a SPARQL JSON binding, as a comparable tuple."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, dict):  # SPARQL JSON
        if term["type"] == "uri":
            return ("uri", term["value"])
        if term["type"] == "bnode":
            return ("bnode",)
        return _literal(term["value"], term.get("xml:lang"), term.get("datatype"))
    if isinstance(term, ox.NamedNode):
        return ("uri", term.value)
    if isinstance(term, URIRef):
        return ("uri", str(term))
    if isinstance(term, ox.BlankNode | BNode):
        return ("bnode",)
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.language, term.datatype.value)
    assert isinstance(term, Literal), term
    return _literal(str(term), term.language, term.datatype and str(term.datatype))


def _xml_rows(doc) -> list[list]:
    """Rows of SPARQL XML results as SPARQLWrapper gives them (a DOM), in ``_canon`` form."""
    names = [v.getAttribute("name") for v in doc.getElementsByTagName("variable")]
    rows = []
    for result in doc.getElementsByTagName("result"):
        row = dict.fromkeys(names)
        for binding in result.getElementsByTagName("binding"):
            node = next(n for n in binding.childNodes if n.nodeType == n.ELEMENT_NODE)
            text = "".join(c.data for c in node.childNodes)
            if node.tagName == "uri":
                value = ("uri", text)
            elif node.tagName == "bnode":
                value = ("bnode",)
            else:
                lang = node.getAttribute("xml:lang") or None
                value = _literal(text, lang, node.getAttribute("datatype") or None)
            row[binding.getAttribute("name")] = value
        rows.append([row[n] for n in names])
    return rows


def _rdflib_result(body: bytes, fmt: str):
    from rdflib.query import Result

    return Result.parse(io.BytesIO(body), format=fmt)


def _rdflib_rows(body: bytes, fmt: str) -> list[list]:
    return [[_canon(t) for t in row] for row in _rdflib_result(body, fmt)]


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_select_in_each_format_gives_the_rows_of_the_graph(
    server, store, urllib_without_proxy, fmt, method
):
    solutions = store.query(SW_SELECT)
    names = [v.value for v in solutions.variables]
    solutions = list(solutions)
    expected = [[_canon(s[n]) for n in names] for s in solutions]
    assert len(expected) > 500 and any(row[3] for row in expected)
    assert any(row[3] is None for row in expected)
    if fmt == "csv":  # CSV keeps only the strings, as they are
        expected = [["" if s[n] is None else s[n].value for n in names] for s in solutions]

    sparql = _wrapper(server.url, SW_SELECT, fmt, method)
    got = sparql.query().convert()  # a warning (wrong content type, ...) fails the test
    raw = sparql.query().response.read()
    if fmt == "json":
        assert got["head"]["vars"] == names
        rows = [[_canon(b.get(n)) for n in names] for b in got["results"]["bindings"]]
    elif fmt == "xml":
        rows = _xml_rows(got)
    elif fmt == "csv":
        lines = list(csv.reader(io.StringIO(got.decode("utf-8"))))
        assert lines[0] == names
        rows = lines[1:]
    else:
        assert got.decode("utf-8").splitlines()[0] == "\t".join("?" + n for n in names)
        rows = _rdflib_rows(got, "tsv")
    assert rows == expected
    # and rdflib reads the same answer
    if fmt == "csv":
        again = [["" if t is None else str(t) for t in row] for row in _rdflib_result(raw, fmt)]
    else:
        again = _rdflib_rows(raw, fmt)
    assert again == expected


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_sparqlwrapper_ask_in_each_format(server, store, urllib_without_proxy, fmt):
    from rdflib.query import Result

    expected = bool(store.query(SW_ASK))
    assert expected is True
    sparql = _wrapper(server.url, SW_ASK, fmt, "GET")
    got = sparql.query().convert()
    raw = sparql.query().response.read()
    if fmt == "json":
        assert got["boolean"] is expected
        assert Result.parse(io.BytesIO(raw), format="json").askAnswer is expected
    elif fmt == "xml":
        assert got.getElementsByTagName("boolean")[0].firstChild.data == "true"
        assert Result.parse(io.BytesIO(raw), format="xml").askAnswer is expected
    else:  # Jena's form: one column _askResult (CSV and TSV define no boolean result)
        head = "_askResult" if fmt == "csv" else "?_askResult"
        assert got.decode().split() == [head, "true"]
        assert [str(v) for row in Result.parse(io.BytesIO(raw), format=fmt) for v in row] == [
            "true"
        ]


def _graph_of(triples):
    import pyoxigraph as ox

    return Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def _plain_graph(graph) -> Graph:
    out = Graph()
    for triple in graph.triples((None, None, None)):
        out.add(triple)
    return out


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(
    ("fmt", "content_type", "rdflib_format"),
    [
        ("turtle", "text/turtle", "turtle"),
        ("n3", "text/n3", "n3"),
        ("rdf+xml", "application/rdf+xml", "xml"),
        ("xml", "application/rdf+xml", "xml"),  # SPARQLWrapper's default format
        ("json-ld", "application/ld+json", "json-ld"),
        ("n-triples", "application/n-triples", "nt"),  # by Accept alone: no constant for it
    ],
)
@pytest.mark.parametrize("form", ["CONSTRUCT", "DESCRIBE"])
def test_sparqlwrapper_graphs_in_each_format_give_the_triples_of_the_graph(
    server, store, urllib_without_proxy, form, fmt, content_type, rdflib_format, method
):
    from rdflib.compare import isomorphic

    query = SW_GRAPHS[form]
    expected = _graph_of(list(store.query(query)))
    assert len(expected) > 10
    if fmt == "n-triples":
        sparql = _wrapper(server.url, query, "n3", method)
        sparql.setOnlyConneg(True)  # no format=: the Accept header decides
        sparql.addCustomHttpHeader("Accept", "application/n-triples")
    else:
        sparql = _wrapper(server.url, query, fmt, method)
    result = sparql.query()
    assert result.info()["content-type"].startswith(content_type)
    raw = sparql.query().response.read()
    # SPARQLWrapper's graphs are ConjunctiveGraphs, and rdflib's N3 and JSON-LD
    # parsers use APIs that rdflib deprecates: only those warnings are hidden
    with rdflib_internals():
        got = result.convert()
        if isinstance(got, bytes):  # Turtle, N3 and N-Triples: SPARQLWrapper hands over the text
            got = Graph().parse(data=got, format=rdflib_format)
        again = Graph().parse(data=raw, format=rdflib_format)
    got = _plain_graph(got)
    assert len(got) == len(expected) and isomorphic(got, expected)
    assert isomorphic(again, expected)


def test_json_ld_uses_the_project_context(server, client):
    from kg.export import load_context

    r = client.get(
        server.url,
        params={"query": SW_GRAPHS["DESCRIBE"]},
        headers={"Accept": "application/ld+json"},
    )
    assert r.status_code == 200 and r.headers["content-type"] == "application/ld+json"
    doc = r.json()
    assert doc["@context"] == load_context()  # embedded: it parses offline
    assert any("ceoOf" in node for node in doc["@graph"])


@pytest.mark.parametrize(
    ("form", "value", "content_type"),
    [
        ("SELECT", "application/sparql-results+xml", "application/sparql-results+xml"),
        ("SELECT", "text/csv", "text/csv"),
        ("SELECT", "TSV", "text/tab-separated-values"),
        ("ASK", "application/json", "application/sparql-results+json"),
        ("CONSTRUCT", "application/rdf+xml", "application/rdf+xml"),
        ("CONSTRUCT", "application/ld+json", "application/ld+json"),
        ("CONSTRUCT", "text/turtle", "text/turtle"),
        ("CONSTRUCT", "ttl", "text/turtle"),
        ("CONSTRUCT", "nt", "application/n-triples"),
        ("CONSTRUCT", "xml", "application/rdf+xml"),
        ("CONSTRUCT", "json", "application/ld+json"),
    ],
)
@pytest.mark.parametrize("param", ["format", "output"])
def test_format_takes_short_names_and_media_types(server, client, form, value, content_type, param):
    query = {
        "SELECT": PARTNERS,
        "ASK": "ASK { ?s ?p ?o }",
        "CONSTRUCT": "CONSTRUCT WHERE { ?a ihkg:partnersWith ?b }",
    }[form]
    # an Accept that would choose otherwise: the parameter wins
    r = client.get(server.url, params={"query": query, param: value}, headers={"Accept": "*/*"})
    assert r.status_code == 200 and r.headers["content-type"].startswith(content_type)


@pytest.mark.parametrize(
    ("form", "values", "accept", "content_type"),
    [
        # a name this endpoint does not know, then Accept with q-values
        (
            "SELECT",
            ["yaml"],
            "text/csv;q=0.5, text/tab-separated-values",
            "text/tab-separated-values",
        ),
        # a format of another query form
        ("SELECT", ["turtle"], "application/sparql-results+xml", "application/sparql-results+xml"),
        ("CONSTRUCT", ["csv"], "application/rdf+xml, text/turtle;q=0.8", "application/rdf+xml"),
        # SPARQLWrapper's pair for TSV and JSON-LD: a short name, then a media type or nothing
        ("SELECT", ["tsv", "text/tab-separated-values"], None, "text/tab-separated-values"),
        ("CONSTRUCT", ["json-ld", ""], None, "application/ld+json"),
        # nothing usable anywhere, nothing refused: the default
        ("SELECT", ["yaml"], "image/png", "application/sparql-results+json"),
        ("CONSTRUCT", ["yaml", ""], None, "text/turtle"),
        # the default refused (q=0): the next format
        ("SELECT", [], "application/sparql-results+json;q=0", "application/sparql-results+xml"),
    ],
)
def test_a_format_it_cannot_write_falls_back_to_accept(
    server, client, form, values, accept, content_type
):
    query = PARTNERS if form == "SELECT" else "CONSTRUCT WHERE { ?a ihkg:partnersWith ?b }"
    headers = {"Accept": accept} if accept else {}
    r = client.get(server.url, params={"query": query, "format": values}, headers=headers)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(content_type)


@pytest.fixture(scope="module")
def small(graph_file):
    """A server that gives at most two results, and its log."""
    lines: list[str] = []
    with serve_in_thread(graph_file, limit=2, timeout=60, log=lines.append) as running:
        yield running, lines


@pytest.mark.parametrize(
    ("fmt", "marked"),
    [
        ("json", True),
        ("xml", True),
        ("csv", False),  # no place for it in CSV or TSV
        ("tsv", False),
        ("turtle", True),
        ("n3", True),
        ("ntriples", True),
        ("rdfxml", True),
        ("jsonld", False),  # JSON has no comments, and a stray key would be a triple or dropped
    ],
)
def test_a_truncated_result_says_so_in_the_body_and_still_parses(
    small, client, urllib_without_proxy, fmt, marked
):
    from rdflib.query import Result

    from kg.results import TRUNCATED_LINK

    small, log = small
    rdflib_format = {"turtle": "turtle", "n3": "n3", "ntriples": "nt", "rdfxml": "xml"}
    graph = fmt not in ("json", "xml", "csv", "tsv")
    query = "CONSTRUCT WHERE { ?a ihkg:partnersWith ?b }" if graph else PARTNERS
    before = len(log)
    r = client.get(small.url, params={"query": query, "format": fmt})
    assert r.status_code == 200
    assert r.headers["x-results-truncated"] == "true" and r.headers["x-result-limit"] == "2"
    assert any("truncated at 2" in line for line in log[before:])
    body = r.text
    note = "truncated: only the first 2"
    if fmt == "json":
        assert r.json()["head"]["link"] == [TRUNCATED_LINK]
    elif fmt == "xml":
        assert f'<link href="{TRUNCATED_LINK}"/>' in body and note in body
    elif marked:
        first = body.splitlines()[1 if fmt == "rdfxml" else 0]
        assert note in first and first.startswith("<!--" if fmt == "rdfxml" else "# ")
    else:
        assert note not in body
    # rdflib and SPARQLWrapper still read it: two results
    sw_format = {"ntriples": "n3", "rdfxml": "rdf+xml", "jsonld": "json-ld"}.get(fmt, fmt)
    sparql = _wrapper(small.url, query, sw_format, "GET")
    if fmt == "ntriples":
        sparql.setOnlyConneg(True)
        sparql.addCustomHttpHeader("Accept", "application/n-triples")
    with rdflib_internals():
        if graph:
            parsed = Graph().parse(data=r.content, format=rdflib_format.get(fmt, "json-ld"))
            assert len(parsed) == 2
        else:
            assert len(Result.parse(io.BytesIO(r.content), format=fmt)) == 2
        got = sparql.query().convert()
        if isinstance(got, bytes) and graph:
            got = Graph().parse(data=got, format=rdflib_format[fmt])
    if fmt == "json":
        assert len(got["results"]["bindings"]) == 2
    elif fmt == "xml":
        assert len(got.getElementsByTagName("result")) == 2
    elif fmt in ("csv", "tsv"):
        assert len(got.decode().splitlines()) == 3
    else:
        assert len(_plain_graph(got)) == 2


def test_the_readme_sparqlwrapper_example_prints_what_the_readme_shows(
    server, urllib_without_proxy, capsys
):
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("SPARQLWrapper works with", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    shown = section.split("$ python ceos.py\n", 1)[1].split("```", 1)[0]
    code = code.replace("http://127.0.0.1:7878/sparql", server.url)
    with rdflib_internals():  # SPARQLWrapper's graph is a ConjunctiveGraph
        exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out == shown


def test_json_ld_of_a_triple_term_is_refused_with_406(graph_file):
    # RDF 1.2 triple terms: Turtle and N-Triples hold them, JSON-LD cannot
    store, union = open_source(str(graph_file))
    query = "CONSTRUCT { <urn:a> <urn:b> <<( <urn:c> <urn:d> <urn:e> )>> } WHERE {}"
    refused = execute(store, union, Request(query, 10, formats=("json-ld",)))
    assert refused.status == 406 and b"triple terms" in refused.body and not refused.restart
    ok = execute(store, union, Request(query, 10, formats=("nt",)))
    assert ok.status == 200 and b"<<( <urn:c> <urn:d> <urn:e> )>>" in ok.body


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_solutions_are_written_as_pyoxigraph_writes_the_whole_result(fmt):
    # the rows kept under the limit go through TSV and back: every kind of term
    # must come out as pyoxigraph writes it straight from the query
    import pyoxigraph as ox

    from kg.results import format_solutions

    store = ox.Store()
    p, b = ox.NamedNode("urn:p"), ox.BlankNode("b1")
    for o in [
        ox.Literal('x"y\nz\t\\ 甲\r', language="zh"),
        ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ox.Literal("1.50", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
        ox.Literal("v", datatype=ox.NamedNode("urn:dt")),
        ox.Literal("plain, with a comma"),
        ox.NamedNode("urn:o"),
    ]:
        store.add(ox.Quad(b, p, o))
    query = (
        "SELECT ?s ?o ?t ?none WHERE { ?s ?p ?o BIND(<<( ?s ?p ?o )>> AS ?t) "
        "OPTIONAL { ?s <urn:none> ?none } } ORDER BY STR(?o)"
    )
    solutions = store.query(query)
    variables = [v.value for v in solutions.variables]
    rows = [[s[v] for v in variables] for s in solutions]
    expected = store.query(query).serialize(format=getattr(ox.QueryResultsFormat, fmt.upper()))
    assert format_solutions(variables, rows, fmt) == expected
