"""Errors raised by ihkg: one base class, a few kinds, messages that name the culprit.

Every message says what was wrong and, where there is a choice, what would be
right, so that the command line can print it as one line without a traceback.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of every error ihkg raises on purpose."""


class ArticleError(KgError):
    """An article file cannot be read; the message starts with its file name.

    >>> str(ArticleError("data/a.txt", "front matter has no 'date'"))
    "data/a.txt: front matter has no 'date'"
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class RulesError(KgError):
    """A rule table in ``kg/rules`` is malformed; the message names the file and line."""


class GoldError(KgError):
    """A gold annotation file is malformed."""


class QueryError(KgError):
    """A SPARQL query cannot be parsed or run, or a named query is unknown."""


class CorrectionsError(KgError):
    """The corrections file is malformed or names something the graph lacks."""


class GraphError(KgError):
    """A graph file cannot be loaded."""


class ExportError(KgError):
    """A graph cannot be written in the format asked for."""


class OutputError(KgError, OSError):
    """An output file or folder cannot be written; the message names it.

    Also an ``OSError``, so that code which falls back when a folder is not
    writable still catches it.

    >>> str(OutputError("out/graph.rdf", "Permission denied"))
    'cannot write out/graph.rdf: Permission denied'
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.path = path
        self.reason = reason


class FocusError(KgError):
    """The entity to focus on is unknown or ambiguous, or a filter name is unknown."""
