"""Per-article records in transit: ``fast_pickle`` between processes, JSON on disk.

Worker processes send each article's outcome back to the build as a pickle
(``kg.work``, ``kg.parallel``); for a ``slots=True`` dataclass, Python's own
``__setstate__`` calls ``dataclasses.fields`` once per object, so
``fast_pickle`` pickles an object as its class and constructor arguments
instead. Pickles only travel between a build and its own workers.

The per-article cache on disk (``kg.cache``) holds data, never pickles:
``to_data`` turns a record into JSON values and ``from_data`` makes the
record again from its type, checking every field.

>>> import pickle
>>> from kg.text import Sentence  # a @fast_pickle dataclass
>>> Sentence(0, 0, 2, "你好").__reduce__()
(<class 'kg.text.Sentence'>, (0, 0, 2, '你好'))
>>> pickle.loads(pickle.dumps(Sentence(0, 0, 2, "你好")))
Sentence(index=0, start=0, end=2, text='你好')
"""

from __future__ import annotations

import functools
import operator
import types
import typing
from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import Any

__all__ = ["fast_pickle", "from_data", "to_data"]


def fast_pickle(cls: type) -> type:
    """Give dataclass ``cls`` a ``__reduce__`` that pickles its field values.

    Every field must be an ``__init__`` argument (true of plain dataclasses).
    """
    names = [f.name for f in fields(cls)]
    if len(names) == 1:
        get = operator.attrgetter(names[0])

        def reduce(self):
            return cls, (get(self),)
    else:
        values = operator.attrgetter(*names)

        def reduce(self):
            return cls, values(self)

    cls.__reduce__ = reduce
    return cls


# -- JSON: what the per-article cache holds ------------------------------------------------


def to_data(value: Any) -> Any:
    """``value`` as JSON data: a dataclass becomes the list of its field values.

    >>> from kg.text import Sentence
    >>> to_data((Sentence(0, 0, 2, "你好"),))
    [[0, 0, 2, '你好']]
    """
    if is_dataclass(value) and not isinstance(value, type):
        return [to_data(getattr(value, f.name)) for f in fields(value)]
    if isinstance(value, list | tuple):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {k: to_data(v) for k, v in value.items()}
    return value


def from_data(kind: Any, data: Any) -> Any:
    """The value of type ``kind`` that ``to_data`` made ``data`` from.

    Only what the type allows is made: plain values, ``None``, tuples, lists
    and dicts of them, dataclasses and named tuples, checked at every level. Nothing is
    looked up by a name found in the data, so data cannot choose what is built.

    Raises:
        ValueError: ``data`` does not have the shape of ``kind``.

    >>> from kg.text import Sentence
    >>> from_data(tuple[Sentence, ...], [[0, 0, 2, "你好"]])
    (Sentence(index=0, start=0, end=2, text='你好'),)
    >>> from_data(Sentence, [0, 0, "2", "你好"])
    Traceback (most recent call last):
    ValueError: expected Sentence fields, got ['int', 'int', 'str', 'str']
    """
    return _decoder(kind)(data)


@functools.cache
def _decoder(kind: Any) -> Callable[[Any], Any]:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is type(None):
        return _exact(type(None))
    if kind in (str, int, bool):
        return _exact(kind)
    if kind is float:
        return _number
    if origin in (types.UnionType, typing.Union):
        options = [_decoder(a) for a in args if a is not type(None)]
        if len(options) == 1 < len(args):  # X | None, the usual case: no exception for None
            only = options[0]
            return lambda v: None if v is None else only(v)
        options = [_decoder(a) for a in args]
        return lambda v: _first(options, v)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])
        return lambda v: tuple(item(x) for x in _list(v))
    if origin is tuple:
        items = [_decoder(a) for a in args]
        return lambda v: tuple(d(x) for d, x in zip(items, _list(v, len(items)), strict=True))
    if origin is list:
        item = _decoder(args[0])
        return lambda v: [item(x) for x in _list(v)]
    if origin is dict and args[0] is str:
        item = _decoder(args[1])
        return lambda v: {_exact(str)(k): item(x) for k, x in _dict(v).items()}
    if isinstance(kind, type) and (is_dataclass(kind) or issubclass(kind, tuple)):
        hints = typing.get_type_hints(kind)  # a dataclass or a NamedTuple
        names = [f.name for f in fields(kind)] if is_dataclass(kind) else kind._fields
        if all(hints[name] in (str, int, float, bool) for name in names):
            return _flat(kind, tuple(hints[name] for name in names))
        parts = [_decoder(hints[name]) for name in names]
        return lambda v: kind(*[d(x) for d, x in zip(parts, _list(v, len(parts)), strict=True)])
    raise TypeError(f"no JSON form for {kind!r}")


def _flat(kind: type, types_: tuple[type, ...]) -> Callable[[Any], Any]:
    """The decoder of a record of plain values (most records: sentences, facts)."""
    n = len(types_)

    def make(v: Any) -> Any:
        if type(v) is not list or len(v) != n:
            raise ValueError(f"expected a list of {n}")
        if tuple(map(type, v)) != types_:
            raise ValueError(
                f"expected {kind.__name__} fields, got {[type(x).__name__ for x in v]}"
            )
        return kind(*v)

    return make


def _exact(kind: type) -> Callable[[Any], Any]:
    def check(v: Any) -> Any:
        if type(v) is not kind:
            raise ValueError(f"expected {kind.__name__}, got {type(v).__name__}")
        return v

    return check


def _number(v: Any) -> float:
    if type(v) not in (int, float):
        raise ValueError(f"expected a number, got {type(v).__name__}")
    return float(v)


def _list(v: Any, n: int | None = None) -> list:
    if type(v) is not list or (n is not None and len(v) != n):
        raise ValueError(f"expected a list{'' if n is None else f' of {n}'}")
    return v


def _dict(v: Any) -> dict:
    if type(v) is not dict:
        raise ValueError(f"expected an object, got {type(v).__name__}")
    return v


def _first(options: list[Callable[[Any], Any]], v: Any) -> Any:
    for decode in options:
        try:
            return decode(v)
        except ValueError:
            pass
    raise ValueError(f"unexpected {type(v).__name__}")
