"""Named queries: loading, binding, every query's rows on a hand-made graph, the CLI.

``FIXTURE`` is a tiny graph in the shape ``kg.graph`` builds (invented names):

- 甲健康 (Company; aliases 甲健康科技有限公司, Jia Health) partners with
  乙医疗 (two sentences) and 丙医院 (Hospital, one sentence); it belongs to
  丁集团 and 戊分公司 belongs to it; it and 丙医院 operate the internet
  hospital 丙医院互联网医院, which also belongs to 丙医院; 己互联网医院 has
  nobody behind it;
- 王一 is CEO of 甲健康 and chair (董事长) of 乙医疗; 李二 is president (院长)
  of 丙医院;
- two articles (June and July 2021); the founding year comes from the
  corrections file.

Every expected row below is written by hand from that description.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

from kg.cli import cli
from kg.errors import QueryError
from kg.query import (
    QUERY_DIR,
    Parameter,
    load_queries,
    parse_named_query,
    resolve_query,
    run_named,
    run_query,
    term_text,
)

from .listener import LEAKED, SPELLINGS, Listener

FIXTURE = """
@prefix ihkg: <https://w3id.org/ihkg/ontology#> .
@prefix id: <https://w3id.org/ihkg/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

id:org-a a ihkg:Company ; rdfs:label "甲健康"@zh , "Jia Health"@en ;
    skos:altLabel "甲健康科技有限公司"@zh ;
    ihkg:mentionedIn id:article-1 , id:article-2 ;
    ihkg:partnersWith id:org-b ; ihkg:operatesHospital id:org-d ;
    ihkg:subOrganizationOf id:org-e ;
    ihkg:stockCode "09999.HK" ; ihkg:foundingYear "2015"^^xsd:gYear .
id:org-b a ihkg:Company ; rdfs:label "乙医疗"@zh ; ihkg:mentionedIn id:article-1 .
id:org-c a ihkg:Hospital ; rdfs:label "丙医院"@zh ; ihkg:mentionedIn id:article-2 ;
    ihkg:partnersWith id:org-a ; ihkg:operatesHospital id:org-d .
id:org-d a ihkg:InternetHospital ; rdfs:label "丙医院互联网医院"@zh ;
    ihkg:mentionedIn id:article-2 ; ihkg:subOrganizationOf id:org-c .
id:org-e a ihkg:Company ; rdfs:label "丁集团"@zh ; ihkg:mentionedIn id:article-1 .
id:org-f a ihkg:Company ; rdfs:label "戊分公司"@zh ; ihkg:subOrganizationOf id:org-a .
id:org-g a ihkg:InternetHospital ; rdfs:label "己互联网医院"@zh .
id:person-p a ihkg:Person ; rdfs:label "王一"@zh ; ihkg:mentionedIn id:article-1 ;
    ihkg:ceoOf id:org-a ; ihkg:chairOf id:org-b ;
    ihkg:holdsPosition id:pos-1 , id:pos-2 .
id:person-q a ihkg:Person ; rdfs:label "李二"@zh ; ihkg:mentionedIn id:article-2 ;
    ihkg:presidentOf id:org-c ; ihkg:holdsPosition id:pos-3 .
id:pos-1 a ihkg:Position ; ihkg:person id:person-p ; ihkg:organization id:org-a ;
    ihkg:title "CEO"@zh .
id:pos-2 a ihkg:Position ; ihkg:person id:person-p ; ihkg:organization id:org-b ;
    ihkg:title "董事长"@zh .
id:pos-3 a ihkg:Position ; ihkg:person id:person-q ; ihkg:organization id:org-c ;
    ihkg:title "院长"@zh .

id:article-1 a ihkg:Article ; dcterms:title "甲乙合作"@zh ;
    dcterms:date "2021-06-11T06:52:00+00:00"^^xsd:dateTime ; ihkg:fileName "001.txt" .
id:article-2 a ihkg:Article ; dcterms:title "丙医院上线互联网医院"@zh ;
    dcterms:date "2021-07-02T08:00:00+00:00"^^xsd:dateTime ; ihkg:fileName "002.txt" .
id:s1-0 a ihkg:Sentence ; dcterms:isPartOf id:article-1 ; prov:value "甲健康与乙医疗达成战略合作。"@zh .
id:s1-1 a ihkg:Sentence ; dcterms:isPartOf id:article-1 ; prov:value "乙医疗与甲健康将共建平台。"@zh .
id:s1-2 a ihkg:Sentence ; dcterms:isPartOf id:article-1 ;
    prov:value "甲健康是丁集团旗下公司，戊分公司隶属甲健康。"@zh .
