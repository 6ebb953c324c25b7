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
  - rename: {name: 上海济爱医疗咨询有限公司, label: 济爱咨询}
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
    assert "上海济爱医疗咨询有限公司" in labels["济爱咨询"].names
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
    fixes = load_corrections(DATA / "articles" / "corrections.yaml")
    assert len(fixes) >= 2
    result = build([DATA / "articles"], corrections=DATA / "articles" / "corrections.yaml")
    assert not result.problems


# ---------------------------------------------------- corrections that cannot hurt (issue 14)

BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_the_alias_bomb_is_refused_at_its_first_anchor(tmp_path):
    assert len(BOMB.encode()) < 400
    with pytest.raises(CorrectionsError, match=r"line 1: .*anchors and aliases .* not allowed"):
        load_corrections(write(tmp_path, BOMB))


def test_a_single_alias_is_refused_too(tmp_path):
    text = "corrections:\n  - split: &x 平安\n    why: test\n  - split: *x\n    why: again\n"
    with pytest.raises(CorrectionsError, match=r"corrections.yaml line 2: .*anchors and aliases"):
        load_corrections(write(tmp_path, text))


def test_the_alias_bomb_stops_kg_build_with_one_line_and_writes_nothing(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    from .conftest import write_article

    article = write_article(tmp_path, "a.txt", "<p>甲公司与乙医院达成合作。</p>")
    bomb = write(tmp_path, BOMB)
    out = tmp_path / "out"
    args = ["build", str(article), "--no-cache", "--corrections", str(bomb), "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    [line] = result.output.splitlines()
    assert line.startswith(f"Error: {bomb} line 1: ") and "anchors and aliases" in line
    assert not out.exists()  # no errors.jsonl, nor anything else


@pytest.mark.parametrize(
    "data, message",
    [
        (bytes(range(256)) * 4, r"not UTF-8 text: byte 0x80 at offset 128"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"not UTF-8 text: byte 0x89 at offset 0"),
        (b"corrections:\n  - split: \xff\xfe\n    why: x\n", r"not UTF-8 text: byte 0xff"),
        (
            b"corrections:\n  - split: a\x00b\n",
            r"line 2: cannot read corrections \(U\+0000 is a control character",
        ),
        (b'corrections:\n  - split: "\\ud800"\n    why: x\n', r"line 2: .* U\+D800"),
        (b"- split: a\n  why: b\n", r"expected a mapping with a 'corrections' list, not a list"),
        (b"just text\n", r"expected a mapping with a 'corrections' list, not a single value"),
        (b"correction:\n  - split: a\n    why: b\n", r"unknown key 'correction'"),
        (b"corrections: {split: a}\n", r"expected a mapping with a 'corrections' list"),
        (b"corrections:\n  - [split, a]\n", r"line 2: expected a mapping such as"),
        (
            b"corrections:\n  - merge: [a, [b]]\n    why: x\n",
            r"line 2: a name to merge must be text",
        ),
        (b"corrections:\n  - split: a\n    why: [x]\n", r"line 2: 'why' must be text, not a list"),
        (b"corrections:\n  - rename: a\n    why: x\n", r"line 2: malformed 'rename' \(give"),
        (
            b"corrections:\n  - rename: {name: a, lable: b}\n    why: x\n",
            r"got \['lable', 'name'\]",
        ),
        (b"corrections:\n  - split: a\n    why: x\n    by: me\n", r"line 2: unknown key 'by'"),
        (
            b"corrections:\n  - rename: {name: a, label: }\n    why: x\n",
            r"line 2: rename 'label' is empty",
        ),
        (
            b"corrections:\n  - rename: {name: a, label: ''}\n    why: x\n",
            r"rename 'label' is empty",
        ),
        (b'corrections:\n  - rename: {name: a, label: "\\x01"}\n    why: x\n', r"U\+0001"),
        (b"corrections:\n  - merge: [a, ~]\n    why: x\n", r"a name to merge is empty"),
        (
            b"corrections:\n  - ~: a\n    why: x\n",
            r"line 2: cannot read corrections \(a key must be text",
        ),
        (b"corrections:\n" + b"  " * 5000 + b"- " * 5000 + b"a\n", r"nested too deeply"),
    ],
    ids=[
        "binary",
        "png",
        "bad-utf8",
        "nul",
        "lone-surrogate",
        "list",
        "scalar",
        "misspelt-top-key",
        "corrections-not-a-list",
        "entry-not-a-mapping",
        "list-as-name",
        "list-as-why",
        "rename-not-a-mapping",
        "rename-misspelt-key",
        "unknown-entry-key",
        "null-label",
        "empty-label",
        "control-character",
        "null-name",
        "null-key",
        "deep-nesting",
    ],
)
def test_every_bad_file_is_one_error_naming_the_file(tmp_path, data, message):
    path = tmp_path / "corrections.yaml"
    path.write_bytes(data)
    with pytest.raises(CorrectionsError, match=message) as caught:
        load_corrections(path)
    assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_a_bad_file_is_one_line_and_exit_2_on_the_command_line(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    from .conftest import write_article

    article = write_article(tmp_path, "a.txt", "<p>甲公司与乙医院达成合作。</p>")
    bad = tmp_path / "corrections.yaml"
    for data in (bytes(range(256)), b'corrections:\n  - split: "\\udc80"\n    why: x\n'):
        bad.write_bytes(data)
        args = ["build", str(article), "--no-cache", "--corrections", str(bad)]
        result = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "out")])
        assert result.exit_code == 2, result.output
        [line] = result.output.splitlines()
        assert line.startswith(f"Error: {bad}")


