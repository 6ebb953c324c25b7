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
from kg.export import export, load_oxigraph, write_turtle
from kg.query import run_query
from kg.serve import HOST, _execute, _open_store, _Request, serve_in_thread
from kg.vocab import IHKG

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
    store, union = _open_store(str(graph_file))
    for name in SPELLINGS:
        resp = _execute(store, union, _Request(listener.query(name), 10), sandboxed=False)
        assert resp.status == 400, (name, resp.body)
    assert listener.received == []
    ok = _execute(store, union, _Request(PARTNERS, 10), sandboxed=False)
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
    return running.server._workers[0].process.pid


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"query": "ASK {}", "default-graph-uri": "not an iri"}, "default-graph-uri"),
        ({"query": "ASK {}", "named-graph-uri": "http://a b"}, "named-graph-uri"),
        ({"query": "ASK {}", "format": ["json", "xml"]}, "format"),
        ({"query": "ASK {}", "format": "yaml"}, "unknown format"),
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
