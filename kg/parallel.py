"""The per-article map: read and extract each file, serially, on processes or on Dask.

Reading and extraction are pure given a file's name and bytes, so they can run
anywhere: ``process_article`` is the unit of work, ``process_batch`` a list of
them (one task), and ``map_articles`` runs the batches in this process, in a
pool of worker processes (``jobs``) or on a Dask cluster (``dask_scheduler``),
and yields the outcomes in input order. Each worker builds its own pipeline on
first use (``kg.nlp.get_nlp`` is cached per process); the functions are
module-level so that they pickle by name.

The workers get the files' bytes, not their paths, so a Dask worker on another
machine needs no access to the input folder, only ``ihkg`` installed.

Each article has a time limit (``time_limit``): an article that takes longer
is reported as that article's error, and the rest are built. It is kept with
a timer signal, so in a process's main thread (this process, or a worker
process), not on the threads of a Dask worker.

Worker processes end with the build that started them, however it ends: they
ignore Ctrl-C (the build stops them), a build that stops early terminates
them, and each watches its parent and exits when the parent is gone (killed
with SIGKILL).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from kg.articles import MAX_CHARS, Article, read_article_bytes
from kg.defaults import DEFAULTS
from kg.errors import ArticleError, KgError
from kg.extract import Extraction, extract_article
from kg.files import shown_name
from kg.records import fast_pickle

__all__ = ["TIME_LIMIT", "Outcome", "map_articles", "process_article", "process_batch"]

TIME_LIMIT = DEFAULTS.time_limit
"""Seconds one article may take to read and extract (a long one takes a few)."""

# The pipeline is used by one thread at a time in a process: a Dask worker
# with several threads runs its tasks one after the other (use processes).
_LOCK = threading.Lock()


@fast_pickle
@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one file: its article and extraction, or why it was skipped.

    Attributes:
        name (str): the file name.
        article (Article | None): the article, when it could be read.
        extraction (Extraction | None): what it states, when extraction ran.
        error (str | None): why the file was skipped, when it was.
        cacheable (bool): ``False`` for failures that are not the file's fault
            (a bug in extraction): those are tried again next time.
    """

    name: str
    article: Article | None = None
    extraction: Extraction | None = None
    error: str | None = None
    cacheable: bool = True


def process_article(
    name: str, data: bytes, max_chars: int | None = MAX_CHARS, time_limit: float | None = None
) -> Outcome:
    """Read and extract one file; never raises for a bad file.

    Args:
        name (str): the file name (messages and provenance).
        data (bytes): the file's content.
        max_chars (int | None): the longest body text accepted.
        time_limit (float | None): seconds it may take (``None``: no limit;
            kept only in a main thread, see the module's notes).

    Returns:
        Outcome: the article and its extraction, or the reason it was skipped.

    >>> process_article("a.txt", b"no front matter").error
    "no front matter (the file must start with a '---' block)"
    """
    shown = shown_name(name)
    try:
        with _deadline(time_limit):
            return _process(shown, name, data, max_chars)
    except _TimeUp:
        return Outcome(
            shown,
            error=f"took more than {time_limit:g} s to read and extract (the time limit "
            "of one article); skipped",
            cacheable=False,
        )


def _process(shown: str, name: str, data: bytes, max_chars: int | None) -> Outcome:
    try:
        article = read_article_bytes(data, name, max_chars)
    except ArticleError as e:
        return Outcome(shown, error=e.reason)
    except Exception as e:  # a reader bug must not stop the batch; it names the file
        return Outcome(shown, error=f"reading failed: {type(e).__name__}: {e}", cacheable=False)
    try:
        extraction = extract_article(article)
    except Exception as e:
        return Outcome(
            shown, article, error=f"extraction failed: {type(e).__name__}: {e}", cacheable=False
        )
    return Outcome(shown, article, extraction)


class _TimeUp(BaseException):
    """An article's time is up (a ``BaseException``: no ``except Exception`` stops it)."""


