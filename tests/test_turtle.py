"""The Turtle writer and the build's ``Triples``, checked against rdflib itself.

Each subject's block is laid out as rdflib's ``longturtle`` lays it out, so
rdflib is the oracle for blocks; the order of the blocks is the project's
(``kg.graph.layout_key``).
"""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.export import serialize_turtle
from kg.graph import NAMESPACES, Triples, new_graph
from kg.turtle import serialize
from kg.viz import render_html
from kg.vocab import IHKG, IHKGID


def rdflib_turtle(graph: Graph) -> str:
    return graph.serialize(format="longturtle")


def blocks(text: str) -> tuple[str, list[str]]:
    """The ``PREFIX`` header and the subjects' blocks of a Turtle document (a
    document that needs no prefix has no header: its first block is a subject's)."""
    chunks = [c.strip("\n") for c in text.split("\n\n")]
    head = [c for c in chunks if c.startswith(("PREFIX", "@prefix"))]
    return "\n".join(head), [c for c in chunks if c and c not in head]


def same_blocks_as_rdflib(text: str, graph: Graph) -> bool:
    head, ours = blocks(text)
    rdflib_head, theirs = blocks(rdflib_turtle(graph))
    return head == rdflib_head and sorted(ours) == sorted(theirs)


@pytest.mark.parametrize("which", ["demo_result", "corpus_result"])
def test_build_outputs_have_rdflibs_blocks_in_the_graphs_layout(which, request):
    result = request.getfixturevalue(which)
    graph = result.triples.to_graph()
    text = serialize_turtle(result.triples)
    assert same_blocks_as_rdflib(text, graph)
    assert serialize_turtle(graph) == text == result.parts.turtle()
    _, written = blocks(text)
    subjects = [b.split("\n", 1)[0].strip("<>") for b in written]
    # entities (and all but the articles' provenance) first, by IRI
    n = next(i for i, s in enumerate(subjects) if "/article/" in s)
    core = subjects[:n]
    assert core == sorted(core) and any("/org/" in s for s in core)
    assert not any("/sentence/" in b for b in written[:n])
    # then article by article: its node first, each sentence before the assertions it states
    rest = subjects[n:]
    articles = [s for s in rest if "/article/" in s]
    assert articles == sorted(articles) and len(articles) == len(result.parts.articles)
    assert all("/assertion/" in s or "/sentence/" in s or "/article/" in s for s in rest)
    for block, subject in zip(written[n:], rest, strict=True):
        if "/assertion/" in subject:
            source = block.split("prov:wasDerivedFrom <", 1)[1].split(">", 1)[0]
            assert source in rest[: rest.index(subject)]
            assert source.split("/")[-2] == last_article(rest, subject)


def last_article(subjects: list[str], subject: str) -> str:
    """The key of the article node written last before ``subject``."""
    before = subjects[: subjects.index(subject)]
    return next(s for s in reversed(before) if "/article/" in s).rsplit("/", 1)[1]


def test_html_from_triples_is_the_html_from_the_rdflib_graph(corpus_result):
    assert render_html(corpus_result.triples) == render_html(corpus_result.triples.to_graph())


def test_triples_answer_lookups_as_the_rdflib_graph_does(corpus_result):
    t, g = corpus_result.triples, corpus_result.triples.to_graph()
    assert len(t) == len(g) == len(set(t))
    assert set(t) == set(g)
    some = next(iter(t.subjects(RDF.type, IHKG.Assertion)))
    for pattern in [
        (some, None, None),
        (None, RDF.type, IHKG.Position),
        (None, IHKG.partnersWith, None),
        (some, RDF.subject, None),
        (None, None, IHKG.Hospital),
    ]:
        assert set(t.triples(pattern)) == set(g.triples(pattern))
    assert set(t.subjects(RDF.type, IHKG.Sentence)) == set(g.subjects(RDF.type, IHKG.Sentence))
    assert set(t.subject_objects(IHKG.rule)) == set(g.subject_objects(IHKG.rule))
    assert t.value(some, RDF.predicate) == g.value(some, RDF.predicate)
    assert t.value(some, IHKG.title) is None  # an assertion has no title
    assert (some, RDF.type, IHKG.Assertion) in t and (some, RDF.type, IHKG.Person) not in t


