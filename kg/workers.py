"""The worker processes of ``kg serve``: each holds the graph and runs queries.

A worker is a ``python -c`` process (not ``multiprocessing``, so the caller's
``__main__`` is never imported again) that cannot open a socket
(``kg.sandbox``), loads the graph into an Oxigraph store once, caps the
memory its queries may allocate, and then answers one request per line:

- the server writes a ``Request`` as one JSON line on the worker's standard
  input;
- the worker answers with a JSON head line (status, content type,
  truncated, restart, length) and then ``length`` bytes of body on its
  standard output (``execute`` makes the ``Response``).

A query that runs out of time is stopped by killing its worker, one that
runs out of memory ends its worker; either way the worker is replaced, so a
runaway query costs nothing afterwards. ``WorkerPool`` hands each request to
an idle worker.

Why not a process pool from a package: ``concurrent.futures`` cannot stop a
running task, and the pools that can (pebble's ``ProcessPool`` with a
per-task timeout, billiard's) start workers through ``multiprocessing``
(which imports the caller's ``__main__`` again, or forks a threaded server)
and lose the worker's last words on standard error, which tell a query out
of memory from a crash; they would replace ``_Worker`` and add a dependency.

Example:
    >>> Response.error(400, "malformed query").body
    b'malformed query\\n'
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.errors import GraphError, QueryError
from kg.negotiate import FORMATS, QueryRefused, negotiate
from kg.results import format_boolean, format_solutions, format_triples
from kg.sparql import PREFIXES, find_service, is_update, query_form

__all__ = ["READ_ONLY", "Request", "Response", "WorkerPool", "execute", "open_source"]

READ_ONLY = "SPARQL Update is not allowed: this endpoint is read-only"
_REFUSED_SERVICE = "SERVICE (federated query) is disabled: this endpoint makes no requests"


@dataclass(frozen=True, slots=True)
class Request:
    query: str
    limit: int
    accept: str | None = None
    formats: tuple[str, ...] = ()  # the values of format= and output=, in order
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    truncated: bool = False
    restart: bool = False  # the worker that answered must be replaced

    @classmethod
    def error(cls, status: int, message: str, restart: bool = False) -> Response:
        """A plain-text error response: ``message`` and a newline."""
        return cls(status, (message.rstrip("\n") + "\n").encode("utf-8"), restart=restart)


def open_source(source: str):
    """The Oxigraph store of ``source`` and whether it has named graphs."""
    import pyoxigraph as ox

    path = Path(source)
    if path.is_dir():
        store = ox.Store.read_only(str(path))
    else:
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".").lower())
        if fmt is None:
            raise GraphError(f"{path}: not an RDF file suffix Oxigraph knows")
        store = ox.Store()
        store.bulk_load(path=str(path), format=fmt)
    return store, next(iter(store.named_graphs()), None) is not None


def _refuse_service(text: str) -> Response | None:
    """Without the sandbox: 400 unless rdflib parses ``text`` and finds no ``SERVICE``."""
    if is_update(text):
        return Response.error(403, READ_ONLY)
    try:
        endpoint = find_service(text)
    except QueryError as e:
        return Response.error(400, f"malformed query: {e}")
    return Response.error(400, _REFUSED_SERVICE) if endpoint is not None else None


def execute(store, union: bool, req: Request, sandboxed: bool = True) -> Response:
    """Run one query on ``store`` and format at most ``req.limit`` results.

    Every failure becomes a response: the worker goes on, or asks to be
    replaced (``restart``) when it may be damaged.
    """
    import pyoxigraph as ox

    if not sandboxed and (refused := _refuse_service(req.query)) is not None:
        return refused
    try:
        kwargs: dict = {}
        if req.default_graphs or req.named_graphs:
            if req.default_graphs:
                kwargs["default_graph"] = [ox.NamedNode(g) for g in req.default_graphs]
            if req.named_graphs:
                kwargs["named_graphs"] = [ox.NamedNode(g) for g in req.named_graphs]
        elif union:
            kwargs["use_default_graph_as_union"] = True
        result = store.query(req.query, prefixes=PREFIXES, **kwargs)
        fmt = negotiate(query_form(result), req.accept, req.formats)
        if isinstance(result, ox.QueryBoolean):
            return Response(200, format_boolean(result, fmt), FORMATS[fmt].media)
        items = []
        truncated = False
        for item in result:
            if len(items) == req.limit:
                truncated = True
                break
            items.append(item)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = [[solution[v] for v in variables] for solution in items]
            body = format_solutions(variables, rows, fmt, truncated)
        else:
            body = format_triples(items, fmt, truncated)
    except QueryRefused as e:
        return Response.error(e.status, e.message)
    except SyntaxError as e:
        if is_update(req.query):
            return Response.error(403, READ_ONLY)
        return Response.error(400, f"malformed query: {e}")
    except PermissionError:  # the sandbox refused a socket: SERVICE, however spelt
        return Response.error(400, _REFUSED_SERVICE)
    except OSError as e:  # Oxigraph's HTTP client refusing a SERVICE IRI, or the store
        return Response.error(400, f"query failed: {e}")
    except RuntimeError as e:  # an evaluation error (a SERVICE name left unbound, ...)
        return Response.error(400, f"query failed: {e}")
    except ValueError as e:  # e.g. an invalid IRI in default-graph-uri
        return Response.error(400, f"bad request: {e}")
    except MemoryError:
        return Response.error(
            503, "the query needed more memory than a worker may use", restart=True
        )
    except Exception as e:
        return Response.error(500, f"query failed: {e}", restart=True)
    except BaseException as e:  # a Rust panic (pyo3 PanicException) is a BaseException
        if isinstance(e, KeyboardInterrupt | SystemExit):
            raise
        return Response.error(500, f"query failed: {e}", restart=True)
    return Response(200, body, FORMATS[fmt].media, truncated)


def _write_response(out, resp: Response) -> None:
    head = {
        "status": resp.status,
        "content_type": resp.content_type,
        "truncated": resp.truncated,
        "restart": resp.restart,
        "length": len(resp.body),
    }
    out.write(json.dumps(head).encode("utf-8") + b"\n" + resp.body)
    out.flush()


def _read_response(stream) -> Response | None:
    line = stream.readline()
    if not line:
        return None
    head = json.loads(line)
    body = stream.read(head["length"])
    if len(body) != head["length"]:
        return None
    return Response(head["status"], body, head["content_type"], head["truncated"], head["restart"])


def _data_size() -> int:
    """Bytes of the data segment of this process (``VmData``; 0 if unknown)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def worker_main(source: str, memory: int = 0) -> None:
    """A worker process: deny it the network, load the store, let queries
    allocate at most ``memory`` MiB more (0: no cap), then answer one JSON
    request per line on standard input, each with a JSON head line and the
    body on standard output, until standard input closes."""
    import resource

    from kg import sandbox

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints go to standard error, not into the protocol
    try:
        sandbox.deny_network()
        sandboxed = True
    except sandbox.SandboxUnavailable:
        sandboxed = False
    try:
        store, union = open_source(source)
    except Exception as e:  # report any load failure to the parent, which names the file
        _write_response(out, Response.error(500, f"{source}: cannot load ({e})"))
        return
    if memory:  # what every query needs is imported at the top of this module, before the cap
        # the data segment (heap and private mappings): what a query allocates
        cap = _data_size() + (memory << 20)
        resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
    _write_response(out, Response(200, str(len(store)).encode()))
    for line in sys.stdin.buffer:
        fields = json.loads(line)
        fields["default_graphs"] = tuple(fields["default_graphs"])
        fields["named_graphs"] = tuple(fields["named_graphs"])
        fields["formats"] = tuple(fields["formats"])
        resp = execute(store, union, Request(**fields), sandboxed)
        _write_response(out, resp)
        if resp.restart:
            return


