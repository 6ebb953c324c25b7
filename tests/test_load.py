"""Loading graph files: one loader (pyoxigraph's parser) for every command,
the same graph as rdflib's parsers read, in every format kg export writes."""

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kg.cli import cli
from kg.errors import GraphError
from kg.export import export
from kg.formats import FORMATS, RDF_FORMATS
from kg.load import load_graph, load_triples


@pytest.fixture(scope="module")
def demo_files(demo_result, tmp_path_factory):
    folder = tmp_path_factory.mktemp("load")
    graph = demo_result.graph
    return graph, {f: export(graph, folder / f"graph{FORMATS[f].suffix}", f) for f in RDF_FORMATS}


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_both_loaders_read_every_export_as_the_graph(demo_files, fmt):
    graph, files = demo_files
    loaded = load_graph(files[fmt])
    assert isomorphic(loaded, graph)
    assert set(load_triples(files[fmt])) == set(loaded)


def test_turtle_exported_from_a_loaded_file_is_the_same_file(demo_files, tmp_path):
    _, files = demo_files
    again = tmp_path / "again.ttl"
    result = CliRunner().invoke(cli, ["export", str(files["turtle"]), "--out", str(again)])
    assert result.exit_code == 0, result.output
    assert again.read_bytes() == files["turtle"].read_bytes()


def test_prefixes_and_relative_iris_are_read_as_rdflib_reads_them(tmp_path):
    path = tmp_path / "hand.ttl"
    path.write_text(
        "@prefix ex: <http://example.org/ns#> .\n"
        '<a> ex:name "甲"@zh, "A\\nB" ; ex:n 1.50, 7, true ; ex:d "2021-05-28"^^<http://www.w3.org/2001/XMLSchema#date> .\n',
        encoding="utf-8",
    )
    expected = Graph().parse(path)
    loaded = load_graph(path)
    assert isomorphic(loaded, expected)
    assert URIRef((tmp_path / "a").as_uri()) in set(loaded.subjects())
    assert dict(loaded.namespaces())["ex"] == URIRef("http://example.org/ns#")
    assert load_triples(path).namespaces["ex"] == "http://example.org/ns#"


def test_a_missing_or_broken_file_names_the_file(tmp_path):
    with pytest.raises(GraphError, match="no such graph file"):
        load_graph(tmp_path / "missing.ttl")
    broken = tmp_path / "broken.ttl"
    broken.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    with pytest.raises(GraphError, match=r"broken\.ttl: cannot parse graph"):
        load_triples(broken)
    result = CliRunner().invoke(cli, ["analyze", str(broken)])
    assert result.exit_code != 0 and "cannot parse graph" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "{g}"],
        ["neighbors", "{g}", "济爱医疗"],
        ["path", "{g}", "济爱医疗", "何晓顺"],
        ["viz", "{g}", "--out", "{tmp}/g.html"],
        ["evaluate", "{g}"],
        ["validate", "{g}"],
        ["diff", "{g}", "{g}"],
        ["export", "{g}", "--out", "{tmp}/g.nt"],
        ["query", "{g}", "partnerships", "--engine", "rdflib"],
    ],
)
def test_commands_read_graphs_without_rdflibs_parsers(demo_files, tmp_path, monkeypatch, args):
    _, files = demo_files

    def refuse(*_args, **_kwargs):
        raise AssertionError("rdflib's parser was called")

    monkeypatch.setattr(Graph, "parse", refuse)
    args = [a.format(g=files["turtle"], tmp=tmp_path) for a in args]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code in (0, 1), result.output  # validate and evaluate may find faults
    assert "rdflib's parser" not in str(result.exception or "")