id:s1-3 a ihkg:Sentence ; dcterms:isPartOf id:article-1 ; prov:value "甲健康CEO王一表示。"@zh .
id:s1-4 a ihkg:Sentence ; dcterms:isPartOf id:article-1 ; prov:value "乙医疗董事长王一出席。"@zh .
id:s1-5 a ihkg:Sentence ; dcterms:isPartOf id:article-1 ; prov:value "甲健康(09999.HK)发布公告。"@zh .
id:s2-0 a ihkg:Sentence ; dcterms:isPartOf id:article-2 ; prov:value "丙医院与甲健康签约。"@zh .
id:s2-1 a ihkg:Sentence ; dcterms:isPartOf id:article-2 ;
    prov:value "丙医院与甲健康共建丙医院互联网医院。"@zh .
id:s2-2 a ihkg:Sentence ; dcterms:isPartOf id:article-2 ; prov:value "丙医院院长李二介绍。"@zh .
id:corrections a prov:Entity ; rdfs:label "corrections file"@en .

id:as-1 a ihkg:Assertion ; rdf:subject id:org-a ; rdf:predicate ihkg:partnersWith ;
    rdf:object id:org-b ; prov:wasDerivedFrom id:s1-0 ; ihkg:rule "partner-cue" ;
    ihkg:confidence 0.85 .
id:as-2 a ihkg:Assertion ; rdf:subject id:org-a ; rdf:predicate ihkg:partnersWith ;
    rdf:object id:org-b ; prov:wasDerivedFrom id:s1-1 ; ihkg:rule "partner-cue" ;
    ihkg:confidence 0.85 .
id:as-3 a ihkg:Assertion ; rdf:subject id:org-c ; rdf:predicate ihkg:partnersWith ;
    rdf:object id:org-a ; prov:wasDerivedFrom id:s2-0 ; ihkg:rule "partner-cue" ;
    ihkg:confidence 0.85 .
id:as-4 a ihkg:Assertion ; rdf:subject id:org-c ; rdf:predicate ihkg:operatesHospital ;
    rdf:object id:org-d ; prov:wasDerivedFrom id:s2-1 ; ihkg:rule "co-founded" ;
    ihkg:confidence 0.80 .
id:as-5 a ihkg:Assertion ; rdf:subject id:org-a ; rdf:predicate ihkg:operatesHospital ;
    rdf:object id:org-d ; prov:wasDerivedFrom id:s2-1 ; ihkg:rule "co-founded" ;
    ihkg:confidence 0.80 .
id:as-6 a ihkg:Assertion ; rdf:subject id:org-d ; rdf:predicate ihkg:subOrganizationOf ;
    rdf:object id:org-c ; prov:wasDerivedFrom id:s2-1 ; ihkg:rule "internet-hospital-name" ;
    ihkg:confidence 0.90 .
id:as-7 a ihkg:Assertion ; rdf:subject id:org-a ; rdf:predicate ihkg:subOrganizationOf ;
    rdf:object id:org-e ; prov:wasDerivedFrom id:s1-2 ; ihkg:rule "subsidiary-cue" ;
    ihkg:confidence 0.90 .
id:as-8 a ihkg:Assertion ; rdf:subject id:org-f ; rdf:predicate ihkg:subOrganizationOf ;
    rdf:object id:org-a ; prov:wasDerivedFrom id:s1-2 ; ihkg:rule "subsidiary-cue" ;
    ihkg:confidence 0.90 .
id:as-9 a ihkg:Assertion ; rdf:subject id:person-p ; rdf:predicate ihkg:ceoOf ;
    rdf:object id:org-a ; prov:wasDerivedFrom id:s1-3 ; ihkg:rule "title:org-title-person" ;
    ihkg:confidence 0.90 .
id:as-10 a ihkg:Assertion ; rdf:subject id:person-p ; rdf:predicate ihkg:holdsPosition ;
    rdf:object id:pos-1 ; prov:wasDerivedFrom id:s1-3 ; ihkg:rule "org-title-person" ;
    ihkg:confidence 0.90 .
id:as-11 a ihkg:Assertion ; rdf:subject id:person-p ; rdf:predicate ihkg:chairOf ;
    rdf:object id:org-b ; prov:wasDerivedFrom id:s1-4 ; ihkg:rule "title:org-title-person" ;
    ihkg:confidence 0.90 .
