"""The output folder of a build: one build at a time, and its files replaced together.

``output_lock(out)`` holds an exclusive lock on ``OUT/.kg-build.lock`` for
the length of a build, so that a second build into the same folder fails at
once instead of interleaving its files with the first's. The lock is the
operating system's (``flock``): a build that is killed releases it.

``output_set(out, names)`` gives a folder to write the outputs of one build
into, and shows them in ``out`` together: the files go into a new generation
folder, ``OUT/.kg-out/<id>/``, and one rename of the symbolic link
``OUT/.kg-out/current`` switches from the old set to the new one.
``OUT/graph.ttl`` and the others are links through ``current``, so a reader
opening them sees every file old or every file new, and a build killed at
any point leaves the previous set whole. Where symbolic
links cannot be made, each file is replaced on its own (atomically, but not
together).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kg.errors import KgError, printable

__all__ = ["LOCK_NAME", "SET_DIR", "output_lock", "output_set"]

LOCK_NAME = ".kg-build.lock"
SET_DIR = ".kg-out"
_held: dict[str, int] = {}  # folders this process holds the lock of, with a count


@contextlib.contextmanager
def output_lock(out: str | Path) -> Iterator[Path]:
    """Hold the build lock of the output folder ``out`` (made if missing).

    Taking it again in the same process is allowed (the lock is counted).

    Raises:
        KgError: another process holds it (another build into ``out``).
    """
    out = Path(out)
    made = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    key = os.path.realpath(out)
    if key in _held:
        _held[key] += 1
        try:
            yield out
        finally:
            _held[key] -= 1
        return
    path = out / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            _lock(fd)
        except OSError:
            pid = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            who = f" (process {pid})" if pid.isdigit() else ""
            raise KgError(
                f"{printable(str(out))}: another build is writing to this folder{who}; "
                "wait for it to end, or give another --out"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _held[key] = 1
        try:
            yield out
        finally:
            del _held[key]
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
                if made and [p.name for p in out.iterdir()] == [LOCK_NAME]:
                    path.unlink()  # a build that failed before writing leaves no folder
                    out.rmdir()
    finally:
        os.close(fd)  # releases the lock


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)


@contextlib.contextmanager
def output_set(out: str | Path, names: list[str]) -> Iterator[Path]:
    """A folder to write the files ``names`` into, shown in ``out`` together on leaving.

    Write each file into the folder given (``kg.files.write_atomic``); when
    the ``with`` block ends without an error, the set replaces the previous
    one in one rename (see the module's notes). Generation folders of earlier
    builds, and of builds that were stopped, are then removed. On an error
    the new files are dropped and ``out`` is left as it was.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> with output_set(out, ["a.txt"]) as folder:
    ...     _ = (folder / "a.txt").write_text("new")
    >>> (out / "a.txt").read_text()
    'new'
    """
    out = Path(out)
    sets = out / SET_DIR
    sets.mkdir(parents=True, exist_ok=True)
    linked = _adopt(out, sets, names)
    new = Path(tempfile.mkdtemp(prefix="set-", dir=sets))
    try:
        yield new
        os.chmod(new, 0o777 & ~_umask())
        _fsync_dir(new)
        if linked:
            _switch(sets, new.name)
        else:  # no symbolic links here: each file on its own
            for name in names:
                os.replace(new / name, out / name)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    keep = {"current", new.name} if linked else set()
    for old in sets.iterdir():
        if old.name not in keep and not old.name.startswith("."):
            shutil.rmtree(old, ignore_errors=True)


def _adopt(out: Path, sets: Path, names: list[str]) -> bool:
    """Make each of ``names`` in ``out`` a link through ``sets/current``, the files
    they show unchanged; ``False`` where symbolic links cannot be made.

    Files written by an older ihkg, or replaced by another program, first go
    into a set of their own (hard links, or copies), so that the folder shows
    the same files before and after.
    """
    targets = {name: f"{SET_DIR}/current/{name}" for name in names}
    loose = [n for n in names if not _links_to(out / n, targets[n])]
    if not loose:
        return True
    adopted = Path(tempfile.mkdtemp(prefix="set-", dir=sets))
    try:
        for name in names:
            source = out / name if name in loose else sets / "current" / name
            if source.is_file():
                try:
                    os.link(source, adopted / name)
                except OSError:
                    shutil.copy2(source, adopted / name)
        if not _switch(sets, adopted.name):
            shutil.rmtree(adopted, ignore_errors=True)
            return False
    except BaseException:
        shutil.rmtree(adopted, ignore_errors=True)
        raise
    for name in loose:
        _link(out / name, targets[name])
    return True


def _links_to(path: Path, target: str) -> bool:
    try:
        return os.readlink(path) == target
    except OSError:
        return False


def _switch(sets: Path, target: str) -> bool:
    """Point ``sets/current`` at ``target`` in one rename; ``False`` without symlinks."""
    tmp = sets / f".current.{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    try:
        os.symlink(target, tmp)
    except (OSError, NotImplementedError):
        return False
    os.replace(tmp, sets / "current")
    _fsync_dir(sets)
    return True


def _link(path: Path, target: str) -> None:
    """Make ``path`` a symbolic link to ``target``, replacing a file in one rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.link.tmp")
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    os.symlink(target, tmp)
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
