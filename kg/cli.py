"""The ``kg`` command: a thin layer over the library.

Each command checks its options, calls one library function and prints the
result through ``kg.tables``. A ``KgError`` from any command becomes one line
on standard error (the group's handler, ``_Commands``). Exit codes: 0
success, 1 built with errors (some article could not be read), 2 usage error
(bad option, missing file, malformed query).

``main``, the console entry point, also ends the process (see its notes).
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from pathlib import Path

import click

from kg import formats
from kg.defaults import DEFAULTS, EVAL_CORPORA
from kg.errors import KgError, printable
from kg.tables import echo_json, echo_result, format_table, output_options
from kg.text import plural

DEFAULT_OUT = DEFAULTS.out
DEFAULT_GRAPH = DEFAULT_OUT / "graph.ttl"
FOLDER = click.Path(exists=True, file_okay=False, path_type=Path)


class UsageFailure(click.ClickException):
    """A ``KgError`` reported as one line, with exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.message}", err=True)


class _Commands(click.Group):
    """The ``kg`` group, and the one error handler of its commands: a
    ``KgError`` (a library error, which names the culprit) becomes one line
    on standard error (or the lines of its own layout), control characters
    escaped, and exit status 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KgError as e:
            raise UsageFailure(e.printable()) from None


# ---------------------------------------------------------------- the shape every command shares


def graph_argument(*, before_others: bool = False):
    """The graph a command reads: its first argument, ``out/graph.ttl`` by default.

    With ``before_others``, other arguments follow it and the count tells
    whether the graph was given: ``kg path A B``, ``kg path GRAPH A B``.
    ``--graph FILE`` still works, hidden, with a notice that it is deprecated.
    """
    path = click.Path(dir_okay=False, path_type=Path)

    def decorate(f):
        @functools.wraps(f)
        def command(*args, graph_path, graph_option, **kwargs):
            if before_others:
                if len(graph_path) > 1:
                    raise click.UsageError(f"Got unexpected extra argument ({graph_path[1]})")
                graph_path = graph_path[0] if graph_path else None
            if graph_option is not None:
                if graph_path is not None:
                    raise click.UsageError("give the graph once, as the first argument")
                click.echo(
                    "Notice: --graph is deprecated; give the graph as the first argument.", err=True
                )
                graph_path = graph_option
            return f(*args, graph_path=graph_path or DEFAULT_GRAPH, **kwargs)

        command = click.option("--graph", "graph_option", type=path, hidden=True)(command)
        nargs = -1 if before_others else 1
        return click.argument(
            "graph_path", nargs=nargs, required=False, metavar="[GRAPH]", type=path
        )(command)

    return decorate


def out_file_option(help_: str, **kwargs):
    """``-o/--out FILE``: the file a command writes."""
    path = click.Path(dir_okay=False, path_type=Path)
    return click.option("-o", "--out", "out_path", type=path, help=help_, **kwargs)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ihkg")
def cli() -> None:
    """ihkg: a knowledge graph of Chinese internet-healthcare news.

    Build the graph from articles (YAML front matter and an HTML body), query
    it with SPARQL, score it against gold annotations and draw it.

    \b
    Example:
        kg build data/articles --out out
        kg query 'SELECT ?a ?b { ?a ihkg:partnersWith ?b }'
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--out",
    "out_dir",
    default=DEFAULT_OUT,
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder to write.",
)
@click.option(
    "--min-confidence",
    default=DEFAULTS.min_confidence,
    show_default=True,
    type=click.FloatRange(0, 1),
    help="Drop relations and positions whose evidence is less sure than this.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show a progress bar (default: when standard error is a terminal).",
)
@click.option(
    "--corrections",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=f"Corrections file (YAML) applied to the build [default: the corpus's own: "
    f"{DEFAULTS.corrections} in the one folder built, if it holds one].",
)
@click.option("--no-corrections", is_flag=True, help="Apply no corrections file.")
@output_options(choices=("text", "json"), json_alias=True)
@click.option(
    "-j",
    "--jobs",
    default=None,
    type=click.IntRange(min=0),
    help="Worker processes for reading and extraction (0: one per CPU; 1: this process) "
    "[default: one per CPU when 200 files or more need processing; else this process, or "
    "one worker while this process reads 2,000 cached articles or more].",
)
@click.option(
    "--dask-scheduler",
    metavar="ADDRESS",
    default=None,
    help="Run reading and extraction on this Dask scheduler (tcp://host:8786).",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of per-article results reused by the next build [default: OUT/.cache].",
)
@click.option("--no-cache", is_flag=True, help="Process every article; read and write no cache.")
@click.option(
    "--max-chars",
    default=DEFAULTS.max_chars,
    show_default=True,
    type=click.IntRange(min=1),
    help="Skip (with an error) an article whose body text is longer than this.",
)
@click.option(
    "--time-limit",
    default=DEFAULTS.time_limit,
    show_default=True,
    type=click.FloatRange(min=0),
    help="Seconds one article may take to read and extract; a slower one is skipped "
    "with an error (0: no limit).",
)
def build(
    paths,
    out_dir,
    min_confidence,
    progress,
    corrections,
    no_corrections,
    fmt,
    jobs,
    dask_scheduler,
    cache_dir,
    no_cache,
    max_chars,
    time_limit,
) -> None:
    """Build the graph from article files and folders (data/articles by default).

    A corpus folder's own corrections.yaml is applied when that folder is
    built, and only then; build(PATHS) in Python gives the same graph.

    Writes OUT/graph.ttl (Turtle), OUT/graph.html (interactive graph),
    OUT/ids.tsv (the identifier of every name, read again by the next build so
    that an entity keeps its IRI; delete it to start afresh) and
    OUT/errors.jsonl (one line per problem), then prints a summary. A broken
    article is reported with its file name and the rest are built; the exit
    status is then 1 (0: no errors, warnings allowed; 2: usage error).

    Per-article results are cached in OUT/.cache, so a rebuild only reads and
    extracts new or changed files, and writes again only the Turtle of the
    articles whose part of the graph changed. Reading and extraction run on
    --jobs processes, or on a Dask cluster; the graph is the same either way.

    \b
    Example:
        kg build data/articles tests/corpus/articles --out out
        kg build corpus/ --out out --jobs 4
        kg build corpus/ --dask-scheduler tcp://10.0.0.5:8786
    """
    from kg.build import FROM_CORPUS, write_outputs
    from kg.build import build as run_build

    if progress is None:
        progress = sys.stderr.isatty()
    if dask_scheduler is not None and jobs not in (None, 1):
        raise click.UsageError(
            "--jobs and --dask-scheduler exclude each other: the Dask cluster has its own workers"
        )
    if no_cache and cache_dir is not None:
        raise click.UsageError("--cache and --no-cache exclude each other")
    if no_corrections and corrections is not None:
        raise click.UsageError("--corrections and --no-corrections exclude each other")
    cache = None if no_cache else (cache_dir or out_dir / ".cache")
    from kg.errors import OutputError
    from kg.files import output_error
    from kg.outputs import output_lock

    try:
        with _stopped_by_sigterm(), output_lock(out_dir):
            result = run_build(
                paths or [DEFAULTS.corpus],
                min_confidence=min_confidence,
                progress=progress,
                corrections=None if no_corrections else corrections or FROM_CORPUS,
                jobs=jobs,
                dask_scheduler=dask_scheduler,
                cache=cache,
                max_chars=max_chars,
                ids=out_dir / "ids.tsv",
                skip=[out_dir],
                time_limit=time_limit or None,
            )
            written = write_outputs(result, out_dir)
    except OutputError:
        raise
    except OSError as e:  # an output folder that cannot be written
        where = os.fsdecode(e.filename) if e.filename is not None else out_dir
        raise output_error(e, where) from None
    for problem in result.problems:
        kind = "error" if problem.fatal else "warning"
        click.echo(f"{kind}: {problem}", err=True)
    summary = result.summary()
    if fmt == "json":
        echo_json(summary)
    else:
        click.echo(format_summary(summary, written))
        if cache is not None:
            click.echo(
                f"Processed {plural(result.processed, 'file')}, {result.cached} from the cache "
                f"({printable(str(cache))})."
            )
    if result.errors:
        sys.exit(1)