id:as-12 a ihkg:Assertion ; rdf:subject id:person-p ; rdf:predicate ihkg:holdsPosition ;
    rdf:object id:pos-2 ; prov:wasDerivedFrom id:s1-4 ; ihkg:rule "org-title-person" ;
    ihkg:confidence 0.90 .
id:as-13 a ihkg:Assertion ; rdf:subject id:person-q ; rdf:predicate ihkg:presidentOf ;
    rdf:object id:org-c ; prov:wasDerivedFrom id:s2-2 ; ihkg:rule "title:org-title-person" ;
    ihkg:confidence 0.90 .
id:as-14 a ihkg:Assertion ; rdf:subject id:person-q ; rdf:predicate ihkg:holdsPosition ;
    rdf:object id:pos-3 ; prov:wasDerivedFrom id:s2-2 ; ihkg:rule "org-title-person" ;
    ihkg:confidence 0.90 .
id:as-15 a ihkg:Assertion ; rdf:subject id:org-a ; rdf:predicate ihkg:stockCode ;
    rdf:object "09999.HK" ; prov:wasDerivedFrom id:s1-5 ; ihkg:rule "stock-code" ;
    ihkg:confidence 0.90 .
id:as-16 a ihkg:Assertion ; rdf:subject id:org-a ; rdf:predicate ihkg:foundingYear ;
    rdf:object "2015"^^xsd:gYear ; prov:wasDerivedFrom id:corrections ;
    ihkg:rule "correction: founded 2015" ; ihkg:confidence 1.00 .