class _Worker:
    """One worker process (``python -c …``, not ``multiprocessing``, so the
    caller's ``__main__`` is never imported again); replaced when a query runs
    out of time or memory, or breaks it."""

    def __init__(
        self,
        source: str,
        load_timeout: float,
        memory: int = 0,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.source = source
        self.load_timeout = load_timeout
        self.memory = memory
        self.log = log
        self.process: subprocess.Popen | None = None
        self.replies: queue.Queue[Response | None] = queue.Queue()
        self.errors: deque[str] = deque(maxlen=20)
        self.stderr_thread: threading.Thread | None = None
        self.ready = False
        self.size = 0

    def start(self) -> None:
        code = (
            "import sys; from kg.workers import worker_main; "
            "worker_main(sys.argv[1], int(sys.argv[2]))"
        )
        env = {**os.environ, "RUST_BACKTRACE": "0"}  # a backtrace needs memory it may not have
        self.process = subprocess.Popen(
            [sys.executable, "-c", code, self.source, str(self.memory)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,  # Ctrl-C in a terminal reaches the server, not its workers
        )
        self.replies = queue.Queue()
        self.errors = deque(maxlen=20)
        self.ready = False
        threading.Thread(
            target=self._read, args=(self.process.stdout, self.replies), daemon=True
        ).start()
        self.stderr_thread = threading.Thread(
            target=self._read_errors, args=(self.process.stderr, self.errors), daemon=True
        )
        self.stderr_thread.start()

    @staticmethod
    def _read(stream, replies: queue.Queue) -> None:
        """Put each reply of the worker in ``replies``; ``None`` once it ends."""
        try:
            while (resp := _read_response(stream)) is not None:
                replies.put(resp)
        except (OSError, ValueError):  # the worker was killed mid-reply
            pass
        finally:
            replies.put(None)
            stream.close()

    def _read_errors(self, stream, errors: deque) -> None:
        """Hold the last lines the worker wrote to standard error, and log them."""
        try:
            for raw in stream:
                line = raw.decode("utf-8", "replace").rstrip()
                errors.append(line)
                if self.log is not None and line:
                    self.log(f"worker: {line}")
        except (OSError, ValueError):
            pass
        finally:
            stream.close()

    def _reply(self, timeout: float) -> Response | None:
        try:
            return self.replies.get(timeout=timeout)
        except queue.Empty:
            raise TimeoutError from None

    def _death(self) -> str:
        """Why the worker ended, from the last lines of its standard error."""
        if self.process is not None:
            self.process.wait()
        if self.stderr_thread is not None:
            self.stderr_thread.join(timeout=5)
        lines = [line for line in self.errors if line.strip() and not line.startswith("note:")]
        return lines[-1] if lines else "no message"

    def wait_ready(self) -> None:
        if self.ready:
            return
        if self.process is None:
            self.start()
        try:
            resp = self._reply(self.load_timeout)
        except TimeoutError:
            self.stop()
            raise GraphError(f"{self.source}: not loaded after {self.load_timeout:g} s") from None
        if resp is None:
            reason = self._death()
            self.stop()
            raise GraphError(f"{self.source}: the worker stopped while loading: {reason}")
        if resp.status != 200:
            self.stop()
            raise GraphError(resp.body.decode().strip())
        self.ready, self.size = True, int(resp.body)

    def run(self, req: Request, timeout: float) -> Response:
        self.wait_ready()
        fields = {
            "query": req.query,
            "limit": req.limit,
            "accept": req.accept,
            "formats": list(req.formats),
            "default_graphs": list(req.default_graphs),
            "named_graphs": list(req.named_graphs),
        }
        try:
            self.process.stdin.write(json.dumps(fields).encode("utf-8") + b"\n")
            self.process.stdin.flush()
            resp = self._reply(timeout)
        except TimeoutError:
            self.restart()
            return Response.error(503, f"query timed out after {timeout:g} s and was stopped")
        except OSError:
            resp = None
        if resp is None:
            reason = self._death()
            self.restart()
            if "memory allocation" in reason:
                return Response.error(
                    503,
                    f"the query needed more than the {self.memory} MiB a query may use "
                    "and was stopped (kg serve --memory)",
                )
            return Response.error(
                500, f"the query stopped its worker ({reason}); it has been replaced"
            )
        if resp.restart:
            self.restart()
        return resp

    def restart(self) -> None:
        self.stop()
        self.start()

    def stop(self) -> None:
        """End the process at once (it holds nothing worth saving)."""
        if self.process is None:
            return
        self.process.kill()
        self.process.wait()
        self.process.stdin.close()  # its standard output is closed by the reading thread
        self.process, self.ready = None, False


class WorkerPool:
    """``count`` workers for ``source``, loaded and ready once made.

    Args:
        source (str): an RDF file or an Oxigraph store folder.
        count (int): queries run at the same time (one process each).
        load_timeout (float): seconds a worker may take to load the graph.
        memory (int): MiB a worker may allocate for queries (0: no cap).
        log: called with each line a worker writes to standard error.

    Raises:
        GraphError: the source does not load (the message names it).
    """

    def __init__(
        self,
        source: str,
        count: int,
        load_timeout: float,
        memory: int = 0,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers = [_Worker(source, load_timeout, memory, log) for _ in range(count)]
        try:
            for w in self._workers:
                w.start()
            for w in self._workers:
                w.wait_ready()
                self._idle.put(w)
        except BaseException:
            self.close()
            raise

    @property
    def size(self) -> int:
        """How many quads the served store holds."""
        return self._workers[0].size if self._workers else 0

    @property
    def pids(self) -> list[int]:
        """The process ids of the workers running now (a replaced worker has a new one)."""
        return [w.process.pid for w in self._workers if w.process is not None]

    def run(self, req: Request, timeout: float) -> Response:
        """``req`` run by the next idle worker within ``timeout`` seconds:
        503 when none is free in that time or the query takes longer."""
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return Response.error(503, "server busy: every query worker is in use; try again")
        try:
            return worker.run(req, timeout)
        except GraphError as e:
            return Response.error(500, str(e))
        finally:
            self._idle.put(worker)

    def close(self) -> None:
        """End every worker process."""
        for w in self._workers:
            w.stop()
