"""docs/vocabulary.md is the ontology rendered: it cannot drift, and its
example is a graph the shapes accept."""

import re

import pytest
from rdflib import OWL, RDF, Graph

from kg.query import run_query
from kg.validate import format_report, validate
from kg.vocab import IHKG

from .conftest import ROOT, script

PAGE = ROOT / "docs" / "vocabulary.md"


@pytest.fixture(scope="module")
def gen():
    return script("gen_vocab_doc")


def _block(text: str, lang: str) -> str:
    return re.search(rf"```{lang}\n(.*?)```", text, re.S).group(1)


def test_committed_page_is_a_fresh_rendering(gen):
    assert PAGE.read_text(encoding="utf-8") == gen.render(), (
        "docs/vocabulary.md is out of date: run python scripts/gen_vocab_doc.py"
    )


def test_check_mode_fails_on_a_stale_page(gen, tmp_path, capsys):
    page = tmp_path / "vocabulary.md"
    assert gen.main(["--out", str(page), "--check"]) == 1
    assert gen.main(["--out", str(page)]) == 0
    assert gen.main(["--out", str(page), "--check"]) == 0
    page.write_text(page.read_text(encoding="utf-8").replace("合作", "协作"), encoding="utf-8")
    assert gen.main(["--out", str(page), "--check"]) == 1
    assert "out of date" in capsys.readouterr().err


def test_every_term_of_the_ontology_and_the_code_is_documented(gen):
    text = PAGE.read_text(encoding="utf-8")
    onto = Graph().parse(ROOT / "kg" / "ontology.ttl")
    terms = {
        str(t).split("#")[1]
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for t in onto.subjects(RDF.type, kind)
        if str(t).startswith(str(IHKG._NS))
    }
    assert terms == set(IHKG.__annotations__)  # kg/vocab.py and the ontology agree
    for name in terms:
        assert f"| `ihkg:{name}` |" in text, name


def test_rendering_shows_domain_range_and_both_languages():
    text = PAGE.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| `ihkg:operatesHospital`"))
    assert "运营医院" in row and "operates hospital" in row
    assert "`ihkg:Organization` → `ihkg:Hospital` or `ihkg:InternetHospital`" in row
    row = next(line for line in text.splitlines() if line.startswith("| `ihkg:partnersWith`"))
    assert "symmetric" in row


def test_example_passes_the_shapes_and_the_example_query():
    text = PAGE.read_text(encoding="utf-8")
    g = Graph().parse(data=_block(text, "turtle"), format="turtle")
    report = validate(g)
    assert report.conforms and not report.violations, format_report(report)
    rows = run_query(g, _block(text, "sparql")).rows
    assert len(rows) == 1 and rows[0][0] == "甲健康"
