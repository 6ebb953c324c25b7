"""Files: finding article files, decoding their bytes, writing outputs atomically.

``iter_article_paths`` expands the files and folders a build is given into the
article files they hold; ``decode`` turns an article's bytes into text, with a
note when the encoding was a guess; ``shown_name`` makes a file name that is
not valid UTF-8 printable.

``write_atomic`` is how every output and cache entry is written: to a
temporary file in the same folder, then renamed into place, so a build stopped
half-way leaves the previous file intact.
"""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import ArticleError, OutputError

__all__ = [
    "ARTICLE_SUFFIXES",
    "decode",
    "iter_article_paths",
    "output_error",
    "shown_name",
    "write_atomic",
]

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")  # in any case: .TXT too
# C0 and C1 controls other than tab, line feed, form feed and carriage return
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def iter_article_paths(
    paths: list[Path],
    *,
    skip: Iterable[str | Path] = (),
    problems: list[tuple[str, str]] | None = None,
) -> list[Path]:
    """Expand files and folders into the article files they hold, sorted.

    Files named on their own are read whatever their suffix; in folders only
    ``.txt``, ``.md``, ``.html`` and ``.htm`` files are, in any case
    (``.TXT`` too).

    Args:
        paths (list[Path]): files and folders.
        skip (paths): folders not to look into (a build's output folder and
            cache, when they are inside an input folder).
        problems (list | None): receives ``(folder, reason)`` for each folder
            that cannot be read or was skipped; without it, a folder that
            cannot be read raises.

    Raises:
        ArticleError: when a path does not exist, a folder holds no article
            file, or (without ``problems``) a folder cannot be read.
    """
    skipped = {os.path.realpath(p) for p in skip}
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            inside = list(_walk(p, skipped, problems))
            if not inside:
                raise ArticleError(
                    str(p), f"no article files ({', '.join(ARTICLE_SUFFIXES)}) in this folder"
                )
            found.extend(inside)
        elif p.is_file():
            found.append(p)
        else:
            raise ArticleError(str(p), "no such file or folder")
    return sorted(set(found))


def _walk(top: Path, skipped: set[str], problems: list | None) -> Iterator[Path]:
    """The article files under ``top``; folders that cannot be read are reported."""

    def failed(e: OSError) -> None:
        reason = f"cannot read folder ({e.strerror or e}); its files are not read"
        if problems is None:
            raise ArticleError(str(e.filename), reason)
        problems.append((str(e.filename), reason))

    for folder, dirs, files in os.walk(top, onerror=failed, followlinks=True):
        for d in list(dirs):
            path = os.path.join(folder, d)
            if os.path.realpath(path) in skipped:
                dirs.remove(d)
                if problems is not None:
                    problems.append((path, "skipped: it holds this build's outputs or cache"))
        dirs.sort()
        for f in files:
            if os.path.splitext(f)[1].lower() in ARTICLE_SUFFIXES:
                path = Path(folder, f)
                if path.is_file():
                    yield path


def shown_name(name: str) -> str:
    """``name`` as it can be written out: bytes that were not UTF-8 become U+FFFD.

    Control characters stay (messages escape them with ``kg.errors.printable``;
    the graph drops those XML cannot hold).

    >>> import os
    >>> shown_name(os.fsdecode(b"bad\\xff.txt"))
    'bad�.txt'
    """
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return name


def decode(data: bytes, name: str) -> tuple[str, str | None]:
    """Decode article bytes into text, with a note when the encoding was a guess.

    UTF-8 (with or without BOM) is read silently; UTF-16 with a BOM, GB18030
    (which includes GBK and GB2312) and UTF-8 with a few broken bytes are read
    with a note. Empty and binary files are errors.

    Args:
        data (bytes): the file's content.
        name (str): the file name, for messages.

    Returns:
        tuple[str, str | None]: the text and a note, or ``None``.

    Raises:
        ArticleError: the file is empty, binary, or in no encoding tried.

    >>> decode("甲".encode("gb18030"), "a.txt")
    ('甲', 'not UTF-8; read as GB18030')
    >>> decode(b"\\xef\\xbb\\xbf---", "a.txt")
    ('---', None)
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, note = data.decode("utf-16"), "UTF-16 file; read as UTF-16"
        except UnicodeDecodeError:
            raise ArticleError(name, "starts with a UTF-16 mark but is not UTF-16") from None
    elif b"\x00" in data:
        raise ArticleError(name, "binary file (contains NUL bytes), not an article")
    else:
        text, note = _decode_8bit(data, name)
    if not text.strip():
        raise ArticleError(name, "file is empty")
    controls = len(_CONTROL.findall(text[:100_000]))
    if controls * 100 > min(len(text), 100_000):
        raise ArticleError(name, "binary file (control characters), not an article")
    return text, note


def _decode_8bit(data: bytes, name: str) -> tuple[str, str | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few broken bytes (a file cut in the middle of a character)
    # is UTF-8; GBK read as UTF-8 breaks at about every other non-ASCII byte.
    lenient = data.decode("utf-8-sig", errors="replace")
    broken = lenient.count("\ufffd") - data.count("\ufffd".encode())
    high = len(data) - len(data.translate(None, bytes(range(0x80, 0x100))))
    if broken * 10 < high:
        s = "" if broken == 1 else "s"
        return lenient, f"not valid UTF-8 in {broken} place{s}; replaced by U+FFFD"
    try:
        return data.decode("gb18030"), "not UTF-8; read as GB18030"
    except UnicodeDecodeError:
        raise ArticleError(name, "not valid UTF-8 or GB18030 text") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, data: str | bytes, *, durable: bool = True) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Args:
        path (str | Path): the file; its folder is made if needed.
        data (str | bytes): the content (text is written as UTF-8).
        durable (bool): flush the file to disk before the rename, so that a
            crash of the machine cannot leave an empty file. A cache entry,
            which is checked when read and made again when bad, skips it.

    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = write_atomic(p, "甲")
    >>> p.read_text(encoding="utf-8")
    '甲'
    >>> q = p.with_name("b.txt"); _ = q.write_text("乙", encoding="utf-8")
    >>> p.stat().st_mode & 0o777 == q.stat().st_mode & 0o777  # the mode open() would give
    True

    Raises:
        OutputError: the folder cannot be made or written, or ``path`` is a
            folder; the message names the path and the reason. Nothing is
            left behind.
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        _replace_atomic(path, raw, durable)
    except OSError as e:
        raise OutputError(str(path), _why_not_written(e, path)) from None
    return path


def output_error(e: OSError, path: str | Path) -> OutputError:
    """The one-line error for an output ``path`` that could not be written."""
    return OutputError(str(path), _why_not_written(e, Path(path)))


def _why_not_written(e: OSError, path: Path) -> str:
    name = os.fsdecode(e.filename) if e.filename is not None else None
    if isinstance(e, IsADirectoryError):
        return "it is a folder"
    if isinstance(e, FileExistsError | NotADirectoryError):
        ways = (*reversed(path.parents), path)
        blocker = next((p for p in ways if p.exists() and not p.is_dir()), None)
        if blocker is not None:
            return f"{blocker} is not a folder"
    reason = e.strerror or str(e)
    return f"{reason} ({name})" if name and Path(name) in path.parents else reason


def _replace_atomic(path: Path, raw: bytes, durable: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