@contextlib.contextmanager
def _stopped_by_sigterm():
    """Turn SIGTERM into ``SystemExit(143)`` while building, so that the build
    stops as on Ctrl-C: its workers end, its lock and temporary files go."""
    import signal

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def format_summary(summary: dict, written: dict) -> str:
    """The build summary as a few lines of text."""

    def counts(d: dict) -> str:
        return ", ".join(f"{k} {v}" for k, v in d.items()) or "none"

    entities, relations = summary["entities"], summary["relations"]
    return "\n".join(
        [
            f"Read {plural(summary['articles'], 'article')} ({plural(summary['files'], 'file')}).",
            f"Entities:   {sum(entities.values()):>4}  ({counts(entities)})",
            f"Relations:  {sum(relations.values()):>4}  ({counts(relations)})",
            f"Positions:  {summary['positions']:>4}",
            f"Attributes: {sum(summary['attributes'].values()):>4}  "
            f"({counts(summary['attributes'])})",
            f"Triples:    {summary['triples']:>4}",
            f"Errors:     {summary['errors']:>4}   Warnings: {summary['warnings']}",
            "Wrote " + ", ".join(printable(str(written[k])) for k in ("turtle", "html", "ids")),
        ]
    )


@cli.command()
@graph_argument(before_others=True)
@click.argument("query")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter of the query (repeatable); others take their defaults. A name may "
    "be written in simplified or traditional characters.",
)
@output_options()
@click.option(
    "--engine",
    type=click.Choice(["oxigraph", "rdflib"]),
    default="oxigraph",
    show_default=True,
    help="oxigraph: a store kept next to the graph (out/graph.oxigraph/), "
    "loaded again when the graph changes; rdflib: parse the graph each run.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let SERVICE send the query (or part of it) to the servers it names; "
    "refused by default, and the query runs without network access.",
)
def query(query, params, graph_path, fmt, engine, allow_service) -> None:
    """Run a named query, a .rq file or a SPARQL string, and print a table.

    GRAPH is the graph file (default out/graph.ttl). QUERY is the name of a
    query of `kg queries`, a .rq file or SPARQL text. Parameters are bound as
    RDF terms, never pasted into the query; a name parameter finds the name
    however it is written (simplified or traditional, full- or half-width).
    In JSON, numbers and booleans are JSON numbers and booleans. The
    prefixes ihkg, ihkgid, rdf, rdfs, skos, prov, dcterms and xsd are
    predeclared. A malformed query prints the parser's message and exits 2,
    and so does a federated query (SERVICE) unless --allow-service is given.

    \b
    Example:
        kg query partners --param org=公司名
        kg query evidence -p name=公司名 --format md
        kg query out/graph.ttl 'SELECT ?a ?b { ?a ihkg:partnersWith ?b }'
    """
    from kg.load import load_graph
    from kg.query import resolve_query, run_query, spelled_as_in
    from kg.store import open_store

    named = resolve_query(query)
    bindings = named.bindings(_parse_params(params))
    target = open_store(graph_path) if engine == "oxigraph" else load_graph(graph_path)
    bindings = spelled_as_in(target, named, bindings)
    table = run_query(target, named.text, bindings, allow_service=allow_service)
    click.echo(format_table(table.columns, table.values() if fmt == "json" else table.rows, fmt))


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageFailure(f"--param expects KEY=VALUE, not {item!r}")
        out[key.strip()] = value
    return out


