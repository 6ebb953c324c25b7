"""The defaults of a build, said once: ``kg.build.build()`` and ``kg build`` both use them.

A small module of its own, so that the command line reads them without
loading the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULTS", "BuildOptions"]


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """The defaults of a build, said once: ``build()`` and ``kg build`` both use them.

    A notebook that calls ``build(paths)`` gets the graph ``kg build PATHS``
    writes, triple for triple (``tests/test_cli.py`` checks it).

    Attributes:
        corpus (Path): what is built when no path is given.
        corrections (str): the file name of a corpus folder's own
            corrections. A build of one folder applies the file of that name
            inside it; a build of several paths applies none (a warning names
            each file left out), so corrections never reach a corpus they
            were not written for. Another file applies only on request
            (``corrections=``, ``--corrections``).
        out (Path): the output folder of ``kg build``, which also keeps
            ``ids.tsv`` (each name's identifier, read again by the next
            build into that folder; pass ``ids=`` to do the same in Python).
        min_confidence (float): evidence less sure than this is dropped.
        max_chars (int): the longest body text an article may have. A news
            article is a few thousand characters; a hundred times that is a
            scraping accident (a whole site in one file), not an article.
        time_limit (float): seconds one article may take to read and extract
            (a long one takes a few); ``None`` (``0`` in ``kg build``): no limit.
    """

    corpus: Path = Path("data/articles")
    corrections: str = "corrections.yaml"
    out: Path = Path("out")
    min_confidence: float = 0.0
    max_chars: int = 200_000
    time_limit: float = 120.0


DEFAULTS = BuildOptions()
