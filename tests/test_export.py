"""Exports: every RDF format reads back to the same graph; provenance in named
graphs; JSON-LD with the published context; GraphML, GEXF and CSV for network
tools; bulk-loading into an Oxigraph store."""

import csv
import io
import json
import random
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import RDF, Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV

import kg
from kg.cli import cli
from kg.export import export, load_context, partition, serialize
from kg.formats import FORMATS, NETWORK_FORMATS, RDF_FORMATS
from kg.load import load_graph, load_oxigraph
from kg.network import to_networkx
from kg.query import PREFIXES, run_query
from kg.vocab import IHKG, IHKGID

from .conftest import rdflib_internals


@pytest.fixture(scope="module")
def demo(demo_result) -> Graph:
    return demo_result.graph


def _sources(graph: Graph) -> set:
    """What the named graphs should be: every article, and every other source
    of an assertion (the corrections file, when the build applied one)."""
    articles = set(graph.subjects(RDF.type, IHKG.Article))
    others = {
        src
        for src in graph.objects(None, PROV.wasDerivedFrom)
        if (src, RDF.type, IHKG.Sentence) not in graph
    }
    return articles | others


def _parse_dataset(data: bytes, fmt: str) -> Dataset:
    ds = Dataset()
    with rdflib_internals():
        ds.parse(data=data, format=fmt)
    return ds


def _union(ds: Dataset) -> Graph:
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_export_reads_back_to_the_same_graph(demo, tmp_path, fmt):
    path = export(demo, tmp_path / f"graph{FORMATS[fmt].suffix}", fmt)
    assert isomorphic(load_graph(path), demo)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "gexf"])  # GEXF carries today's date
def test_export_bytes_do_not_depend_on_insertion_order(demo, fmt):
    triples = list(demo)
    random.Random(8).shuffle(triples)
    shuffled = Graph()
    for prefix, ns in demo.namespaces():
        shuffled.bind(prefix, ns)
    for t in triples:
        shuffled.add(t)
    assert serialize(shuffled, fmt) == serialize(demo, fmt)


def test_format_is_guessed_from_the_suffix_and_unknown_ones_are_named(demo, tmp_path):
    path = export(demo, tmp_path / "g.jsonld")
    assert json.loads(path.read_text(encoding="utf-8"))["@context"] == load_context()
    result = CliRunner().invoke(cli, ["export", "x.ttl", "--out", str(tmp_path / "g.txt")])
    assert result.exit_code == 2
    result = CliRunner().invoke(cli, ["export", str(path), "--out", str(tmp_path / "g.txt")])
    assert result.exit_code == 2
    assert "cannot tell the format from the suffix '.txt'" in result.output
    assert "turtle, nt, json-ld" in result.output


def test_the_command_line_lists_the_formats_without_loading_rdflib():
    import subprocess
    import sys

    code = (
        "import sys, kg.cli; p = next(p for p in kg.cli.cli.commands['export'].params "
        "if p.name == 'fmt'); print(*p.type.choices, 'rdflib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == [*FORMATS, "ntriples", "jsonld", "False"]


@pytest.mark.parametrize(
    "args, fmt",
    [
        (["--format", "jsonld", "--out", "g.out"], "json-ld"),
        (["--format", "json-ld", "-o", "g.out"], "json-ld"),
        (["--out", "g.jsonld"], "json-ld"),
        (["--format", "ntriples", "--out", "g.out"], "nt"),
        (["--out", "g.ntriples"], "nt"),
    ],
)
def test_export_knows_other_names_of_formats(demo, tmp_path, args, fmt):
    turtle = export(demo, tmp_path / "g.ttl")
    name = args[-1]
    args = [*args[:-1], str(tmp_path / name)]
    result = CliRunner().invoke(cli, ["export", str(turtle), *args])
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).read_bytes() == serialize(demo, fmt)


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_provenance_of_each_article_is_in_a_named_graph(demo, fmt):
    ds = _parse_dataset(serialize(demo, fmt), fmt)
    assert isomorphic(_union(ds), demo)
    default = ds.default_graph
    # entities and plain relations answer from the default graph alone
    assert set(default.subject_objects(IHKG.partnersWith)) == set(
        demo.subject_objects(IHKG.partnersWith)
    )
    assert not set(default.subjects(RDF.type, IHKG.Assertion))
    assert not set(default.subjects(RDF.type, IHKG.Sentence))
    names = {g.identifier for g in ds.graphs() if g.identifier != default.identifier}
    articles = set(demo.subjects(RDF.type, IHKG.Article))
    assert names == _sources(demo) and articles <= names
    for g in ds.graphs():
        if g.identifier not in articles:
            continue
        for node in g.subjects(RDF.type, IHKG.Assertion):
            sentence = g.value(node, PROV.wasDerivedFrom)
            assert g.value(sentence, DCTERMS.isPartOf) == g.identifier


