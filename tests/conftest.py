"""Shared fixtures: the pipeline is built once per run, the demo graph too.

Fixture articles live in ``tests/corpus/articles`` with gold files in
``tests/corpus/gold`` (invented companies and people, one construction or
more per article), and in ``tests/fixtures`` for small single-purpose cases.
"""

from __future__ import annotations

import contextlib
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CORPUS = Path(__file__).resolve().parent / "corpus"


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="session")
def demo_result():
    """The build of the two sample articles in ``data/articles``, without the
    folder's corrections: what extraction alone finds."""
    from kg.build import build

    return build([DATA / "articles"], corrections=None)


@pytest.fixture(scope="session")
def corpus_result():
    """The build of the evaluation corpus in ``tests/corpus/articles``."""
    from kg.build import build

    return build([CORPUS / "articles"])


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """A folder with ``out/`` built from the sample articles by ``kg build``, its own
    corrections applied (as ``make demo`` leaves it). Read it; copy it to change it."""
    from click.testing import CliRunner

    from kg.cli import cli

    folder = tmp_path_factory.mktemp("built")
    args = ["build", str(DATA / "articles"), "--out", str(folder / "out"), "--no-cache"]
    r = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return folder


def write_article(
    folder: Path,
    name: str,
    body: str,
    title: str = "测试文章",
    date: str = "Fri, 11 Jun 2021 06:52:00 GMT",
) -> Path:
    """Write a small article file in the sample format and return its path."""
    path = folder / name
    path.write_text(
        f"---\ntitle: '{title}'\ndate: {date}\n---\n<div>{body}</div>\n", encoding="utf-8"
    )
    return path


def script(name: str):
    """The module of ``scripts/<name>.py`` (the scripts are no package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def rdflib_internals():
    """Silence the deprecation warnings rdflib 7 raises about its own code.

    The tests read TriG and N-Quads with rdflib too, as a second reader; its
    ``Dataset`` parsers and ``Dataset.query`` call APIs that rdflib itself
    deprecates (``ConjunctiveGraph``, ``Dataset.contexts``,
    ``Dataset.default_context``). Only those warnings are hidden.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message=r"(ConjunctiveGraph|Dataset\.contexts|Dataset\.default_context) is deprecated",
            category=DeprecationWarning,
        )
        yield
