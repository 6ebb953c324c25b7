"""The HTML graph without a browser: its data, its safety, its speed, ``kg viz``.

What the page does in a browser is in ``test_viz_browser.py``.
"""

from __future__ import annotations

import base64
import json
import random
import re
import zlib

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from kg.cli import cli
from kg.export import write_turtle
from kg.network import to_networkx
from kg.viz import (
    ISOLATED_THRESHOLD,
    RELATION_STYLES,
    TYPE_STYLES,
    FocusError,
    find_entity,
    graph_data,
    render_html,
    select,
    write_html,
)
from kg.vocab import IHKGID

from .conftest import write_article

XSS = "<img src=x onerror=alert(1)></script><script>alert(1)</script>&amp;"


@pytest.fixture(scope="module")
def demo_G(demo_result):
    return to_networkx(demo_result.graph)


@pytest.fixture(scope="module")
def demo_data(demo_result, demo_G):
    return graph_data(demo_result.graph, demo_G)


def by_label(data: dict, label: str) -> dict:
    (node,) = [n for n in data["nodes"] if n["label"] == label]
    return node


def packed_data(page: str) -> dict:
    """The data of a page as it carries it (see ``kg.viz.page_data``)."""
    m = re.search(
        r'<script id="graph-data" type="application/octet-stream">(.*?)</script>', page, re.S
    )
    return json.loads(zlib.decompress(base64.b64decode(m.group(1))))


def page_data(page: str) -> dict:
    """The data of a page, unpacked as the page's script does (``graph_data``'s shape)."""
    p = packed_data(page)
    S, A = p["strings"], p["articles"]
    types, relations = list(p["types"]), list(p["relations"])

    def unpack(flat):
        return [
            {
                "sentence": S[flat[i]],
                "title": S[A[2 * flat[i + 1]]],
                "date": S[A[2 * flat[i + 1] + 1]],
                "rule": S[flat[i + 2]],
                "confidence": flat[i + 3] / 100,
            }
            for i in range(0, len(flat), 4)
        ]

    N, E = p["nodes"], p["edges"]
    nodes = []
    for i, label in enumerate(N["label"]):
        names = N["names"][i] or [label]
        nodes.append(
            {
                "id": i,
                "iri": p["prefix"] + N["iri"][i],
                "label": label,
                "type": types[N["type"][i]],
                "names": names,
                "keys": N["keys"][i] or names,
                "degree": 0,
                "x": N["x"][i],
                "y": N["y"][i],
                "attributes": [
                    {"name": a[0], "value": a[1], "evidence": unpack(a[2])}
                    for a in N["attributes"].get(str(i), [])
                ],
            }
        )
    edges, curves = [], {}
    for i, (a, b) in enumerate(zip(E["from"], E["to"], strict=True)):
        pair = (min(a, b), max(a, b))
        curves[pair] = curves.get(pair, -1) + 1
        nodes[a]["degree"] += 1
        nodes[b]["degree"] += 1
        edges.append(
            {
                "from": a,
                "to": b,
                "relation": relations[E["relation"][i]],
                "title": "" if E["title"][i] < 0 else S[E["title"][i]],
                "evidence": unpack(E["evidence"][i]),
                "curve": curves[pair],
            }
        )
    rest = {k: v for k, v in p.items() if k not in ("nodes", "edges", "strings", "articles")}
    return {**rest, "nodes": nodes, "edges": edges}


def named_graph(*nodes: tuple[str, str, list[str]]) -> nx.MultiDiGraph:
    """A small graph: nodes ``ihkgid:org/<i>`` from (label, type, aliases)."""
    G = nx.MultiDiGraph()
    for i, (label, type_, aliases) in enumerate(nodes):
        G.add_node(IHKGID[f"org/{i}"], label=label, type=type_, names=[label, *aliases])
    return G


# --- the data ---------------------------------------------------------------------


def test_data_has_every_node_and_edge(demo_G, demo_data):
    assert len(demo_data["nodes"]) == demo_G.number_of_nodes()
    assert len(demo_data["edges"]) == demo_G.number_of_edges()
    assert [n["id"] for n in demo_data["nodes"]] == list(range(demo_G.number_of_nodes()))
    assert {n["label"] for n in demo_data["nodes"]} == {
        d["label"] for _, d in demo_G.nodes(data=True)
    }


