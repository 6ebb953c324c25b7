"""The RDF graph: vocabulary, provenance, determinism."""

import subprocess
import sys
from dataclasses import replace

import pytest
from rdflib import RDF, RDFS, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import PROV

from kg.evidence import evidence_index
from kg.export import serialize_turtle, write_turtle
from kg.graph import Triples
from kg.load import load_graph
from kg.query import run_query
from kg.vocab import IHKG, IHKGID

PROVENANCE = """
SELECT ?a ?b ?title ?date ?file ?sentence WHERE {
  ?a ihkg:partnersWith ?b .
  ?as rdf:subject ?a ; rdf:predicate ihkg:partnersWith ; rdf:object ?b ;
      prov:wasDerivedFrom ?s .
  ?s prov:value ?sentence ; dcterms:isPartOf ?art .
  ?art dcterms:title ?title ; dcterms:date ?date ; ihkg:fileName ?file .
}"""


def test_partnerships_query_on_the_turtle_file(demo_result, tmp_path):
    path = write_turtle(demo_result.graph, tmp_path / "graph.ttl")
    g = load_graph(path)
    rows = run_query(g, "SELECT ?a ?b { ?a ihkg:partnersWith ?b }").rows
    assert len(rows) == 6
    assert isomorphic(g, demo_result.graph)


def test_every_relation_has_its_sentence_and_article(demo_result):
    g = demo_result.graph
    rows = run_query(g, PROVENANCE).rows
    pairs = {(a, b) for a, b, *_ in rows}
    assert len(pairs) == len(set(g.subject_objects(IHKG.partnersWith)))
    texts = [a.text for a in demo_result.articles.values()]
    for _, _, title, date, file, sentence in rows:
        assert title and date.startswith("2021") and file.endswith(".txt")
        assert any(sentence in t for t in texts)


def test_sentence_offsets_match_the_article_text(demo_result):
    g = demo_result.graph
    for sent in g.subjects(RDF.type, IHKG.Sentence):
        key = str(sent).split("/")[-2]
        article = demo_result.articles[key]
        start = int(g.value(sent, IHKG.startChar))
        end = int(g.value(sent, IHKG.endChar))
        assert article.text[start:end] == str(
            g.value(sent, g.namespace_manager.expand_curie("prov:value"))
        )


def test_entities_have_one_label_per_language_and_their_class(demo_result):
    g = demo_result.graph
    jd = next(s for s, o in g.subject_objects(RDFS.label) if o == Literal("京东健康", lang="zh"))
    assert (jd, RDF.type, IHKG.Company) in g
    for s in set(g.subjects(RDFS.label)):
        langs = [o.language for o in g.objects(s, RDFS.label)]
        assert len(langs) == len(set(langs))


def test_positions_carry_person_organization_and_title(demo_result):
    rows = run_query(
        demo_result.graph,
        """
        SELECT ?name ?org ?title WHERE {
          ?p a ihkg:Position ; ihkg:person ?x ; ihkg:organization ?o ; ihkg:title ?title .
          ?x rdfs:label ?name . ?o rdfs:label ?org .
        }""",
    ).rows
    assert ["方蔚豪", "平安好医生", "董事会主席兼CEO"] in rows


def test_confidence_and_rule_are_queryable(demo_result):
    rows = run_query(
        demo_result.graph,
        """
        SELECT ?rule (MIN(?c) AS ?min) WHERE { ?a ihkg:rule ?rule ; ihkg:confidence ?c }
        GROUP BY ?rule""",
    ).rows
    assert rows and all(0 <= float(c) <= 1 for _, c in rows)


def test_turtle_is_byte_identical_across_hash_seeds(tmp_path):
    code = (
        "import sys; from kg.build import build; from kg.export import serialize_turtle;"
        "sys.stdout.write(serialize_turtle(build(['data/articles']).graph))"
    )
    outs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2")
    ]
    assert outs[0] == outs[1] and "ihkg:partnersWith" in outs[0]


def test_another_process_with_the_files_the_other_way_round_writes_the_same_bytes(demo_result):
    """The fixture's Turtle, written again by a build of its own: another process,
    another hash seed, the files given in the opposite order."""
    from .conftest import DATA

    files = sorted(map(str, (DATA / "articles").glob("*.txt")), reverse=True)
    code = (
        "import sys; from kg.build import build; from kg.export import serialize_turtle;"
        f"sys.stdout.write(serialize_turtle(build({files!r}, corrections=None).graph))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=DATA.parent,
        env={"PYTHONHASHSEED": "3", "PATH": ""},
    ).stdout
    assert other == serialize_turtle(demo_result.graph)


# -- the graph in parts ------------------------------------------------------------------


@pytest.fixture(scope="module")
def corrected(tmp_path_factory):
    """The samples built with the corrections file (its assertions live in the core part)."""
    from kg.build import build

    from .conftest import DATA

    return build([DATA / "articles"], corrections=DATA / "articles" / "corrections.yaml")


@pytest.mark.parametrize("which", ["demo_result", "corpus_result", "corrected"])
def test_parts_make_the_graph_and_share_no_subject(which, request):
    parts = request.getfixturevalue(which).parts
    whole = parts.triples()
    assert len(parts) == len(whole) == len(set(whole))
    core = set(parts.core.by_subject())
    seen = set(core)
    for key, prov in parts.articles.items():
        mine = Triples()
        prov.add_to(mine, parts.terms)
        assert len(mine) == len(prov)
        subjects = set(mine.by_subject())
        assert not subjects & seen and IHKGID[f"article/{key}"] in subjects
        seen |= subjects
    assert seen == set(whole.by_subject())


def test_corrections_assert_in_the_core(corrected):
    parts = corrected.parts
    assert parts.corrections  # data/articles/corrections.yaml adds relations
    sources = {o for _, o in parts.core.subject_objects(PROV.wasDerivedFrom)}
    assert sources == {IHKGID["corrections"]}


@pytest.mark.parametrize("which", ["demo_result", "corpus_result", "corrected"])
def test_evidence_from_the_parts_is_the_evidence_in_the_graph(which, request):
    result = request.getfixturevalue(which)
    from_parts = evidence_index(result.parts)
    assert from_parts == evidence_index(result.triples) == evidence_index(result.graph)
    assert sum(map(len, from_parts.values())) == len(
        list(result.triples.subjects(RDF.type, IHKG.Assertion))
    )


def test_signature_follows_what_the_articles_part_is_made_from(demo_result):
    prov = next(iter(demo_result.parts.articles.values()))
    before = prov.signature()
    assert before == replace(prov, claims=list(prov.claims)).signature()
    assert replace(prov, files=(*prov.files, "copy.txt")).signature() != before
    assert replace(prov, claims=prov.claims[1:]).signature() != before
    s, p, o, i, rule, conf = prov.claims[0]
    changed = [(s, p, o, i, rule, conf - 0.1), *prov.claims[1:]]
    assert replace(prov, claims=changed).signature() != before
    other = replace(prov.article, title=prov.article.title + "!")
    assert replace(prov, article=other).signature() != before
