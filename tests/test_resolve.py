"""Entity resolution: one node per real thing, stable identifiers."""

from kg.extract import _fold_endings, _link_short_places
from kg.extract.facts import Extraction, Relation
from kg.resolve import match_key, resolve


def ex_with(*names, same_as=(), relations=()):
    ex = Extraction()
    for key, label, type_ in names:
        ex.add_name(key, label, type_, key)
    ex.same_as += list(same_as)
    ex.relations += list(relations)
    return ex


def labels_of(kb):
    return sorted(sorted(e.names) for e in kb.entities.values())


def test_legal_name_and_short_name_merge_within_an_article():
    ex = ex_with(
        ("上海济爱医疗咨询有限公司", "ORG", "Company"),
        ("济爱医疗", "ORG", "Company"),
        ("平安银行股份有限公司", "ORG", "Company"),
        ("平安银行", "ORG", "Company"),
        ("京东集团", "ORG", "Company"),
        ("京东", "ORG", "Company"),
    )
    assert labels_of(resolve([("a", ex)])) == [
        ["上海济爱医疗咨询有限公司", "济爱医疗"],
        ["京东", "京东集团"],
        ["平安银行", "平安银行股份有限公司"],
    ]


def test_short_name_of_a_group_is_not_taken_by_another_company():
    ex = ex_with(
        ("京东集团", "ORG", "Company"),
        ("京东", "ORG", "Company"),
        ("北京京东健康有限公司", "ORG", "Company"),
    )
    groups = labels_of(resolve([("a", ex)]))
    assert ["京东", "京东集团"] in groups and ["北京京东健康有限公司"] in groups


def test_explicit_alias_abbreviation_and_place_prefix():
    ex = ex_with(
        ("平安健康医疗科技有限公司", "ORG", "Company"),
        ("平安好医生", "ORG", "Company"),
        ("上海市卫生健康委员会", "ORG", "GovernmentAgency"),
        ("上海市卫健委", "ORG", "GovernmentAgency"),
        ("广东省南湾人民医院", "ORG", "Hospital"),
        ("南湾人民医院", "ORG", "Hospital"),
        same_as=[("平安健康医疗科技有限公司", "平安好医生", "alias-parenthesis")],
    )
    assert len(resolve([("a", ex)]).entities) == 3


def test_same_name_in_two_articles_is_one_entity_and_ids_ignore_order():
    a = ex_with(
        ("澜石健康", "ORG", "Company"),
        ("江州医院", "ORG", "Hospital"),
        relations=[Relation("澜石健康", "partnersWith", "江州医院", 0, "r", 0.9)],
    )
    b = ex_with(("澜石健康", "ORG", "Company"), ("陈默", "PER", "Person"))
    kb1 = resolve([("a", a), ("b", b)])
    kb2 = resolve([("b", b), ("a", a)])
    assert sorted(kb1.entities) == sorted(kb2.entities)
    assert len(kb1.entities) == 3
    lanshi = next(e for e in kb1.entities.values() if e.label == "澜石健康")
    assert lanshi.articles == ["a", "b"]
    assert len(kb1.relations) == 1 and kb1.relations[0].evidence[0].article == "a"


def test_partnership_is_stored_once_per_pair():
    a = ex_with(
        ("甲公司", "ORG", "Company"),
        ("乙医院", "ORG", "Hospital"),
        relations=[
            Relation("甲公司", "partnersWith", "乙医院", 0, "r", 0.9),
            Relation("乙医院", "partnersWith", "甲公司", 1, "r", 0.8),
        ],
    )
    kb = resolve([("a", a)])
    assert len(kb.relations) == 1
    assert len(kb.relations[0].evidence) == 2


def test_merge_and_split_corrections():
    ex = ex_with(
        ("京东集团", "ORG", "Company"), ("京东", "ORG", "Company"), ("京东健康", "ORG", "Company")
    )
    problems = []
    kb = resolve([("a", ex)], merge=[("京东健康", "京东集团")], split=["京东"], problems=problems)
    assert labels_of(kb) == [["京东"], ["京东健康", "京东集团"]]
    resolve([("a", ex)], merge=[("不存在", "京东")], problems=problems)
    assert problems == ["merge: no entity is named '不存在'"]