@cli.command()
@click.argument("graph_path", metavar="GRAPH", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--gold",
    "gold_dir",
    default=Path("data/gold"),
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of gold files.",
)
@click.option("-v", "--verbose", is_flag=True, help="List what was missed and what was wrong.")
@output_options(json_alias=True)
def evaluate(graph_path, gold_dir, verbose, fmt) -> None:
    """Score a built graph against gold annotation files.

    Precision, recall and F1 for entities, each relation, the core relations
    (partnersWith, ceoOf, operatesHospital), all relations, positions and
    attributes, micro-averaged over the gold files' articles.

    \b
    Example:
        kg evaluate out/graph.ttl --gold data/gold -v
    """
    from kg.evaluate import evaluate as run_evaluate
    from kg.load import load_triples

    report = run_evaluate(load_triples(graph_path), gold_dir)
    columns, rows = report.COLUMNS, report.rows()
    text = [plural(report.articles, "gold article"), format_table(columns, rows, count=False)]
    text += report.misses() if verbose else []
    echo_result(fmt, columns, rows, data=report.as_dict(), text="\n".join(text))


@cli.command("eval-report")
@click.option(
    "--only",
    "names",
    multiple=True,
    type=click.Choice(list(EVAL_CORPORA)),
    help="Score this one of the default corpora only (repeatable).",
)
@click.option(
    "--corpus",
    "corpora",
    multiple=True,
    type=(str, FOLDER, FOLDER),
    metavar="NAME ARTICLES GOLD",
    help="Score this corpus (its articles and gold folders) instead of the defaults (repeatable).",
)
@output_options(choices=("md", "json"))
def eval_report(names, corpora, fmt) -> None:
    """Build and score several corpora, each on its own, side by side (make eval).

    By default the corpora of the project (run it from the project's folder):
    realdev, real-tune, real-heldout and real-fresh (real reports: data/real), samples
    (data/articles) and fixtures (tests/corpus). Prints one Markdown table of
    F1 (precision / recall) per category and corpus, then the first misses
    of each relation type; json gives every score.

    \b
    Example:
        kg eval-report --only realdev --only samples
        kg eval-report --corpus mine my/articles my/gold --format json
    """
    from kg.evaluate import evaluate_corpora, format_corpora

    if names and corpora:
        raise click.UsageError("--only and --corpus exclude each other")
    chosen = {n: (a, g) for n, a, g in corpora} or {
        n: folders for n, folders in EVAL_CORPORA.items() if not names or n in names
    }
    reports = evaluate_corpora(chosen)
    if fmt == "json":
        echo_json({n: r.as_dict() for n, r in reports.items()})
    else:
        click.echo(format_corpora(reports))


