"""Content negotiation for the SPARQL endpoint: which format a request gets.

``FORMATS`` is the one table of the formats ``kg serve`` writes, each by its
short name, in the order of preference (the first of a query form is its
default). ``negotiate(form, accept, formats)`` picks one for a query form
(``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``) from the ``format`` and
``output`` parameters, then the ``Accept`` header by q-value, as Fuseki does:
an ``Accept`` that names nothing the endpoint writes gets the default, and
only one that refuses every format with ``q=0`` gets 406 (``QueryRefused``).

Example:
    >>> negotiate("SELECT", "text/csv"), FORMATS["csv"].media
    ('csv', 'text/csv; charset=utf-8')
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CONTENT_TYPES",
    "FORMATS",
    "FORMS",
    "GRAPHS",
    "RESULTS",
    "Format",
    "QueryRefused",
    "bare",
    "negotiate",
]

RESULTS = ("SELECT", "ASK")
"""The query forms answered with a table or a boolean."""
GRAPHS = ("CONSTRUCT", "DESCRIBE")
"""The query forms answered with triples."""


class QueryRefused(Exception):
    """A request the endpoint will not run, with its HTTP status and a message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class Format:
    """A format the endpoint writes.

    Attributes:
        media: the ``Content-Type`` it is sent with.
        names: what else asks for it, in ``format=``/``output=`` (short names,
            media types) or in ``Accept`` (media types).
        forms: the query forms it answers.
        oxigraph: the name of the pyoxigraph format that writes it (a
            ``QueryResultsFormat`` for results, an ``RdfFormat`` for graphs);
            ``None`` for JSON-LD, which ``kg.export`` writes compacted.
    """

    media: str
    names: tuple[str, ...]
    forms: tuple[str, ...]
    oxigraph: str | None = None


# The one table of formats: each by its short name, in the order of preference
# (the first of a query form is its default). A short name or a media type may
# ask for a results format and a graph format alike ("json", "xml",
# application/json, application/xml): the query form decides which, as in Fuseki.
FORMATS = {
    "json": Format("application/sparql-results+json", ("srj", "application/json"), RESULTS, "JSON"),
    "xml": Format(
        "application/sparql-results+xml",
        ("srx", "sparql", "application/xml", "text/xml"),
        RESULTS,
        "XML",
    ),
    "csv": Format("text/csv; charset=utf-8", (), RESULTS, "CSV"),
    "tsv": Format("text/tab-separated-values; charset=utf-8", (), RESULTS, "TSV"),
    "turtle": Format(
        "text/turtle; charset=utf-8",
        ("ttl", "application/turtle", "application/x-turtle"),
        GRAPHS,
        "TURTLE",
    ),
    "ntriples": Format(
        "application/n-triples", ("nt", "n-triples", "text/plain"), GRAPHS, "N_TRIPLES"
    ),
    "rdfxml": Format(
        "application/rdf+xml",
        ("rdf+xml", "rdf/xml", "rdf", "xml", "application/xml", "text/xml"),
        GRAPHS,
        "RDF_XML",
    ),
    "jsonld": Format(
        "application/ld+json",
        ("json-ld", "json", "application/json", "application/x-json+ld"),
        GRAPHS,
    ),
    # Turtle is N3: the Turtle writer, served as N3
    "n3": Format("text/n3; charset=utf-8", ("text/rdf+n3", "application/n3"), GRAPHS, "TURTLE"),
}
#: The short names of the formats of each query form, the default first.
FORMS = {
    form: tuple(name for name, f in FORMATS.items() if form in f.forms)
    for form in (*RESULTS, *GRAPHS)
}
#: Every ``Content-Type`` a result is sent with.
CONTENT_TYPES = frozenset(f.media for f in FORMATS.values())


def bare(media: str) -> str:
    """A media type without its parameters, lower-cased."""
    return media.split(";")[0].strip().lower()