"""

CEO = "https://w3id.org/ihkg/ontology#ceoOf"
PARTNERS = "https://w3id.org/ihkg/ontology#partnersWith"
A1 = ("2021-06-11", "甲乙合作")

#: (query, parameters, expected rows), every row written by hand from FIXTURE.
CASES = [
    (
        "partners",
        {"org": "甲健康"},
        [["甲健康", "乙医疗", "Company", "2"], ["甲健康", "丙医院", "Hospital", "1"]],
    ),
    (
        "partners",
        {"org": "Jia Health"},
        [["Jia Health", "乙医疗", "Company", "2"], ["Jia Health", "丙医院", "Hospital", "1"]],
    ),
    (
        "partners",
        {"org": "甲健康科技有限公司"},
        [
            ["甲健康科技有限公司", "乙医疗", "Company", "2"],
            ["甲健康科技有限公司", "丙医院", "Hospital", "1"],
        ],
    ),
    ("partners", {"org": "乙医疗"}, [["乙医疗", "甲健康", "Company", "2"]]),
    (
        "leaders",
        {},
        [
            ["李二", "presidentOf", "丙医院", "院长"],
            ["王一", "chairOf", "乙医疗", "董事长"],
            ["王一", "ceoOf", "甲健康", "CEO"],
        ],
    ),
    (
        "hospital-operators",
        {},
        [
            ["丙医院", "Hospital", "丙医院互联网医院", "InternetHospital", "1"],
            ["甲健康", "Company", "丙医院互联网医院", "InternetHospital", "1"],
        ],
    ),
    (
        "most-partners",
        {},
        [["甲健康", "Company", "2"], ["丙医院", "Hospital", "1"], ["乙医疗", "Company", "1"]],
    ),
    ("multiple-positions", {}, [["王一", "2", "乙医疗", "董事长"], ["王一", "2", "甲健康", "CEO"]]),
    (
        "subsidiaries",
        {"org": "丁集团"},
        [["丁集团", "甲健康", "Company", "direct"], ["丁集团", "戊分公司", "Company", "indirect"]],
    ),
    ("subsidiaries", {"org": "乙医疗"}, []),
    (
        "two-hops",
        {"org": "甲健康"},
        [
            ["甲健康", "丁集团", "Company", "1"],
            ["甲健康", "丙医院", "Hospital", "1"],
            ["甲健康", "丙医院互联网医院", "InternetHospital", "1"],
            ["甲健康", "乙医疗", "Company", "1"],
            ["甲健康", "戊分公司", "Company", "1"],
        ],
    ),
    (
        "two-hops",
        {"org": "乙医疗"},
        [
            ["乙医疗", "甲健康", "Company", "1"],
            ["乙医疗", "丁集团", "Company", "2"],
            ["乙医疗", "丙医院", "Hospital", "2"],
            ["乙医疗", "丙医院互联网医院", "InternetHospital", "2"],
            ["乙医疗", "戊分公司", "Company", "2"],
        ],
    ),
    (
        "evidence",
        {"name": "乙医疗"},
        [
            [
                "乙医疗",
                "甲健康",
                "partnersWith",
                "乙医疗",
                *A1,
                "乙医疗与甲健康将共建平台。",
                "partner-cue",
                "0.85",
            ],
            [
                "乙医疗",
                "王一",
                "chairOf",
                "乙医疗",
                *A1,
                "乙医疗董事长王一出席。",
                "title:org-title-person",
                "0.9",
            ],
            [
                "乙医疗",
                "甲健康",
                "partnersWith",
                "乙医疗",
                *A1,
                "甲健康与乙医疗达成战略合作。",
                "partner-cue",
                "0.85",
            ],
        ],
    ),
    (
        "evidence",
        {"name": "王一"},
        [
            [
                "王一",
                "王一",
                "chairOf",
                "乙医疗",
                *A1,
                "乙医疗董事长王一出席。",
                "title:org-title-person",
                "0.9",
            ],
            [
                "王一",
                "王一",
                "holdsPosition",
                "董事长 @ 乙医疗",
                *A1,
                "乙医疗董事长王一出席。",
                "org-title-person",
                "0.9",
            ],
            [
                "王一",
                "王一",
                "ceoOf",
                "甲健康",
                *A1,
                "甲健康CEO王一表示。",
                "title:org-title-person",
                "0.9",
            ],
            [
                "王一",
                "王一",
                "holdsPosition",
                "CEO @ 甲健康",
                *A1,
                "甲健康CEO王一表示。",
                "org-title-person",
                "0.9",
            ],
        ],
    ),
    (
        "evidence",
        {"name": "戊分公司"},
        [
            [
                "戊分公司",
                "戊分公司",
                "subOrganizationOf",
                "甲健康",
                *A1,
                "甲健康是丁集团旗下公司，戊分公司隶属甲健康。",
                "subsidiary-cue",
                "0.9",
            ]
        ],
    ),
    ("partnerships-by-month", {}, [["2021-06", "1", "1"], ["2021-07", "1", "1"]]),
    (
        "aliases",
        {},
        [
            ["甲健康", "Company", "3", "Jia Health"],
            ["甲健康", "Company", "3", "甲健康"],
            ["甲健康", "Company", "3", "甲健康科技有限公司"],
        ],
    ),
    (
        "internet-hospitals",
        {},
        [
            ["丙医院互联网医院", "丙医院", "Hospital", "operatesHospital"],
            ["丙医院互联网医院", "丙医院", "Hospital", "subOrganizationOf"],
            ["丙医院互联网医院", "甲健康", "Company", "operatesHospital"],
            ["己互联网医院", "", "", ""],
        ],
    ),
    (
        "positions",
        {"person": "王一"},
        [["王一", "董事长", "乙医疗", "1"], ["王一", "CEO", "甲健康", "1"]],
    ),
    ("people-of", {"org": "甲健康"}, [["甲健康", "王一", "CEO", "ceoOf"]]),
    ("people-of", {"org": "丙医院"}, [["丙医院", "李二", "院长", "presidentOf"]]),
    (
        "rules",
        {},
        [
            ["co-founded", "operatesHospital", "2", "0.8", "0.8"],
            ["correction: founded 2015", "foundingYear", "1", "1", "1"],
            ["internet-hospital-name", "subOrganizationOf", "1", "0.9", "0.9"],
            ["org-title-person", "holdsPosition", "3", "0.9", "0.9"],
            ["partner-cue", "partnersWith", "3", "0.85", "0.85"],
            ["stock-code", "stockCode", "1", "0.9", "0.9"],
            ["subsidiary-cue", "subOrganizationOf", "2", "0.9", "0.9"],
            ["title:org-title-person", "ceoOf", "1", "0.9", "0.9"],
            ["title:org-title-person", "chairOf", "1", "0.9", "0.9"],
            ["title:org-title-person", "presidentOf", "1", "0.9", "0.9"],
        ],
    ),
    (
        "by-rule",
        {"rule": "partner-cue"},
        [
            ["partner-cue", "丙医院", "partnersWith", "甲健康", "0.85", "丙医院与甲健康签约。"],
            [
                "partner-cue",
                "甲健康",
                "partnersWith",
                "乙医疗",
                "0.85",
                "乙医疗与甲健康将共建平台。",
            ],
            [
                "partner-cue",
                "甲健康",
                "partnersWith",
                "乙医疗",
                "0.85",
                "甲健康与乙医疗达成战略合作。",
            ],
        ],
    ),
    (
        "by-rule",
        {"rule": "stock-code"},
        [["stock-code", "甲健康", "stockCode", "09999.HK", "0.9", "甲健康(09999.HK)发布公告。"]],
    ),
    (
        "articles-per-entity",
        {},
        [
            ["甲健康", "Company", "2"],
            ["丁集团", "Company", "1"],
            ["丙医院", "Hospital", "1"],
            ["丙医院互联网医院", "InternetHospital", "1"],
            ["乙医疗", "Company", "1"],
            ["李二", "Person", "1"],
            ["王一", "Person", "1"],
        ],
    ),
    (
        "entity-articles",
        {"name": "甲健康"},
        [
            ["甲健康", "2021-06-11", "甲乙合作", "001.txt"],
            ["甲健康", "2021-07-02", "丙医院上线互联网医院", "002.txt"],
        ],
    ),
    ("partnerships", {}, [["丙医院", "甲健康"], ["甲健康", "乙医疗"]]),
    ("attributes", {}, [["甲健康", "foundingYear", "2015"], ["甲健康", "stockCode", "09999.HK"]]),
    (
        "single-source",
        {},
        [
            ["王一", "ceoOf", "甲健康", "title:org-title-person", "0.9", "甲健康CEO王一表示。"],
            [
                "王一",
                "chairOf",
                "乙医疗",
                "title:org-title-person",
                "0.9",
                "乙医疗董事长王一出席。",
            ],
            [
                "丙医院",
                "operatesHospital",
                "丙医院互联网医院",
                "co-founded",
                "0.8",
                "丙医院与甲健康共建丙医院互联网医院。",
            ],
            [
                "甲健康",
                "operatesHospital",
                "丙医院互联网医院",
                "co-founded",
                "0.8",
                "丙医院与甲健康共建丙医院互联网医院。",
            ],
            ["丙医院", "partnersWith", "甲健康", "partner-cue", "0.85", "丙医院与甲健康签约。"],
            [
                "李二",
                "presidentOf",
                "丙医院",
                "title:org-title-person",
                "0.9",
                "丙医院院长李二介绍。",
            ],
            [
                "丙医院互联网医院",
                "subOrganizationOf",
                "丙医院",
                "internet-hospital-name",
                "0.9",
                "丙医院与甲健康共建丙医院互联网医院。",
            ],
            [
                "戊分公司",
                "subOrganizationOf",
                "甲健康",
                "subsidiary-cue",
                "0.9",
                "甲健康是丁集团旗下公司，戊分公司隶属甲健康。",
            ],
            [
                "甲健康",
                "subOrganizationOf",
                "丁集团",
                "subsidiary-cue",
                "0.9",
                "甲健康是丁集团旗下公司，戊分公司隶属甲健康。",
            ],
        ],
    ),
    ("relation-pairs", {"relation": "ceoOf"}, [[CEO, "王一", "甲健康", "1"]]),
    (
        "relation-pairs",
        {"relation": "partnersWith"},
        [[PARTNERS, "丙医院", "甲健康", "1"], [PARTNERS, "甲健康", "乙医疗", "2"]],
    ),
]

INJECTIONS = ['"} ; DROP ALL ; #', '京东健康" . ?x ?y ?z . #', "甲健康' } UNION { ?x ?y ?z } #"]


def fixture_graph() -> Graph:
    """The hand-made graph, parsed by rdflib."""
    return Graph().parse(data=FIXTURE, format="turtle")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return fixture_graph()


@pytest.fixture(scope="module")
def store(graph):
    from kg.store import from_graph

    return from_graph(graph)


@pytest.fixture(params=["rdflib", "oxigraph"])
def engine(request, graph, store):
    """The fixture graph on each engine."""
    return graph if request.param == "rdflib" else store


# --- the query library ---------------------------------------------------------------------


def test_there_are_at_least_fifteen_named_queries_each_with_title_and_description():
    queries = load_queries()
    assert len(queries) >= 15
    for q in queries.values():
        assert q.title and q.title != q.name, q.name
        assert q.description, q.name
        assert q.path is not None and q.path.parent == QUERY_DIR
        for p in q.parameters:
            assert p.default and p.description, (q.name, p.name)


def test_every_named_query_has_a_hand_written_case():
    assert {name for name, _, _ in CASES} == set(load_queries())


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    CASES,
    ids=[f"{n}-{'-'.join(p.values()) or 'all'}" for n, p, _ in CASES],
)
def test_named_query_rows_on_the_fixture(engine, name, params, expected):
    assert run_named(engine, name, params).rows == expected


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_named_query_returns_rows_on_the_demo_graph(demo_result, name):
    table = run_named(demo_result.graph, name)
    assert table.rows, name
    q = load_queries()[name]
    assert table.columns[: len(q.parameters)] == [p.name for p in q.parameters]


def test_a_name_parameter_matches_a_label_or_an_alias_exactly(graph):
    q = load_queries()["partners"]
    assert q.bindings({"org": "甲健康"}) == {"org": Literal("甲健康", lang="zh")}
    assert q.bindings({"org": " Jia Health "}) == {"org": Literal("Jia Health", lang="en")}
    assert q.bindings() == {"org": Literal("京东健康", lang="zh")}
    assert run_named(graph, "partners", {"org": "甲健"}).rows == []


@pytest.mark.parametrize("value", INJECTIONS)
def test_injected_values_are_plain_strings(engine, value):
    before = len(engine)
    for name, param in [("partners", "org"), ("evidence", "name"), ("by-rule", "rule")]:
        assert run_named(engine, name, {param: value}).rows == []
    table = run_query(engine, "SELECT ?v ?x WHERE { ?x rdfs:label ?v }", {"v": Literal(value)})
    assert table.rows == []
    assert len(engine) == before


def test_injected_values_cannot_reach_the_query_text_on_the_cli(tmp_path):
    from kg.export import write_turtle

    path = write_turtle(fixture_graph(), tmp_path / "graph.ttl")
    before = path.read_bytes()
    for value in INJECTIONS:
        for engine in ("oxigraph", "rdflib"):
            result = CliRunner().invoke(
                cli,
                [
                    "query",
                    str(path),
                    "partners",
                    "--param",
                    f"org={value}",
                    "--engine",
                    engine,
                    "--format",
                    "json",
                ],
            )
            assert result.exit_code == 0, result.output
            assert json.loads(result.output) == []
    assert path.read_bytes() == before


# --- headers and parameters ----------------------------------------------------------------


def test_header_gives_title_description_and_typed_parameters():
    q = parse_named_query(
        "# title: Things\n"
        "# description: What\n"
        "#   it does.\n"
        "# param: org = 甲健康 (name: an organization)\n"
        "# param: n = 2 (integer: how many)\n"
        "# param: c = 0.5 (decimal: a threshold)\n"
        "# param: rel = ceoOf (relation: which relation)\n"
        "# param: x = ihkgid:org/1 (iri: a node)\n"
        "# param: free = a b (just text)\n"
        "SELECT ?org ?n ?c ?rel ?x ?free WHERE {}\n",
        "things",
    )
    assert (q.name, q.title, q.description) == ("things", "Things", "What it does.")
    assert [(p.name, p.type, p.default) for p in q.parameters] == [
        ("org", "name", "甲健康"),
        ("n", "integer", "2"),
        ("c", "decimal", "0.5"),
        ("rel", "relation", "ceoOf"),
        ("x", "iri", "ihkgid:org/1"),
        ("free", "text", "a b"),
    ]
    assert q.parameters[-1].description == "just text"
    b = q.bindings()
    assert b["n"] == Literal(2)
    assert str(b["c"]) == "0.5"
    assert b["rel"] == URIRef(CEO)
    assert b["x"] == URIRef("https://w3id.org/ihkg/id/org/1")
    assert b["free"] == Literal("a b")


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        (Parameter("n", "1", "integer"), "two", "not an integer"),
        (Parameter("c", "1", "decimal"), "x", "not a decimal"),
        (Parameter("r", "ceoOf", "relation"), "ownerOf", "available: partnersWith, ceoOf"),
        (Parameter("i", "urn:x", "iri"), "not an iri", "not an IRI"),
    ],
)
def test_a_bad_parameter_value_says_why(param, value, message):
    with pytest.raises(QueryError, match=message):
        param.term(value)


def test_unknown_query_lists_the_names_that_exist():
    with pytest.raises(QueryError) as e:
        resolve_query("no-such-query")
    assert "unknown query 'no-such-query'" in str(e.value)
    assert "partners" in str(e.value) and "two-hops" in str(e.value)


def test_unknown_parameter_lists_the_parameters(graph):
    with pytest.raises(QueryError, match="unknown parameter 'company'; parameters: org"):
        run_named(graph, "partners", {"company": "甲健康"})


def test_a_parameter_must_be_used_and_declared_once():
    with pytest.raises(QueryError, match="'y' is not used"):
        parse_named_query("# title: T\n# param: y = 1\nSELECT ?x {}")
    with pytest.raises(QueryError, match="declared twice"):
        parse_named_query("# title: T\n# param: x = 1\n# param: x = 2\nSELECT ?x {}")


def test_a_parameter_without_default_needs_a_value():
    q = parse_named_query("# title: T\n# param: x (text: anything)\nSELECT ?x {}")
    with pytest.raises(QueryError, match="'x' needs a value"):
        q.bindings()
    assert q.bindings({"x": "1"}) == {"x": Literal("1")}


def test_resolve_reads_a_rq_file_with_its_header(tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text(
        "# title: Mine\n# param: who = 王一 (name: a person)\n"
        "SELECT ?who ?o WHERE { ?p rdfs:label ?who ; ihkg:ceoOf ?o }\n",
        encoding="utf-8",
    )
    q = resolve_query(str(path))
    assert (q.name, q.title, [p.name for p in q.parameters]) == ("mine", "Mine", ["who"])
    with pytest.raises(QueryError, match="no such query file"):
        resolve_query(str(tmp_path / "missing.rq"))


# --- malformed queries and engines ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("SELECT ?x WHERE {\n  ?x ?y\n}", (2, 3)),  # rdflib stops at line 2, pyoxigraph at 3
        ("SELECT ?x WHERE { ?x ?y ?z . FILTER( }", (1,)),
    ],
)
def test_a_malformed_query_names_line_and_column(engine, text, lines):
    with pytest.raises(QueryError) as e:
        run_query(engine, text)
    first, source, caret = str(e.value).split("\n")
    m = re.match(r"SPARQL syntax error at line (\d+), column (\d+): \S", first)
    assert m and int(m[1]) in lines
    assert source.strip() == text.splitlines()[int(m[1]) - 1].strip()
    assert caret == "  " + " " * (int(m[2]) - 1) + "^"


def test_only_select_and_ask_are_run(engine):
    with pytest.raises(QueryError, match="only SELECT and ASK"):
        run_query(engine, "CONSTRUCT WHERE { ?s ?p ?o }")
    assert run_query(engine, "ASK { ?s ihkg:ceoOf ?o }").rows == [["true"]]


def test_a_bound_variable_must_be_selected_on_both_engines(engine):
    with pytest.raises(QueryError, match=r"\?o is not in the SELECT clause"):
        run_query(engine, "SELECT ?s WHERE { ?s rdfs:label ?o }", {"o": Literal("王一", lang="zh")})


def test_numbers_and_dates_are_written_canonically():
    from rdflib import XSD

    assert term_text(Literal("1.00", datatype=XSD.decimal)) == "1"
    assert term_text(Literal("0.850", datatype=XSD.decimal)) == "0.85"
    assert (
        term_text(Literal("2021-06-11T06:52:00.500+00:00", datatype=XSD.dateTime))
        == "2021-06-11T06:52:00.5Z"
    )
    assert (
        term_text(Literal("2021-06-11T06:52:00+08:00", datatype=XSD.dateTime))
        == "2021-06-11T06:52:00+08:00"
    )


def test_table_to_dataframe_keeps_numbers(graph):
    import pandas as pd

    df = run_named(graph, "most-partners").to_dataframe()
    assert list(df.columns) == ["organization", "type", "partners"]
    assert df["partners"].tolist() == [2, 1, 1]
    assert isinstance(df, pd.DataFrame)


# --- command line --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    from kg.export import write_turtle

    return write_turtle(fixture_graph(), tmp_path_factory.mktemp("q") / "graph.ttl")


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_cli_lists_the_named_queries():
    result = invoke("queries")
    assert result.exit_code == 0
    for name, q in load_queries().items():
        assert name in result.output and q.title in result.output
    assert "[org=京东健康]" in result.output
    data = json.loads(invoke("queries", "--format", "json").output)
    assert {d["name"] for d in data} == set(load_queries())


@pytest.mark.parametrize("engine_name", ["oxigraph", "rdflib"])
def test_cli_runs_a_named_query_with_a_parameter(graph_file, engine_name):
    result = invoke(
        "query",
        graph_file,
        "partners",
        "--param",
        "org=甲健康",
        "--engine",
        engine_name,
        "--format",
        "csv",
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "org,partner,type,sentences",
        "甲健康,乙医疗,Company,2",
        "甲健康,丙医院,Hospital,1",
    ]


def test_cli_table_and_markdown_formats(graph_file):
    table = invoke("query", graph_file, "positions", "-p", "person=王一").output
    assert "董事长" in table and table.rstrip().endswith("(2 rows)")
    md = invoke("query", graph_file, "positions", "-p", "person=王一", "--format", "md").output
    assert md.splitlines()[:2] == [
        "| person | title | organization | sentences |",
        "|---|---|---|---|",
    ]


def test_cli_runs_a_rq_file_and_a_sparql_string(graph_file, tmp_path):
    path = tmp_path / "ceo.rq"
    path.write_text(
        "# title: CEO of\n# param: who = 王一 (name: a person)\n"
        "SELECT ?who ?org WHERE { ?p rdfs:label ?who ; ihkg:ceoOf ?o . "
        "?o rdfs:label ?org FILTER(LANG(?org) = 'zh') }\n",
        encoding="utf-8",
    )
    result = invoke("query", graph_file, path, "-p", "who=王一", "--format", "json")
    assert json.loads(result.output) == [{"who": "王一", "org": "甲健康"}]
    result = invoke(
        "query",
        graph_file,
        "SELECT ?t WHERE { ?p ihkg:title ?t } ORDER BY ?t",
        "--format",
        "csv",
    )
    assert result.output.splitlines() == ["t", "CEO", "董事长", "院长"]


@pytest.mark.parametrize("engine_name", ["oxigraph", "rdflib"])
def test_cli_malformed_query_exits_2_with_line_and_column(graph_file, engine_name):
    result = invoke("query", graph_file, "SELECT ?x WHERE {\n  ?x ?y\n}", "--engine", engine_name)
    assert result.exit_code == 2
    assert re.search(r"SPARQL syntax error at line [23], column \d+", result.output)
    assert "Traceback" not in result.output


def test_cli_unknown_query_and_parameter_say_what_exists(graph_file):
    result = invoke("query", graph_file, "partner")
    assert result.exit_code == 2
    assert "unknown query 'partner'; available:" in result.output and "partners" in result.output
    result = invoke("query", graph_file, "partners", "-p", "name=甲健康")
    assert result.exit_code == 2 and "parameters: org" in result.output
    result = invoke("query", graph_file, "partners", "-p", "org")
    assert result.exit_code == 2 and "KEY=VALUE" in result.output


def test_cli_missing_graph_is_a_usage_error(tmp_path):
    result = invoke("query", tmp_path / "none.ttl", "partners")
    assert result.exit_code == 2 and "no such graph file" in result.output


# --- SERVICE: no request unless asked for (issue 14) ------------------------------------------


@pytest.fixture
def listener():
    """An endpoint on 127.0.0.1 that records what reaches it."""
    lst = Listener()
    yield lst
    lst.close()


def test_no_spelling_of_service_reaches_the_network_on_either_engine(engine, listener):
    for name in SPELLINGS:
        with pytest.raises(QueryError):
            run_query(engine, listener.query(name))
    assert listener.received == []


def test_without_the_sandbox_service_is_refused_from_the_parsed_query(store, listener, monkeypatch):
    # where seccomp cannot be had, rdflib must parse the query and find no SERVICE;
    # a miss here would reach the listener, since this process has the network
    monkeypatch.setattr("kg.sparql._NO_SANDBOX", [True])
    for name in SPELLINGS:
        with pytest.raises(QueryError):
            run_query(store, listener.query(name))
    assert listener.received == []
    assert run_query(store, "ASK { ?s ihkg:ceoOf ?o }").rows == [["true"]]


@pytest.mark.parametrize("engine_name", ["oxigraph", "rdflib"])
def test_cli_refuses_service_in_one_line_unless_allowed(graph_file, listener, engine_name):
    query = listener.query("plain")
    result = invoke("query", graph_file, query, "--engine", engine_name)
    assert result.exit_code == 2
    assert result.output.startswith("Error: SERVICE is disabled")
    assert "--allow-service" in result.output and result.output.count("\n") == 1
    assert listener.received == []
    args = ("query", graph_file, query, "--engine", engine_name, "--allow-service")
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert LEAKED in result.output and len(listener.received) == 1