def test_an_empty_file_or_list_is_no_corrections(tmp_path):
    for text in ("", "# nothing yet\n", "corrections:\n", "corrections: []\n"):
        assert len(load_corrections(write(tmp_path, text))) == 0


def test_every_value_is_text_as_written(tmp_path):
    text = "corrections:\n  - merge: [360, 0123, yes, 1e3]\n    why: 2021-05-28\n"
    fixes = load_corrections(write(tmp_path, text))
    assert fixes.merge == [("360", "0123"), ("360", "yes"), ("360", "1e3")]


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "corrections:\n  - split: a\n    why: x\n    why: y\n",
            r"corrections.yaml line 4: .*duplicate key 'why' \(first on line 3\)",
        ),
        (
            "corrections:\n  - rename: {name: a, label: b, label: c}\n    why: x\n",
            r"line 2: .*duplicate key 'label'",
        ),
        (
            "corrections:\n  - split: a\n    why: x\ncorrections:\n  - split: b\n    why: y\n",
            r"line 4: .*duplicate key 'corrections' \(first on line 1\)",
        ),
    ],
)
def test_duplicate_keys_are_refused_naming_the_line(tmp_path, text, message):
    with pytest.raises(CorrectionsError, match=message):
        load_corrections(write(tmp_path, text))


def test_a_merge_that_would_override_a_split_is_refused(tmp_path):
    text = (
        "corrections:\n  - split: 济爱\n    why: two companies\n"
        "  - merge: [濟愛, 京东健康]\n    why: one company\n"
    )
    with pytest.raises(
        CorrectionsError,
        match=r"line 4: merge: '濟愛' is kept apart by the split of '济爱' on line 2",
    ):
        load_corrections(write(tmp_path, text))


def corrected(demo_result, tmp_path, text):
    from kg.corrections import apply_corrections

    return apply_corrections(demo_result.kb, load_corrections(write(tmp_path, text)))