def test_adding_a_triple_twice_keeps_one():
    t = Triples()
    a = URIRef("urn:a")
    t.add((a, RDFS.label, Literal("甲", lang="zh")))
    t.add((a, RDFS.label, Literal("甲", lang="zh")))
    t.add((a, RDFS.label, Literal("甲")))  # another literal: no language tag
    assert len(t) == 2 == len(list(t))


# Terms the graph holds: IRIs in the project's namespaces (some with prefixed
# names, some not) and literals with quotes, backslashes, line breaks,
# languages and datatypes.
LOCAL = st.text(string.ascii_letters + string.digits + "_-", min_size=1, max_size=8)
IRIS = st.one_of(
    LOCAL.map(lambda s: IHKGID[f"org/{s}"]),
    LOCAL.map(lambda s: IHKGID[s]),
    st.sampled_from([IHKG.partnersWith, IHKG.Company, RDFS.label, RDF.type]),
)
TEXT = st.text(alphabet=st.sampled_from(list("甲乙\"'\\\n\r\tab €") + ["\u2028"]), max_size=12)
LITERALS = st.one_of(
    TEXT.map(Literal),
    st.builds(Literal, TEXT, lang=st.sampled_from(["zh", "en"])),
    st.integers(-(10**6), 10**6).map(Literal),
    st.decimals(-100, 100, places=2).map(lambda d: Literal(d, datatype=XSD.decimal)),
    st.sampled_from(["2021", "1999"]).map(lambda y: Literal(y, datatype=XSD.gYear)),
    st.dates().map(Literal),
    # xsd:double, written with six significant digits as rdflib writes it
    st.sampled_from([1.5, -2.5e-07, 0.0, 1e22, float("inf"), float("-inf")]).map(Literal),
    st.booleans().map(Literal),
)
PREDICATES = st.sampled_from(
    [RDF.type, RDFS.label, IHKG.partnersWith, IHKG.rule, IHKG.confidence, IHKG.title]
)
TRIPLES = st.lists(st.tuples(IRIS, PREDICATES, st.one_of(IRIS, LITERALS)), max_size=25)


@settings(max_examples=150, deadline=None)
@given(TRIPLES)
def test_random_graphs_have_rdflibs_blocks_and_read_back(triples):
    g = new_graph()
    for t in triples:
        g.add(t)
    text = serialize(g, NAMESPACES)
    assert same_blocks_as_rdflib(text, g)
    assert isomorphic(Graph().parse(data=text, format="turtle"), g)
    assert serialize(reversed(list(g)), NAMESPACES) == text  # the order of the triples is lost


IRI_CHARS = "".join(c for c in string.printable if c not in '<>"{}|^`\\' and not c.isspace())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(IRI_CHARS + "甲", min_size=1, max_size=10), max_size=6))
def test_odd_local_names_are_written_whole_and_read_back(locals_):
    g = new_graph()
    for i, local in enumerate(locals_):
        iri = URIRef(f"{IHKGID}{local}")
        g.add((IHKGID[f"n{i}"], IHKG.mentionedIn, iri))
        g.add((iri, RDFS.label, Literal(local)))
    text = serialize(g, NAMESPACES)
    assert isomorphic(Graph().parse(data=text, format="turtle"), g)


def test_blank_nodes_go_through_rdflib():
    g = new_graph()
    g.add((BNode(), RDFS.label, Literal("甲")))
    with pytest.raises(ValueError):
        serialize(g, NAMESPACES)
    assert isomorphic(Graph().parse(data=serialize_turtle(g), format="turtle"), g)