@cli.command()
@graph_argument()
@out_file_option(
    "HTML file to write [default: out/graph.html; with --focus, --relation or "
    "--type: out/graph-NAMES.html, named after them, so the build's page stays].",
    default=None,
)
@click.option(
    "--focus",
    metavar="NAME",
    help="Draw only the entities around this one (a label, an alias or an IRI).",
)
@click.option(
    "--hops",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="With --focus: how many relations away to go  [default: 1].",
)
@click.option(
    "--relation",
    "relations",
    multiple=True,
    metavar="NAME",
    help="Show only this relation, e.g. partnersWith or holdsPosition (repeatable); "
    "entities left without a relation are dropped.",
)
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="Show only entities of this type, e.g. Company or Person (repeatable).",
)
@click.option(
    "--isolated/--no-isolated",
    default=None,
    help="Show the entities without any relation when the page opens (the page has a "
    "toggle; search finds them either way)  [default: shown up to 100 entities].",
)
def viz(graph_path, out_path, focus, hops, relations, types, isolated) -> None:
    """Write the interactive HTML graph of a built graph, or of a part of it.

    The page is one self-contained file: it opens from disk with no network.
    Search an entity by name, show or hide relations and types, click an
    entity for its names, attributes, positions and evidence sentences.

    \b
    Without --out, a part of the graph (--focus, --relation, --type) is
    written beside out/graph.html under a name made of the letters and digits
    of what was chosen (kg viz --focus 甲健康: out/graph-甲健康.html), so
    the page of the build is not overwritten.

    \b
    Example:
        kg viz out/graph.ttl --out out/graph.html
        kg viz --focus 星河健康 --hops 2 --out out/focus.html
        kg viz --relation partnersWith --type Company --type Hospital
        kg viz --isolated --out out/all.html
    """
    from kg.load import load_triples
    from kg.network import to_networkx
    from kg.viz import DEFAULT_TITLE, find_entity, select, write_html

    if hops is not None and focus is None:
        raise click.UsageError("--hops needs --focus")
    graph = load_triples(graph_path)
    G = to_networkx(graph)
    center = find_entity(G, focus) if focus is not None else None
    H = select(
        G,
        focus=None if center is None else str(center),
        hops=1 if hops is None else hops,
        relations=relations,
        types=types,
    )
    title = DEFAULT_TITLE if center is None else f"{G.nodes[center]['label']} · {DEFAULT_TITLE}"
    if out_path is None:
        label = [] if center is None else [G.nodes[center]["label"]]
        out_path = _page_for(DEFAULT_OUT, [*label, *relations, *types])
    path = write_html(graph, out_path, title, G=H, focus=center, isolated=isolated)
    click.echo(
        f"Wrote {path} ({plural(H.number_of_nodes(), 'entity')}, "
        f"{plural(H.number_of_edges(), 'relation')})"
    )


