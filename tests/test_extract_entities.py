"""Entity recognition: suffixes, the lexer, names after titles, non-entities."""

from kg.extract.lexicon import org_type

from .extract_helpers import extract


def names(ex, label):
    return {k for k, n in ex.names.items() if n.label == label}


def test_organization_types_from_suffixes():
    assert org_type("江州市人民医院") == "Hospital"
    assert org_type("江州市人民医院互联网医院") == "InternetHospital"
    assert org_type("江州市卫生健康委员会") == "GovernmentAgency"
    assert org_type("长三角数字医疗联盟") == "Association"
    assert org_type("南湖大学") == "University"
    assert org_type("云岫健康") == "Company"


def test_not_entities(nlp):
    ex = extract(
        "本报讯 双方将在杭州共建平台，用户可通过“康翎医生”App问诊。"
        "该公司已与多家医院合作，基层医院和线下医院均可接入互联网医院。",
        nlp,
    )
    assert names(ex, "ORG") == set()
    assert names(ex, "PER") == set()


def test_a_tagged_person_needs_a_surname_or_a_title_before_it(nlp):
    ex = extract(
        "之所以给她取名“雨桐”，是因为紫色的萱草寓意健康。\n县长扶岚主持会议。"
        "此外，周海锋健康状况良好。",
        nlp,
    )
    assert names(ex, "PER") == {"扶岚", "周海锋"}


def test_a_tagged_person_before_a_company_tail_is_no_person(nlp):
    ex = extract("上海高岚昱泰健康股权投资合伙企业新进入股东名单。", nlp)
    assert "高岚昱泰" not in names(ex, "PER")


def test_a_place_that_begins_like_a_pointer_word_is_a_name(nlp):
    # 本/该/其 begin "本院", "该公司": not a place's name ("本岚市" is a city)
    ex = extract("仪式由本岚市政府副市长林海主持，该院院长周航出席。", nlp)
    assert names(ex, "ORG") == {"本岚市政府"}


def test_short_name_after_a_title_is_found_everywhere(nlp):
    ex = extract("禾川健康CEO林振邦表示，禾川健康将继续投入。", nlp)
    assert ex.names["禾川健康"].count == 2
    assert names(ex, "PER") == {"林振邦"}


def test_traditional_names_keep_their_surface_form(nlp):
    ex = extract("康澤醫療與灣岸醫院簽署戰略合作協議。", nlp)
    assert set(ex.names["康泽医疗"].surfaces) == {"康澤醫療"}
    assert ex.names["湾岸医院"].type == "Hospital"


def test_latin_script_names_in_parentheses_are_aliases(nlp):
    ex = extract("迈联医疗（MediLink）与华仁医院开展合作。", nlp)
    assert ("迈联医疗", "MediLink", "alias-parenthesis") in ex.same_as
