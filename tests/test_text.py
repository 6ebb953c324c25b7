"""Normalisation keeps offsets; sentences split on Chinese punctuation."""

from kg.text import normalize, split_sentences


def test_normalize_is_simplified_half_width_and_same_length():
    text = "康澤醫療（０６６１８.ＨＫ）與灣岸醫院簽署協議。"
    out = normalize(text)
    assert out == "康泽医疗(06618.HK)与湾岸医院签署协议。"
    assert len(out) == len(text)


def test_split_keeps_closing_quotes_with_the_sentence():
    text = "他说：“我们达成合作。”随后离场！"
    assert [s.text for s in split_sentences(text)] == ["他说：“我们达成合作。”", "随后离场！"]


def test_sentences_never_cross_paragraphs():
    text = "第一段没有句号\n第二段。"
    assert [s.text for s in split_sentences(text)] == ["第一段没有句号", "第二段。"]