def _page_for(folder: Path, names: list[str]) -> Path:
    """``folder/graph.html``, or for a part of the graph ``folder/graph-NAMES.html``.

    Only letters and digits (any script) of the names are kept, so no name
    can lead outside ``folder``.

    >>> _page_for(Path("out"), ["甲健康", "../../etc/passwd"]).as_posix()
    'out/graph-甲健康-etc-passwd.html'
    >>> _page_for(Path("out"), ["(・_・)"]).as_posix(), _page_for(Path("out"), []).as_posix()
    ('out/graph-part.html', 'out/graph.html')
    """
    import re

    words = [w for n in names for w in re.split(r"[\W_]+", n) if w]
    if names and not words:  # a part is never written over the whole
        words = ["part"]
    stem = "-".join(["graph", *words])[:80].rstrip("-")
    return folder / f"{stem}.html"


@cli.command()
@output_options()
def queries(fmt) -> None:
    """List the named queries: name, title, parameters and description.

    Each is a file in queries/ (see its header for details); run one with
    `kg query NAME`.

    \b
    Example:
        kg queries
        kg query partners --param org=公司名
    """
    from kg.query import load_queries

    found = load_queries().values()

    def params(q) -> str:
        return ", ".join(f"{p.name}={p.default or ''}" for p in q.parameters)

    code = "`" if fmt == "md" else ""
    rows = [[f"{code}{q.name}{code}", q.title, params(q), q.description] for q in found]
    text = []
    for q in found:
        text.append(f"{q.name:<22} {q.title}" + (f"  [{params(q)}]" if q.parameters else ""))
        text += [_wrap(q.description, 23)] if q.description else []
    columns = ["query", "title", "parameters", "description"]
    echo_result(fmt, columns, rows, data=[q.as_dict() for q in found], text="\n".join(text))


def _wrap(text: str, indent: int) -> str:
    import textwrap

    return textwrap.fill(
        text, width=100, initial_indent=" " * indent, subsequent_indent=" " * indent
    )


def _network(graph_path: Path):
    from kg.load import load_triples
    from kg.network import to_networkx

    return to_networkx(load_triples(graph_path))