def test_data_is_deterministic(demo_result):
    assert render_html(demo_result.graph) == render_html(demo_result.graph)


def test_degree_and_search_keys(demo_G, demo_data):
    node = by_label(demo_data, "平安好医生")
    assert node["degree"] == demo_G.degree(URIRef(node["iri"]))
    assert set(node["keys"]) == {"平安好医生", "平安健康医疗科技有限公司"}


def test_attributes_carry_their_evidence(demo_data):
    attrs = {a["name"]: a for a in by_label(demo_data, "平安好医生")["attributes"]}
    assert attrs["stockCode"]["value"] == "01833.HK"
    (evidence,) = attrs["stockCode"]["evidence"]
    assert "01833.HK" in evidence["sentence"] and evidence["title"] and evidence["date"]
    assert any(a["name"] == "foundingYear" for n in demo_data["nodes"] for a in n["attributes"])


def test_parallel_edges_are_ranked_for_curving(demo_data):
    seen: dict[tuple[int, int], list[int]] = {}
    for e in demo_data["edges"]:
        seen.setdefault((min(e["from"], e["to"]), max(e["from"], e["to"])), []).append(e["curve"])
    assert all(ranks == list(range(len(ranks))) for ranks in seen.values())
    assert any(len(ranks) > 1 for ranks in seen.values())


def test_legend_lists_only_what_is_drawn(demo_data):
    assert list(demo_data["types"]) == [t for t in TYPE_STYLES if t != "University"]
    assert set(demo_data["relations"]) == {e["relation"] for e in demo_data["edges"]}
    assert demo_data["relations"]["partnersWith"]["directed"] is False
    assert all(s["directed"] for r, s in RELATION_STYLES.items() if r != "partnersWith")


def test_traditional_table_covers_the_names(demo_data):
    t2s = demo_data["t2s"]
    assert t2s["醫"] == "医" and t2s["東"] == "东"
    used = {ch for n in demo_data["nodes"] for k in n["keys"] for ch in k}
    assert set(t2s.values()) <= used


def test_every_entity_has_a_position_and_the_lone_ones_sit_below(demo_data):
    nodes = demo_data["nodes"]
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in nodes)
    assert len({(n["x"], n["y"]) for n in nodes}) == len(nodes)
    linked = [n["y"] for n in nodes if n["degree"]]
    alone = [n["y"] for n in nodes if not n["degree"]]
    assert alone and min(alone) > max(linked)


@pytest.mark.parametrize(
    ("entities", "isolated", "shown"),
    [
        (ISOLATED_THRESHOLD, None, True),
        (ISOLATED_THRESHOLD + 1, None, False),
        (ISOLATED_THRESHOLD + 1, True, True),
        (3, False, False),
    ],
)
def test_entities_without_relations_are_hidden_on_big_graphs(entities, isolated, shown):
    G = named_graph(*((f"实体{i}", "Company", []) for i in range(entities)))
    data = graph_data(Graph(), G, isolated=isolated)
    assert data["isolated"] is shown
    assert len(data["nodes"]) == entities  # hidden or not, every entity is in the data
    assert page_data(render_html(Graph(), G=G, isolated=isolated))["isolated"] is shown


# --- safety --------------------------------------------------------------------------


def test_article_strings_cannot_escape_the_data_block():
    G = named_graph((XSS, "Company", ["甲公司"]), ("乙医院", "Hospital", []))
    a, b = sorted(G.nodes)
    G.add_edge(
        a,
        b,
        relation="partnersWith",
        evidence=[
            {"sentence": XSS, "title": XSS, "date": "", "file": "", "rule": "r", "confidence": 0.5}
        ],
    )
    page = render_html(Graph(), title=XSS, G=G)
    assert "<img" not in page and "alert(1)</script>" not in page and "&amp;amp;" in page
    plain = render_html(Graph(), G=named_graph(("甲", "Company", [])))
    assert page.count("</script>") == plain.count("</script>")
    data = page_data(page)
    assert data["nodes"][0]["label"] == XSS
    assert data["edges"][0]["evidence"][0]["sentence"] == XSS


