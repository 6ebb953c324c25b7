"""The per-article map: ``kg.work.process_batch`` over the files, here, on processes or on Dask.

``map_articles`` cuts the files into batches and runs them in this process,
in a pool of worker processes (``jobs``) or on a Dask cluster
(``dask_scheduler``), and yields the outcomes in input order. What is done
to one article is ``kg.work``'s; each worker builds its own pipeline on first
use (``kg.nlp.get_nlp`` is cached per process).

The workers get the files' bytes, not their paths, so a Dask worker on another
machine needs no access to the input folder, only ``ihkg`` installed.

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

from kg.articles import MAX_CHARS
from kg.errors import KgError
from kg.work import Outcome, process_batch

__all__ = ["available_cpus", "map_articles"]


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