@cli.command()
@graph_argument()
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(1),
    help="How many entities per ranking and members per community.",
)
@click.option("--seed", default=0, show_default=True, help="Seed of community detection.")
@output_options(json_alias=True)
def analyze(graph_path, top, seed, fmt) -> None:
    """Network analysis: central entities, components and communities.

    Ranks organizations and people by degree (distinct neighbours) and
    betweenness (share of shortest paths through them), lists the connected
    components and the communities Louvain finds (fixed seed). GRAPH is the
    graph file (default out/graph.ttl). The csv and md formats give the
    rankings; json gives everything.

    \b
    Example:
        kg analyze --top 5
        kg analyze out/graph.ttl --format csv
    """
    from kg.analysis import analyze as run_analysis
    from kg.analysis import format_analysis

    found = run_analysis(_network(graph_path), top, seed=seed)
    echo_result(fmt, found.COLUMNS, found.rows(), data=found.as_dict(), text=format_analysis(found))


@cli.command()
@graph_argument(before_others=True)
@click.argument("source")
@click.argument("target")
@output_options(json_alias=True)
def path(graph_path, source, target, fmt) -> None:
    """How two entities are connected: each hop, its relation and its sentence.

    GRAPH is the graph file (default out/graph.ttl). SOURCE and TARGET are
    names or aliases (simplified or traditional) or IRIs; an ambiguous name
    lists the candidates. Exits 1 when nothing connects them. The csv and md
    formats give one row per hop, with its first sentence.

    \b
    Example:
        kg path 公司甲 公司乙
        kg path out/graph.ttl 公司甲 公司乙 --format json
    """
    from kg.analysis import PATH_COLUMNS, connection_path, format_path, path_rows

    hops = connection_path(_network(graph_path), source, target)
    if hops is None:
        click.echo(f"No connection between {source} and {target}.", err=True)
        sys.exit(1)
    data, text = [h.as_dict() for h in hops], format_path(hops, source, target)
    echo_result(fmt, PATH_COLUMNS, path_rows(hops), data=data, text=text)


@cli.command()
@graph_argument(before_others=True)
@click.argument("entity")
@output_options()
def neighbors(graph_path, entity, fmt) -> None:
    """The entities linked to one: relation, direction and evidence count.

    GRAPH is the graph file (default out/graph.ttl). ENTITY is a name or
    alias (simplified or traditional) or an IRI.

    \b
    Example:
        kg neighbors 公司甲 --format md
        kg neighbors out/graph.ttl 公司甲
    """
    from kg.analysis import NEIGHBOR_COLUMNS, neighbor_rows
    from kg.analysis import neighbors as find_neighbors

    found = find_neighbors(_network(graph_path), entity)
    echo_result(fmt, NEIGHBOR_COLUMNS, neighbor_rows(found))


# ---------------------------------------------------------------- standards and interoperability

# kg.formats imports nothing heavy: `kg --help` does not load rdflib
EXPORT_FORMATS = tuple(formats.FORMATS)
EXPORT_ALIASES = tuple(formats.ALIASES)


@cli.command("export")
@click.argument("graph_path", metavar="GRAPH", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS + EXPORT_ALIASES),
    default=None,
    help="Output format (jsonld: json-ld; ntriples: nt) [default: from the suffix of --out].",
)
@out_file_option("File to write.", required=True)
def export_cmd(graph_path, fmt, out_path) -> None:
    """Write a built graph in another format.

    RDF formats (turtle, nt, json-ld, trig, nquads, xml) hold the whole graph
    and read back to the same triples; json-ld embeds the context
    kg/context.jsonld; trig and nquads put each article's sentences and
    assertions in a named graph named by the article's IRI. Network formats
    (graphml, gexf for Gephi; csv: a zip of nodes.csv and edges.csv) hold the
    entities and relations with their evidence flattened to text.

    \b
    Example:
        kg export out/graph.ttl --format json-ld --out out/graph.jsonld
        kg export out/graph.ttl --out out/graph.gexf
    """
    from kg.export import export
    from kg.load import load_graph

    path = export(load_graph(graph_path), out_path, fmt)
    click.echo(f"Wrote {path} ({path.stat().st_size} bytes)")