ARTICLES_OF_PARTNERSHIPS = """
PREFIX ihkg: <https://w3id.org/ihkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?title WHERE {
    GRAPH ?article { ?a rdf:predicate ihkg:partnersWith }
    ?article dcterms:title ?title .
}
"""


def test_named_graph_query_finds_the_article_of_each_partnership(demo):
    ds = _parse_dataset(serialize(demo, "trig"), "trig")
    with rdflib_internals():
        rows = list(ds.query(ARTICLES_OF_PARTNERSHIPS))
    titles = {str(r.title) for r in rows}
    assert titles == {str(t) for t in demo.objects(None, DCTERMS.title)}


def test_partition_covers_the_graph_once(demo):
    parts = partition(demo)
    assert sum(len(v) for v in parts.values()) == len(demo)
    assert set().union(*map(set, parts.values())) == set(demo)


def test_json_ld_uses_the_published_context(demo):
    doc = json.loads(serialize(demo, "json-ld"))
    shipped = Path(kg.__file__).parent / "context.jsonld"
    assert doc["@context"] == json.loads(shipped.read_text(encoding="utf-8"))["@context"]
    nodes = {n["id"]: n for n in doc["@graph"]}
    person = next(n for n in nodes.values() if n.get("type") == "Person")
    assert set(person["label"]) <= {"zh", "en"}  # a language map
    assertion = next(n for n in nodes.values() if n.get("type") == "Assertion")
    assert {"subject", "predicate", "object", "wasDerivedFrom", "rule", "confidence"} <= set(
        assertion
    )
    assert assertion["predicate"].startswith("ihkg:")


def test_context_names_every_term_of_the_vocabulary():
    ctx = load_context()
    ids = {v if isinstance(v, str) else v["@id"] for v in ctx.values()}
    for name in IHKG.__annotations__:
        assert f"ihkg:{name}" in ids, name
        assert name in ctx, name


def test_context_type_coercions_match_the_graph(demo):
    ctx = load_context()
    for term in ("partnersWith", "ceoOf", "operatesHospital", "mentionedIn", "holdsPosition"):
        assert ctx[term]["@type"] == "@id"
    for term, dtype in (
        ("foundingYear", "xsd:gYear"),
        ("confidence", "xsd:decimal"),
        ("startChar", "xsd:integer"),
    ):
        assert ctx[term]["@type"] == dtype
        values = list(demo.objects(None, IHKG[term]))
        assert values and all(v.datatype.endswith(dtype.split(":")[1]) for v in values)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_formats_read_back_with_flat_attributes(demo, fmt):
    data = serialize(demo, fmt)
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    G = reader(io.BytesIO(data))
    full = to_networkx(demo)
    assert G.number_of_nodes() == full.number_of_nodes()
    assert G.number_of_edges() == full.number_of_edges()
    for _, d in G.nodes(data=True):
        assert d["label"] and d["type"] in {
            "Company",
            "Hospital",
            "InternetHospital",
            "GovernmentAgency",
            "Association",
            "Person",
        }
    relations = set()
    for _, _, d in G.edges(data=True):
        relations.add(d["relation"])
        for key, value in d.items():
            assert isinstance(value, str | int | float), (key, value)
    assert relations == {d["relation"] for _, _, d in full.edges(data=True)}
    assert "京东健康" in {d["label"] for _, d in G.nodes(data=True)}


def test_csv_zip_has_nodes_and_edges_for_spreadsheets(demo, tmp_path):
    path = export(demo, tmp_path / "graph.zip", "csv")
    with zipfile.ZipFile(path) as z:
        assert sorted(z.namelist()) == ["edges.csv", "nodes.csv"]
        raw = {name: z.read(name) for name in z.namelist()}
    assert all(b.startswith(b"\xef\xbb\xbf") for b in raw.values())  # BOM: Excel reads UTF-8
    nodes = list(csv.DictReader(io.StringIO(raw["nodes.csv"].decode("utf-8-sig"))))
    edges = list(csv.DictReader(io.StringIO(raw["edges.csv"].decode("utf-8-sig"))))
    ids = {n["id"] for n in nodes}
    assert len(nodes) == to_networkx(demo).number_of_nodes()
    assert all(e["source"] in ids and e["target"] in ids for e in edges)
    partners = [e for e in edges if e["relation"] == "partnersWith"]
    assert len(partners) == len(set(demo.subject_objects(IHKG.partnersWith)))
    sample = max(partners, key=lambda e: int(e["weight"]))
    assert int(sample["weight"]) > 1 and sample["sentences"] and sample["articles"]
    positions = [e for e in edges if e["relation"] == "holdsPosition"]
    assert positions and all(e["title"] and e["label"] == e["title"] for e in positions)


