"""The corrections file: every action, unknown names reported, bad files refused."""

import pytest

from kg.build import build
from kg.corrections import load_corrections
from kg.errors import CorrectionsError
from kg.query import run_query

from .conftest import DATA


def write(tmp_path, text):
    path = tmp_path / "corrections.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def partners(graph):
    rows = run_query(
        graph,
        """SELECT ?x ?y WHERE { ?a ihkg:partnersWith ?b .
        ?a rdfs:label ?x . ?b rdfs:label ?y }""",
    ).rows
    return {frozenset(r) for r in rows}


def test_every_action_is_applied(tmp_path):
    path = write(
        tmp_path,
        """
corrections:
  - add: {s: 平安好医生, p: partnersWith, o: 平安银行}
    why: stated with 联手
  - remove: {s: 京东健康, p: partnersWith, o: 中国肿瘤防治联盟}
    why: test
  - rename: {name: 上海济爱医疗咨询有限公司, label: 济爱}
    why: test
  - retype: {name: 平安科技, type: University}
    why: test
  - merge: [京东集团, 京东健康]
    why: test
  - split: 济爱
    why: test
""",
    )
    result = build([DATA / "articles"], corrections=path)
    g = result.graph
    got = partners(g)
    assert frozenset({"平安好医生", "平安银行"}) in got
    assert not any("中国肿瘤防治联盟" in p and "京东健康" in p for p in got)
    labels = {e.label: e for e in result.kb.entities.values()}
    assert labels["平安科技"].type == "University"
    merged = next(e for e in result.kb.entities.values() if "京东集团" in e.names)
    assert "京东健康" in merged.names
    # split: 济爱 stands apart again, and the rename found the legal name's entity
    assert any(e.names == ["济爱"] for e in result.kb.entities.values())
    assert not result.errors


def test_added_relation_is_traced_to_the_corrections_file(tmp_path):
    path = write(
        tmp_path,
        """
corrections:
  - add: {s: 平安好医生, p: partnersWith, o: 平安银行}
    why: stated with 联手
""",
    )
    g = build([DATA / "articles"], corrections=path).graph
    rows = run_query(
        g,
        """SELECT ?rule WHERE { ?a rdf:predicate ihkg:partnersWith ;
        prov:wasDerivedFrom ihkgid:corrections ; ihkg:rule ?rule }""",
    ).rows
    assert rows == [["correction: stated with 联手"]]


def test_unknown_names_are_reported_as_warnings(tmp_path):
    path = write(
        tmp_path,
        """
corrections:
  - retype: {name: 不存在的公司, type: Hospital}
    why: test
  - merge: [京东集团, 查无此名]
    why: test
""",
    )
    result = build([DATA / "articles"], corrections=path)
    messages = [str(p) for p in result.problems]
    assert any("不存在的公司" in m for m in messages)
    assert any("查无此名" in m for m in messages)
    assert all(not p.fatal for p in result.problems)


@pytest.mark.parametrize(
    "text, message",
    [
        ("corrections:\n  - add: {s: a, p: partnersWith, o: b}\n", "needs a 'why'"),
        ("corrections:\n  - frobnicate: x\n    why: y\n", "needs exactly one of"),
        ("corrections:\n  - retype: {name: a, type: Bank}\n    why: y\n", "type must be one of"),
        ("corrections:\n  - add: {s: a, p: likes, o: b}\n    why: y\n", "p must be one of"),
        ("corrections: [\n", "cannot read"),
    ],
)
def test_malformed_files_are_refused_with_the_entry(tmp_path, text, message):
    with pytest.raises(CorrectionsError, match=message):
        load_corrections(write(tmp_path, text))


def test_shipped_corrections_file_is_valid_and_applies_cleanly():
    fixes = load_corrections(DATA / "corrections.yaml")
    assert len(fixes) >= 2
    result = build([DATA / "articles"], corrections=DATA / "corrections.yaml")
    assert not result.problems