@cli.command("validate")
@graph_argument()
@click.option(
    "--shapes",
    "shapes_path",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="SHACL shapes (Turtle) [default: the package's kg/shapes.ttl].",
)
@output_options(json_alias=True)
def validate_cmd(graph_path, shapes_path, fmt) -> None:
    """Check a graph against the SHACL shapes; exit 0 if it conforms, 1 if not.

    Each problem is one line: severity, the focus node (label and IRI), the
    property, the value and what is wrong. Warnings are shown but do not
    break conformance. The csv and md formats give one row per problem.

    \b
    Example:
        kg validate out/graph.ttl
    """
    from kg.load import load_graph
    from kg.validate import format_report, load_shapes, validate

    shapes = load_shapes(shapes_path)
    report = validate(load_graph(graph_path), shapes)
    columns = ["severity", "label", "focus", "path", "value", "message"]
    rows = [[getattr(v, c) for c in columns] for v in report.violations]
    echo_result(fmt, columns, rows, data=report.as_dict(), text=format_report(report))
    sys.exit(0 if report.conforms else 1)


def _bounded(flag: str, default, type_: click.ParamType, help_: str):
    """An option that bounds a number, its default shown (``kg serve``'s limits)."""
    return click.option(flag, default=default, show_default=True, type=type_, help=help_)


@cli.command("serve")
@click.argument("source", default=DEFAULT_OUT / "graph.ttl", type=click.Path(path_type=Path))
@_bounded("--port", 7878, click.IntRange(0, 65535), "Port on 127.0.0.1 (0: any free port).")
@_bounded(
    "--timeout", 10.0, click.FloatRange(min=0.1), "Seconds a query may run before it is stopped."
)
@_bounded("--limit", 10_000, click.IntRange(min=1), "Most results returned per query.")
@_bounded("--workers", 2, click.IntRange(1, 64), "Queries run at the same time (one process each).")
@_bounded(
    "--max-query",
    64 * 1024,
    click.IntRange(min=16),
    "Longest query accepted, in bytes (413 beyond).",
)
@_bounded(
    "--memory",
    1024,
    click.IntRange(min=0),
    "MiB each worker may allocate for a query, beyond the graph it holds; "
    "a query that needs more is stopped (503). 0: no limit.",
)
@_bounded(
    "--read-timeout",
    10.0,
    click.FloatRange(min=0.1),
    "Seconds a client has to send its headers, and then its body (408).",
)
@click.option(
    "--allow-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME[:PORT]",
    help="Accept this Host header too (besides 127.0.0.1 and localhost), "
    "e.g. behind a proxy. Repeatable.",
)
@click.option(
    "--allow-origin",
    "allowed_origins",
    multiple=True,
    metavar="ORIGIN",
    help="Let web pages of this origin (https://example.org, or *) query the endpoint. Repeatable.",
)
@click.option("--quiet", is_flag=True, help="Do not log requests.")
def serve_cmd(
    source,
    port,
    timeout,
    limit,
    workers,
    max_query,
    memory,
    read_timeout,
    allowed_hosts,
    allowed_origins,
    quiet,
) -> None:
    """Serve a graph as a read-only SPARQL endpoint on 127.0.0.1 until Ctrl-C.

    SOURCE is an RDF file (any export) or an Oxigraph store folder (kg
    load-store). GET or POST queries to /sparql; results as SPARQL JSON, XML,
    CSV or TSV, graphs as Turtle, N-Triples, RDF/XML, JSON-LD or N3, by
    ?format= (a short name or a media type) or else the Accept header; GET
    /sparql lists them. Updates are refused, and the
    workers cannot open network connections, so SERVICE fails. Requests for
    another Host or from web pages of another origin are refused (403). The
    prefixes ihkg, ihkgid, rdf, rdfs, skos, prov, dcterms and xsd are
    predeclared.

    \b
    Example:
        kg serve out/graph.ttl --port 7878
        curl -H 'Accept: text/csv' http://127.0.0.1:7878/sparql \\
             --data-urlencode 'query=SELECT ?a ?b { ?a ihkg:partnersWith ?b }'
    """
    from kg.serve import ServeOptions, serve

    def ready(server) -> None:
        click.echo(
            f"Serving {source} ({server.size} triples) at "
            f"http://127.0.0.1:{server.port}/sparql; Ctrl-C to stop.",
            err=True,
        )

    def log(line: str) -> None:
        click.echo(line, err=True)

    options = ServeOptions(
        timeout=timeout,
        limit=limit,
        workers=workers,
        max_query=max_query,
        memory=memory,
        read_timeout=read_timeout,
        allowed_hosts=allowed_hosts,
        allowed_origins=allowed_origins,
    )
    try:
        serve(source, port, options, log=None if quiet else log, ready=ready)
    except OSError as e:
        raise UsageFailure(f"cannot listen on 127.0.0.1:{port}: {e.strerror or e}") from None
    click.echo("Stopped.", err=True)


