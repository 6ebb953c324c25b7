"""Diffing two builds: entities and relations added, removed and changed."""

import json

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, XSD, Graph, Literal
from rdflib.namespace import SKOS

from kg.cli import cli
from kg.diff import diff_graphs, format_diff
from kg.export import write_turtle
from kg.vocab import IHKG, IHKGID


def _copy(graph: Graph) -> Graph:
    g = Graph()
    for t in graph:
        g.add(t)
    return g


@pytest.fixture
def old(demo_result) -> Graph:
    return demo_result.graph


@pytest.fixture
def new(demo_result) -> Graph:
    return _copy(demo_result.graph)


def _assertions(g: Graph, s, p, o) -> list:
    return sorted(
        n
        for n in g.subjects(RDF.subject, s)
        if (n, RDF.predicate, p) in g and (n, RDF.object, o) in g
    )


def test_same_graph_has_no_differences(old, new):
    d = diff_graphs(old, new)
    assert d.empty
    assert format_diff(d).endswith("No differences.")


def test_entities_added_removed_and_changed(old, new):
    companies = sorted(old.subjects(RDF.type, IHKG.Company))
    gone, renamed, aliased = companies[0], companies[1], companies[2]
    new.remove((gone, None, None))
    new.remove((None, None, gone))
    label = old.value(renamed, RDFS.label)
    new.remove((renamed, RDFS.label, None))
    new.add((renamed, RDFS.label, Literal("新名字", lang="zh")))
    new.add((aliased, SKOS.altLabel, Literal("又一个名字", lang="zh")))
    new.add((IHKGID["org/new"], RDF.type, IHKG.Hospital))
    new.add((IHKGID["org/new"], RDFS.label, Literal("新医院", lang="zh")))

    d = diff_graphs(old, new)
    assert [e.label for e in d.entities_added] == ["新医院@zh"]
    assert [e.iri for e in d.entities_removed] == [str(gone)]
    changes = {c.new.iri: c for c in d.entities_changed}
    assert set(changes) == {str(renamed), str(aliased)}
    assert changes[str(renamed)].fields == ("label",)
    assert changes[str(renamed)].old.label == f"{label}@zh"
    assert changes[str(aliased)].fields == ("alt_labels",)
    assert "又一个名字@zh" in changes[str(aliased)].new.alt_labels
    # removing an entity removes its relations too
    assert all(str(gone) in (r.subject, r.object) for r in d.relations_removed)
    text = format_diff(d)
    assert "+ entity    Hospital         新医院@zh" in text
    assert "      label: " in text and "-> 新名字@zh" in text


def test_attributes_and_positions_are_named_as_such(old, new):
    year = next(iter(old.subject_objects(IHKG.foundingYear)))
    new.remove((year[0], IHKG.foundingYear, year[1]))
    person, pos = next(iter(old.subject_objects(IHKG.holdsPosition)))
    new.remove((pos, RDF.type, IHKG.Position))
    d = diff_graphs(old, new)
    assert [(r.kind, r.predicate) for r in d.relations_removed] == [
        ("attribute", "foundingYear"),
        ("position", "holdsPosition"),
    ]
    text = format_diff(d)
    assert "\n- attribute " in text and "  foundingYear  " in text
    assert "\n- position  " in text and "\n- relation" not in text
    assert "\nRelations:   0 added, 0 removed, 0 changed\n" in text
    assert "\nAttributes:  0 added, 1 removed, 0 changed\n" in text


def test_type_change_is_a_change(old, new):
    org = sorted(old.subjects(RDF.type, IHKG.Company))[0]
    new.remove((org, RDF.type, IHKG.Company))
    new.add((org, RDF.type, IHKG.University))
    (change,) = diff_graphs(old, new).entities_changed
    assert change.fields == ("type",)
    assert (change.old.type, change.new.type) == ("Company", "University")


