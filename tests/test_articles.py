"""Reading articles: front matter, HTML to clean text, captions, dates."""

import pytest

from kg.articles import parse_article, read_article
from kg.errors import ArticleError
from kg.frontmatter import parse_date
from kg.html import html_to_paragraphs

from .conftest import DATA


def test_sample_article_reads_title_date_and_clean_text():
    a = read_article(DATA / "articles" / "004_61d2a8d4cd7de884.txt")
    assert a.title == "平安与上海市皮肤病医院达成战略合作"
    assert a.date == "2021-05-28T14:08:03+00:00"
    assert "<" not in a.text and "&nbsp;" not in a.text
    assert "平安健康医疗科技有限公司(股票简称“平安好医生”，01833.HK)" in a.text
    # comments in the body are not text
    assert "当没有勾选" not in a.text


def test_paragraphs_keep_headings_and_captions():
    a = read_article(DATA / "articles" / "000_088a84496fb6fbd1.txt")
    kinds = {a.text[p.start : p.end]: p.kind for p in a.paragraphs}
    assert kinds["（京东集团高级副总裁、京东健康CEO辛利军）"] == "caption"
    b = read_article(DATA / "articles" / "004_61d2a8d4cd7de884.txt")
    headings = [b.text[p.start : p.end] for p in b.paragraphs if p.kind == "heading"]
    assert headings[0] == "共建皮肤专科专病互联网诊疗中心 合力打造全流程专科服务"


def test_inline_links_do_not_split_a_sentence():
    a = read_article(DATA / "articles" / "000_088a84496fb6fbd1.txt")
    assert a.sentences[0].text.startswith("本报上海讯 京东健康和济爱医疗达成战略合作")


def test_sentence_offsets_point_into_the_text():
    a = read_article(DATA / "articles" / "000_088a84496fb6fbd1.txt")
    assert len(a.sentences) > 20
    for s in a.sentences:
        assert a.text[s.start : s.end] == s.text
    assert [s.index for s in a.sentences] == list(range(len(a.sentences)))


def test_entities_are_decoded_and_whitespace_folded():
    blocks = html_to_paragraphs("<p>甲&amp;乙&nbsp;&nbsp;丙<br>丁</p><script>x()</script>")
    assert blocks == [("p", "甲&乙 丙"), ("p", "丁")]


@pytest.mark.parametrize(
    "value, iso",
    [
        ("Fri, 28 May 2021 14:08:03 GMT", "2021-05-28T14:08:03+00:00"),
        ("2021-05-28", "2021-05-28"),
        ("2021/5/28", "2021-05-28"),
        ("2021年5月28日", "2021-05-28"),
        ("yesterday", None),
        (600, None),
    ],
)
def test_dates_become_iso_8601(value, iso):
    assert parse_date(value) == iso


def test_missing_front_matter_is_an_error_naming_the_file():
    with pytest.raises(ArticleError, match=r"^a\.txt: no front matter"):
        parse_article("<p>正文</p>", "a.txt")


def test_missing_title_is_a_warning_and_the_file_name_stands_in():
    a = parse_article("---\ndate: 2021-05-28\n---\n<p>正文。</p>", "b.txt")
    assert a.title == "b.txt"
    assert any("title" in w for w in a.warnings)


def test_traditional_article_keeps_its_surface_forms():
    a = parse_article(
        "---\ntitle: '繁體'\ndate: 2021-05-28\n---\n<p>中國腫瘤防治聯盟成立。</p>", "t.txt"
    )
    assert a.text == "中國腫瘤防治聯盟成立。"