def _format_name(form: str, value: str) -> str | None:
    """The format of query ``form`` that a ``format`` (or ``output``) value
    names: a short name or a media type, or a comma-separated list of them
    (the first that names one counts); ``None`` when it names none.

    >>> _format_name("CONSTRUCT", "rdf+xml"), _format_name("SELECT", "XML")
    ('rdfxml', 'xml')
    >>> _format_name("CONSTRUCT", "application/ld+json,application/x-json+ld")
    'jsonld'
    >>> _format_name("ASK", "turtle") is None
    True
    """
    for part in value.split(","):
        key = bare(part)
        for name in FORMS[form]:
            f = FORMATS[name]
            if key in (name, bare(f.media)) or key in f.names:
                return name
    return None


def _accept_ranges(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an ``Accept`` header with their q-values; a range
    with a malformed q-value is left out."""
    ranges = []
    for part in accept.split(","):
        media, *params = part.split(";")
        media = media.strip().lower()
        if not media:
            continue
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = -1.0
        if 0.0 <= q <= 1.0:
            ranges.append((media, q))
    return ranges


def _quality(ranges: list[tuple[str, float]], name: str) -> float | None:
    """The q-value ``Accept`` gives format ``name``: that of the most specific
    range that matches it (a media type or alias, then ``type/*``, then
    ``*/*``); ``None`` when no range matches."""
    f = FORMATS[name]
    full = bare(f.media)
    exact = {full, *(n for n in f.names if "/" in n)}
    best: tuple[int, float] | None = None
    for media, q in ranges:
        if media in exact:
            rank = 2
        elif media.endswith("/*") and media != "*/*" and full.startswith(media[:-1]):
            rank = 1
        elif media == "*/*":
            rank = 0
        else:
            continue
        if best is None or (rank, q) > best:
            best = (rank, q)
    return None if best is None else best[1]


def negotiate(form: str, accept: str | None, formats: tuple[str, ...] = ()) -> str:
    """The result format for a query ``form``.

    The first of ``formats`` (the ``format`` and ``output`` parameters: short
    names or media types) that names a format of this form wins; a value that
    names none is passed over. Then the ``Accept`` header, by q-value (the
    server's order breaks ties). When ``Accept`` names nothing this endpoint
    writes for the form, the form's default is sent, as Fuseki does, unless
    ``Accept`` refuses it with ``q=0``: then the next format it does not refuse.

    Raises:
        QueryRefused: 406 when ``Accept`` refuses every format of the form
            with ``q=0`` and ``formats`` names none of them.

    >>> negotiate("SELECT", "text/csv;q=0.9, application/sparql-results+xml")
    'xml'
    >>> negotiate("SELECT", "*/*"), negotiate("CONSTRUCT", None)
    ('json', 'turtle')
    >>> negotiate("CONSTRUCT", "application/rdf+xml", ("rdf+xml", "application/rdf+xml"))
    'rdfxml'
    >>> negotiate("ASK", "application/sparql-results+xml", ("turtle",))
    'xml'
    >>> negotiate("SELECT", "image/png"), negotiate("SELECT", "image/png, */*;q=0.1")
    ('json', 'json')
    >>> negotiate("SELECT", "image/png, */*;q=0")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.negotiate.QueryRefused: Accept refuses every format ... SELECT results: ...
    """
    choices = FORMS[form]
    for value in formats:
        if (name := _format_name(form, value)) is not None:
            return name
    ranges = _accept_ranges(accept or "")
    if not ranges:
        return choices[0]
    quality = {name: _quality(ranges, name) for name in choices}
    best = max(choices, key=lambda name: (quality[name] or 0.0, -choices.index(name)))
    if quality[best]:
        return best
    # nothing that Accept names can be written: the default, as Fuseki sends,
    # unless the client refused it (q=0)
    for name in choices:
        if quality[name] is None:
            return name
    types = ", ".join(bare(FORMATS[name].media) for name in choices)
    message = f"Accept refuses every format this endpoint writes for {form} results: {types}"
    if any(formats):
        message += f"; format {', '.join(repr(v) for v in formats if v)} names none of them"
    raise QueryRefused(406, message)