def test_relation_evidence_and_confidence_changes(old, new):
    pairs = sorted(old.subject_objects(IHKG.partnersWith))
    a, b = max(pairs, key=lambda p: len(_assertions(old, p[0], IHKG.partnersWith, p[1])))
    nodes = _assertions(old, a, IHKG.partnersWith, b)
    assert len(nodes) > 1
    new.remove((nodes[0], None, None))  # one sentence fewer
    c, d_ = next(p for p in pairs if p != (a, b))
    (node, *_) = _assertions(new, c, IHKG.partnersWith, d_)
    new.set((node, IHKG.confidence, Literal("0.99", datatype=XSD.decimal)))

    d = diff_graphs(old, new)
    assert not d.relations_added and not d.relations_removed
    changed = {(ch.new.subject, ch.new.object): ch for ch in d.relations_changed}
    key_ab = tuple(sorted((str(a), str(b))))
    key_cd = tuple(sorted((str(c), str(d_))))
    assert set(changed) == {key_ab, key_cd}
    assert changed[key_ab].new.evidence == changed[key_ab].old.evidence - 1
    assert changed[key_cd].new.confidence == 0.99
    assert "[evidence " in format_diff(d) and "-> 0.99]" in format_diff(d)


def test_partnership_direction_does_not_matter(old, new):
    a, b = sorted(old.subject_objects(IHKG.partnersWith))[0]
    nodes = _assertions(old, a, IHKG.partnersWith, b)
    new.remove((a, IHKG.partnersWith, b))
    new.add((b, IHKG.partnersWith, a))
    for n in nodes:
        new.set((n, RDF.subject, b))
        new.set((n, RDF.object, a))
    assert diff_graphs(old, new).empty


def test_positions_and_attributes_are_relations(old, new):
    pos = sorted(old.subjects(RDF.type, IHKG.Position))[0]
    person = old.value(pos, IHKG.person)
    new.remove((pos, None, None))
    new.remove((person, IHKG.holdsPosition, pos))
    org, year = next(iter(old.subject_objects(IHKG.foundingYear)))
    new.add((org, IHKG.foundingYear, Literal("1999", datatype=XSD.gYear)))

    d = diff_graphs(old, new)
    (removed,) = d.relations_removed
    assert (removed.predicate, removed.title) == ("holdsPosition", str(old.value(pos, IHKG.title)))
    assert removed.object == str(old.value(pos, IHKG.organization))
    (added,) = d.relations_added
    assert (added.predicate, added.object, added.evidence) == ("foundingYear", "1999", 0)


def test_diff_is_deterministic_and_json_ready(old, new):
    new.remove((sorted(old.subjects(RDF.type, IHKG.Person))[0], None, None))
    first, second = diff_graphs(old, new), diff_graphs(old, _copy(new))
    assert first == second
    doc = json.loads(json.dumps(first.as_dict(), ensure_ascii=False))
    assert doc["counts"] == first.counts()


def test_cli_table_json_and_exit_code(old, new, tmp_path):
    org = sorted(old.subjects(RDF.type, IHKG.Company))[0]
    new.add((org, SKOS.altLabel, Literal("别名", lang="zh")))
    a = write_turtle(old, tmp_path / "old.ttl")
    b = write_turtle(new, tmp_path / "new.ttl")
    runner = CliRunner()
    result = runner.invoke(cli, ["diff", str(a), str(b)])
    assert result.exit_code == 0
    assert result.output.startswith("Entities:    0 added, 0 removed, 1 changed\n")
    result = runner.invoke(cli, ["diff", str(a), str(b), "--json"])
    assert json.loads(result.output)["entities_changed"][0]["new"]["iri"] == str(org)
    assert runner.invoke(cli, ["diff", str(a), str(b), "--exit-code"]).exit_code == 1
    assert runner.invoke(cli, ["diff", str(a), str(a), "--exit-code"]).exit_code == 0
    result = runner.invoke(cli, ["diff", str(a), str(tmp_path / "missing.ttl")])
    assert result.exit_code == 2 and "missing.ttl: no such graph file" in result.output
