"""A SPARQL endpoint to leak to: a plain socket server on 127.0.0.1 that
records every connection it gets and answers with one solution, ``?leak`` =
"LEAKED". Tests of ``SERVICE`` point queries at it and check it heard nothing.
"""

import socket
import threading

LEAKED = "LEAKED"
_BODY = (
    b'{"head":{"vars":["leak"]},"results":{"bindings":'
    b'[{"leak":{"type":"literal","value":"' + LEAKED.encode() + b'"}}]}}'
)
_REPLY = (
    b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
    b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(_BODY), _BODY)
)

# Every way found to write a SERVICE call: {url} is the listener's endpoint,
# {base} its root and {port} its port. The flag says whether pyoxigraph, left
# alone, sends a request for it (test_serve checks it does).
SPELLINGS = {
    "plain": ("SELECT ?leak WHERE { SERVICE <{url}> { ?leak ?p ?o } }", True),
    "lower-case": ("select ?leak where { service <{url}> { ?leak ?p ?o } }", True),
    "mixed-case": ("SELECT ?leak WHERE { SeRvIcE <{url}> { ?leak ?p ?o } }", True),
    "silent": ("SELECT ?leak WHERE { SERVICE SILENT <{url}> { ?leak ?p ?o } }", True),
    "escape-hash": (
        "PREFIX ex: <http://ex.org/> SELECT ?leak WHERE "
        "{ OPTIONAL { ?s ex:a\\# ?o } SERVICE <{url}> { ?leak ?p ?o } }",
        True,
    ),
    "escape-quote": (
        "PREFIX ex: <http://ex.org/> SELECT ?leak WHERE "
        "{ OPTIONAL { ?s ex:a\\' ?o } SERVICE <{url}> { ?leak ?p ?o } }",
        True,
    ),
    "comment": ("SELECT ?leak WHERE { SERVICE#}\n<{url}> { ?leak ?p ?o } }", True),
    "prefixed-name": (
        "PREFIX r: <{base}> SELECT ?leak WHERE { SERVICE r:sparql { ?leak ?p ?o } }",
        True,
    ),
    "relative-iri": ("BASE <{base}> SELECT ?leak WHERE { SERVICE <sparql> { ?leak ?p ?o } }", True),
    "iri-escape": (
        "SELECT ?leak WHERE { SERVICE <http\\u003A//127.0.0.1:{port}/sparql> { ?leak ?p ?o } }",
        True,
    ),
    "keyword-escape": ("SELECT ?leak WHERE { \\u0053ERVICE <{url}> { ?leak ?p ?o } }", False),
    "localhost": (
        "SELECT ?leak WHERE { SERVICE <http://localhost:{port}/sparql> { ?leak ?p ?o } }",
        True,
    ),
    "in-optional": ("SELECT ?leak WHERE { OPTIONAL { SERVICE <{url}> { ?leak ?p ?o } } }", True),
    "in-union": (
        "SELECT ?leak WHERE { { ?a ?b ?c } UNION { SERVICE <{url}> { ?leak ?p ?o } } }",
        True,
    ),
    "in-subquery": (
        "SELECT ?leak WHERE { { SELECT ?leak WHERE { SERVICE <{url}> { ?leak ?p ?o } } } }",
        True,
    ),
    "in-minus": (
        "SELECT ?leak WHERE { BIND(1 AS ?leak) MINUS { SERVICE <{url}> { ?leak ?p ?o } } }",
        True,
    ),
    "in-exists": (
        "SELECT ?leak WHERE { BIND(1 AS ?leak) FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
        True,
    ),
    "in-graph": ("SELECT ?leak WHERE { GRAPH ?g { SERVICE <{url}> { ?leak ?p ?o } } }", True),
    "variable-values": (
        "SELECT ?leak WHERE { VALUES ?e { <{url}> } SERVICE ?e { ?leak ?p ?o } }",
        False,
    ),
    "variable-bind": (
        "SELECT ?leak WHERE { BIND(<{url}> AS ?e) SERVICE ?e { ?leak ?p ?o } }",
        False,
    ),
    "ask": ("ASK { SERVICE <{url}> { ?leak ?p ?o } }", True),
    "construct": ("CONSTRUCT { ?leak ?p ?o } WHERE { SERVICE <{url}> { ?leak ?p ?o } }", True),
}


class Listener:
    """Accepts connections on 127.0.0.1 (a free port) until closed; each
    request it reads is appended to ``received`` before it answers."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:  # closed
                return
            with conn:
                conn.settimeout(10)
                try:
                    self.received.append(conn.recv(65536) or b"(connected)")
                    conn.sendall(_REPLY)
                    conn.shutdown(socket.SHUT_WR)
                except OSError:
                    self.received.append(b"(connected)")

    def query(self, name: str) -> str:
        """The spelling ``name`` of ``SPELLINGS``, aimed at this listener."""
        text = SPELLINGS[name][0]
        base = f"http://127.0.0.1:{self.port}/"
        return (
            text.replace("{url}", self.url)
            .replace("{base}", base)
            .replace("{port}", str(self.port))
        )

    def close(self) -> None:
        self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()
        self.thread.join(timeout=10)