class _deadline:
    """Raise ``_TimeUp`` in this thread when ``seconds`` have passed (main thread only)."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.armed = (
            bool(seconds)
            and hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
        )

    def __enter__(self) -> None:
        if self.armed:
            self.previous = signal.signal(signal.SIGALRM, _time_up)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc) -> None:
        if self.armed:
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
            finally:  # even when the time ran out just now
                signal.signal(signal.SIGALRM, self.previous)


def _time_up(signum, frame) -> None:
    raise _TimeUp


def process_batch(
    items: Sequence[tuple[str, bytes]],
    max_chars: int | None = MAX_CHARS,
    time_limit: float | None = None,
) -> list[Outcome]:
    """``process_article`` over ``(name, data)`` pairs: one task for a worker.

    With a time limit, the pipeline is loaded first, outside any article's time.
    """
    with _LOCK:
        if time_limit and items:
            from kg.nlp import get_nlp

            get_nlp()
        return [process_article(name, data, max_chars, time_limit) for name, data in items]


def map_articles(
    items: Sequence[tuple[str, bytes]],
    *,
    jobs: int = 1,
    dask_scheduler: str | None = None,
    max_chars: int | None = MAX_CHARS,
    on_done: Callable[[int], None] | None = None,
    processes: bool = False,
    time_limit: float | None = None,
) -> Iterable[Outcome]:
    """Process ``(name, data)`` pairs and yield their outcomes in input order.

    Work on processes or on Dask starts at once, so the caller can do
    something else before it asks for the outcomes; ``close()`` what this
    returns (or exhaust it) to release the workers.

    Args:
        items: file names and contents.
        jobs (int): worker processes; 1 runs in this process, 0 uses one per CPU.
        dask_scheduler (str | None): address of a Dask scheduler
            (``tcp://host:8786``); when given, the work runs there.
        max_chars (int | None): the longest body text accepted.
        on_done: called with the number of files just finished (progress).
        processes (bool): with ``jobs`` 1, run on one worker process anyway,
            leaving this process free meanwhile.
        time_limit (float | None): seconds one article may take.

    Raises:
        KgError: the Dask scheduler cannot be reached, or a worker process died.
    """
    done = on_done or (lambda n: None)
    if jobs == 0:
        jobs = available_cpus()
    here = not items or (not processes and (jobs <= 1 or len(items) <= 1))
    if dask_scheduler is None and here:
        return _here(items, max_chars, time_limit, done)
    batches = _batches(items, jobs)
    if dask_scheduler is not None:
        return _dask_map(batches, dask_scheduler, max_chars, time_limit, done)
    return _process_map(batches, min(max(jobs, 1), len(batches)), max_chars, time_limit, done)


def _here(items, max_chars, time_limit, done) -> Iterator[Outcome]:
    for name, data in items:
        outcome = process_batch([(name, data)], max_chars, time_limit)[0]
        done(1)
        yield outcome


class _Started:
    """Outcomes of batches already sent to workers: iterate for them in order,
    ``close`` to drop those not yet started and release the workers."""

    def __init__(self, futures: list, release: Callable[[], None], done) -> None:
        self._futures, self._release, self._done = futures, release, done
        self._closed = False

    def __iter__(self) -> Iterator[Outcome]:
        from concurrent.futures.process import BrokenProcessPool

        try:
            for future in self._futures:
                try:
                    batch = future.result()
                except BrokenProcessPool:
                    raise KgError(
                        "a worker process died (out of memory, or a crash in a native "
                        "library); run again with --jobs 1 to see which article"
                    ) from None
                self._done(len(batch))
                yield from batch
        finally:
            self.close()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._release()


def available_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _batches(items: Sequence[tuple[str, bytes]], workers: int) -> list[list[tuple[str, bytes]]]:
    """Batches small enough to balance the load, large enough to cut messaging."""
    size = max(1, min(32, -(-len(items) // (4 * max(workers, 1)))))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _process_map(batches: list, workers: int, max_chars, time_limit, done) -> _Started:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the parent may hold ONNX Runtime threads, which do not
    # survive a fork.
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_worker_started,
        initargs=(os.getpid(),),
    )
    futures = [pool.submit(process_batch, batch, max_chars, time_limit) for batch in batches]

    def release() -> None:
        if all(f.done() for f in futures):
            pool.shutdown(wait=True)
            return
        # stopped early (an error, Ctrl-C, SIGTERM): end the workers now
        # rather than after the batches they are on
        for p in list((getattr(pool, "_processes", None) or {}).values()):
            p.terminate()
        # the pool's own thread reaps them (a second thread joining too can
        # leave a process listed as alive)
        pool.shutdown(wait=True, cancel_futures=True)

    return _Started(futures, release, done)


PARENT_POLL = 0.5
"""Seconds between a worker's looks at its parent."""


def _worker_started(parent: int) -> None:
    """In each worker process: leave Ctrl-C to the build, and end with it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    os._exit(1)  # the build is gone (killed): nobody wants this work


def _dask_map(batches: list, address: str, max_chars, time_limit, done) -> _Started:
    try:
        from distributed import Client
    except ImportError:
        raise KgError(
            "--dask-scheduler needs the 'distributed' package: pip install 'dask[distributed]'"
        ) from None
    try:  # the timeout is Dask's: distributed.comm.timeouts.connect (30 s)
        client = Client(address, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise KgError(f"cannot connect to the Dask scheduler at {address} ({e})") from None
    futures = client.map(
        process_batch, batches, max_chars=max_chars, time_limit=time_limit, pure=False
    )

    def release() -> None:
        client.cancel(futures)
        client.close()

    return _Started(futures, release, done)