def test_an_id_two_entities_claim_equally_goes_to_the_one_with_the_least_name():
    """A group is known by its least name, however it was merged: when an
    entity of an earlier build is split in two halves of three names each,
    the half with the least name keeps the id, whatever the order of merges."""
    names = ["Aqua", "Bolt", "Cedar", "Delta", "Ember", "Fjord"]
    ex = ex_with(*((n, "ORG", "Company") for n in names))
    old = {("ORG", match_key(n)): "org/00000000000a" for n in names}
    merge = [("Ember", "Fjord"), ("Fjord", "Aqua"), ("Bolt", "Cedar"), ("Cedar", "Delta")]
    kb = resolve([("a", ex)], merge=merge, ids=old)
    assert labels_of(kb) == [["Aqua", "Ember", "Fjord"], ["Bolt", "Cedar", "Delta"]]
    assert sorted(kb.entities["org/00000000000a"].names) == ["Aqua", "Ember", "Fjord"]


def test_match_key_folds_abbreviations_case_and_space():
    assert match_key("We Doctor") == match_key("wedoctor")
    assert match_key("江州市卫生健康委员会") == "江州市卫健委"


def test_spellings_with_and_without_gongsi_or_shi_merge_across_articles():
    a = ex_with(("澜石健康公司", "ORG", "Company"), ("北湾市第二医院", "ORG", "Hospital"))
    b = ex_with(("澜石健康", "ORG", "Company"), ("北湾第二医院", "ORG", "Hospital"))
    assert labels_of(resolve([("a", a), ("b", b)])) == [
        ["北湾市第二医院", "北湾第二医院"],
        ["澜石健康", "澜石健康公司"],
    ]


def test_a_place_without_its_shi_and_an_abbreviation_together_merge():
    a = ex_with(("北湾市卫生健康委员会", "ORG", "GovernmentAgency"))
    b = ex_with(("北湾卫健委", "ORG", "GovernmentAgency"))
    assert len(resolve([("a", a), ("b", b)]).entities) == 1


def test_a_legal_form_in_another_article_stays_apart():
    a = ex_with(("澜石医疗集团有限公司", "ORG", "Company"))
    b = ex_with(("澜石医疗", "ORG", "Company"))
    assert len(resolve([("a", a), ("b", b)]).entities) == 2


def test_a_universitys_hospital_with_the_university_abbreviated_is_one_entity():
    a = ex_with(("北岭大学医学院附属华安医院", "ORG", "Hospital"))
    b = ex_with(("北大华安医院", "ORG", "Hospital"))
    c = ex_with(("南岭华安医院", "ORG", "Hospital"))
    groups = labels_of(resolve([("a", a), ("b", b), ("c", c)]))
    assert ["北大华安医院", "北岭大学医学院附属华安医院"] in groups
    assert ["南岭华安医院"] in groups


def test_a_group_legal_name_and_the_group_name_merge():
    ex = ex_with(
        ("澜石机器人集团有限公司", "ORG", "Company"),
        ("澜石机器人集团", "ORG", "Company"),
        ("湖北松禾堂投资控股有限公司", "ORG", "Company"),
        ("湖北松禾堂", "ORG", "Company"),
    )
    assert labels_of(resolve([("a", ex)])) == [
        ["湖北松禾堂", "湖北松禾堂投资控股有限公司"],
        ["澜石机器人集团", "澜石机器人集团有限公司"],
    ]


def test_a_hospital_said_by_its_number_is_the_numbered_hospital_of_the_article():
    ex = ex_with(
        ("北湾市第二人民医院", "ORG", "Hospital"),
        ("北湾二院", "ORG", "Hospital"),
        ("北湾市第三医院", "ORG", "Hospital"),
        ("明川大学第一附属医院", "ORG", "Hospital"),
        ("明大一附院", "ORG", "Hospital"),
        ("明川大学第二附属医院", "ORG", "Hospital"),
    )
    assert labels_of(resolve([("a", ex)])) == [
        ["北湾二院", "北湾市第二人民医院"],
        ["北湾市第三医院"],
        ["明大一附院", "明川大学第一附属医院"],
        ["明川大学第二附属医院"],
    ]


def test_a_bare_number_is_resolved_only_where_one_hospital_fits():
    one = ex_with(("明川大学附属第二医院", "ORG", "Hospital"), ("附二院", "ORG", "Hospital"))
    two = ex_with(
        ("明川大学附属第二医院", "ORG", "Hospital"),
        ("北湾大学附属第二医院", "ORG", "Hospital"),
        ("附二院", "ORG", "Hospital"),
    )
    assert len(resolve([("a", one)]).entities) == 1
    assert len(resolve([("b", two)]).entities) == 3


