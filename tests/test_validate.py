"""SHACL validation: built graphs conform; broken graphs are caught, each
problem named by its focus node, property and message."""

import json

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, XSD, Graph, Literal
from rdflib.namespace import PROV

from kg.cli import cli
from kg.export import write_turtle
from kg.validate import SHAPES, format_report, load_shapes, validate
from kg.vocab import IHKG, IHKGID


def _copy(graph: Graph) -> Graph:
    g = Graph()
    for prefix, ns in graph.namespaces():
        g.bind(prefix, ns)
    for t in graph:
        g.add(t)
    return g


@pytest.fixture
def demo(demo_result) -> Graph:
    """A copy of the demo graph that a test may break."""
    return _copy(demo_result.graph)


def _violations(graph: Graph):
    report = validate(graph)
    assert not report.conforms
    return [v for v in report.violations if v.severity == "Violation"]


def _short(iri) -> str:
    return "ihkgid:" + str(iri).removeprefix(str(IHKGID))


def test_demo_graph_conforms(demo_result):
    report = validate(demo_result.graph)
    assert report.conforms, format_report(report)
    assert report.counts.get("Violation", 0) == 0


def test_corpus_graph_conforms(corpus_result):
    report = validate(corpus_result.graph)
    assert report.conforms, format_report(report)


def test_missing_label_is_caught(demo):
    org = sorted(demo.subjects(RDF.type, IHKG.Company))[0]
    demo.remove((org, RDFS.label, None))
    found = _violations(demo)
    assert [(v.focus, v.path) for v in found] == [(_short(org), "rdfs:label")]
    assert found[0].message == "an entity needs an rdfs:label"


def test_two_chinese_labels_are_caught_and_named(demo):
    org = sorted(demo.subjects(RDF.type, IHKG.Company))[0]
    label = demo.value(org, RDFS.label)
    demo.add((org, RDFS.label, Literal(str(label) + "集团", lang="zh")))
    (v,) = _violations(demo)
    assert (v.focus, v.path) == (_short(org), "rdfs:label")
    assert v.label in (str(label), str(label) + "集团")
    assert str(v).startswith(f"Violation: {v.label} {v.focus} rdfs:label: two rdfs:label in one")


def test_wrong_range_is_caught(demo):
    person, org = sorted(demo.subject_objects(IHKG.ceoOf))[0]
    other = next(p for p in sorted(demo.subjects(RDF.type, IHKG.Person)) if p != person)
    demo.remove((person, IHKG.ceoOf, org))
    demo.add((person, IHKG.ceoOf, other))
    for node in demo.subjects(RDF.object, org):  # keep the provenance right
        if (node, RDF.predicate, IHKG.ceoOf) in demo:
            demo.remove((node, RDF.object, org))
            demo.add((node, RDF.object, other))
    (v,) = _violations(demo)
    assert (v.focus, v.path, v.value) == (_short(person), "ihkg:ceoOf", _short(other))
    assert v.message == "ihkg:ceoOf must point to an Organization"


def test_wrong_domain_is_caught(demo):
    a, b = sorted(demo.subject_objects(IHKG.partnersWith))[0]
    person = sorted(demo.subjects(RDF.type, IHKG.Person))[0]
    for node in list(demo.subjects(RDF.subject, a)):
        if (node, RDF.predicate, IHKG.partnersWith) in demo and (node, RDF.object, b) in demo:
            demo.remove((node, RDF.subject, a))
            demo.add((node, RDF.subject, person))
    demo.remove((a, IHKG.partnersWith, b))
    demo.add((person, IHKG.partnersWith, b))
    found = _violations(demo)
    assert any(
        v.focus == _short(person)
        and "subject of ihkg:partnersWith must be an Organization" in v.message
        for v in found
    )


