"""The HTML graph in a real browser: Debian's headless Chromium, driven by Playwright.

The browser is ``/usr/bin/chromium`` (``scripts/install-browser.sh`` installs it;
``IHKG_CHROMIUM`` names another); Playwright's own download (``playwright
install``) is never used. In CI
(``CI=true``) a browser that cannot start is a failure; elsewhere the tests are
skipped when chromium is not installed. One browser serves the whole session, a
fresh context each test.

``IHKG_WRITE_SCREENSHOT=1`` makes ``test_screenshot`` write ``docs/graph.png``
(the README shows it) instead of a file in the test's temporary folder.
"""

from __future__ import annotations

import functools
import html
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from rdflib import Graph

from kg.export import export
from kg.network import to_networkx
from kg.serve import serve_in_thread
from kg.viz import write_html

from .conftest import DATA, ROOT, write_article
from .listener import Listener

CHROMIUM = Path(os.environ.get("IHKG_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
XSS_NAME = "<img src=x onerror=alert(1)></script><script>alert(1)</script>晨星"
XSS_TEXT = "<img src=x onerror=alert(1)></script><script>alert(1)</script>"


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install playwright (a dev dependency)")
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing in CI: run scripts/install-browser.sh first")
        pytest.skip(f"{CHROMIUM} is not installed (scripts/install-browser.sh installs it)")
    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
    except Exception as e:  # present but unable to start: always a failure
        pw.stop()
        pytest.fail(f"cannot start {CHROMIUM}: {e}")
    yield b
    b.close()
    pw.stop()


@dataclass
class Log:
    """What a page did besides drawing: console errors, requests, dialogs."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def assert_quiet(self) -> None:
        assert self.errors == []
        assert self.dialogs == []
        assert [u for u in self.requests if not u.startswith(("file:", "data:"))] == []


@pytest.fixture
def open_page(browser):
    """``open_page(path, bypass_csp=False, width=1400)``: the page loaded and drawn, and its log."""
    contexts = []

    def open_(path: Path, bypass_csp: bool = False, width: int = 1400):
        ctx = browser.new_context(viewport={"width": width, "height": 860}, bypass_csp=bypass_csp)
        contexts.append(ctx)
        page = ctx.new_page()
        log = Log()
        page.on(
            "console",
            lambda m: log.errors.append(m.text) if m.type in ("error", "warning") else None,
        )
        page.on("pageerror", lambda e: log.errors.append(str(e)))
        page.on("request", lambda r: log.requests.append(r.url))
        page.on("dialog", lambda d: (log.dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri())
        page.wait_for_function("() => window.ihkg && window.ihkg.state.ready", timeout=20_000)
        return page, log

    yield open_
    for ctx in contexts:
        ctx.close()


@pytest.fixture(scope="session")
def demo_html(demo_result, tmp_path_factory) -> Path:
    return write_html(demo_result.graph, tmp_path_factory.mktemp("browser") / "graph.html")


@pytest.fixture(scope="session")
def demo_G(demo_result):
    return to_networkx(demo_result.graph)


def node_id(page, label: str) -> int:
    return page.evaluate("l => window.ihkg.data.nodes.find(n => n.label === l).id", label)


def drawn(page) -> dict:
    """What vis-network draws: its visible node and edge indices, by type and relation."""
    return page.evaluate("""() => { const k = window.ihkg, b = k.network.body;
        return { nodes: b.nodeIndices.length, edges: b.edgeIndices.length,
                 types: b.nodeIndices.map(i => k.data.nodes[i].type),
                 relations: b.edgeIndices.map(i => k.data.edges[i].relation) }; }""")


def click_node(page, id_: int) -> None:
    """A real mouse click on the centre of node ``id_``."""
    xy = page.evaluate(
        """id => { const n = window.ihkg.network;
        const d = n.canvasToDOM(n.getPositions([id])[id]);
        const r = document.querySelector("#network canvas").getBoundingClientRect();
        return [r.left + d.x, r.top + d.y]; }""",
        id_,
    )
    page.mouse.click(*xy)
    return xy


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["csp", "no-csp"])
def test_loads_with_no_error_and_no_request(open_page, demo_html, bypass_csp):
    page, log = open_page(demo_html, bypass_csp)
    page.wait_for_timeout(200)
    log.assert_quiet()
    assert log.requests == [demo_html.as_uri()]


def test_draws_every_node_and_edge(open_page, demo_html, demo_G):
    page, log = open_page(demo_html)
    d = drawn(page)
    assert (d["nodes"], d["edges"]) == (demo_G.number_of_nodes(), demo_G.number_of_edges())
    n, m = demo_G.number_of_nodes(), demo_G.number_of_edges()
    assert page.text_content("#stats") == f"{n} of {n} entities, {m} of {m} relations shown"
    log.assert_quiet()


def test_readable_shapes_arrows_sizes_and_frozen_layout(open_page, demo_html):
    page, _ = open_page(demo_html)
    info = page.evaluate("""() => { const k = window.ihkg, b = k.network.body;
        return { nodes: k.data.nodes.map(n => [n.type, n.degree, b.nodes[n.id].options.shape, b.nodes[n.id].options.size]),
                 arrows: k.data.edges.map((e, i) => [e.relation, b.edges[i].options.arrows.to.enabled]),
                 physics: k.network.physics.physicsEnabled, positions: k.network.getPositions(),
                 legend: [...document.querySelectorAll("fieldset label")].map(l => l.textContent) }; }""")
    shapes = {t: {s for tt, _, s, _ in info["nodes"] if tt == t} for t, *_ in info["nodes"]}
    assert all(len(s) == 1 for s in shapes.values()) and len(
        {*map(frozenset, shapes.values())}
    ) == len(shapes)
    assert shapes["Person"] == {"dot"}
    by_degree = sorted((deg, size) for _, deg, _, size in info["nodes"])
    assert [s for _, s in by_degree] == sorted(s for _, s in by_degree)  # bigger with degree
    assert by_degree[0][1] < by_degree[-1][1]
    assert {rel for rel, arrow in info["arrows"] if not arrow} == {"partnersWith"}
    assert info["physics"] is False
    assert any(text.startswith("Company") for text in info["legend"])
    assert any(text.startswith("partnersWith") for text in info["legend"])
    page.wait_for_timeout(400)
    assert page.evaluate("() => window.ihkg.network.getPositions()") == info["positions"]


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("平安好医生", "平安好医生"),
        ("平安好醫生", "平安好医生"),
        ("京東集團", "京东"),
        ("健康醫療科技", "平安好医生"),
        ("上海市卫生健康委员会", "上海市卫健委"),
    ],
)
def test_search_focuses_the_entity(open_page, demo_html, query, label):
    page, log = open_page(demo_html)
    page.fill("#search", query)
    assert page.text_content("#matches button") == label
    page.press("#search", "Enter")
    id_ = node_id(page, label)
    assert page.evaluate("() => window.ihkg.state.selected") == id_
    assert page.evaluate("() => window.ihkg.network.getSelectedNodes()") == [id_]
    assert page.text_content("#panel h2") == label
    view, pos = page.evaluate(
        "id => [window.ihkg.network.getViewPosition(), window.ihkg.network.getPositions([id])[id]]",
        id_,
    )
    assert abs(view["x"] - pos["x"]) < 1 and abs(view["y"] - pos["y"]) < 1
    log.assert_quiet()


def test_search_brings_back_a_hidden_type(open_page, demo_html):
    page, _ = open_page(demo_html)
    page.uncheck('#type-filters input[value="Person"]')
    page.fill("#search", "辛利军")
    page.press("#search", "Enter")
    assert page.is_checked('#type-filters input[value="Person"]')
    assert "Person" in drawn(page)["types"]


def test_relation_filter_hides_its_edges(open_page, demo_html, demo_G):
    page, log = open_page(demo_html)
    relations = [d["relation"] for *_, d in demo_G.edges(data=True)]
    page.uncheck('#relation-filters input[value="partnersWith"]')
    d = drawn(page)
    assert "partnersWith" not in d["relations"]
    assert d["edges"] == len(relations) - relations.count("partnersWith")
    assert d["nodes"] == demo_G.number_of_nodes()
    page.check('#relation-filters input[value="partnersWith"]')
    assert drawn(page)["edges"] == len(relations)
    log.assert_quiet()


def test_type_filter_hides_its_nodes_and_their_edges(open_page, demo_html, demo_G):
    page, log = open_page(demo_html)
    before = page.evaluate("() => window.ihkg.network.getPositions()")
    page.uncheck('#type-filters input[value="Person"]')
    d = drawn(page)
    assert "Person" not in d["types"] and "holdsPosition" not in d["relations"]
    assert d["nodes"] == sum(t != "Person" for _, t in demo_G.nodes(data="type"))
    page.check('#type-filters input[value="Person"]')
    assert page.evaluate("() => window.ihkg.network.getPositions()") == before  # back where it was
    log.assert_quiet()


def test_click_shows_neighbourhood_and_evidence(open_page, demo_html, demo_G):
    page, log = open_page(demo_html)
    (center,) = [n for n, label in demo_G.nodes(data="label") if label == "平安好医生"]
    id_ = node_id(page, "平安好医生")
    click_node(page, id_)
    assert page.text_content("#panel h2") == "平安好医生"
    panel = page.inner_text("#panel")
    edges = [*demo_G.out_edges(center, data=True), *demo_G.in_edges(center, data=True)]
    assert edges and "Stock code: 01833.HK" in panel and "平安健康医疗科技有限公司" in panel
    for _, _, d in edges:
        for ev in d["evidence"]:
            assert ev["sentence"] in panel
            assert f"{ev['title']} · {ev['date'][:10]}" in panel
    colours = page.evaluate(
        "() => window.ihkg.data.nodes.map(n => window.ihkg.nodes.get(n.id).color.background)"
    )
    near = {*demo_G.successors(center), *demo_G.predecessors(center), center}
    labels = page.evaluate("() => window.ihkg.data.nodes.map(n => n.label)")
    for label, colour in zip(labels, colours, strict=True):
        lit = any(demo_G.nodes[n]["label"] == label for n in near)
        assert (colour != "#eeeeee") == lit, label
    page.keyboard.press("Escape")
    assert "Click an entity" in page.inner_text("#panel")
    assert "#eeeeee" not in page.evaluate(
        "() => window.ihkg.nodes.get().map(n => n.color.background)"
    )
    log.assert_quiet()


def test_click_on_a_line_shows_that_relation(open_page, demo_html):
    page, log = open_page(demo_html)
    xy = page.evaluate("""() => { const k = window.ihkg, n = k.network, p = n.getPositions();
        const e = k.data.edges.find(e => e.relation === "partnersWith" && e.curve === 0);
        const d = n.canvasToDOM({ x: (p[e.from].x + p[e.to].x) / 2, y: (p[e.from].y + p[e.to].y) / 2 });
        const r = document.querySelector("#network canvas").getBoundingClientRect();
        return [r.left + d.x, r.top + d.y]; }""")
    page.mouse.click(*xy)
    edge = page.evaluate("() => window.ihkg.network.getSelectedEdges()")
    assert len(edge) == 1
    e = page.evaluate("i => window.ihkg.data.edges[i].toJSON()", edge[0])
    panel = page.inner_text("#panel")
    assert page.inner_text("#panel h3").strip() == "partnersWith"
    assert all(ev["sentence"] in panel for ev in e["evidence"])
    log.assert_quiet()


def test_focused_page_opens_on_its_entity(open_page, demo_result, demo_G, tmp_path):
    from kg.viz import find_entity, select

    center = find_entity(demo_G, "京东健康")
    H = select(demo_G, focus=str(center), hops=1)
    page, log = open_page(write_html(demo_result.graph, tmp_path / "f.html", G=H, focus=center))
    assert page.text_content("#panel h2") == "京东健康"
    assert page.evaluate("() => window.ihkg.network.getSelectedNodes()") == [
        node_id(page, "京东健康")
    ]
    assert drawn(page)["nodes"] == H.number_of_nodes()
    log.assert_quiet()


def test_empty_graph(open_page, tmp_path):
    page, log = open_page(write_html(Graph(), tmp_path / "empty.html"))
    assert page.text_content("#stats") == "0 of 0 entities, 0 of 0 relations shown"
    log.assert_quiet()


def test_two_thousand_entities_stay_usable(open_page, tmp_path):
    from .test_viz import synthetic

    G = synthetic(2000)
    page, log = open_page(write_html(Graph(), tmp_path / "big.html", G=G))
    page.evaluate("""() => { const k = window.ihkg; k.select(7);
        document.querySelector('#relation-filters input[value="partnersWith"]').click();
        k.clear(); }""")
    assert page.evaluate("() => window.ihkg.big")  # drawn by the page, not node by node
    shown = page.evaluate("() => window.ihkg.shown()")
    assert len(shown["nodes"]) == sum(1 for n in G if G.degree(n))  # the lone ones are hidden
    partners = sum(1 for *_, r in G.edges(data="relation") if r == "partnersWith")
    assert len(shown["edges"]) == G.number_of_edges() - partners  # unticked above
    assert drawn(page)["nodes"] == 0  # vis-network holds the selection alone, and none is left
    hub = page.evaluate("() => window.ihkg.hubs[0]")
    xy = page.evaluate(
        """id => { const k = window.ihkg, n = k.data.nodes[id];
        k.network.moveTo({ position: { x: n.x, y: n.y }, scale: 1, animation: false });
        const d = k.network.canvasToDOM({ x: n.x, y: n.y });
        const r = document.querySelector("#network canvas").getBoundingClientRect();
        return [r.left + d.x, r.top + d.y]; }""",
        hub,
    )
    page.mouse.click(*xy)  # a real click on a dot the page drew itself
    assert page.evaluate("() => window.ihkg.state.selected") == hub
    assert hub in page.evaluate("() => window.ihkg.network.body.nodeIndices")  # now vis-network's
    assert page.text_content("#panel h2") == G.nodes[sorted(G.nodes)[hub]]["label"]
    log.assert_quiet()


# --- the page at scale: lone entities, hubs, edge labels, the panel, Esc ------------------

HUB_LEAVES = range(8, 20)  # twelve stars with 8 to 19 leaves: hubs of distinct degrees
LONE = 40


@pytest.fixture(scope="session")
def stars(tmp_path_factory):
    """A page of more than 100 entities: twelve stars and 40 entities without relations."""
    from .test_viz import named_graph

    rows = [(f"枢纽{k}", "Company", []) for k in HUB_LEAVES]
    rows += [(f"叶{k}-{j}", "Hospital", []) for k in HUB_LEAVES for j in range(k)]
    rows += [(f"孤点{i}", "Person", []) for i in range(LONE - 1)] + [
        ("孤立研究院", "University", [])
    ]
    G = named_graph(*rows)
    ids = sorted(G.nodes)
    by_label = {G.nodes[n]["label"]: n for n in G}
    for k in HUB_LEAVES:
        for j in range(k):
            G.add_edge(by_label[f"枢纽{k}"], by_label[f"叶{k}-{j}"], relation="operatesHospital")
    assert len(ids) > 100
    return G, write_html(Graph(), tmp_path_factory.mktemp("stars") / "stars.html", G=G)


def test_lone_entities_are_hidden_on_a_big_graph_and_shown_by_the_toggle(open_page, stars):
    G, path = stars
    page, log = open_page(path)
    linked = sum(1 for n in G if G.degree(n))
    assert drawn(page)["nodes"] == linked
    assert not page.is_checked("#isolated") and page.text_content("#isolated-count") == str(LONE)
    assert page.text_content("#stats").startswith(f"{linked} of {len(G)} entities")
    page.check("#isolated")
    assert drawn(page)["nodes"] == len(G)
    page.uncheck("#isolated")
    assert drawn(page)["nodes"] == linked
    log.assert_quiet()


def test_search_finds_and_shows_a_hidden_entity(open_page, stars):
    G, path = stars
    page, log = open_page(path)
    page.fill("#search", "孤立研究")
    assert page.text_content("#matches button") == "孤立研究院(hidden)"
    page.press("#search", "Enter")
    id_ = node_id(page, "孤立研究院")
    assert page.evaluate("() => window.ihkg.state.selected") == id_
    assert page.text_content("#panel h2") == "孤立研究院"
    assert id_ in page.evaluate("() => window.ihkg.network.body.nodeIndices")
    assert drawn(page)["nodes"] == sum(1 for n in G if G.degree(n)) + 1  # it alone
    page.keyboard.press("Escape")  # and hidden again with the selection
    assert id_ not in page.evaluate("() => window.ihkg.network.body.nodeIndices")
    log.assert_quiet()


def test_escape_clears_everything_while_the_search_box_has_focus(open_page, demo_html):
    page, log = open_page(demo_html)
    click_node(page, node_id(page, "平安好医生"))
    page.fill("#search", "京东")
    assert page.evaluate("() => document.activeElement.id") == "search"
    assert page.query_selector("#matches button") is not None
    page.press("#search", "Escape")
    assert page.evaluate("() => window.ihkg.state.selected") is None
    assert page.evaluate("() => window.ihkg.network.getSelectedNodes()") == []
    assert page.input_value("#search") == "" and page.inner_text("#matches") == ""
    assert page.evaluate("() => document.activeElement.id") != "search"
    assert "Click an entity" in page.inner_text("#panel")
    assert "#eeeeee" not in page.evaluate(
        "() => window.ihkg.nodes.get().map(n => n.color.background)"
    )
    log.assert_quiet()


def test_side_panel_folds_away(open_page, demo_html):
    width = lambda sel: page.evaluate(f"() => document.querySelector('{sel}').offsetWidth")  # noqa: E731
    page, log = open_page(demo_html, width=1024)
    assert page.evaluate("() => window.ihkg.state.folded")  # narrow window: folded at first
    assert not page.is_visible("#panel") and width("#network") >= 1024 - 240
    page.click("#unfold")
    assert page.is_visible("#panel") and width("#network") == 1024 - 240 - 340
    page.keyboard.press("p")
    assert not page.is_visible("#panel") and width("#network") >= 1024 - 240
    page.fill("#search", "p")  # typing in the search box folds nothing
    assert not page.is_visible("#panel") and page.input_value("#search") == "p"
    page.press("#search", "Escape")
    page.keyboard.press("p")
    assert page.is_visible("#panel")
    page.click("#fold")
    assert not page.is_visible("#panel")
    click_node(page, node_id(page, "京东健康"))  # the folded panel's button names the selection
    assert page.text_content("#unfold") == "◂ 京东健康"
    log.assert_quiet()


def test_the_most_connected_entities_are_labelled_when_zoomed_out(open_page, stars):
    G, path = stars
    page, log = open_page(path)
    order = sorted(G.nodes)  # the page's ids are in IRI order
    degree = [G.degree(n) for n in order]
    top = sorted((i for i in range(len(order)) if degree[i]), key=lambda i: (-degree[i], i))
    hubs = page.evaluate("() => window.ihkg.hubs")
    assert hubs == top[:25]
    page.evaluate(
        "() => { window.ihkg.network.moveTo({ scale: 0.25 }); window.ihkg.network.redraw(); }"
    )
    page.wait_for_timeout(100)
    labelled = page.evaluate("() => window.ihkg.state.labelled")
    centres = [i for i in top if degree[i] > 1]  # the twelve stars
    assert set(centres) <= set(labelled) <= set(hubs)
    log.assert_quiet()


def test_edge_labels_only_on_the_selection(open_page, demo_html):
    page, log = open_page(demo_html)
    labels = "() => window.ihkg.edges.get().filter(e => e.label).map(e => e.id)"
    assert page.evaluate(labels) == []
    id_ = node_id(page, "平安好医生")
    click_node(page, id_)
    mine = page.evaluate(
        "id => window.ihkg.data.edges.map((e, i) => [e, i]).filter(([e]) => e.from === id || e.to === id).map(([, i]) => i)",
        id_,
    )
    assert mine and sorted(page.evaluate(labels)) == sorted(mine)
    page.keyboard.press("Escape")
    assert page.evaluate(labels) == []
    log.assert_quiet()


@pytest.fixture(scope="session")
def xss_html(tmp_path_factory) -> Path:
    """The page of an article whose organization name, sentence and title are markup."""
    from kg.build import build

    folder = tmp_path_factory.mktemp("xss")
    body = f"5月1日，晨星科技有限公司与上海市第一人民医院达成战略合作，{XSS_TEXT}。"
    path = write_article(
        folder, "xss.txt", body.replace("<", "&lt;").replace(">", "&gt;"), title=f"标题{XSS_TEXT}"
    )
    # No extraction rule reads markup as part of a name, so the name comes from a
    # correction, which the build applies like any analyst's.
    corrections = folder / "corrections.yaml"
    corrections.write_text(
        json.dumps(
            {
                "corrections": [
                    {"rename": {"name": "晨星科技有限公司", "label": XSS_NAME}, "why": "test"}
                ]
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    result = build([path], corrections=corrections)
    G = to_networkx(result.graph)
    assert {d["label"] for _, d in G.nodes(data=True)} == {XSS_NAME, "上海市第一人民医院"}
    (edge,) = G.edges(data=True)
    assert XSS_TEXT in edge[2]["evidence"][0]["sentence"]
    return write_html(result.graph, folder / "graph.html")


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["csp", "no-csp"])
def test_article_markup_is_shown_as_text_and_never_runs(open_page, xss_html, bypass_csp):
    page, log = open_page(xss_html, bypass_csp)
    page.fill("#search", "晨星科技")
    assert page.text_content("#matches button") == XSS_NAME
    page.press("#search", "Enter")
    assert page.text_content("#panel h2") == XSS_NAME
    panel = page.inner_text("#panel")
    assert f"{XSS_TEXT}。" in panel and f"标题{XSS_TEXT}" in panel
    xy = click_node(page, page.evaluate("() => window.ihkg.state.selected"))
    page.mouse.move(xy[0] + 1, xy[1] + 1)
    page.wait_for_selector("div.vis-tooltip", state="visible")
    assert XSS_NAME in page.text_content("div.vis-tooltip")
    page.wait_for_timeout(300)
    assert (
        page.evaluate("() => document.querySelectorAll('img, iframe, object, embed').length") == 0
    )
    assert page.evaluate("() => document.scripts.length") == 3
    log.assert_quiet()


def test_screenshot(open_page, tmp_path):
    """The README's picture: the graph ``make demo`` draws, with 平安好医生 selected."""
    from kg.build import build

    result = build([DATA / "articles"], corrections=DATA / "articles" / "corrections.yaml")
    page, log = open_page(write_html(result.graph, tmp_path / "graph.html"))
    click_node(page, node_id(page, "平安好医生"))
    page.mouse.move(250, 850)  # no hover tooltip in the picture: a blank corner of the canvas
    page.wait_for_timeout(400)
    out = (
        ROOT / "docs" / "graph.png"
        if os.environ.get("IHKG_WRITE_SCREENSHOT") == "1"
        else tmp_path / "graph.png"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 20_000
    log.assert_quiet()


# --- kg serve against a hostile page ---------------------------------------------------
# A page of another origin (another port on 127.0.0.1) submits a form and sends a
# fetch() that ask the endpoint to run SERVICE queries aimed at a listener. The
# endpoint must refuse both (403: another origin), and the listener hear nothing.


def _hostile_page(endpoint: str, form_query: str, fetch_query: str) -> str:
    return f"""<!doctype html><meta charset="utf-8">
<form id="f" method="POST" action="{html.escape(endpoint)}">
<input name="query" value="{html.escape(form_query)}"></form>
<script>
fetch({json.dumps(endpoint)}, {{
  method: "POST", mode: "no-cors",
  headers: {{"Content-Type": "application/x-www-form-urlencoded"}},
  body: "query=" + encodeURIComponent({json.dumps(fetch_query)})
}}).catch(() => null).finally(() => document.getElementById("f").submit());
</script>"""


def test_a_page_of_another_origin_cannot_use_the_endpoint(browser, demo_result, tmp_path):
    graph = export(demo_result.graph, tmp_path / "graph.ttl")
    site = tmp_path / "site"
    site.mkdir()
    listener = Listener()
    hostile = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(SimpleHTTPRequestHandler, directory=str(site))
    )
    threading.Thread(target=hostile.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        with serve_in_thread(graph) as srv:
            page_html = _hostile_page(
                srv.url, listener.query("plain"), listener.query("escape-hash")
            )
            (site / "index.html").write_text(page_html, encoding="utf-8")
            answers: list[int] = []
            page = context.new_page()
            page.on(
                "response",
                lambda r: answers.append(r.status) if r.url.startswith(srv.url) else None,
            )
            page.goto(f"http://127.0.0.1:{hostile.server_address[1]}/index.html")
            deadline = time.monotonic() + 20
            while len(answers) < 2 and time.monotonic() < deadline:
                page.wait_for_timeout(100)
        assert answers == [403, 403]  # both reached the endpoint, and both were refused
        assert listener.received == []
    finally:
        context.close()
        hostile.shutdown()
        hostile.server_close()
        listener.close()