def test_a_merge_of_a_person_with_a_company_is_refused(tmp_path):
    text = "corrections:\n  - split: 平安\n    why: x\n  - merge: [京东健康, 辛利军]\n    why: y\n"
    with pytest.raises(
        CorrectionsError,
        match=r"corrections.yaml line 4: merge: '辛利军' is a person and '京东健康' an organization",
    ):
        build([DATA / "articles"], corrections=write(tmp_path, text))


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "  - retype: {name: 辛利军, type: Company}",
            r"line 2: retype: '辛利军' is a Person; a retype cannot make a person an organization",
        ),
        ("  - retype: {name: 京东健康, type: Person}", r"line 2: retype: '京东健康' is a Company"),
        (
            "  - add: {s: 京东健康, p: ceoOf, o: 平安好医生}",
            r"line 2: add: ceoOf goes from Person, and '京东健康' is a Company",
        ),
        (
            "  - add: {s: 辛利军, p: partnersWith, o: 平安好医生}",
            r"line 2: add: partnersWith goes from an Organization, and '辛利军' is a Person",
        ),
        (
            "  - add: {s: 京东健康, p: operatesHospital, o: 平安好医生}",
            r"operatesHospital goes to Hospital or InternetHospital, and '平安好医生' is a Company",
        ),
        (
            "  - add: {s: 京东健康, p: partnersWith, o: 京东健康}",
            r"line 2: add: both ends name '京东健康'",
        ),
        (
            "  - retype: {name: 京东健康济爱互联网医疗中心, type: Company}",
            r"line 2: retype: operatesHospital goes to Hospital or InternetHospital, and "
            r"'京东健康济爱互联网医疗中心' is a Company \('济爱医疗' operatesHospital",
        ),
        (
            "  - rename: {name: 京东健康, label: 平安好医生}",
            r"line 2: rename: '平安好医生' is already the label of another entity",
        ),
        (
            "  - rename: {name: 京东健康, label: 平安好醫生}",  # the same name, traditional
            r"line 2: rename: '平安好醫生' is already the label of another entity",
        ),
        (
            "  - rename: {name: 京东健康, label: 京东健康科技}\n    why: x\n"
            "  - rename: {name: 京东, label: 京东健康科技}",
            r"line 4: rename: '京东健康科技' is already the new label of '京东健康' \(line 2\)",
        ),
        (
            "  - rename: {name: 京东健康, label: 甲}\n    why: x\n"
            "  - rename: {name: 京东健康, label: 乙}",
            r"line 4: rename: '京东健康' already gets '甲' on line 2",
        ),
    ],
)
def test_a_correction_that_breaks_the_ontology_or_the_labels_is_refused(
    demo_result, tmp_path, text, message
):
    with pytest.raises(CorrectionsError, match=message):
        corrected(demo_result, tmp_path, f"corrections:\n{text}\n    why: test\n")


def test_a_retype_with_the_relations_it_breaks_removed_applies(demo_result, tmp_path):
    text = """corrections:
  - retype: {name: 京东健康济爱互联网医疗中心, type: Company}
    why: a company after all
  - remove: {s: 济爱医疗, p: operatesHospital, o: 京东健康济爱互联网医疗中心}
    why: not a hospital
  - remove: {s: 京东健康, p: operatesHospital, o: 京东健康济爱互联网医疗中心}
    why: not a hospital
  - rename: {name: 京东健康, label: 京东健康}
    why: its own label is no collision
"""
    kb, problems = corrected(demo_result, tmp_path, text)
    assert not problems
    ids = {e.label: e.id for e in kb.entities.values()}
    assert kb.entities[ids["京东健康济爱互联网医疗中心"]].type == "Company"
    assert not [f for f in kb.relations if f.object == ids["京东健康济爱互联网医疗中心"]]


def test_a_refused_correction_changes_nothing(demo_result, tmp_path):
    before = {e.id: (e.label, e.type) for e in demo_result.kb.entities.values()}
    text = (
        "corrections:\n  - rename: {name: 京东健康, label: JD}\n    why: x\n"
        "  - add: {s: 京东健康, p: ceoOf, o: 平安好医生}\n    why: y\n"
    )
    with pytest.raises(CorrectionsError):
        corrected(demo_result, tmp_path, text)
    assert {e.id: (e.label, e.type) for e in demo_result.kb.entities.values()} == before


def test_an_ascii_label_is_the_name_shown_on_the_page_and_in_the_csv(tmp_path):
    import csv
    import io

    from kg.export import generate_csv
    from kg.network import to_networkx
    from kg.viz import graph_data

    text = "corrections:\n  - rename: {name: 京东健康, label: JD Health}\n    why: test\n"
    g = build([DATA / "articles"], corrections=write(tmp_path, text)).graph
    page = {n["label"] for n in graph_data(g)["nodes"]}
    assert "JD Health" in page and "京东健康" not in page
    nodes = list(csv.DictReader(io.StringIO(generate_csv(g)["nodes.csv"])))
    jd = next(n for n in nodes if n["label"] == "JD Health")
    assert jd["names"] == "JD Health | 京东健康"
    assert "JD Health" in {d["label"] for _, d in to_networkx(g).nodes(data=True)}
