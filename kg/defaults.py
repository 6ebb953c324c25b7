"""The defaults of a build, said once: ``kg.build.build()`` and ``kg build`` both use them.

A small module of its own, so that the command line reads them without
loading the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULTS", "EVAL_CORPORA", "BuildOptions"]


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

_REAL = Path("data/real")
EVAL_CORPORA: dict[str, tuple[Path, Path]] = {
    # the 20 real reports of the development set
    "realdev": (_REAL / "dev" / "articles", _REAL / "dev" / "gold"),
    # real reports the rules were tuned on
    "real-tune": (_REAL / "tune" / "articles", _REAL / "tune" / "gold"),
    # real reports kept untouched while most rules were written, then studied
    "real-heldout": (_REAL / "heldout" / "articles", _REAL / "heldout" / "gold"),
    # real reports written after that and kept untouched: the honest estimate
    # of the score on articles never seen
    "real-fresh": (_REAL / "fresh" / "articles", _REAL / "fresh" / "gold"),
    # the two shipped sample articles
    "samples": (Path("data/articles"), Path("data/gold")),
    # invented articles, one construction each
    "fixtures": (Path("tests/corpus/articles"), Path("tests/corpus/gold")),
}
"""The corpora ``kg eval-report`` (``make eval``) scores by default: name to
(articles folder, gold folder), relative to the project's root. Real articles
come first; they are the yardstick (``data/real/README.md``)."""