@cli.command("load-store")
@click.argument("graph_path", metavar="GRAPH", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--out",
    "--store",
    "store_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Oxigraph store folder to write (created if missing).",
)
def load_store_cmd(graph_path, store_dir) -> None:
    """Bulk-load a graph file (Turtle, N-Quads, TriG, …) into an Oxigraph store.

    Named graphs of a TriG or N-Quads export are kept. Serve the store with
    kg serve STORE, or open it with pyoxigraph.Store(STORE).

    \b
    Example:
        kg export out/graph.ttl --format nquads --out out/graph.nq
        kg load-store out/graph.nq --out out/oxigraph
    """
    from kg.load import load_oxigraph

    n = load_oxigraph(graph_path, store_dir)
    click.echo(f"Loaded {graph_path} into {store_dir} ({plural(n, 'quad')} in the store)")


@cli.command("diff")
@click.argument("old_path", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new_path", type=click.Path(dir_okay=False, path_type=Path))
@output_options(json_alias=True)
@click.option("--exit-code", is_flag=True, help="Exit 1 when the graphs differ.")
def diff_cmd(old_path, new_path, fmt, exit_code) -> None:
    """Entities, relations, positions and attributes added, removed and
    changed between two builds.

    Entities are matched by IRI; an entity changed when its type, label or
    other names did. A relation, position or attribute (foundingYear,
    stockCode) changed when the number of sentences stating it or its best
    confidence did. The csv and md formats give one row per change.

    \b
    Example:
        kg diff old/graph.ttl out/graph.ttl
    """
    from kg.diff import diff_graphs, diff_rows, format_diff
    from kg.load import load_triples

    d = diff_graphs(load_triples(old_path), load_triples(new_path))
    columns = ["change", "kind", "subject", "predicate", "object", "evidence", "confidence"]
    echo_result(fmt, columns, diff_rows(d), data=d.as_dict(), text=format_diff(d))
    if exit_code and not d.empty:
        sys.exit(1)


def main() -> None:
    """Console entry point.

    Once the command is done and its output flushed, every object is moved out
    of reach of the garbage collector (``gc.freeze``), so that the interpreter's
    last collection at exit does not walk them: after a build of 2,000
    articles that pass alone took 0.6 s, against 0.05 s frozen. The process
    then exits normally, so ``atexit`` handlers still run. Every output file is
    closed (and renamed into place) before the command returns.
    """
    import gc

    try:
        cli(prog_name="kg")
        code = 0
    except SystemExit as e:
        code = e.code
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message")
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with the stream closed (kg ... >&-)
            continue
        try:
            stream.flush()
        except OSError:  # a closed pipe: nothing more can be said, nor flushed again at exit
            code = code or 1
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())
    gc.freeze()
    sys.exit(code)
