"""Scoring against gold files, and the quality the project promises."""

import json

import pytest

from kg.errors import GoldError
from kg.evaluate import Score, evaluate, load_gold
from kg.vocab import RELATIONS

from .conftest import CORPUS, DATA, ROOT


def test_score_arithmetic():
    s = Score(tp=8, fp=2, fn=0)
    assert (s.precision, s.recall, round(s.f1, 3)) == (0.8, 1.0, 0.889)
    assert Score().f1 == 1.0  # nothing expected, nothing predicted


def test_samples_meet_the_end_to_end_targets(demo_result):
    report = evaluate(demo_result.graph, DATA / "gold")
    f1 = {c: s.f1 for c, s in report.scores.items()}
    # the two samples are fully annotated and fully read: nothing may be lost on them
    assert {c: f1[c] for c in ("core", "relations", "entities", "positions")} == dict.fromkeys(
        ("core", "relations", "entities", "positions"), 1.0
    )


def test_corpus_meets_the_generalisation_targets(corpus_result):
    report = evaluate(corpus_result.graph, CORPUS / "gold")
    f1 = {c: s.f1 for c, s in report.scores.items()}
    assert report.articles >= 30
    assert f1["core"] >= 0.90 and f1["entities"] >= 0.92 and f1["positions"] >= 0.90
    for relation in RELATIONS:
        assert f1[relation] >= 0.85, relation


def _gold_copy(tmp_path):
    tmp_path.mkdir(parents=True, exist_ok=True)
    for f in (DATA / "gold").glob("*.json"):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    return tmp_path


def test_a_wrong_prediction_and_a_miss_are_counted(demo_result, tmp_path):
    _gold_copy(tmp_path)
    gold = json.loads((DATA / "gold" / "004_61d2a8d4cd7de884.json").read_text("utf-8"))
    gold["relations"].append({"s": "pakj", "p": "ceoOf", "o": "pagd"})  # not in the graph
    gold["entities"] = [e for e in gold["entities"] if e["id"] != "zzh"]  # 张朝晖 now unexpected
    gold["positions"] = [p for p in gold["positions"] if p["person"] != "zzh"]
    (tmp_path / "004_61d2a8d4cd7de884.json").write_text(
        json.dumps(gold, ensure_ascii=False), "utf-8"
    )
    report = evaluate(demo_result.graph, tmp_path)
    assert report.scores["ceoOf"].fn == 1
    assert report.scores["entities"].fp == 1
    assert any("张朝晖" in w for w in report.wrong["entities"])


def test_optional_items_are_neither_rewarded_nor_penalised(demo_result, tmp_path):
    # a partnership the graph states, made optional in one copy of the gold and
    # left out of another: optional, it counts neither way; absent, it is wrong
    name = "004_61d2a8d4cd7de884.json"
    base = evaluate(demo_result.graph, DATA / "gold").scores["partnersWith"]
    gold = json.loads((DATA / "gold" / name).read_text("utf-8"))
    stated = next(r for r in gold["relations"] if r["p"] == "partnersWith")
    gold["relations"].remove(stated)
    scores = {}
    for kind, optional in (("optional", [*gold["optional"], stated]), ("absent", gold["optional"])):
        folder = _gold_copy(tmp_path / kind)
        (folder / name).write_text(json.dumps({**gold, "optional": optional}), "utf-8")
        scores[kind] = evaluate(demo_result.graph, folder).scores["partnersWith"]
    assert (base.tp, base.fp) == (scores["optional"].tp + 1, 0) and scores["optional"].fp == 0
    assert scores["absent"].fp == 1


def test_bad_gold_folder_is_reported(tmp_path):
    with pytest.raises(GoldError, match="no gold files"):
        load_gold(tmp_path)
    (tmp_path / "x.json").write_text("{", "utf-8")
    with pytest.raises(GoldError, match="x.json"):
        load_gold(tmp_path)


REFERENCE_SCORER = ROOT.parent / "shared" / "tools" / "score.py"


@pytest.mark.parametrize("corpus", ["dev", "tune", "heldout", "fresh"])
def test_evaluate_agrees_with_the_reference_scorer(corpus, tmp_path):
    """``kg evaluate`` gives the reference scorer's numbers on every real corpus."""
    import subprocess
    import sys

    from kg.build import build
    from kg.export import write_turtle

    assert REFERENCE_SCORER.is_file(), "the reference scorer ships in shared/tools beside the repo"
    folder = DATA / "real" / corpus
    result = build([folder / "articles"])
    graph_file = tmp_path / "graph.ttl"
    write_turtle(result.graph, graph_file)
    ours = evaluate(result.graph, folder / "gold").scores
    out = subprocess.run(
        [
            sys.executable,
            str(REFERENCE_SCORER),
            str(graph_file),
            "--gold",
            str(folder / "gold"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    ref = json.loads(out.stdout)
    expected = {
        "entities": ref["entities"],
        "positions": ref["positions"],
        "attributes": ref["attributes"],
    }
    expected |= {r: ref["relations"][r] for r in RELATIONS}
    expected |= {"core": ref["relations"]["core"], "relations": ref["relations"]["all"]}
    for category, (p, r, f) in expected.items():
        s = ours[category]
        if s.tp + s.fp:
            assert s.precision == pytest.approx(p), category
        assert (s.recall, s.f1) == pytest.approx((r, f)), category
