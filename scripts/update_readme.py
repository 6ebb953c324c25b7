"""Refresh the README blocks that show real output.

They are the demo summary, the eval table and the output of each ``$ kg …``
step of a ``console`` block (see ``checked``). Run ``python
scripts/update_readme.py`` after a change to extraction or to what a command
prints; the tests in ``tests/test_docs.py`` fail until the README shows what
the code does.

A console block runs as a reader would type it, from the repository's root
after ``make demo``: in a scratch folder that links ``data``, ``docs`` and
``tests`` and holds the ``out/`` of ``kg build --out out`` (a block that
builds ``out/`` itself starts without it). A step shown without output runs
and its output is not checked (a build made for the next step); a line ``…``
stands for output lines left out, and the lines around it are checked.
Trailing spaces are left out of every line.
"""

import contextlib
import re
import shlex
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from kg.build import build
from kg.cli import cli, format_summary
from kg.defaults import EVAL_CORPORA
from kg.evaluate import evaluate_corpora, format_corpora

ROOT = Path(__file__).resolve().parent.parent

LINKED = ("data", "docs", "tests")
"""Folders of the repository the commands name (data/articles, docs/evidence.rq, tests/bad)."""

UNCHECKED = {
    "kg serve": "runs until stopped; tests/test_serve.py checks its answers",
    "kg build data/articles tests/corpus/articles more": "reads a folder the reader adds",
    "kg build data/articles tests/corpus/articles --out out4": "needs a Dask cluster",
}
"""Steps whose output is not checked, by how their command starts, and why."""


@dataclass
class Step:
    """One ``$ command`` of a console block and the output lines shown under it."""

    command: str
    shown: list[str] = field(default_factory=list)
    line: int = 0  # where the output starts in the README (0-based line index)


def console_blocks(text: str) -> list[list[Step]]:
    """The steps of every ``console`` block of ``text``, block by block."""
    lines = text.split("\n")
    blocks = []
    for start, line in enumerate(lines):
        if line != "```console":
            continue
        steps: list[Step] = []
        for i in range(start + 1, lines.index("```", start + 1)):
            if lines[i].startswith("$ "):
                steps.append(Step(lines[i][2:], line=i + 1))
            elif steps:
                steps[-1].shown.append(lines[i])
        for step in steps:  # a blank line between steps belongs to neither
            while step.shown and not step.shown[-1]:
                step.shown.pop()
        blocks.append(steps)
    return blocks


def checked(step: Step) -> bool:
    """Whether the step's output is real output that can be checked: a ``kg``
    command not in ``UNCHECKED``, or ``echo $?`` after one."""
    if step.command == "echo $?":
        return True
    return step.command.startswith("kg ") and not step.command.startswith(tuple(UNCHECKED))


def run_block(steps: list[Step], folder: Path, built_out: Path) -> list[list[str] | None]:
    """Run the block's steps in ``folder`` and return what each prints, as lines
    (``None`` for a step that is not run: neither ``kg`` nor ``echo $?``)."""
    for name in LINKED:
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    builds_out = any(
        s.command.startswith("kg build") and "--out out " in s.command + " " for s in steps
    )
    if not builds_out:
        shutil.copytree(
            built_out, folder / "out", ignore=shutil.ignore_patterns(".*", "*.oxigraph")
        )
    printed, status = [], None
    with contextlib.chdir(folder):
        for step in steps:
            if step.command == "echo $?":
                printed.append([str(status)])
            elif step.command.startswith("kg "):
                result = CliRunner().invoke(cli, shlex.split(step.command)[1:])
                status = result.exit_code
                # without the spaces that pad a table's last column: invisible, and
                # editors strip them from the README
                printed.append([line.rstrip() for line in result.output.rstrip().split("\n")])
            else:
                printed.append(None)
    return printed


def as_shown(shown: list[str], real: list[str] | None) -> list[str]:
    """The real output as the README shows it: with the lines elided where it has
    ``…``, as many kept before and after it as it has now."""
    if real is None or not shown:
        return shown
    if "…" not in shown:
        return real
    head = shown.index("…")
    tail = len(shown) - head - 1
    return real[:head] + ["…"] + (real[-tail:] if tail else [])


def build_out(folder: Path) -> Path:
    """``kg build --out out`` in ``folder`` (which links ``data``), as ``make demo``."""
    folder.mkdir()
    (folder / "data").symlink_to(ROOT / "data", target_is_directory=True)
    with contextlib.chdir(folder):
        result = CliRunner().invoke(cli, ["build", "--out", "out", "--no-cache"])
    assert result.exit_code == 0, result.output
    return folder / "out"


def refresh_console_blocks(text: str) -> str:
    """``text`` with the real output under each checked step of its console blocks."""
    lines = text.split("\n")
    with tempfile.TemporaryDirectory() as scratch:
        out = build_out(Path(scratch) / "demo")
        blocks = console_blocks(text)
        for i, steps in reversed(list(enumerate(blocks))):  # from the end: indices stay put
            if not any(map(checked, steps)):
                continue
            folder = Path(scratch) / f"block{i}"
            folder.mkdir()
            printed = run_block(steps, folder, out)
            for step, real in reversed(list(zip(steps, printed, strict=True))):
                if checked(step):
                    end = step.line + len(step.shown)
                    lines[step.line : end] = as_shown(step.shown, real)
    return "\n".join(lines)


def _replace(pattern: str, new: str, text: str, what: str) -> str:
    text, n = re.subn(pattern, lambda _: new, text, count=1, flags=re.S)
    if not n:
        raise ValueError(f"README.md: no {what} found (pattern {pattern!r})")
    return text


def refresh_summary(text: str) -> str:
    """The demo summary, as ``make demo`` prints it."""
    result = build([ROOT / "data/articles"])  # its own corrections.yaml applies
    summary = format_summary(
        result.summary(),
        {"turtle": "out/graph.ttl", "html": "out/graph.html", "ids": "out/ids.tsv"},
    )
    pattern = (
        r"Read \d+ articles \(\d+ files\)\.\n.*?\nWrote out/graph\.ttl, out/graph\.html, "
        r"out/ids\.tsv"
    )
    return _replace(pattern, summary, text, "demo summary")


def refresh_eval_table(text: str) -> str:
    """The eval table, as ``make eval`` prints it (scores every set: minutes)."""
    table = format_corpora(evaluate_corpora(EVAL_CORPORA)).split("\n\nMisses")[0]
    return _replace(r"(?<=\$ make eval\n).*?\n(?=```)", table + "\n", text, "eval table")


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    text = refresh_console_blocks(refresh_eval_table(refresh_summary(text)))
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
