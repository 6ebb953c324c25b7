"""Properties that hold for any input (hypothesis): the reader, the splitter, resolution."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.articles import parse_article, read_article, read_article_bytes
from kg.errors import ArticleError
from kg.extract import Extraction, extract_article
from kg.extract.facts import Position, Relation
from kg.files import decode
from kg.frontmatter import parse_date
from kg.resolve import match_key, resolve
from kg.text import split_sentences

from .conftest import CORPUS

SETTINGS = settings(
    deadline=None, database=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)

# -- the reader: nothing but ArticleError, whatever comes in -------------------------------

TAGS = ["p", "div", "br", "h2", "span", "b", "script", "style", "figcaption", "li", "!--", "a"]
html_piece = st.one_of(
    st.text(alphabet="甲乙丙医院公司。！？；（）() \n\t&;<>/\"'=#", min_size=1, max_size=20),
    st.sampled_from(TAGS).map(lambda t: f"<{t}>"),
    st.sampled_from(TAGS).map(lambda t: f"</{t}>"),
    st.sampled_from(
        [
            "&amp;",
            "&nbsp;",
            "&#x4e2d;",
            "&bogus;",
            "&#0;",
            "&#xd800;",
            "<!--",
            "-->",
            "<p class='x",
            "\r\n",
            "\ufeff",
            "\x0b",
        ]
    ),
)
one_line = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\n\r\x00"), max_size=15
)
yaml_value = st.one_of(
    one_line,
    st.sampled_from(
        [
            "10:00",
            "2021-05-28",
            "yes",
            "~",
            "[a, b",
            "!!int x",
            "&a 1",
            "*a",
            "!!timestamp x",
            "!!binary ==",
            "'q",
            "- 1",
            "{a: [}",
            "1e400",
            "[1, [2]]",
            "2021年5月28日 25:61",
            "Fri, 31 Feb 2021 06:52:00 GMT",
            "!!int 600",
        ]
    ),
)
keyed_line = st.tuples(
    st.sampled_from(["title", "date", "author", "categories", "url", "x"]), yaml_value
).map(lambda kv: f"{kv[0]}: {kv[1]}")
yaml_line = st.one_of(keyed_line, keyed_line, keyed_line, st.text(max_size=20))
fence = st.one_of(st.just("---"), st.sampled_from(["----", "--- ", "\ufeff---", " ---", "-- -"]))
article_text = st.builds(
    lambda lines, pieces, fence: f"{fence}\n" + "\n".join(lines) + f"\n{fence}\n" + "".join(pieces),
    st.lists(yaml_line, min_size=1, max_size=6),
    st.lists(html_piece, max_size=30),
    fence,
)

# front matter that is valid YAML with any title, and a body of any markup
well_formed = st.builds(
    lambda title, date, pieces: (
        f"---\ntitle: {json.dumps(title)}\ndate: {date}\n---\n" + "".join(pieces)
    ),
    st.text(max_size=30),
    yaml_value,
    st.lists(html_piece, min_size=1, max_size=30),
)


def check_article(a) -> None:
    """What every article the reader returns satisfies."""
    assert a.title and isinstance(a.title, str) and a.text.strip()
    assert "\r" not in a.text
    assert a.date is None or dt.datetime.fromisoformat(a.date)
    for p in a.paragraphs:
        assert 0 <= p.start < p.end <= len(a.text)
    for s in a.sentences:
        assert a.text[s.start : s.end] == s.text
    assert all("\n" not in w for w in a.warnings)


@SETTINGS
@given(st.one_of(st.text(), article_text, well_formed))
@example("---\ntitle: !!int x\n---\n<p>x</p>")
@example("---\ndate: !!timestamp x\n---\n<p>x</p>")
def test_reader_on_any_text_raises_only_article_error(text):
    try:
        a = parse_article(text, "any.txt")
    except ArticleError as e:
        assert str(e).startswith("any.txt: ") and "\n" not in e.reason
        return
    check_article(a)


@SETTINGS
@given(
    st.one_of(
        st.binary(max_size=3000),
        st.one_of(article_text, well_formed).map(lambda t: t.encode("utf-8", "replace")),
        well_formed.map(lambda t: t.encode("gb18030", "replace")),
    )
)
def test_reader_on_any_bytes_raises_only_article_error(data):
    try:
        a = read_article_bytes(data, "any.txt")
    except ArticleError as e:
        assert str(e).startswith("any.txt: ") and "\n" not in e.reason
        return
    check_article(a)


@SETTINGS
@given(st.binary(max_size=200))
def test_decode_returns_text_or_raises_article_error(data):
    try:
        text, note = decode(data, "b.txt")
    except ArticleError:
        return
    assert isinstance(text, str) and text.strip()


@SETTINGS
@given(
    st.one_of(
        st.text(max_size=40),
        st.integers(),
        st.floats(),
        st.none(),
        st.datetimes(),
        st.dates(),
        st.lists(st.integers(), max_size=2),
    )
)
def test_parse_date_gives_iso_or_none(value):
    iso = parse_date(value)
    assert iso is None or dt.datetime.fromisoformat(iso)


# -- the sentence splitter ----------------------------------------------------------------

sentence_text = st.text(alphabet="甲乙丙。！？!?；;”’」）)》\"' \n\t", max_size=200)


@SETTINGS
@given(sentence_text, st.booleans())
def test_sentences_are_ordered_disjoint_and_point_into_the_text(text, by_paragraph):
    spans = None
    if by_paragraph:  # paragraphs as the reader makes them: one a line
        spans, pos = [], 0
        for line in text.split("\n"):
            spans.append((pos, pos + len(line)))
            pos += len(line) + 1
    sentences = split_sentences(text, spans)
    end = 0
    for i, s in enumerate(sentences):
        assert s.index == i
        assert end <= s.start < s.end <= len(text)
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and "\n" not in s.text
        end = s.end
    # nothing but white space is left out
    covered = set()
    for s in sentences:
        covered.update(range(s.start, s.end))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


sentence = (
    st.text(alphabet="甲乙丙，、 ", min_size=1, max_size=12)
    .map(lambda t: t.strip(" ") or "甲")
    .flatmap(lambda t: st.sampled_from(["。", "！", "？”", "；", "。”）"]).map(lambda e: t + e))
)


@SETTINGS
@given(
    st.lists(sentence, min_size=1, max_size=30),
    st.text(alphabet="甲乙，、 ", max_size=200),
    st.integers(20, 60),
)
def test_long_runs_are_cut_but_no_sentence_that_fits(sentences, run, limit):
    from kg.text import bounded_spans

    text = "".join(sentences) + run
    spans = list(bounded_spans(text, 0, len(text), limit))
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a < b <= a + limit for a, b in spans)
    assert all(b == c for (_, b), (c, _) in zip(spans, spans[1:], strict=False))
    cut = split_sentences(text, spans)
    whole = split_sentences(text, [(0, len(text))])
    assert all(len(s.text) <= limit for s in cut)
    # the sentences before the long run are exactly those of the text uncut
    head = len("".join(sentences))
    assert [s.text for s in cut if s.end <= head] == [s.text for s in whole if s.end <= head]


# -- alias resolution --------------------------------------------------------------------

ABBREVIATED = "卫生健康委员会卫健委人民政府医疗保障局市上海江州"


@SETTINGS
@given(st.text(alphabet=ABBREVIATED + " AbC", max_size=30))
@example("人民人民政府政府")
def test_match_key_is_idempotent(name):
    assert match_key(match_key(name)) == match_key(name)


@SETTINGS
@given(st.text(max_size=30), st.text(alphabet="abcXYZ", max_size=5))
def test_match_key_ignores_white_space_and_ascii_case(name, latin):
    assert match_key(" ".join(name)) == match_key(name)
    assert not any(c.isspace() for c in match_key(name))
    assert match_key(name + latin.upper()) == match_key(name + latin.lower())


@pytest.fixture(scope="module")
def corpus_extractions():
    """(article key, Extraction) of every fixture article."""
    out = []
    for path in sorted((CORPUS / "articles").iterdir()):
        article = read_article(path)
        out.append((article.key, extract_article(article)))
    return out


@settings(SETTINGS, max_examples=20)  # each example resolves the whole corpus twice
@given(st.randoms(use_true_random=False))
def test_resolve_is_independent_of_input_order(corpus_extractions, rnd):
    shuffled = list(corpus_extractions)
    rnd.shuffle(shuffled)
    base, other = resolve(corpus_extractions), resolve(shuffled)
    assert other == base
    assert list(other.entities) == list(base.entities)


NAMES = [
    "平安银行股份有限公司",
    "平安银行",
    "京东集团",
    "京东",
    "北京京东健康有限公司",
    "京东健康",
    "上海市卫生健康委员会",
    "上海市卫健委",
    "江州医院",
    "江州医院互联网医院",
    "东川大学附属华仁医院",
    "华仁医院",
    "东川大学",
    "济爱医疗",
    "上海济爱医疗咨询有限公司",
]
PEOPLE = ["张三", "李四", "王五"]


@st.composite
def extraction(draw):
    ex = Extraction()
    orgs = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=6, unique=True))
    people = draw(st.lists(st.sampled_from(PEOPLE), max_size=2, unique=True))
    for name in orgs:
        for _ in range(draw(st.integers(1, 3))):
            ex.add_name(name, "ORG", draw(st.sampled_from(["Company", "Hospital"])), name)
    for name in people:
        ex.add_name(name, "PER", "Person", name)
    for a, b in draw(st.lists(st.tuples(st.sampled_from(orgs), st.sampled_from(orgs)), max_size=3)):
        ex.same_as.append((a, b, "alias-parenthesis"))
        ex.relations.append(Relation(a, "partnersWith", b, 0, "rule", 0.8))
    for p in people:
        org = draw(st.sampled_from(orgs))
        ex.positions.append(Position(p, org, draw(st.sampled_from(["院长", "CEO"])), 1, "r", 0.9))
    return ex


@settings(SETTINGS, max_examples=80)
@given(st.lists(extraction(), min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_resolve_of_random_extractions_is_independent_of_order(extractions, rnd):
    keyed = [(f"{i:04x}", ex) for i, ex in enumerate(extractions)]
    shuffled = list(keyed)
    rnd.shuffle(shuffled)
    base, other = resolve(keyed), resolve(shuffled)
    assert other == base
    assert list(other.entities) == list(base.entities)