def test_the_page_carries_each_title_and_sentence_once(tmp_path, demo_G, demo_result):
    from kg.build import build

    title = "独一无二的长标题" * 100
    body = "".join(
        f"<p>澜石健康与{c}医院达成战略合作。</p><p>{c}医院与澜石健康签署协议。</p>"
        for c in "甲乙丙丁"
    )
    write_article(tmp_path, "a.txt", body, title=title)
    result = build([tmp_path / "a.txt"])
    page = render_html(result.parts.core, G=to_networkx(result.graph))
    data = page_data(page)
    evidence = [ev for e in data["edges"] for ev in e["evidence"]]
    assert len(evidence) >= 4 and all(ev["title"] == title for ev in evidence)
    carried = json.dumps(packed_data(page), ensure_ascii=False)  # what the page holds, unzipped
    assert carried.count(title) == 1
    assert all(carried.count(ev["sentence"]) == 1 for ev in evidence)
    assert page_data(render_html(demo_result.graph, G=demo_G))["edges"]  # still unpacks


def test_page_is_self_contained(demo_result):
    page = render_html(demo_result.graph)
    assert 'http-equiv="Content-Security-Policy"' in page and "default-src 'none'" in page
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=", page, re.I)
    assert "{{" not in page[: page.index("<style>")]
    assert "innerHTML" not in page[page.rindex("<script>") :]


# --- speed ---------------------------------------------------------------------------


