"""What the ``kg`` commands print: tables as text, CSV, JSON or Markdown.

``output_options`` gives a command its ``--format``; ``format_table`` renders
rows in that format, and ``json_text`` is the one JSON of every command.

Why not a table package: ``rich`` and ``prettytable`` (both installed, MIT and
BSD) align Chinese text too, but each draws its own frame (padded cells,
trailing spaces, a rule across the whole width) and ``rich`` fits the table
to the terminal; the output, documented in the README, would change for
nothing better, and ``kg --help`` would import one more package.
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal

import click

from kg.text import plural

__all__ = [
    "TABLE_FORMATS",
    "echo_json",
    "echo_result",
    "format_table",
    "json_text",
    "output_options",
]

TABLE_FORMATS = ("table", "csv", "json", "md")
"""The ``--format`` of every command whose output is a table (``format_table``)."""


def output_options(*, choices: tuple[str, ...] = TABLE_FORMATS, json_alias: bool = False):
    """``--format``, one definition for every command: ``table``, ``csv``,
    ``json`` or ``md`` where the output is a table (``format_table``).
    ``json_alias`` keeps a command's older ``--json`` flag working, hidden."""

    def decorate(f):
        @functools.wraps(f)
        def command(*args, fmt, json_flag=False, **kwargs):
            return f(*args, fmt="json" if json_flag else fmt, **kwargs)

        command = click.option(
            "--format",
            "fmt",
            type=click.Choice(choices),
            default=choices[0],
            show_default=True,
            help="Output format.",
        )(command)
        if json_alias:
            command = click.option("--json", "json_flag", is_flag=True, hidden=True)(command)
        return command

    return decorate


def echo_json(data) -> None:
    """Print ``data`` as JSON (see ``json_text``)."""
    click.echo(json_text(data))


def echo_result(fmt: str, columns: list[str], rows: list[list], *, data=None, text=None) -> None:
    """Print a command's result as its ``--format`` asks.

    Args:
        fmt (str): the format: ``table``, ``csv``, ``json`` or ``md``.
        columns, rows: the result as a table (``format_table``).
        data: the result as JSON, when it says more than the rows.
        text (str | None): the ``table`` format, when the command has its own
            (a summary, sentences, several tables) rather than the rows aligned.
    """
    if fmt == "json" and data is not None:
        echo_json(data)
    elif fmt == "table" and text is not None:
        click.echo(text)
    else:
        click.echo(format_table(columns, rows, fmt))


def json_text(data) -> str:
    """``data`` as indented JSON; a ``Decimal`` is a number (``0.850`` is 0.85).

    >>> print(json_text({"名": Decimal("0.850"), "n": Decimal("2")}))
    {
      "名": 0.85,
      "n": 2
    }
    """

    def number(x):
        if isinstance(x, Decimal):
            whole = x == x.to_integral_value() and x.as_tuple().exponent >= 0
            return int(x) if whole else float(x)
        raise TypeError(f"{type(x).__name__} is not JSON serializable")

    return json.dumps(data, ensure_ascii=False, indent=2, default=number)


def format_table(columns: list[str], rows: list[list], fmt: str = "table", count=True) -> str:
    """Rows as an aligned text table (with a count of rows unless not
    ``count``), CSV, JSON or Markdown: the one renderer of every command.

    A cell is text, a number (``int``, ``Decimal``: written as it is, a JSON
    number), a ``bool`` or ``None`` (empty; JSON ``null``). In the text
    table a Chinese character counts two columns, as a terminal shows it.

    >>> print(format_table(["org", "city"], [["松禾健康", "北京"], ["ab", "上海"]]))
    org       city
    --------  ----
    松禾健康  北京
    ab        上海
    (2 rows)
    """
    import csv
    import io
    import unicodedata

    if fmt == "json":
        return json_text([dict(zip(columns, r, strict=True)) for r in rows])
    rows = [[_cell(x) for x in r] for r in rows]
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
    lines = [
        "  ".join(pad(c, w) for c, w in zip(columns, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(pad(x, w) for x, w in zip(r, widths, strict=True)) for r in body]
    if count:
        lines.append(f"({plural(len(rows), 'row')})")
    return "\n".join(lines)


def _cell(x) -> str:
    if x is None:
        return ""
    if isinstance(x, bool):
        return "true" if x else "false"
    return str(x)
