"""The rule tables are checked when they are read: each fault names its file and line."""

import re
import shutil
from importlib import resources
from pathlib import Path

import pytest

from kg.rules import CUES, RulesError, load_rules, read_rules

PACKAGE = Path(str(resources.files("kg.rules")))


@pytest.fixture
def tables(tmp_path):
    folder = tmp_path / "rules"
    shutil.copytree(PACKAGE, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return folder


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first ``old`` in ``path``; return the line it was on."""
    text = path.read_text(encoding="utf-8")
    at = text.index(old)
    path.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")
    return text[:at].count("\n") + 1


def test_the_shipped_tables_read_as_the_package_loads_them(tables):
    rules = read_rules(tables)
    assert rules.suffixes == load_rules().suffixes
    assert rules.cue("partnership", "agreement").pattern == (
        load_rules().cue("partnership", "agreement").pattern
    )


def test_a_pattern_that_does_not_compile_names_the_file_and_line(tables):
    line = _edit(
        tables / "cues.yaml", "respectively: (?:分别|先后)(?:与|和|同)", "respectively: (?:分别"
    )
    with pytest.raises(RulesError, match=rf"cues\.yaml line {line}: partnership\.respectively"):
        read_rules(tables)


def test_a_missing_cue_is_named(tables):
    _edit(tables / "cues.yaml", "  counterpart:", "  counterparts:")
    with pytest.raises(RulesError, match=r"partnership\.counterpart is missing"):
        read_rules(tables)


def test_a_pattern_without_the_groups_the_code_reads_is_refused(tables):
    line = _edit(tables / "cues.yaml", "(?P<bare>", "(")
    with pytest.raises(RulesError, match=rf"line {line}: anaphora\.pattern needs groups bare"):
        read_rules(tables)
    line = _edit(tables / "cues.yaml", "founded_noun: ^(?:的)?(", "founded_noun: ^(?:的)?(?:")
    _edit(tables / "cues.yaml", "(?P<kind>", "(?P<bare>公司)|(?P<kind>")
    with pytest.raises(RulesError, match=rf"line {line}: operates\.founded_noun needs 1 group"):
        read_rules(tables)


def test_an_unknown_type_kind_or_relation_names_the_line(tables):
    line = _edit(tables / "org_suffixes.tsv", "医院\tHospital\tname", "医院\tHospitals\tname")
    with pytest.raises(RulesError, match=rf"org_suffixes\.tsv line {line}: unknown organization"):
        read_rules(tables)
    _edit(tables / "org_suffixes.tsv", "Hospitals", "Hospital")
    line = _edit(tables / "titles.tsv", "CEO\tceoOf", "CEO\tceo")
    with pytest.raises(RulesError, match=rf"titles\.tsv line {line}: unknown relation 'ceo'"):
        read_rules(tables)


def test_a_row_with_the_wrong_columns_names_the_line(tables):
    line = _edit(tables / "org_suffixes.tsv", "医院\tHospital\tname", "医院 Hospital name")
    with pytest.raises(RulesError, match=rf"org_suffixes\.tsv line {line}: expected 3"):
        read_rules(tables)


def test_a_repeated_entry_names_both_lines(tables):
    path = tables / "generic.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    first, word = next((n, w) for n, w in enumerate(lines, 1) if w and not w.startswith("#"))
    path.write_text("\n".join(lines) + f"\n{word}\n", encoding="utf-8")
    last = len(lines) + 1
    with pytest.raises(
        RulesError, match=rf"generic\.txt line {last}: '{word}' repeats line {first}"
    ):
        read_rules(tables)


def test_an_antecedent_must_be_an_organization_type(tables):
    _edit(tables / "cues.yaml", "集团: [Company]", "集团: [Firm]")
    with pytest.raises(RulesError, match=r"anaphora\.antecedents\.集团"):
        read_rules(tables)


def test_every_cue_the_extractors_read_is_declared():
    source = "".join(
        p.read_text(encoding="utf-8") for p in (PACKAGE.parent / "extract").glob("*.py")
    )
    used = set(re.findall(r"""cue\(\s*["'](\w+)["'],\s*["'](\w+)["']\s*\)""", source))
    assert used, "no cue() calls found"
    assert used <= set(CUES)


def test_a_confidence_out_of_range_names_the_line(tables):
    line = _edit(tables / "cues.yaml", "partner-cue: 0.85", "partner-cue: 1.5")
    with pytest.raises(RulesError, match=rf"line {line}: confidence partner-cue must be"):
        read_rules(tables)


def test_every_confidence_the_extractors_read_is_given():
    source = "".join(
        p.read_text(encoding="utf-8") for p in (PACKAGE.parent / "extract").glob("*.py")
    )
    used = set(re.findall(r"""confidence\(\s*["']([\w-]+)["']\s*\)""", source))
    used |= {
        name
        for pair in re.findall(
            r"""confidence\(\s*["']([\w-]+)["'] if .*? else ["']([\w-]+)["']""", source
        )
        for name in pair
    }
    assert {"partner-cue", "builds", "position"} <= used
    assert used <= set(load_rules().confidences)


def test_the_extractors_hold_no_confidence_of_their_own():
    source = "".join(
        p.read_text(encoding="utf-8") for p in (PACKAGE.parent / "extract").glob("*.py")
    )
    code = "\n".join(ln for ln in source.splitlines() if not ln.strip().startswith(">>>"))
    assert not re.findall(r"(?<![\w.])0\.\d+", code)
