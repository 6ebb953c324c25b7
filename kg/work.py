"""One article's work: read a file's bytes, extract what it states, say what became of it.

``process_article`` is pure given a file's name and bytes, so it can run
anywhere: in this process, in a worker process or on a Dask worker
(``kg.parallel`` maps it over the files). ``process_batch`` is a list of
them, one task for a worker. A bad file never raises: its ``Outcome`` says
why it was skipped, and the rest are built.

Each article has a time limit (``time_limit``): an article that takes longer
is reported as that article's error. It is kept with a timer signal, so in a
process's main thread (this process, or a worker process), not on the
threads of a Dask worker.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from kg.articles import MAX_CHARS, Article, read_article_bytes
from kg.errors import ArticleError
from kg.extract import Extraction, extract_article
from kg.files import shown_name
from kg.records import fast_pickle

__all__ = ["Outcome", "process_article", "process_batch"]

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