def test_network_formats_are_not_rdf():
    assert not set(NETWORK_FORMATS) & set(RDF_FORMATS)


def test_nquads_bulk_loads_into_oxigraph_and_answers_like_the_graph(demo, tmp_path):
    import pyoxigraph as ox

    nq = tmp_path / "graph.nq"
    runner = CliRunner()
    turtle = export(demo, tmp_path / "graph.ttl")
    result = runner.invoke(cli, ["export", str(turtle), "--format", "nquads", "--out", str(nq)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["load-store", str(nq), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert f"({len(demo)} quads in the store)" in result.output

    query = """
        SELECT ?a ?b WHERE {
            ?x ihkg:partnersWith ?y . ?x rdfs:label ?a . ?y rdfs:label ?b .
        } ORDER BY ?a ?b
    """
    expected = run_query(demo, query).rows
    store = ox.Store(str(tmp_path / "store"))
    rows = [[s["a"].value, s["b"].value] for s in store.query(query, prefixes=PREFIXES)]
    assert rows == expected and rows
    # the provenance is in the named graphs: one per article (and per other source)
    graphs = {g.value for g in store.named_graphs()}
    assert graphs == {str(s) for s in _sources(demo)}
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?a a ihkg:Assertion }"
    union = next(iter(store.query(count, prefixes=PREFIXES, use_default_graph_as_union=True)))
    assert int(union["n"].value) == len(set(demo.subjects(RDF.type, IHKG.Assertion)))


def test_load_store_names_a_missing_or_unknown_file(tmp_path):
    from kg.errors import GraphError

    with pytest.raises(GraphError, match="no such graph file"):
        load_oxigraph(tmp_path / "missing.nq", tmp_path / "store")
    odd = tmp_path / "graph.abc"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(GraphError, match="not an RDF file suffix"):
        load_oxigraph(odd, tmp_path / "store")


def test_unknown_format_lists_the_choices(demo):
    from kg.export import ExportError

    with pytest.raises(ExportError, match="unknown format 'yaml'; available: turtle"):
        serialize(demo, "yaml")


def test_uri_of_every_named_graph_is_an_article_with_a_title(demo):
    parts = partition(demo)
    for name in parts:
        if name is None or name == IHKGID["corrections"]:
            continue
        assert isinstance(name, URIRef)
        assert (name, RDF.type, IHKG.Article) in demo
        assert demo.value(name, DCTERMS.title) is not None


def test_assertions_from_the_corrections_file_get_their_own_named_graph(demo):
    from rdflib import RDFS, Literal

    g = Graph()
    for t in demo:
        g.add(t)
    a, b = sorted(demo.subject_objects(IHKG.partnersWith))[0]
    source, node = IHKGID["corrections"], IHKGID["assertion/fixed"]
    g.add((source, RDF.type, PROV.Entity))
    g.add((source, RDFS.label, Literal("corrections file", lang="en")))
    for p, o in (
        (RDF.type, IHKG.Assertion),
        (RDF.subject, a),
        (RDF.predicate, IHKG.partnersWith),
        (RDF.object, b),
        (PROV.wasDerivedFrom, source),
    ):
        g.add((node, p, o))
    parts = partition(g)
    assert {t[0] for t in parts[source]} == {node}
    assert (source, RDF.type, PROV.Entity) in parts[None]


# ---------------------------------------------------------------- safe exports (issue 14)

CONTROL_ARTICLE = (
    '---\ntitle: "京东健康\\x01合作\\x1b新闻"\nauthor: "编辑\\x07"\ndate: 2021-05-28\n---\n'
    "<p>京东健康\x01与平安好医生达成战略合作\x1f。京东健康CEO辛利军\x0c表示很高兴\ufffe。</p>\n"
    + "<p>双方将在互联网医疗领域开展深度合作，共同推动行业发展。</p>\n"
    * 20
)


@pytest.fixture(scope="module")
def control_graph(tmp_path_factory) -> Graph:
    """The build of one article whose text, front matter and file name hold
    control characters XML 1.0 cannot hold."""
    from kg.build import build

    folder = tmp_path_factory.mktemp("control")
    (folder / "bell\x07.txt").write_text(CONTROL_ARTICLE, encoding="utf-8")
    result = build([folder])
    assert not result.errors
    return result.graph


def test_control_characters_are_dropped_when_an_article_is_read(control_graph):
    from kg.text import NOT_XML

    assert not [t for triple in control_graph for t in triple if NOT_XML.search(t)]
    titles = {str(t) for t in control_graph.objects(None, DCTERMS.title)}
    assert titles == {"京东健康合作新闻"}
    sentences = {str(s) for s in control_graph.objects(None, PROV.value)}
    assert "京东健康CEO辛利军 表示很高兴。" in sentences  # a form feed separates words
    assert {str(n) for n in control_graph.objects(None, IHKG.fileName)} == {"bell\ufffd.txt"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_of_a_graph_from_control_characters_parses_back(control_graph, fmt):
    import xml.etree.ElementTree as ET

    data = serialize(control_graph, fmt)
    if fmt in RDF_FORMATS:
        g = Graph()
        with rdflib_internals():
            if fmt in ("trig", "nquads"):
                g = _union(_parse_dataset(data, fmt))
            else:
                g.parse(data=data, format=fmt)
        assert isomorphic(g, control_graph)
    elif fmt == "csv":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            nodes = list(csv.DictReader(io.StringIO(z.read("nodes.csv").decode("utf-8-sig"))))
        assert "京东健康" in {n["label"] for n in nodes}
    else:
        ET.fromstring(data)  # well-formed XML
        G = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(io.BytesIO(data))
        assert G.number_of_nodes() == to_networkx(control_graph).number_of_nodes()


@pytest.mark.parametrize("fmt", ["xml", "graphml", "gexf"])
def test_xml_export_of_a_graph_that_holds_a_control_character_is_refused(tmp_path, fmt):
    from rdflib import RDFS, Literal

    from kg.errors import ExportError

    g = Graph()
    g.add((IHKGID["org/a"], RDF.type, IHKG.Company))
    g.add((IHKGID["org/a"], RDFS.label, Literal("甲\x01公司", lang="zh")))
    turtle = tmp_path / "hand-made.ttl"
    turtle.write_text(g.serialize(format="turtle"), encoding="utf-8")
    with pytest.raises(ExportError, match=r"cannot hold U\+0001 \(in '甲\\x01公司'\)"):
        serialize(g, fmt)
    out = tmp_path / f"g{FORMATS[fmt].suffix}"
    result = CliRunner().invoke(cli, ["export", str(turtle), "--out", str(out)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.count("\n") == 1 and "cannot hold U+0001" in result.output
    assert not out.exists()


FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def test_csv_cells_that_would_start_a_formula_are_quoted():
    from rdflib import RDFS, Literal

    from kg.export import generate_csv

    g = Graph()
    for i, name in enumerate(FORMULAS):
        g.add((IHKGID[f"org/{i}"], RDF.type, IHKG.Company))
        g.add((IHKGID[f"org/{i}"], RDFS.label, Literal(name, lang="en")))
    g.add((IHKGID["org/0"], IHKG.partnersWith, IHKGID["org/1"]))
    files = generate_csv(g)
    nodes = list(csv.DictReader(io.StringIO(files["nodes.csv"])))
    assert sorted(n["label"] for n in nodes) == sorted("'" + f for f in FORMULAS)
    assert all(n["names"].startswith("'") for n in nodes)
    cells = [c for name in files for row in csv.reader(io.StringIO(files[name])) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    edges = list(csv.DictReader(io.StringIO(files["edges.csv"])))
    assert [(e["weight"], e["confidence"]) for e in edges] == [("0", "0.0")]  # numbers stay


def _not_a_folder(tmp_path) -> Path:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    return blocker


@pytest.mark.parametrize(
    "args",
    [
        ["export", "{graph}", "--out", "{blocked}/g.rdf"],
        ["export", "{graph}", "--format", "csv", "--out", "{blocked}/g.zip"],
        ["viz", "{graph}", "--out", "{blocked}/g.html"],
        ["load-store", "{graph}", "--store", "{blocked}/store"],
        ["build", "{article}", "--no-cache", "--out", "{blocked}/out"],
    ],
    ids=["export", "export-csv", "viz", "load-store", "build"],
)
def test_an_unwritable_destination_is_one_line_and_exit_2(demo, tmp_path, args):
    from .conftest import write_article

    graph = export(demo, tmp_path / "graph.ttl")
    article = write_article(tmp_path, "a.txt", "<p>甲公司与乙医院达成合作。</p>")
    blocked = _not_a_folder(tmp_path)
    args = [a.format(graph=graph, article=article, blocked=blocked) for a in args]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    [line] = result.output.splitlines()
    assert line.startswith(f"Error: cannot write {blocked}/")
    assert line.endswith(f": {blocked} is not a folder")


def test_writing_into_a_folder_names_it_and_leaves_nothing_behind(demo, tmp_path):
    from kg.errors import OutputError

    folder = tmp_path / "graph.ttl"
    folder.mkdir()
    with pytest.raises(OutputError, match="graph.ttl: it is a folder") as caught:
        export(demo, folder)
    assert isinstance(caught.value, OSError)  # callers that fall back on OSError still do
    assert list(tmp_path.iterdir()) == [folder] and not list(folder.iterdir())
