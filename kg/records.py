"""``fast_pickle``: slots dataclasses that unpickle quickly.

The per-article cache (``kg.cache``) holds some forty small dataclass objects
per article. For a ``slots=True`` dataclass, Python's own ``__setstate__``
calls ``dataclasses.fields`` once per object, which made reading the cache
of 10,000 articles take two seconds; pickling an object as its class and
constructor arguments instead takes a fraction of that.

>>> import pickle
>>> from kg.text import Sentence  # a @fast_pickle dataclass
>>> Sentence(0, 0, 2, "你好").__reduce__()
(<class 'kg.text.Sentence'>, (0, 0, 2, '你好'))
>>> pickle.loads(pickle.dumps(Sentence(0, 0, 2, "你好")))
Sentence(index=0, start=0, end=2, text='你好')
"""

from __future__ import annotations

import operator
from dataclasses import fields

__all__ = ["fast_pickle"]


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
