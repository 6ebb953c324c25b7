"""The ``kg`` command: a thin layer over the library.

Each command calls one library function, formats its result and turns
``KgError`` into one line on standard error. Exit codes: 0 success, 1 built
with errors (some article could not be read), 2 usage error (bad option,
missing file, malformed query).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kg.errors import KgError

DEFAULT_OUT = Path("out")


class UsageFailure(click.ClickException):
    """A ``KgError`` reported as one line, with exit status 2."""

    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.message}", err=True)


def _fail(e: KgError):
    raise UsageFailure(str(e)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
@click.option("--out", "out_dir", default=DEFAULT_OUT, show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Output folder.")
@click.option("--min-confidence", default=0.0, show_default=True, type=click.FloatRange(0, 1),
              help="Drop relations and positions whose evidence is less sure than this.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar (default: when standard error is a terminal).")
@click.option("--corrections", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Corrections file (YAML) applied to the build "
                   "[default: data/corrections.yaml when it exists].")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def build(paths, out_dir, min_confidence, progress, corrections, as_json) -> None:
    """Build the graph from article files and folders (data/articles by default).

    Writes OUT/graph.ttl (Turtle), OUT/graph.html (interactive graph) and
    OUT/errors.jsonl (one line per problem), then prints a summary. A broken
    article is reported with its file name and the rest are built; the exit
    status is then 1.

    \b
    Example:
        kg build data/articles tests/corpus/articles --out out
    """
    from kg.build import DEFAULT_CORPUS, DEFAULT_CORRECTIONS, build as run_build, write_outputs

    if progress is None:
        progress = sys.stderr.isatty()
    try:
        if corrections is None and DEFAULT_CORRECTIONS.is_file():
            corrections = DEFAULT_CORRECTIONS
        result = run_build(paths or [DEFAULT_CORPUS], min_confidence=min_confidence,
                           progress=progress, corrections=corrections)
        written = write_outputs(result, out_dir)
    except KgError as e:
        _fail(e)
    for problem in result.problems:
        kind = "error" if problem.fatal else "warning"
        click.echo(f"{kind}: {problem}", err=True)
    summary = result.summary()
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        click.echo(format_summary(summary, written))
    if result.errors:
        sys.exit(1)


def format_summary(summary: dict, written: dict) -> str:
    """The build summary as a few lines of text."""
    def counts(d: dict) -> str:
        return ", ".join(f"{k} {v}" for k, v in d.items()) or "none"

    return "\n".join(
        [
            f"Read {summary['articles']} articles ({summary['files']} files).",
            f"Entities:   {sum(summary['entities'].values()):>4}  ({counts(summary['entities'])})",
            f"Relations:  {sum(summary['relations'].values()):>4}  ({counts(summary['relations'])})",
            f"Positions:  {summary['positions']:>4}",
            f"Attributes: {sum(summary['attributes'].values()):>4}  "
            f"({counts(summary['attributes'])})",
            f"Triples:    {summary['triples']:>4}",
            f"Errors:     {summary['errors']:>4}   Warnings: {summary['warnings']}",
            f"Wrote {written['turtle']}, {written['html']}",
        ]
    )


@cli.command()
@click.argument("query")
@click.option("--graph", "graph_path", default=DEFAULT_OUT / "graph.ttl", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="Graph file to query.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "md"]),
              default="table", show_default=True, help="Output format.")
def query(query, graph_path, fmt) -> None:
    """Run a SPARQL query (a string or a .rq file) and print a table.

    The prefixes ihkg, ihkgid, rdf, rdfs, skos, prov, dcterms and xsd are
    predeclared. A malformed query prints the parser's message and exits 2.

    \b
    Example:
        kg query 'SELECT ?a ?b { ?a ihkg:partnersWith ?b }'
    """
    from kg.export import load_graph
    from kg.query import read_query_text, run_query

    try:
        text = read_query_text(query)
        table = run_query(load_graph(graph_path), text)
    except KgError as e:
        _fail(e)
    click.echo(format_table(table.columns, table.rows, fmt))


def format_table(columns: list[str], rows: list[list[str]], fmt: str = "table") -> str:
    """Rows as an aligned text table, CSV, JSON or Markdown."""
    import csv
    import io
    import unicodedata

    if fmt == "json":
        return json.dumps([dict(zip(columns, r, strict=True)) for r in rows], ensure_ascii=False,
                          indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return buf.getvalue().rstrip("\n")
    if fmt == "md":
        def cell(x: str) -> str:
            return x.replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        lines += ["| " + " | ".join(cell(x) for x in r) + " |" for r in rows]
        return "\n".join(lines)

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    def pad(s: str, n: int) -> str:
        return s + " " * (n - width(s))

    def short(x: str) -> str:
        x = x.replace("\n", " ")
        return x if len(x) <= 60 else x[:59] + "…"

    body = [[short(x) for x in r] for r in rows]
    widths = [max([width(c)] + [width(r[i]) for r in body]) for i, c in enumerate(columns)]
    lines = ["  ".join(pad(c, w) for c, w in zip(columns, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(pad(x, w) for x, w in zip(r, widths, strict=True)) for r in body]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


@cli.command()
@click.argument("graph_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--gold", "gold_dir", default=Path("data/gold"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder of gold files.")
@click.option("-v", "--verbose", is_flag=True, help="List what was missed and what was wrong.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate(graph_path, gold_dir, verbose, as_json) -> None:
    """Score a built graph against gold annotation files.

    Precision, recall and F1 for entities, each relation, the core relations
    (partnersWith, ceoOf, operatesHospital), all relations, positions and
    attributes, micro-averaged over the gold files' articles.

    \b
    Example:
        kg evaluate out/graph.ttl --gold data/gold -v
    """
    from kg.evaluate import evaluate as run_evaluate
    from kg.export import load_graph

    try:
        report = run_evaluate(load_graph(graph_path), gold_dir)
    except KgError as e:
        _fail(e)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2))
        return
    rows = [
        [c, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.fp), str(s.fn)]
        for c, s in ((c, report.scores[c]) for c in report.categories())
    ]
    click.echo(f"{report.articles} gold articles")
    click.echo(format_table(["category", "P", "R", "F1", "tp", "fp", "fn"], rows).rsplit("\n", 1)[0])
    if verbose:
        for c in report.categories():
            for line in report.missed.get(c, []):
                click.echo(f"missed  {c:<18} {line}")
            for line in report.wrong.get(c, []):
                click.echo(f"wrong   {c:<18} {line}")


@cli.command()
@click.argument("graph_path", default=DEFAULT_OUT / "graph.ttl",
                type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_path", default=DEFAULT_OUT / "graph.html", show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="HTML file to write.")
def viz(graph_path, out_path) -> None:
    """Write the interactive HTML graph of a built graph.

    The page is one self-contained file: it opens from disk with no network.

    \b
    Example:
        kg viz out/graph.ttl --out out/graph.html
    """
    from kg.export import load_graph
    from kg.viz import write_html

    try:
        path = write_html(load_graph(graph_path), out_path)
    except KgError as e:
        _fail(e)
    click.echo(f"Wrote {path}")


def main() -> None:
    """Console entry point."""
    cli(prog_name="kg")
