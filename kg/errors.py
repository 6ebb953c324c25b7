"""Errors raised by ihkg: one base class, a few kinds, messages that name the culprit.

Every message says what was wrong and, where there is a choice, what would be
right, so that the command line can print it as one line without a traceback.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, the line and paragraph separators, and the marks that
# reorder text (bidi overrides): what a terminal or a log reader would act on
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    r"""``text`` safe to print on one line: control characters become escapes.

    File names and paths can hold ESC (terminal escape sequences), newlines
    (a forged line in a log) or bidi overrides; every message that shows one
    goes through this. The escapes are Python's (``\x1b``, ``\n``,
    ``\u202e``); other text, backslashes included, stays as it is.

    >>> print(printable("a\x1b]0;pwned\x07\nb.txt"))
    a\x1b]0;pwned\x07\nb.txt
    >>> printable("甲乙.txt")
    '甲乙.txt'
    """
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


class KgError(Exception):
    """Base class of every error ihkg raises on purpose.

    ``laid_out`` is true for a message whose line breaks are its own layout
    (a query and a caret under the column at fault): each line is printed on
    its own, its control characters escaped.
    """

    laid_out: bool = False

    def printable(self) -> str:
        r"""The message, safe to print: every line on its own with ``laid_out``,
        else one line.

        >>> KgError("a\nb").printable()
        'a\\nb'
        """
        text = str(self)
        if self.laid_out:
            return "\n".join(printable(line) for line in text.split("\n"))
        return printable(text)


class _FileError(KgError):
    """An error about one file: the message names it (``template``), and why."""

    template = "{path}: {reason}"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(self.template.format(path=printable(str(path)), reason=reason))
        self.path = path
        self.reason = reason


class ArticleError(_FileError):
    """An article file cannot be read; the message starts with its file name.

    >>> str(ArticleError("data/a.txt", "front matter has no 'date'"))
    "data/a.txt: front matter has no 'date'"
    """


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

    @classmethod
    def missing(cls, path: object, what: str = "graph file") -> GraphError:
        """There is no graph at ``path``; the message says how to make one.

        Args:
            path: where the graph was looked for.
            what (str): what was looked for (``"graph file or store"``).

        >>> str(GraphError.missing("out/graph.ttl"))
        'out/graph.ttl: no such graph file (run `kg build` first)'
        >>> str(GraphError.missing("out/store", "graph file or store"))
        'out/store: no such graph file or store (run `kg build` first)'
        """
        return cls(f"{path}: no such {what} (run `kg build` first)")


class ExportError(KgError):
    """A graph cannot be written in the format asked for."""


class OutputError(_FileError, OSError):
    """An output file or folder cannot be written; the message names it.

    Also an ``OSError``, so that code which falls back when a folder is not
    writable still catches it.

    >>> str(OutputError("out/graph.rdf", "Permission denied"))
    'cannot write out/graph.rdf: Permission denied'
    """

    template = "cannot write {path}: {reason}"


class FocusError(KgError):
    """The entity to focus on is unknown or ambiguous, or a filter name is unknown."""
