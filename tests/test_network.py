"""Network analysis over the NetworkX view: centrality, components, paths, the CLI."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rdflib import URIRef

from kg.analysis import (
    Hop,
    analyze,
    centrality,
    communities,
    components,
    connection_path,
    format_analysis,
    format_path,
    neighbor_rows,
    neighbors,
    path_rows,
)
from kg.cli import cli
from kg.errors import QueryError
from kg.export import write_turtle
from kg.network import find_entity, to_networkx, undirected

from .test_query import fixture_graph

ID = "https://w3id.org/ihkg/id/"


@pytest.fixture(scope="module")
def G():
    return to_networkx(fixture_graph())


def labels(G, nodes):
    return [G.nodes[n]["label"] for n in nodes]


def test_view_of_the_fixture(G):
    # 7 organizations, 2 people; 2 partnerships, 2 operatesHospital, 3 subOrganizationOf,
    # 3 leadership relations and 3 positions
    assert G.number_of_nodes() == 9
    assert G.number_of_edges() == 13
    H = undirected(G)
    assert H.edges[URIRef(ID + "person-p"), URIRef(ID + "org-a")]["relations"] == [
        "ceoOf",
        "holdsPosition",
    ]


def test_centrality_ranks_organizations_and_people(G):
    ranks = centrality(G, top=3)
    assert set(ranks) == {"Organization", "Person"}
    top = ranks["Organization"][0]
    # 甲健康 is linked to 乙医疗, 丙医院, 丙医院互联网医院, 丁集团, 戊分公司 and 王一
    assert (top.label, top.degree) == ("甲健康", 6)
    assert top.betweenness == max(r.betweenness for r in ranks["Organization"])
    assert [(r.label, r.degree) for r in ranks["Person"]] == [("王一", 2), ("李二", 1)]
    by_type = centrality(G, top=1, per="type", by="betweenness")
    assert by_type["Hospital"][0].label == "丙医院"
    assert by_type["InternetHospital"][0].label == "丙医院互联网医院"


def test_components_and_communities(G):
    comps = components(G)
    assert [len(c) for c in comps] == [8, 1]
    assert labels(G, comps[1]) == ["己互联网医院"]
    first = communities(G, seed=1)
    assert first == communities(G, seed=1)
    assert sorted(n for c in first for n in c) == sorted(G.nodes)
    assert any(labels(G, c) == ["己互联网医院"] for c in first)
    greedy = communities(G, method="greedy")
    assert sum(len(c) for c in greedy) == 9


@pytest.mark.parametrize(
    ("name", "iri"),
    [
        ("甲健康", "org-a"),
        ("甲健康科技有限公司", "org-a"),
        ("jia health", "org-a"),
        ("JIA HEALTH", "org-a"),
        ("戊分公司", "org-f"),
        ("己互聯網醫院", "org-g"),  # traditional characters
        ("丁集", "org-e"),  # inside one name only
        (ID + "person-q", "person-q"),
        ("id/person-q", "person-q"),  # the IRI's last segments
    ],
)
def test_find_entity_by_label_alias_script_or_iri(G, name, iri):
    assert find_entity(G, name) == URIRef(ID + iri)


def test_ambiguous_and_unknown_names(G):
    with pytest.raises(QueryError) as e:
        find_entity(G, "互联网医院")
    message = str(e.value)
    assert "ambiguous" in message
    assert (
        "丙医院互联网医院 (InternetHospital" in message
        and "己互联网医院 (InternetHospital" in message
    )
    with pytest.raises(QueryError, match="no entity is named '庚医院'; did you mean"):
        find_entity(G, "庚医院")


def test_connection_path_hops_relations_and_evidence(G):
    hops = connection_path(G, "李二", "乙医疗")
    assert [str(h) for h in hops] == [
        "李二 -[presidentOf]-> 丙医院",
        "丙医院 -[partnersWith]-> 甲健康",
        "甲健康 -[partnersWith]-> 乙医疗",
    ]
    assert hops[0].relations == ["presidentOf", "holdsPosition"]
    assert hops[1].sentence == "丙医院与甲健康签约。"
    assert hops[1].evidence[0]["title"] == "丙医院上线互联网医院"
    assert len(hops[2].evidence) == 2
    back = connection_path(G, "乙医疗", "李二")
    assert [str(h) for h in back][-1] == "丙医院 <-[presidentOf]- 李二"
    assert connection_path(G, "甲健康", "Jia Health") == []
    assert connection_path(G, "甲健康", "己互联网医院") is None


def test_neighbors(G):
    found = neighbors(G, "乙医疗")
    assert [(n.label, n.relation, n.outgoing, n.title, n.sentences) for n in found] == [
        ("甲健康", "partnersWith", False, "", 2),
        ("王一", "chairOf", False, "", 1),
        ("王一", "holdsPosition", False, "董事长", 1),
    ]


def test_path_rows_and_text(G):
    hops = connection_path(G, "李二", "乙医疗")
    rows = path_rows(hops)
    assert [r[:5] for r in rows] == [
        [1, "李二", "presidentOf", "out", "丙医院"],
        [2, "丙医院", "partnersWith", "out", "甲健康"],
        [3, "甲健康", "partnersWith", "out", "乙医疗"],
    ]
    assert rows[2][5] == 2 and rows[1][6] == "丙医院与甲健康签约。"
    assert hops[0].as_dict()["from_iri"] == str(hops[0].source)
    corrected = Hop("urn:a", "urn:b", "A", "B", "ceoOf", False, "", [{"sentence": "", "rule": ""}])
    assert format_path([corrected], "A", "B").splitlines()[1:] == [
        "1. A <-[ceoOf]- B",
        "   (no sentence: rule ?)",
    ]


def test_neighbor_rows_write_a_position_with_its_title(G):
    assert neighbor_rows(neighbors(G, "乙医疗"))[2] == [
        "王一",
        "Person",
        "holdsPosition:董事长",
        "in",
        1,
    ]


def test_analysis_on_the_demo_graph(demo_result):
    G = to_networkx(demo_result.graph)
    ranks = centrality(G, top=3)
    assert len(ranks["Organization"]) == 3 and ranks["Person"]
    assert sum(len(c) for c in components(G)) == G.number_of_nodes()
    assert communities(G, seed=0) == communities(G, seed=0)


# --- command line --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    return write_turtle(fixture_graph(), tmp_path_factory.mktemp("n") / "graph.ttl")


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_cli_analyze(graph_file):
    result = invoke("analyze", graph_file, "--top", "3")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("9 entities, 13 edges, 2 connected components (largest: 8")
    assert "Most central organizations:" in result.output and "甲健康" in result.output
    assert "Most central people:" in result.output
    data = json.loads(invoke("analyze", graph_file, "--json").output)
    assert data["centrality"]["Organization"][0]["label"] == "甲健康"
    assert data["components"][1] == ["己互联网医院"]


def test_cli_path(graph_file):
    result = invoke("path", graph_file, "李二", "乙医疗")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "李二 → 丙医院 → 甲健康 → 乙医疗  (3 hops)"
    assert "2. 丙医院 -[partnersWith]-> 甲健康" in lines
    assert "   “丙医院与甲健康签约。”" in lines
    assert "   — 丙医院上线互联网医院, 2021-07-02" in lines
    data = json.loads(invoke("path", graph_file, "李二", "乙医疗", "--json").output)
    assert [h["relation"] for h in data] == ["presidentOf", "partnersWith", "partnersWith"]


def test_cli_path_without_connection_or_with_an_ambiguous_name(graph_file):
    result = invoke("path", graph_file, "甲健康", "己互联网医院")
    assert result.exit_code == 1 and "No connection" in result.output
    result = invoke("path", graph_file, "互联网医院", "甲健康")
    assert result.exit_code == 2 and "ambiguous" in result.output


def test_cli_neighbors(graph_file):
    result = invoke("neighbors", graph_file, "乙医疗", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "neighbor,type,relation,direction,sentences",
        "甲健康,Company,partnersWith,in,2",
        "王一,Person,chairOf,in,1",
        "王一,Person,holdsPosition:董事长,in,1",
    ]


def test_the_library_gives_what_the_commands_print(G, graph_file):
    found = analyze(G, top=3)
    assert format_analysis(found) + "\n" == invoke("analyze", graph_file, "--top", "3").output
    assert found.as_dict() == json.loads(
        invoke("analyze", graph_file, "--top", "3", "--json").output
    )
    assert [r[:3] for r in found.rows()][-2:] == [
        ["person", "王一", "Person"],
        ["person", "李二", "Person"],
    ]
    text = format_path(connection_path(G, "李二", "乙医疗"), "李二", "乙医疗")
    assert text + "\n" == invoke("path", graph_file, "李二", "乙医疗").output
