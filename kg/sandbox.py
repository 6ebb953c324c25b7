"""Run code that must not reach the network: a thread that cannot open a socket.

SPARQL ``SERVICE`` makes the engine send a request to any IRI the query
names, and both engines honour it: pyoxigraph with its own HTTP client,
rdflib with ``urllib``. Neither can be told not to, and recognising
``SERVICE`` in the query text is a parser of its own, one escape away from
missing it. So ihkg runs queries where a network request cannot be made:
``without_network(fn)`` calls ``fn`` in a new thread that a seccomp filter
forbids to create sockets (``socket`` and ``io_uring_setup`` fail with
``EACCES``), whatever the query says. The filter belongs to that thread and
to the threads it starts, and ends with it: the rest of the process, a test
runner or a notebook, keeps its network. ``deny_network()`` puts the same
filter on the calling thread for good; ``kg serve`` workers call it first.

The filter needs Linux on x86-64 or AArch64; ``available()`` says whether it
can be had. Elsewhere ``without_network`` raises ``SandboxUnavailable`` and
callers fall back to refusing ``SERVICE`` in the parsed query
(``kg.sparql.find_service``).

>>> import socket
>>> def dial():
...     socket.socket(socket.AF_INET, socket.SOCK_STREAM)
>>> without_network(dial) if available() else None  # doctest: +SKIP
Traceback (most recent call last):
...
PermissionError: [Errno 13] Permission denied
"""

from __future__ import annotations

import ctypes
import errno
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from typing import TypeVar

__all__ = ["SandboxUnavailable", "available", "deny_network", "network_denied", "without_network"]

T = TypeVar("T")

_ARCH = {  # machine: (AUDIT_ARCH_*, __NR_socket, __NR_io_uring_setup)
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_LD_ABS_W, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06

_local = threading.local()


class SandboxUnavailable(OSError):
    """The network cannot be denied on this system (not Linux x86-64/AArch64)."""


class _Filter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint),
    ]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def available() -> bool:
    """Whether this system can deny a thread the network (Linux, x86-64 or AArch64)."""
    return sys.platform == "linux" and platform.machine() in _ARCH


def network_denied() -> bool:
    """Whether the calling thread runs under ``deny_network``."""
    return getattr(_local, "denied", False)


def deny_network() -> None:
    """Forbid the calling thread, and the threads it starts from now on, to
    create sockets. It cannot be undone.

    Raises:
        SandboxUnavailable: not Linux on x86-64 or AArch64, or the kernel
            refused the filter.
    """
    if network_denied():
        return
    if not available():
        raise SandboxUnavailable(f"cannot deny the network on {sys.platform} {platform.machine()}")
    arch, nr_socket, nr_uring = _ARCH[platform.machine()]
    deny = _RET_ERRNO | errno.EACCES
    program = [
        (_LD_ABS_W, 0, 0, 4),  # seccomp_data.arch
        (_JEQ, 0, 5, arch),  # another ABI (i386 on x86-64): deny
        (_LD_ABS_W, 0, 0, 0),  # seccomp_data.nr
        (_JGE, 3, 0, 0x40000000),  # the x32 ABI: deny
        (_JEQ, 2, 0, nr_socket),
        (_JEQ, 1, 0, nr_uring),  # io_uring can open sockets without socket()
        (_RET, 0, 0, _RET_ALLOW),
        (_RET, 0, 0, deny),
    ]
    filters = (_Filter * len(program))(*[_Filter(*f) for f in program])
    prog = _Program(len(program), filters)
    libc = ctypes.CDLL(None, use_errno=True)
    for args in (
        (_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0),
        (_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog), 0, 0),
    ):
        if libc.prctl(*[ctypes.c_ulong(a) for a in args]) != 0:
            code = ctypes.get_errno()
            raise SandboxUnavailable(code, f"seccomp filter refused: {errno.errorcode.get(code)}")
    _local.denied = True


def _drop_locals(error: BaseException | None) -> None:
    """Free the local variables of the frames ``error`` (and its causes) went
    through, here: pyoxigraph results must be dropped in the thread that made
    them."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        traceback.clear_frames(error.__traceback__)
        error = error.__cause__ or error.__context__


def without_network(fn: Callable[[], T]) -> T:
    """``fn()``, called in a new thread that cannot create sockets; its result
    or its exception comes back to the caller.

    Raises:
        SandboxUnavailable: the filter cannot be had here (see ``available``).
    """
    if network_denied():
        return fn()
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            deny_network()
            outcome["value"] = fn()
        except BaseException as e:  # handed to the caller's thread
            _drop_locals(e)
            outcome["error"] = e

    thread = threading.Thread(target=run, name="kg-no-network")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