def synthetic(n: int, seed: int = 1) -> nx.MultiDiGraph:
    """A graph shaped like ``to_networkx``'s, with ``n`` entities and 1.5 ``n`` edges."""
    rng = random.Random(seed)
    chars = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    G = nx.MultiDiGraph()
    nodes = [URIRef(f"https://w3id.org/ihkg/id/org/{i:06d}") for i in range(n)]
    for node in nodes:
        name = "".join(rng.choice(chars) for _ in range(rng.randint(2, 8)))
        G.add_node(
            node, label=name, type=rng.choice(list(TYPE_STYLES)), names=[name, name + "有限公司"]
        )
    for k in range(n + n // 2):
        a, b = rng.sample(nodes, 2)
        rel = rng.choice(list(RELATION_STYLES))
        sentence = f"某日，{G.nodes[a]['label']}与{G.nodes[b]['label']}达成战略合作，共同推动互联网医院建设。"
        G.add_edge(
            a,
            b,
            key=f"{rel}:{k}",
            relation=rel,
            title="院长" if rel == "holdsPosition" else "",
            evidence=[
                {
                    "sentence": sentence,
                    "title": "某文章标题",
                    "file": "a.txt",
                    "date": "2021-05-28T14:08:03+00:00",
                    "rule": "r",
                    "confidence": 0.85,
                }
            ],
        )
    return G


def test_ten_thousand_entities_are_written_whole_in_linear_size(tmp_path):
    # how fast is measured by benchmarks/bench_page.py, as a ratio to a small page
    small = write_html(Graph(), tmp_path / "small.html", G=synthetic(1_000))
    path = write_html(Graph(), tmp_path / "big.html", G=synthetic(10_000))
    data = page_data(path.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 10_000 and len(data["edges"]) == 15_000
    assert path.stat().st_size < 12 * small.stat().st_size


def test_write_is_atomic(tmp_path, demo_result):
    path = write_html(demo_result.graph, tmp_path / "sub" / "g.html")
    assert [p.name for p in path.parent.iterdir()] == ["g.html"]
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# --- choosing what to draw -----------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["平安好医生", "平安好醫生", " 平安健康醫療科技有限公司 ", "org/966eba307516"]
)
def test_find_entity_by_label_alias_traditional_or_iri(demo_G, name):
    assert demo_G.nodes[find_entity(demo_G, name)]["label"] == "平安好医生"


def test_find_entity_prefers_the_label_to_an_alias():
    G = named_graph(("京东", "Company", ["京东集团"]), ("京东健康", "Company", ["京东"]))
    assert G.nodes[find_entity(G, "京东")]["label"] == "京东"


def test_find_entity_ambiguous_lists_the_candidates():
    G = named_graph(("平安银行", "Company", ["平安"]), ("平安保险", "Company", ["平安"]))
    with pytest.raises(FocusError, match=r"'平安' is ambiguous: 平安保险 .*平安银行 \(Company, "):
        find_entity(G, "平安")
    assert G.nodes[find_entity(G, "org/1")]["label"] == "平安保险"


def test_find_entity_unknown_suggests_near_names(demo_G):
    with pytest.raises(
        FocusError, match=r"no entity is named '平安好医师'; did you mean 平安好医生"
    ):
        find_entity(demo_G, "平安好医师")
    with pytest.raises(FocusError, match=r"^no entity is named '不存在'$"):
        find_entity(demo_G, "不存在")


def test_select_focus_and_hops(demo_G):
    center = find_entity(demo_G, "平安好医生")
    one = select(demo_G, focus="平安好医生", hops=1)
    assert set(one) == {center, *demo_G.successors(center), *demo_G.predecessors(center)}
    assert set(select(demo_G, focus="平安好医生", hops=0)) == {center}
    two = select(demo_G, focus="平安好医生", hops=2)
    assert set(one) < set(two) <= set(demo_G)
    assert two.number_of_edges() == demo_G.subgraph(two.nodes).number_of_edges()


def test_select_by_relation_and_type(demo_G):
    partners = select(demo_G, relations=["partnersWith"])
    assert {d["relation"] for *_, d in partners.edges(data=True)} == {"partnersWith"}
    assert all(partners.degree(n) for n in partners)
    people = select(demo_G, types=["person", "Company"], relations=["holdsPosition"])
    assert {d["type"] for _, d in people.nodes(data=True)} == {"Person", "Company"}
    with pytest.raises(FocusError, match="unknown relation 'partnerWith'; available: partnersWith"):
        select(demo_G, relations=["partnerWith"])
    with pytest.raises(
        FocusError, match="'辛利军' is a Person, not one of the types kept: Company"
    ):
        select(demo_G, focus="辛利军", types=["Company"])


# --- kg viz --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_ttl(demo_result, tmp_path_factory):
    return write_turtle(demo_result.graph, tmp_path_factory.mktemp("viz") / "graph.ttl")


def test_cli_writes_the_whole_graph(demo_ttl, demo_G, tmp_path):
    out = tmp_path / "g.html"
    result = CliRunner().invoke(cli, ["viz", str(demo_ttl), "--out", str(out)])
    assert result.exit_code == 0, result.output
    n, m = demo_G.number_of_nodes(), demo_G.number_of_edges()
    assert result.output == f"Wrote {out} ({n} entities, {m} relations)\n"
    assert len(page_data(out.read_text(encoding="utf-8"))["nodes"]) == n


def test_cli_focus_relation_and_type(demo_ttl, tmp_path):
    out = tmp_path / "g.html"
    args = [
        "viz",
        str(demo_ttl),
        "--out",
        str(out),
        "--focus",
        "京東集團",
        "--hops",
        "2",
        "--relation",
        "holdsPosition",
        "--relation",
        "ceoOf",
        "--type",
        "Person",
        "--type",
        "Company",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    data = page_data(page)
    assert "<title>京东 · ihkg knowledge graph</title>" in page
    assert {n["label"] for n in data["nodes"]} == {"京东", "辛利军", "京东健康"}
    assert data["nodes"][data["focus"]]["label"] == "京东"
    assert {e["relation"] for e in data["edges"]} == {"holdsPosition", "ceoOf"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--focus", "不存在"], "Error: no entity is named '不存在'"),
        (["--focus", "平安"], "Error: '平安' is ambiguous: "),
        (["--relation", "partner"], "Error: unknown relation 'partner'; available: "),
        (["--type", "Bank"], "Error: unknown entity type 'Bank'; available: Company, "),
        (["--hops", "2"], "Error: --hops needs --focus"),
    ],
)
def test_cli_errors(demo_ttl, tmp_path, args, message):
    out = tmp_path / "g.html"
    result = CliRunner().invoke(cli, ["viz", str(demo_ttl), "--out", str(out), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("flag", "shown"), [(None, True), ("--no-isolated", False), ("--isolated", True)]
)
def test_cli_isolated(demo_ttl, tmp_path, flag, shown):
    out = tmp_path / "g.html"
    result = CliRunner().invoke(
        cli, ["viz", str(demo_ttl), "--out", str(out), *filter(None, [flag])]
    )
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["isolated"] is shown
    assert any(n["degree"] == 0 for n in data["nodes"])  # still there, for search to find


def test_cli_missing_graph(tmp_path):
    result = CliRunner().invoke(cli, ["viz", str(tmp_path / "none.ttl")])
    assert result.exit_code == 2
    assert "no such graph file" in result.output