def test_relation_without_provenance_is_caught(demo):
    a, b = sorted(demo.subject_objects(IHKG.partnersWith))[0]
    for node in list(demo.subjects(RDF.subject, a)):
        if (node, RDF.predicate, IHKG.partnersWith) in demo and (node, RDF.object, b) in demo:
            demo.remove((node, None, None))
    (v,) = _violations(demo)
    assert (v.focus, v.path, v.value) == (_short(a), "ihkg:partnersWith", _short(b))
    assert "has no ihkg:Assertion derived from a sentence" in v.message


def test_assertion_whose_sentence_is_gone_is_caught(demo):
    node = sorted(demo.subjects(RDF.type, IHKG.Assertion))[0]
    sentence = demo.value(node, PROV.wasDerivedFrom)
    demo.remove((sentence, None, None))
    found = _violations(demo)
    assert any(
        v.focus == _short(node) and v.path == "prov:wasDerivedFrom" and v.value == _short(sentence)
        for v in found
    )


def test_assertion_of_a_triple_the_graph_lacks_is_caught(demo):
    a, b = sorted(demo.subject_objects(IHKG.partnersWith))[0]
    node = IHKGID["assertion/stray"]
    sentence = next(demo.subjects(RDF.type, IHKG.Sentence))
    for p, o in (
        (RDF.type, IHKG.Assertion),
        (RDF.subject, b),
        (RDF.predicate, IHKG.ceoOf),
        (RDF.object, a),
        (PROV.wasDerivedFrom, sentence),
        (IHKG.rule, Literal("x")),
        (IHKG.confidence, Literal("0.5", datatype=XSD.decimal)),
    ):
        demo.add((node, p, o))
    found = _violations(demo)
    assert [v.focus for v in found] == [_short(node)]
    assert "restates a triple the graph does not have" in found[0].message


def test_position_without_person_is_caught(demo):
    pos = sorted(demo.subjects(RDF.type, IHKG.Position))[0]
    demo.remove((pos, IHKG.person, None))
    found = _violations(demo)
    assert any(v.focus == _short(pos) and v.path == "ihkg:person" for v in found)


def test_warnings_do_not_break_conformance(demo):
    before = set(validate(demo).violations)
    node = next(
        n
        for n in sorted(demo.subjects(RDF.type, IHKG.Assertion))
        if len(set(demo.objects(n, IHKG.rule))) == 1
    )
    demo.add((node, IHKG.rule, Literal("another-rule")))
    report = validate(demo)
    assert report.conforms
    assert [(v.severity, v.focus, v.path) for v in set(report.violations) - before] == [
        ("Warning", _short(node), "ihkg:rule")
    ]


def test_shapes_file_is_valid_shacl():
    from pyshacl import validate as shacl_validate

    conforms, _, text = shacl_validate(load_shapes(), meta_shacl=True, inference="none")
    assert conforms, text
    assert SHAPES.name == "shapes.ttl"


def test_cli_exit_codes_and_readable_report(demo, tmp_path):
    runner = CliRunner()
    good = write_turtle(demo, tmp_path / "good.ttl")
    result = runner.invoke(cli, ["validate", str(good)])
    assert result.exit_code == 0, result.output
    assert "Conforms: 0 violations" in result.output

    org = sorted(demo.subjects(RDF.type, IHKG.Company))[0]
    demo.remove((org, RDFS.label, None))
    bad = write_turtle(demo, tmp_path / "bad.ttl")
    result = runner.invoke(cli, ["validate", str(bad)])
    assert result.exit_code == 1
    assert f"Violation: {_short(org)} rdfs:label: an entity needs an rdfs:label" in result.output
    assert "Does not conform: 1 violation," in result.output

    result = runner.invoke(cli, ["validate", str(bad), "--json"])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["conforms"] is False and doc["counts"]["Violation"] == 1
    assert doc["results"][0]["focus"] == _short(org)

    result = runner.invoke(cli, ["validate", str(tmp_path / "missing.ttl")])
    assert result.exit_code == 2
    assert "no such graph file" in result.output