def test_a_universitys_hospital_said_from_fushu_on_is_one_entity():
    ex = ex_with(
        ("北岭大学附属新华医院", "ORG", "Hospital"),
        ("附属新华医院", "ORG", "Hospital"),
        ("北岭医学院第二附属医院", "ORG", "Hospital"),
        ("第二附属医院", "ORG", "Hospital"),
    )
    assert labels_of(resolve([("a", ex)])) == [
        ["北岭医学院第二附属医院", "第二附属医院"],
        ["北岭大学附属新华医院", "附属新华医院"],
    ]


def test_a_number_names_no_internet_hospital_nor_campus():
    ex = ex_with(
        ("江州市第一人民医院", "ORG", "Hospital"),
        ("江州市第一人民医院互联网医院", "ORG", "InternetHospital"),
        ("江州市第一人民医院北苑院区", "ORG", "Hospital"),
        ("江州一院", "ORG", "Hospital"),
    )
    assert ["江州一院", "江州市第一人民医院"] in labels_of(resolve([("a", ex)]))
    assert len(resolve([("a", ex)]).entities) == 3


def test_an_articles_variants_of_one_name_merge():
    ex = ex_with(
        ("溪岚公司", "ORG", "Company"),
        ("溪岚", "ORG", "Company"),
        ("北岭市明川控股集团", "ORG", "Company"),
        ("明川控股集团", "ORG", "Company"),
        ("国家江州总局", "ORG", "GovernmentAgency"),
        ("江州总局", "ORG", "GovernmentAgency"),
        ("北湾慈济医院", "ORG", "Hospital"),
        ("北湾慈院", "ORG", "Company"),
        ("松禾新区管理委员会", "ORG", "GovernmentAgency"),
        ("松禾新区管委会", "ORG", "GovernmentAgency"),
        ("江州岚溪大学松禾学院", "ORG", "University"),
        ("江州岚大松禾学院", "ORG", "University"),
    )
    assert labels_of(resolve([("a", ex)])) == [
        ["北岭市明川控股集团", "明川控股集团"],
        ["北湾慈济医院", "北湾慈院"],
        ["国家江州总局", "江州总局"],
        ["松禾新区管委会", "松禾新区管理委员会"],
        ["江州岚大松禾学院", "江州岚溪大学松禾学院"],
        ["溪岚", "溪岚公司"],
    ]


def test_a_unit_a_party_committee_or_a_same_ending_name_is_no_variant():
    ex = ex_with(
        ("北湾医院", "ORG", "Hospital"),
        ("北湾医院东山分院", "ORG", "Hospital"),
        ("北湾大学第一医院", "ORG", "Hospital"),
        ("江州县卫健委", "ORG", "GovernmentAgency"),
        ("江州县委", "ORG", "GovernmentAgency"),
    )
    assert all(len(group) == 1 for group in labels_of(resolve([("a", ex)])))


def test_a_short_form_after_a_place_word_is_the_articles_full_name():
    ex = ex_with(
        ("江州省药品管理局", "ORG", "GovernmentAgency"), ("省药品管理局", "ORG", "GovernmentAgency")
    )
    _link_short_places(ex)
    assert labels_of(resolve([("a", ex)])) == [["江州省药品管理局", "省药品管理局"]]


def test_a_name_ending_one_longer_name_is_folded_into_it_and_kept_as_its_label():
    ex = ex_with(
        ("北岭大学明川医院", "ORG", "Hospital"),
        ("明川医院", "ORG", "Hospital"),
        ("北湾信息中心松禾医学院", "ORG", "University"),
        ("松禾医学院", "ORG", "University"),
    )
    ex.relations.append(Relation("明川医院", "partnersWith", "松禾医学院", 0, "r", 0.9))
    _fold_endings(ex)
    kb = resolve([("a", ex)])
    assert labels_of(kb) == [
        ["北岭大学明川医院", "明川医院"],
        ["北湾信息中心松禾医学院"],
        ["松禾医学院"],
    ]
    other = ex_with(("江州明川医院", "ORG", "Hospital"), ("明川医院", "ORG", "Hospital"))
    kb = resolve([("a", ex), ("b", other)])  # the short form joins nothing in another article
    assert ["明川医院"] in labels_of(kb)
