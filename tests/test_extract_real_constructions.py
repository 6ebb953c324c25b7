"""Constructions found in real news, one invented sentence each.

Each test stands for a phenomenon seen in the real sets (``data/real``); the
names are invented, so a rule that passes them cannot name a real party.
"""

from rdflib import RDFS
from rdflib.namespace import PROV

from kg.extract.mentions import _split_verb_glue, _without_trailing_word, find_mentions
from kg.extract.orgs import _lexer_orgs
from kg.extract.relations import extract_relations
from kg.extract.spans import Mention
from kg.lexer import Lex
from kg.rules import load_rules

from .extract_helpers import extract, partners, positions, relations


def test_a_name_the_tagger_misses_is_found_from_its_frame(nlp):
    ex = extract("7月19日，青禾与江州市儿童医学中心正式签署战略合作协议。", nlp)
    assert partners(ex) == {frozenset({"青禾", "江州市儿童医学中心"})}


def test_a_name_from_the_headline_is_found_in_the_body(nlp):
    ex = extract(
        "青禾将向江州市提供服务。双方在江州签约。", nlp, title="青禾与江州市政府签署合作协议"
    )
    assert "青禾" in ex.names


def test_a_stock_code_shows_a_name(nlp):
    ex = extract("9月2日，澜泽生殖（01877.HK）在港交所挂牌上市。", nlp)
    assert "澜泽生殖" in ex.names


def test_a_place_in_parentheses_stays_in_the_name(nlp):
    ex = extract("澜石医疗自2016年起运营旗舰医院澜石（临海）医院。", nlp)
    assert ("澜石医疗", "operatesHospital", "澜石(临海)医院") in relations(ex)


def test_a_date_between_the_parties_keeps_them_together(nlp):
    ex = extract(
        "江州澜石医疗科技有限公司（下称“澜石医疗”）8月14日与临海医药集团有限公司"
        "（下称“临海医药”）签署了战略合作协议。",
        nlp,
    )
    assert partners(ex) == {frozenset({"江州澜石医疗科技有限公司", "临海医药集团有限公司"})}


def test_each_builder_operates_the_hospital(nlp):
    ex = extract("其中，乌桥互联网医院由鹿鸣科技携手南屿市政府共同建设。", nlp)
    ops = relations(ex, "operatesHospital")
    assert ("鹿鸣科技", "operatesHospital", "乌桥互联网医院") in ops
    assert ("南屿市政府", "operatesHospital", "乌桥互联网医院") in ops


def test_a_quoted_longer_name_is_not_the_hospital_built(nlp):
    ex = extract("三方签署合作协议：一是打造“江州儿童医院肿瘤诊疗中心协作点”。", nlp)
    assert not relations(ex, "operatesHospital")


def test_a_campus_belongs_to_its_hospital(nlp):
    ex = extract("江州医科大学第一附属医院北湖院区今天开诊。", nlp)
    assert (
        "江州医科大学第一附属医院北湖院区",
        "subOrganizationOf",
        "江州医科大学第一附属医院",
    ) in relations(ex)


def test_a_title_list_goes_on_past_honorifics(nlp):
    ex = extract("出席仪式的有澜石医疗董事长郑可为女士、总裁李默先生。", nlp)
    got = {(p, o) for p, o, _ in positions(ex)}
    assert {("郑可为", "澜石医疗"), ("李默", "澜石医疗")} <= got


def test_organizations_listed_before_a_title_share_it(nlp):
    ex = extract("（澜石医疗、青禾健康创始人兼CEO王启明）", nlp)
    got = {(p, o) for p, o, _ in positions(ex)}
    assert {("王启明", "澜石医疗"), ("王启明", "青禾健康")} <= got


def test_the_founders_listed_after_an_alliance_are_partners(nlp):
    ex = extract(
        "联盟的发起方共有三家医生集团，分别是澜石医生集团、青禾医生集团和冬岭医生集团。", nlp
    )
    assert len(partners(ex)) == 3
    ex = extract("联盟的成员单位包括澜石医生集团、青禾医生集团和冬岭医生集团。", nlp)
    assert partners(ex) == set()  # members of an association are not partners


def test_a_clause_with_no_subject_signs_for_the_first_party(nlp):
    ex = extract(
        "澜石医疗与江州市人民政府签署战略合作协议，并与江州市第一人民医院签署共建协议。", nlp
    )
    assert partners(ex) == {
        frozenset({"澜石医疗", "江州市人民政府"}),
        frozenset({"澜石医疗", "江州市第一人民医院"}),
    }


def test_a_series_of_subjectless_clauses_keeps_the_topic(nlp):
    # the sentence splitter cuts at ；: the subject is carried to each clause,
    # and a list signed 分别 pairs the subject with each, not the listed ones
    ex = extract(
        "江州市卫生计生委积极招商：与临海眼科医院签订合作协议；与青禾医药集团签订医联体协议；"
        "此外，还与澜泽医院发展中心、明川科技公司等分别签订了框架协议。",
        nlp,
    )
    topic = "江州市卫生计生委"
    assert partners(ex) == {
        frozenset({topic, other})
        for other in ("临海眼科医院", "青禾医药集团", "澜泽医院发展中心", "明川科技公司")
    }


def test_a_founded_hospital_is_not_looked_for_past_a_comma(nlp):
    ex = extract(
        "青禾互联网医院由青禾与江州市第四医院合作共建，设在江州市第四医院东院区。",
        nlp,
        title="青禾与江州市第四医院签署合作协议",
    )
    assert relations(ex, "operatesHospital") == {
        ("青禾", "operatesHospital", "青禾互联网医院"),
        ("江州市第四医院", "operatesHospital", "青禾互联网医院"),
    }


def test_a_clause_with_no_subject_builds_for_the_parties_before_it(nlp):
    ex = extract(
        "签约后，青禾还将联手明川集团，合力打造“江州青禾明川互联网医院”。",
        nlp,
        title="青禾与明川集团签约",
    )
    assert relations(ex, "operatesHospital") == {
        ("青禾", "operatesHospital", "江州青禾明川互联网医院"),
        ("明川集团", "operatesHospital", "江州青禾明川互联网医院"),
    }


def test_both_parties_build_what_双方_builds(nlp):
    ex = extract(
        "江州市人民医院与青禾健康签署合作协议。"
        "双方将携手搭建“江州市人民医院青禾健康互联网医院”，为患者服务。",
        nlp,
        title="江州市人民医院与青禾健康签约",
    )
    ih = "江州市人民医院青禾健康互联网医院"
    assert ("江州市人民医院", "operatesHospital", ih) in relations(ex)
    assert ("青禾健康", "operatesHospital", ih) in relations(ex)


def test_a_hospital_taken_over_is_operated_by_the_buyer(nlp):
    ex = extract(
        "11月2日，临海钢厂医院正式并入上市公司江州澜石药业股份有限公司。"
        "江州第二医院被青禾医疗投资有限公司以3亿元收购。",
        nlp,
    )
    assert relations(ex, "operatesHospital") == {
        ("江州澜石药业股份有限公司", "operatesHospital", "临海钢厂医院"),
        ("青禾医疗投资有限公司", "operatesHospital", "江州第二医院"),
    }


def test_a_campus_named_with_any_short_word_stays_one_name(nlp):
    ex = extract("双方将合作共建江州大学第二附属医院新建院区。", nlp)
    campus = "江州大学第二附属医院新建院区"
    assert (campus, "subOrganizationOf", "江州大学第二附属医院") in relations(ex)


def test_a_descriptor_before_a_party_is_not_part_of_its_name(nlp):
    ex = extract("临海市政府与台资企业江州澜石健康集团股份有限公司举行框架协议签约仪式。", nlp)
    assert partners(ex) == {frozenset({"临海市政府", "江州澜石健康集团股份有限公司"})}


def test_a_head_named_with_the_bare_place_heads_its_government(nlp):
    ex = extract("江州市政府与青禾集团签约。江州市市长林海、青禾集团董事长李明出席。", nlp)
    assert ("林海", "江州市政府", "市长") in positions(ex)
    assert ("林海", "presidentOf", "江州市政府") in relations(ex)


def test_an_organizations_own_internet_hospital_is_operated_by_it(nlp):
    ex = extract("会上，江州市第四人民医院的青禾互联网医院入选首批互联网医院。", nlp)
    assert relations(ex, "operatesHospital") == {
        ("江州市第四人民医院", "operatesHospital", "青禾互联网医院")
    }


def test_what_a_hospital_is_said_to_be_names_its_operator(nlp):
    ex = extract("青禾互联网医院是青禾科技旗下的互联网医院。", nlp)
    assert ("青禾科技", "operatesHospital", "青禾互联网医院") in relations(ex)


def test_a_hospital_directly_under_an_agency_is_operated_by_it(nlp):
    ex = extract("江州市卫健委直属的江州市第一医院今天开诊。", nlp)
    assert relations(ex, "operatesHospital") == {
        ("江州市卫健委", "operatesHospital", "江州市第一医院")
    }


def test_其_before_the_verb_is_the_clause_subject(nlp):
    ex = extract(
        "4月，青禾医疗拿到了互联网医院牌照，12月，由其开设的青禾银川互联网医院正式上线。",
        nlp,
    )
    assert ("青禾医疗", "operatesHospital", "青禾银川互联网医院") in relations(ex)


def test_a_clause_that_continues_builds_for_the_sentence_subject(nlp):
    ex = extract(
        "按照协议，澜石集团将与江州市人民医院开展合作，依托江州的资源，"
        "共同建设“江州澜石妇幼国际医院”。",
        nlp,
    )
    assert relations(ex, "operatesHospital") == {
        ("澜石集团", "operatesHospital", "江州澜石妇幼国际医院"),
        ("江州市人民医院", "operatesHospital", "江州澜石妇幼国际医院"),
    }


def test_every_investor_of_a_list_is_a_name(nlp):
    ex = extract("本轮由青禾资本领投，老股东澜石资本、明川创投和临海基金等继续跟投。", nlp)
    assert {"青禾资本", "澜石资本", "明川创投", "临海基金"} <= set(ex.names)
    assert "老股东澜石资本" not in ex.names


def test_a_person_named_before_two_titles_holds_both(nlp):
    ex = extract("林海，江州心血管病医院院长、青禾科技创始人，在庆典上讲话。", nlp)
    assert {("林海", "江州心血管病医院", "院长"), ("林海", "青禾科技", "创始人")} <= positions(ex)


def test_regional_heads_and_advisers_hold_no_head_of_relation(nlp):
    ex = extract("出席的代表包括：青禾医疗总裁林海、华南区总经理李明、总裁顾问王刚。", nlp)
    assert ("李明", "青禾医疗", "华南区总经理") in positions(ex)
    assert relations(ex, "presidentOf") == {("林海", "presidentOf", "青禾医疗")}


def test_a_caption_in_parentheses_can_state_a_signing(nlp):
    ex = extract("（江州市中医院与青禾互联网医院战略合作签约仪式）当天还举行了演示。", nlp)
    assert partners(ex) == {frozenset({"江州市中医院", "青禾互联网医院"})}


def test_对方_is_the_other_organization_named_before_it(nlp):
    ex = extract("12月14日，江州银行来到青禾集团总部，与对方签订了战略合作协议。", nlp)
    assert partners(ex) == {frozenset({"江州银行", "青禾集团"})}


def test_an_adverb_or_通过_between_the_parties_keeps_them_together(nlp):
    ex = extract(
        "上线第十天，江州市卫生计生委便与青禾集团签署了协议。"
        "2010年，澜石医药通过与明川集团开展战略性合作，进入高端医疗市场。",
        nlp,
    )
    assert partners(ex) == {
        frozenset({"江州市卫生计生委", "青禾集团"}),
        frozenset({"澜石医药", "明川集团"}),
    }


def test_a_joint_venture_of_two_parties_makes_them_partners(nlp):
    ex = extract("公司组建了青禾医疗与明川集团的第二家合资公司。", nlp)
    assert partners(ex) == {frozenset({"青禾医疗", "明川集团"})}


def test_the_place_of_a_signing_does_not_end_the_group():
    # the article elsewhere names the place as a party ("江州同澜石集团签署…")
    text = "江州市政府与澜石集团在江州举行框架协议签约仪式。"

    def org(name, otype):
        at = text.index(name)
        return Mention(at, at + len(name), name, "ORG", otype, "test", 0.9)

    mentions = [
        org("江州市政府", "GovernmentAgency"),
        org("澜石集团", "Company"),
        Mention(11, 13, "江州", "ORG", "GovernmentAgency", "test", 0.9),  # 在江州
    ]
    found = extract_relations(text, mentions, 0)
    assert [(r.subject, r.predicate, r.object) for r in found] == [
        ("江州市政府", "partnersWith", "澜石集团")
    ]


def test_a_campus_place_after_a_university_stays_in_its_name(nlp):
    ex = extract("江州大学（深圳）与青禾医疗签约。江州大学（深圳）医学院院长林海出席。", nlp)
    assert partners(ex) == {frozenset({"江州大学(深圳)", "青禾医疗"})}
    assert ("江州大学(深圳)医学院", "subOrganizationOf", "江州大学(深圳)") in relations(ex)


def test_a_branch_belongs_to_the_longest_name_it_begins_with(nlp):
    ex = extract(
        "江州中医药大学附属岳阳中西医结合医院瑞安分院今天揭牌。江州中医药大学校长出席。", nlp
    )
    branch = "江州中医药大学附属岳阳中西医结合医院瑞安分院"
    assert (branch, "subOrganizationOf", "江州中医药大学附属岳阳中西医结合医院") in relations(ex)


def test_a_district_before_a_hospitals_name_is_a_short_form():
    from kg.resolve import _short_forms

    assert "市东医院" in _short_forms("上海市杨浦区市东医院")


def test_a_verb_before_a_branch_suffix_is_no_campus_name(nlp):
    ex = extract("青禾医疗在广西壮族自治区设有分公司。", nlp)
    assert not [n for n in ex.names if n.endswith("分公司")]


def test_a_person_called_doctor_is_no_company(nlp):
    ex = extract("青禾平台由林海明医生主导创立。", nlp)
    assert "林海明医生" not in ex.names


def test_a_descriptive_group_is_no_name(nlp):
    ex = extract("公司将旗下33家医疗机构整合为一家跨省医疗集团，成为中国领先社会办医疗集团。", nlp)
    assert not {"跨省医疗集团", "中国领先社会办医疗集团"} & set(ex.names)


def test_a_clause_opened_by_由_names_each_builder_with_its_verb(nlp):
    ex = extract(
        "江州青禾医院是青禾保险集团布局江州的重点项目，由青禾保险集团投资建设、"
        "江州大学附属第一医院托管，属于非营利性医疗机构。",
        nlp,
    )
    assert relations(ex, "operatesHospital") == {
        ("青禾保险集团", "operatesHospital", "江州青禾医院"),
        ("江州大学附属第一医院", "operatesHospital", "江州青禾医院"),
    }


def test_a_stake_in_a_hospital_makes_its_holder_the_operator(nlp):
    ex = extract("截至公告发布之日，青禾医疗集团间接持有淮川医院80%的股权。", nlp)
    assert relations(ex, "operatesHospital") == {("青禾医疗集团", "operatesHospital", "淮川医院")}


def test_a_hospital_built_together_names_every_builder(nlp):
    ex = extract("江州大学眼科医院由江州大学、江州第二医院和澜石集团合作建立。", nlp)
    assert {r[0] for r in relations(ex, "operatesHospital")} == {
        "江州大学",
        "江州第二医院",
        "澜石集团",
    }


def test_a_person_appointed_with_a_verb_holds_the_title(nlp):
    ex = extract(
        "青禾集团联席首席执行官林海兼任青禾医疗董事会主席，明川集团原资深副总裁王刚出任青禾医疗首席执行官。",
        nlp,
    )
    assert ("林海", "chairOf", "青禾医疗") in relations(ex)
    assert ("王刚", "ceoOf", "青禾医疗") in relations(ex)
    assert ("王刚", "chairOf", "青禾医疗") not in relations(ex)


def test_the_chair_of_a_numbered_board_chairs_the_company(nlp):
    ex = extract("青禾药业股份有限公司公告称，林海当选公司第九届董事会董事长。", nlp)
    assert ("林海", "chairOf", "青禾药业股份有限公司") in relations(ex)


def test_a_head_listed_under_the_party_committee_heads_the_government(nlp):
    ex = extract("复旦大学与杨浦区政府签约。杨浦区委副书记、区长林海出席并签署协议。", nlp)
    assert ("林海", "presidentOf", "杨浦区政府") in relations(ex)


def test_a_list_of_people_is_not_read_as_an_apposition(nlp):
    ex = extract("出席的有湖北省卫生健康委主任林海，中国科学院院士、青禾集团顾问王刚等。", nlp)
    assert ("林海", "中国科学院", "院士") not in positions(ex)
    assert ("王刚", "中国科学院", "院士") in positions(ex)


def test_a_subjectless_clause_continues_the_subject_of_its_clause(nlp):
    ex = extract(
        "为落实江州市卫健委的部署，江州市第二人民医院于5月24日出席推介会，并与临海新城管委会签订框架协议。",
        nlp,
    )
    assert partners(ex) == {frozenset({"江州市第二人民医院", "临海新城管委会"})}


def test_a_citys_own_bodies_and_exchanges_are_names(nlp):
    ex = extract(
        "江州市国资委相关负责人出席。市国资委主任林海讲话。公司于6月在香港联合交易所主板上市。",
        nlp,
    )
    assert {"江州市国资委", "香港联合交易所"} <= set(ex.names)
    assert "市国资委" not in ex.names  # the city's own body, named in full before
    assert ("林海", "江州市国资委", "主任") in positions(ex)


def test_latin_names_in_an_investor_list_keep_their_spaces(nlp):
    ex = extract("本轮由TPG、OrbiMed Funds和Lake Bleu Capital参投。", nlp)
    assert {"TPG", "OrbiMed Funds"} <= set(ex.names)


def test_hospitals_listed_after_an_operated_one_share_its_operator(nlp):
    ex = extract("澜石医疗先后开始运营澜石（安吉）医院和澜石（临海）医院。", nlp)
    assert relations(ex, "operatesHospital") == {
        ("澜石医疗", "operatesHospital", "澜石(安吉)医院"),
        ("澜石医疗", "operatesHospital", "澜石(临海)医院"),
    }


def test_the_hospital_an_agreement_is_for_is_run_by_its_signers(nlp):
    ex = extract("4月26日，江州医学院与江州市人民政府正式签订了江州旅游综合医院运营合作协议。", nlp)
    assert partners(ex) == {frozenset({"江州医学院", "江州市人民政府"})}
    assert relations(ex, "operatesHospital") == {
        ("江州医学院", "operatesHospital", "江州旅游综合医院"),
        ("江州市人民政府", "operatesHospital", "江州旅游综合医院"),
    }


def test_a_list_after_与_partners_the_subject_not_each_other(nlp):
    ex = extract(
        "青禾集团拥有院士52名，并与江州大学、临海大学、澜石医院等机构建立了友好合作关系。", nlp
    )
    assert partners(ex) == {
        frozenset({"青禾集团", other}) for other in ("江州大学", "临海大学", "澜石医院")
    }


def test_an_organization_that_does_something_before_a_title_is_a_party(nlp):
    # "甲拥有院士": 甲 is the subject of 拥有, not the affiliation of a title
    ex = extract("青禾集团拥有院士52名，并与江州大学签署了合作协议。", nlp)
    assert partners(ex) == {frozenset({"青禾集团", "江州大学"})}


def test_a_bare_市政府_is_each_articles_own_government(tmp_path):
    from kg.build import build

    from .conftest import write_article

    write_article(tmp_path, "a.txt", "<p>临海市人民政府与青禾医疗签约。市政府将提供支持。</p>")
    write_article(tmp_path, "b.txt", "<p>江州市人民政府与澜石集团签约。市政府副市长林海出席。</p>")
    g = build([tmp_path]).graph
    labels = {str(o) for o in g.objects(None, RDFS.label)}
    assert {"临海市人民政府", "江州市人民政府"} <= labels
    assert "市政府" not in labels


def test_a_name_after_a_word_for_a_company_is_a_company(nlp):
    ex = extract(
        "8月28日，青禾健康发布公告称，旗下附属公司弘云久康与江州鸿翔药业、明川信息共同签订框架合作协议。",
        nlp,
    )
    assert ("弘云久康", "subOrganizationOf", "青禾健康") in relations(ex)
    assert frozenset({"弘云久康", "江州鸿翔药业"}) in partners(ex)


def test_the_companys_own_subsidiary_joins_the_signing_group(nlp):
    ex = extract(
        "江州市人民政府、临海新区管委会当天与公司全资子公司江州青禾医疗投资有限公司签署了合作协议。",
        nlp,
    )
    assert partners(ex) == {
        frozenset({"江州市人民政府", "临海新区管委会"}),
        frozenset({"江州市人民政府", "江州青禾医疗投资有限公司"}),
        frozenset({"临海新区管委会", "江州青禾医疗投资有限公司"}),
    }


def test_hospitals_a_group_is_said_to_have_are_its_own(nlp):
    ex = extract("青禾健康旗下拥有江州青禾互联网医院、临海青禾互联网医院等多家互联网医院。", nlp)
    assert relations(ex, "operatesHospital") == {
        ("青禾健康", "operatesHospital", "江州青禾互联网医院"),
        ("青禾健康", "operatesHospital", "临海青禾互联网医院"),
    }


def test_the_host_of_a_hospital_runs_it(nlp):
    ex = extract("江州青禾互联网医院由江州市人民医院主办，青禾健康提供技术支持。", nlp)
    assert relations(ex, "operatesHospital") == {
        ("江州市人民医院", "operatesHospital", "江州青禾互联网医院")
    }


def test_the_board_that_appoints_names_the_company(nlp):
    ex = extract(
        "江州青禾健康科技有限公司发布公告称，王涛先生不再担任公司董事会主席。"
        "与此同时，董事会委任林海先生出任执行董事、临时董事会主席和首席执行官。",
        nlp,
    )
    assert ("林海", "ceoOf", "江州青禾健康科技有限公司") in relations(ex)
    assert ("林海", "chairOf", "江州青禾健康科技有限公司") not in relations(ex)  # interim


def test_an_adverb_after_a_party_is_not_in_its_name(nlp):
    ex = extract("江州市三院将与青禾医疗管理集团深度合作。", nlp)
    assert partners(ex) == {frozenset({"江州市三院", "青禾医疗管理集团"})}


def test_kinds_of_insurance_and_private_groups_are_no_names(nlp):
    ex = extract("公司积极对接工伤保险和商业保险，是国内领先的民营医疗集团。", nlp)
    assert not {"工伤保险", "商业保险", "民营医疗集团"} & set(ex.names)


def test_an_affiliated_hospital_belongs_to_the_university_named_on_its_own(nlp):
    ex = extract("江州大学与青禾集团签约。江州大学医学院附属第二医院院长林海出席。", nlp)
    assert relations(ex, "subOrganizationOf") == {
        ("江州大学医学院附属第二医院", "subOrganizationOf", "江州大学")
    }
    alone = extract("江州大学医学院附属第二医院与青禾集团签约。", nlp)
    assert relations(alone, "subOrganizationOf") == set()  # no university named on its own
    assert "江州大学医学院" not in alone.names


def test_a_person_after_a_title_is_no_brand_and_总_prefixes_a_title(nlp):
    ex = extract("江州市卫生健康局党委书记、局长林峰云介绍了情况。青禾医疗总院长王明远讲话。", nlp)
    assert ("林峰云", "presidentOf", "江州市卫生健康局") in relations(ex)
    assert ("王明远", "presidentOf", "青禾医疗") in relations(ex)


def test_the_body_named_as_a_hospitals_operator_runs_it(nlp):
    ex = extract(
        "卫健委发布拟批准设置“江州禧乐妇产医院”的公示书，明确设置单位为江州九川医院有限公司。", nlp
    )
    assert relations(ex, "operatesHospital") == {
        ("江州九川医院有限公司", "operatesHospital", "江州禧乐妇产医院")
    }


def test_a_hospitals_company_that_runs_another_hospital_is_not_the_hospital(tmp_path):
    from kg.build import build

    from .conftest import write_article

    write_article(
        tmp_path,
        "a.txt",
        "<p>江州九川医院是当地的三甲医院。</p>"
        "<p>卫健委发布拟批准设置“江州禧乐妇产医院”的公示书，明确设置单位为江州九川医院有限公司。</p>",
    )
    write_article(
        tmp_path,
        "b.txt",
        "<p>澜石医疗拟收购北湾康复医院有限公司80%的股权。</p><p>北湾康复医院位于北湾市。</p>",
    )
    graph = build([tmp_path]).graph
    labels = {str(o) for o in graph.objects(None, RDFS.label)}
    assert {"江州九川医院", "江州九川医院有限公司"} <= labels  # two entities
    assert len({"北湾康复医院", "北湾康复医院有限公司"} & labels) == 1  # one entity


def test_a_list_of_posts_before_a_name_goes_to_that_name(nlp):
    ex = extract(
        "江州市政协常委、江州文化区管理局董事局主席、江州友好协进会永远荣誉会长、"
        "江州商会创会会长林海，江州立法会主席王刚，中国工程院院士、江州大学副校长、"
        "医学院院长李明远出席。",
        nlp,
    )
    assert {
        ("林海", "江州文化区管理局", "董事局主席"),
        ("林海", "江州商会", "创会会长"),
        ("李明远", "中国工程院", "院士"),
        ("李明远", "江州大学", "副校长"),
    } <= positions(ex)
    assert not {p for p in positions(ex) if p[0] == "王刚" and p[1] != "江州立法会"}
    assert ("林海", "presidentOf", "江州友好协进会") not in relations(ex)  # honorary


def test_the_members_of_a_consortium_are_partners(nlp):
    ex = extract(
        "由江州建筑产业集团有限责任公司、临海机器人集团有限公司、明川运达投资基金合伙企业"
        "（有限公司）组成的联合体中标。",
        nlp,
    )
    members = (
        "江州建筑产业集团有限责任公司",
        "临海机器人集团有限公司",
        "明川运达投资基金合伙企业(有限公司)",  # the legal form in parentheses is the name's
    )
    assert partners(ex) == {
        frozenset({a, b}) for i, a in enumerate(members) for b in members[i + 1 :]
    }


def test_who_launches_an_internet_hospital_runs_it(nlp):
    ex = extract("青禾健康今日推出青禾互联网医院。", nlp)
    assert relations(ex, "operatesHospital") == {("青禾健康", "operatesHospital", "青禾互联网医院")}


def test_an_agreement_reached_and_a_hospitals_network_hospital(nlp):
    ex = extract(
        "2015年6月，青禾健康和江州市中心医院达成共识；7月，双方签订战略合作协议；"
        "11月，江州市中心医院网络医院正式上线。",
        nlp,
    )
    assert partners(ex) == {frozenset({"青禾健康", "江州市中心医院"})}
    assert ("江州市中心医院", "operatesHospital", "江州市中心医院网络医院") in relations(ex)


def test_a_unit_said_to_belong_to_a_group_is_its_sub_organization(nlp):
    ex = extract("他指出，澜石医疗科技有限公司是青禾集团所属的办医平台。", nlp)
    assert ("澜石医疗科技有限公司", "subOrganizationOf", "青禾集团") in relations(ex)


def test_treatment_and_rehabilitation_centres_are_hospitals(nlp):
    ex = extract("青禾医疗运营江州国际肿瘤治疗中心和临海康复中心。", nlp)
    assert ex.names["江州国际肿瘤治疗中心"].type == "Hospital"
    assert ("青禾医疗", "operatesHospital", "临海康复中心") in relations(ex)


def test_hospitals_listed_after_a_count_of_a_groups_hospitals_are_its_own(nlp):
    ex = extract(
        "在国内，青禾生殖集团通过三家医院提供服务，分别是江州西囡妇科医院、临海高新妇科医院和澜石中山医院。",
        nlp,
    )
    assert relations(ex, "operatesHospital") == {
        ("青禾生殖集团", "operatesHospital", h)
        for h in ("江州西囡妇科医院", "临海高新妇科医院", "澜石中山医院")
    }


def test_a_hospital_named_for_a_company_is_the_companys(nlp):
    ex = extract(
        "青禾医疗与江州市政府签署战略合作协议。江州市青禾医疗互联网医院将于明年上线。", nlp
    )
    ops = relations(ex, "operatesHospital")
    assert ("青禾医疗", "operatesHospital", "江州市青禾医疗互联网医院") in ops


def test_a_place_is_not_the_company_a_hospital_is_named_for(nlp):
    ex = extract("江州与北湾医疗签署协议，共建江州明川医院。", nlp)
    assert not any(r[0] == "江州" for r in relations(ex, "operatesHospital"))


def test_every_hospital_listed_after_the_subjects_qixia_is_its_own(nlp):
    ex = extract(
        "青禾集团已在江州深耕近二十年，旗下除江州青禾妇产医院外，"
        "还有三甲医院江州明川医院以及多家诊所。",
        nlp,
    )
    ops = relations(ex, "operatesHospital")
    assert ("青禾集团", "operatesHospital", "江州青禾妇产医院") in ops
    assert ("青禾集团", "operatesHospital", "江州明川医院") in ops


def test_a_partner_after_a_subsidiary_is_not_owned(nlp):
    ex = extract("青禾集团旗下的澜石公司与北湾明川医院签署合作协议。", nlp)
    assert not relations(ex, "operatesHospital")


def test_a_name_and_a_verb_do_not_glue_to_the_hospital_after_them(nlp):
    ex = extract("林海介绍，青禾医院集团投资北湾总医院以后，将组建专项小组。", nlp)
    assert {"青禾医院集团", "北湾总医院"} <= set(ex.names)
    ex = extract("青禾医院集团正式投资北湾总医院，将把它建成区域医疗中心。", nlp)
    assert "投资北湾总医院" not in ex.names
    assert ("青禾医院集团", "operatesHospital", "北湾总医院") in relations(ex)


def test_a_count_of_campuses_is_not_part_of_a_name(nlp):
    ex = extract("医院包括本部、东院区和北湾医院3个院区，另有7家分院。", nlp)
    assert "北湾医院" in ex.names
    assert not any("院区" in n for n in ex.names)


def test_the_one_who_carries_out_a_hospitals_running_operates_it(nlp):
    ex = extract("记者了解到，北湾互联网医院的技术支持与合作运营由青禾集团（青禾网）承担。", nlp)
    assert ("青禾集团", "operatesHospital", "北湾互联网医院") in relations(ex)


def test_a_bare_company_is_the_one_the_article_is_about(nlp):
    ex = extract(
        "澜石医药发布公告称，澜石医药的子公司将与北湾医院合作。"
        "2010年，澜石医药通过与明川互利开展战略性合作，进入高端医疗市场。"
        "此后，公司又先后投资了北湾肿瘤医院和江州广济医院。",
        nlp,
    )
    ops = relations(ex, "operatesHospital")
    assert ("澜石医药", "operatesHospital", "北湾肿瘤医院") in ops
    assert not any(r[0] == "明川互利" for r in ops)


def test_a_name_the_tagger_reads_as_a_verb_is_found_before_a_delegation(nlp):
    ex = extract("会见了北湾医院管理有限公司董事长周航、总裁林海、执行总裁张立一行。", nlp)
    assert ("张立", "北湾医院管理有限公司", "执行总裁") in positions(ex)
    ex = extract("北湾医院院长强调，要做好服务。", nlp)
    assert "强调" not in ex.names


def test_organization_person_title_gives_a_position(nlp):
    ex = extract("北湾工程院林海院士、周航院士，澜州外科学院陈远院士等专家出席。", nlp)
    found = positions(ex)
    assert ("林海", "北湾工程院", "院士") in found
    assert ("周航", "北湾工程院", "院士") in found
    assert ("陈远", "澜州外科学院", "院士") in found


def test_a_parenthesis_between_a_title_and_its_person_is_skipped(nlp):
    ex = extract("北湾科技集团首席运营官（COO）林海此前表示，将加大投入。", nlp)
    assert ("林海", "北湾科技集团", "首席运营官") in positions(ex)


def test_former_is_not_part_of_a_name_and_gives_no_head(nlp):
    ex = extract("北湾省经信委原主任林海、原北湾军医大学附属医院院长周航到场祝贺。", nlp)
    assert "北湾省经信委" in ex.names
    assert "北湾军医大学附属医院" in ex.names
    assert ("林海", "北湾省经信委", "原主任") in positions(ex)
    assert not any(r[0] == "林海" for r in relations(ex))


def test_the_signing_parties_named_after_the_word_for_them_are_partners(nlp):
    ex = extract(
        "9月19日下午，一场合作签约仪式在江州举行，签约双方是北湾健康集团有限公司（“北湾健康”）"
        "和澜州投资集团有限公司（“澜投集团”）。",
        nlp,
    )
    assert partners(ex) == {frozenset({"北湾健康集团有限公司", "澜州投资集团有限公司"})}


def test_people_who_sign_for_their_organizations_make_them_partners(nlp):
    ex = extract("与此同时，北湾医院院长林海和江州市卫健委主任周航签订了一份合作共建协议。", nlp)
    assert frozenset({"北湾医院", "江州市卫健委"}) in partners(ex)
    ex = extract("北湾医院院长林海和江州市卫健委主任周航见证了签约。", nlp)
    assert not partners(ex)


def test_a_hospitals_internet_hospital_named_with_a_company_is_run_by_both(nlp):
    ex = extract(
        "北湾中医院与松禾科技签署合作协议。北湾中医院松禾科技互联网医院于10月21日正式上线。",
        nlp,
    )
    ops = relations(ex, "operatesHospital")
    assert ("北湾中医院", "operatesHospital", "北湾中医院松禾科技互联网医院") in ops
    assert ("松禾科技", "operatesHospital", "北湾中医院松禾科技互联网医院") in ops


def test_a_person_who_signs_on_behalf_is_no_party(nlp):
    ex = extract("签约环节中，双方分别由林海和周航代表签署战略协议。", nlp)
    assert "周航代表" not in ex.names


def test_two_names_glued_by_a_verb_are_two_names(nlp):
    ex = extract("会上，北湾省中医院托管江州县中医院一事获得肯定。", nlp)
    assert {"北湾省中医院", "江州县中医院"} <= set(ex.names)
    assert ("北湾省中医院", "operatesHospital", "江州县中医院") in relations(ex)


def test_a_word_glued_to_a_known_persons_name_is_cut(nlp):
    ex = extract("林海任内带领公司扭亏为盈。林海辞任后，公司治理结构保持规范。", nlp)
    assert "林海" in ex.names
    assert not any(n.startswith("林海") and n != "林海" for n in ex.names)


def test_the_subject_runs_a_hospital_a_later_clause_manages(nlp):
    ex = extract(
        "项目建成后，北湾大学附属澜石医院将充分发挥自身在管理模式、医疗技术等方面的优势，"
        "全面管理江州院区。",
        nlp,
    )
    assert ("北湾大学附属澜石医院", "operatesHospital", "江州院区") in relations(ex)
    ex = extract("北湾医院的专家来到江州市政府，介绍了如何管理明川医院。", nlp)
    assert not [r for r in ex.relations if r.rule == "subject-runs"]  # another name between


def test_investors_listed_after_the_word_for_them_are_names(nlp):
    ex = extract(
        "在本轮之前，松禾医生已完成5轮融资，投资方包括溪岚创投、北湾资本、桐岭资本、"
        "岚溪投资等。此外，松禾医生投资的企业还有医疗AI公司Lanxi、认知星等。",
        nlp,
    )
    assert {"溪岚创投", "北湾资本", "岚溪投资", "桐岭资本", "Lanxi"} <= set(ex.names)
    assert "AI公司Lanxi" not in ex.names


def test_a_bare_noun_before_a_title_is_the_body_the_article_is_about(nlp):
    ex = extract(
        "北湾医科大学与澜石集团签署战略合作框架协议。"
        "学校党委书记林海，党委副书记、校长周航，澜石集团董事局主席陈远，集团执行董事周明远出席。",
        nlp,
    )
    found = positions(ex)
    assert ("林海", "北湾医科大学", "党委书记") in found
    assert ("周明远", "澜石集团", "执行董事") in found
    assert ("周航", "presidentOf", "北湾医科大学") in relations(ex)


def test_an_agreement_entered_into_with_two_parties(nlp):
    ex = extract(
        "1月6日，澜石医疗发布公告，宣布公司已与北湾总局以及江州信托订立一份合作框架协议。", nlp
    )
    assert frozenset({"澜石医疗", "江州信托"}) in partners(ex)


def test_a_name_before_a_verb_of_chairing_ends_before_it(nlp):
    ex = extract("仪式由北湾医院党委书记高明南主持。", nlp)
    assert "高明南" in ex.names


def test_a_hospital_named_for_a_company_without_its_group_form_is_its(nlp):
    ex = extract("松禾医疗集团与江州市政府签约。江州区松禾老年病医院今天竣工。", nlp)
    assert ("松禾医疗集团", "operatesHospital", "江州区松禾老年病医院") in relations(ex)
    ex = extract("北湾医疗与江州市政府签约。山东省北湾市华方中医医院今天开诊。", nlp)
    assert not relations(ex, "operatesHospital")


def test_a_hospital_under_a_body_is_run_by_it(nlp):
    ex = extract("北湾总局下属的江州煤炭总医院和明川医院将进行改制。", nlp)
    ops = relations(ex, "operatesHospital")
    assert ("北湾总局", "operatesHospital", "江州煤炭总医院") in ops


def test_the_tokenizers_word_completes_a_name_the_tagger_cut():
    text = "党委书记林志南主持"
    words = [Lex(0, 4, "党委书记", "n"), Lex(4, 6, "林志", "PER"), Lex(6, 7, "南", "f")]
    words.append(Lex(7, 9, "主持", "v"))
    found = find_mentions(text, words, tokens=[(0, 4), (4, 7), (7, 9)]).mentions
    assert [m.text for m in found if m.label == "PER"] == ["林志南"]
    words[2:] = [Lex(6, 7, "应", "v"), Lex(7, 9, "用于", "v")]  # "林志|应用于": no name goes on
    found = find_mentions("党委书记林志应用于", words, tokens=[(0, 4), (4, 7), (7, 9)]).mentions
    assert [m.text for m in found if m.label == "PER"] == ["林志"]


def test_a_board_secretary_is_a_title_not_a_person(nlp):
    ex = extract("北湾健康执行董事兼董秘周明远将出任首席财务官。", nlp)
    assert "董秘" not in ex.names


def test_builders_before_what_they_built_together(nlp):
    ex = extract(
        "9月11日，江州市卫生局与澜石集团联合打造、在国内率先共同建设的北湾互联网医院正式上线运行。",
        nlp,
    )
    ops = relations(ex, "operatesHospital")
    assert ("江州市卫生局", "operatesHospital", "北湾互联网医院") in ops
    assert ("澜石集团", "operatesHospital", "北湾互联网医院") in ops


def test_the_subject_runs_a_hospital_past_the_body_it_acts_with(nlp):
    ex = extract(
        "北湾医院将按照政府主导、公益惠民的原则，与江州区政府深入合作，全面托管江州区妇幼保健院。",
        nlp,
    )
    assert ("北湾医院", "operatesHospital", "江州区妇幼保健院") in relations(ex)
    assert ("江州区政府", "operatesHospital", "江州区妇幼保健院") not in relations(ex)


def test_a_known_place_before_its_own_post_is_its_government(nlp):
    ex = extract("深圳市副市长林海，北湾大学副校长周航出席。深圳市政府与北湾大学签约。", nlp)
    assert ("林海", "深圳市政府", "副市长") in positions(ex)


def test_researcher_grades_and_signing_representatives_are_titles(nlp):
    ex = extract(
        "北湾医学院签约代表、院长周航和江州市人民政府签约代表、常务副市长林海正式签署了运营合作协议。"
        "江州市卫生健康委员会一级调研员陈远出席。",
        nlp,
    )
    found = {(p, o) for p, o, _ in positions(ex)}
    assert {("周航", "北湾医学院"), ("林海", "江州市人民政府")} <= found
    assert ("陈远", "江州市卫生健康委员会") in found


def test_a_person_who_now_holds_a_post(nlp):
    ex = extract("林海现任江州市卫生健康局党组书记、局长。", nlp)
    assert ("林海", "presidentOf", "江州市卫生健康局") in relations(ex)


def test_branches_after_jiqi_belong_to_the_hospital_before(nlp):
    ex = extract(
        "未来五年澜石医疗将协助推动江州市所属江州市医院及其江南分院、梅岭院区等建设。", nlp
    )
    subs = relations(ex, "subOrganizationOf")
    assert ("江南分院", "subOrganizationOf", "江州市医院") in subs
    assert ("梅岭院区", "subOrganizationOf", "江州市医院") in subs


def test_a_seller_is_no_name(nlp):
    ex = extract("北湾医疗当天发布公告称，公司与卖方签订股权转让协议。", nlp)
    assert "卖方" not in ex.names


def test_a_title_held_by_the_person_named_after_you(nlp):
    ex = extract(
        "首届北湾医师联盟委员会理事长由中国科学院院士、江州协和医院院长林海担任；周航等专家出任副理事长。",
        nlp,
    )
    assert ("林海", "北湾医师联盟委员会", "理事长") in positions(ex)
    assert ("林海", "chairOf", "北湾医师联盟委员会") in relations(ex)


def test_a_shareholder_word_and_a_date_word_stay_out_of_names(nlp):
    ex = extract("北湾医生的主体公司发生工商变更，新增股东江州搜索信息服务有限公司。", nlp)
    assert "江州搜索信息服务有限公司" in ex.names
    assert not any(n.startswith("新增") for n in ex.names)


def test_a_bare_group_before_a_title_is_a_group_the_article_names(nlp):
    ex = extract(
        "北湾省人大原副主任林海、北湾省人大原副主任陈远到场祝贺。澜石集团旗下的江州医院开业。"
        "集团总经理周明远致欢迎辞。",
        nlp,
    )
    assert ("周明远", "澜石集团", "总经理") in positions(ex)


def test_a_hospital_handed_to_another_to_manage_is_run_by_it(nlp):
    ex = extract("新建的江州县人民医院将交由北湾医院全面管理。", nlp)
    assert ("北湾医院", "operatesHospital", "江州县人民医院") in relations(ex)


def test_what_a_hospital_is_said_to_be_built_by_or_under(nlp):
    ex = extract(
        "江州医院是澜石集团投资兴建的。北湾医院隶属于江州卫生局。澜石医疗控股的明川医院今天开业。",
        nlp,
    )
    ops = relations(ex, "operatesHospital")
    assert ("澜石集团", "operatesHospital", "江州医院") in ops
    assert ("江州卫生局", "operatesHospital", "北湾医院") in ops


def test_a_year_before_a_suffix_is_no_name(nlp):
    ex = extract("江州区人民医院荣获2017医院管理创新奖。", nlp)
    assert not any(n.startswith("2017") for n in ex.names)


def test_close_collaboration_is_a_partnership(nlp):
    ex = extract("他希望北湾医院与江州科技今后共同努力、充分协作，满足群众的健康需求。", nlp)
    assert frozenset({"北湾医院", "江州科技"}) in partners(ex)


def test_a_post_taken_over_is_the_subjects(nlp):
    ex = extract(
        "9月29日，北湾健康（6618.HK）发布公告：执行董事、CEO林海因个人原因辞职，"
        "CEO一职改由公司CFO周明远接任。",
        nlp,
    )
    assert ("周明远", "ceoOf", "北湾健康") in relations(ex)


def test_builders_after_a_comma_and_you(nlp):
    ex = extract(
        "同为松禾健康旗下的北湾松禾互联网医院，由松禾健康与北湾省政府机关事务管理局共建，"
        "线下院区面积逾2万平方米。",
        nlp,
    )
    assert ("北湾省政府机关事务管理局", "operatesHospital", "北湾松禾互联网医院") in relations(ex)


def test_projects_after_a_verb_are_not_partners(nlp):
    ex = extract(
        "按照协议，双方将携手推进松禾中医连锁集团总部基地和松禾中医互联网医院两大项目，合作覆盖线上与线下。",
        nlp,
    )
    assert not any("互联网医院" in "".join(p) and "基地" in "".join(p) for p in partners(ex))
    ex = extract("一是启动北湾医院与江州中医医院的医疗体建设，双方建立紧密型协作关系。", nlp)
    assert frozenset({"北湾医院", "江州中医医院"}) in partners(ex)


def test_a_group_glued_to_its_hospital_is_two_names(nlp):
    ex = extract("12月19日，北湾松禾集团江州区松禾医院举行开业庆典。", nlp)
    assert {"北湾松禾集团", "江州区松禾医院"} <= set(ex.names)


def test_a_company_named_for_its_hospital_is_a_company():
    text = "北湾医药的附属公司松禾医院投资以7.5亿元受让明川医院的股权。"
    words = [
        Lex(0, 4, "北湾医药", "ORG"),
        Lex(4, 5, "的", "u"),
        Lex(5, 9, "附属公司", "vn"),
        Lex(9, 13, "松禾医院", "ORG"),
        Lex(13, 15, "投资", "v"),
        Lex(15, 16, "以", "p"),
    ]
    found = {m.text: m.type for m in find_mentions(text, words).mentions if m.label == "ORG"}
    assert found.get("松禾医院投资") == "Company"
    assert "松禾医院" not in found


def test_a_title_after_and_keeps_the_organization_of_the_list(nlp):
    ex = extract("会上，北湾医院江州分院党委书记林海和执行院长周航先后表态。", nlp)
    assert ("周航", "北湾医院江州分院", "执行院长") in positions(ex)


def test_a_person_speaking_as_the_holder_of_a_post(nlp):
    ex = extract("周明远以江州市卫生健康委党组书记、主任的身份出席。", nlp)
    assert ("周明远", "presidentOf", "江州市卫生健康委") in relations(ex)


def test_becoming_anothers_partner(nlp):
    ex = extract("澜石科技正式成为北湾医院的战略合作伙伴。", nlp)
    assert partners(ex) == {frozenset({"澜石科技", "北湾医院"})}


def test_a_takeover_said_as_a_noun(nlp):
    ex = extract("澜石医疗宣布已完成对北湾骨科医院70%股权的收购。", nlp)
    assert ("澜石医疗", "operatesHospital", "北湾骨科医院") in relations(ex)


def test_a_committee_named_under_its_society_belongs_to_it(nlp):
    ex = extract("北湾卫生信息学会成立了北湾卫生信息学会名医联盟委员会，林海任理事长。", nlp)
    assert ("北湾卫生信息学会名医联盟委员会", "subOrganizationOf", "北湾卫生信息学会") in relations(
        ex
    )


def test_a_hospital_said_by_its_number_is_a_name(nlp):
    ex = extract("今年8月，北湾二院被澜石制药以3.6亿元收购。", nlp)
    assert ("澜石制药", "operatesHospital", "北湾二院") in relations(ex)


def test_a_hospitals_number_after_another_hospital_is_no_name(nlp):
    ex = extract("北湾市人民医院三院院区正式开诊。", nlp)
    assert "北湾市人民医院三院" not in ex.names
    assert ("北湾市人民医院三院院区", "subOrganizationOf", "北湾市人民医院") in relations(ex)


def test_a_brand_with_zaixian_is_a_company(nlp):
    ex = extract("同年12月，由澜石在线开设的澜石银川互联网医院正式上线。", nlp)
    assert ("澜石在线", "operatesHospital", "澜石银川互联网医院") in relations(ex)
    assert "澜石在线问诊" not in extract("澜石在线问诊平台上线。", nlp).names


def test_a_company_that_owns_a_list_of_hospitals_runs_each(nlp):
    ex = extract("目前，林海医疗已拥有江州明湖医院、北湾明湖医院和溪岚明湖医院三家专科医院。", nlp)
    ops = {o for s, p, o in relations(ex, "operatesHospital") if s == "林海医疗"}
    assert ops == {"江州明湖医院", "北湾明湖医院", "溪岚明湖医院"}


def test_a_list_after_one_owners_qixia_stops_at_the_next_owner(nlp):
    ex = extract("此外，松禾药业旗下的松禾中医馆、林海药业旗下的林海中医馆也颇具知名度。", nlp)
    assert ("松禾药业", "operatesHospital", "松禾中医馆") in relations(ex)
    assert ("松禾药业", "operatesHospital", "林海中医馆") not in relations(ex)
    assert ("林海药业", "subOrganizationOf", "松禾药业") not in relations(ex)


def test_a_stake_taken_in_a_later_clause_is_the_subjects(nlp):
    ex = extract("林海信息随后发布公告，拟增资1.41亿元取得北湾六院66%的股权。", nlp)
    assert ("林海信息", "operatesHospital", "北湾六院") in relations(ex)


def test_a_hospital_that_becomes_a_subsidiary_is_run_by_its_owner(nlp):
    ex = extract("北湾六院由此成为林海信息的控股子公司。", nlp)
    assert ("北湾六院", "subOrganizationOf", "林海信息") in relations(ex)
    assert ("林海信息", "operatesHospital", "北湾六院") in relations(ex)


def test_a_hospital_that_is_what_a_group_built(nlp):
    ex = extract("北湾国际医院是明川大学与澜石区政府共建的项目之一。", nlp)
    ops = {s for s, p, o in relations(ex, "operatesHospital") if o == "北湾国际医院"}
    assert ops == {"明川大学", "澜石区政府"}


def test_tong_between_two_bodies_ends_the_first_name(nlp):
    ex = extract("北湾省卫健委同澜石市人民政府签署合作协议。", nlp)
    assert partners(ex) == {frozenset({"北湾省卫健委", "澜石市人民政府"})}
    assert (
        "北湾大学同济医学院附属同济医院"
        in extract("澜石集团与北湾大学同济医学院附属同济医院签约。", nlp).names
    )


def test_a_district_head_under_the_bare_district_committee_heads_its_government(nlp):
    ex = extract(
        "澜石区人民政府与林海集团签约。\n澜石区委书记林海，区委副书记、区长周航，副区长陈远出席了仪式。",
        nlp,
    )
    assert ("周航", "presidentOf", "澜石区人民政府") in relations(ex)
    assert ("陈远", "澜石区人民政府", "副区长") in positions(ex)


def test_an_appointment_of_a_comrade(nlp):
    ex = extract("会上宣布任命：周航同志任北湾市人民医院院长。", nlp)
    assert ("周航", "北湾市人民医院", "院长") in positions(ex)


def test_the_people_on_an_organizations_side(nlp):
    ex = extract("北湾市人民医院方面，院长周航与院领导林海参加了签约仪式。", nlp)
    assert ("周航", "北湾市人民医院", "院长") in positions(ex)
    ex = extract("溪岚医院一方出席的有董事长周航、执行总裁林海。", nlp)
    assert ("周航", "chairOf", "溪岚医院") in relations(ex)
    assert ("林海", "溪岚医院", "执行总裁") in positions(ex)


def test_a_title_after_a_name_in_parentheses(nlp):
    ex = extract("随后，北湾大学附属医院（北湾医院）院长周航又与林海签署了协议。", nlp)
    assert ("周航", "presidentOf", "北湾大学附属医院") in relations(ex)
    assert ("北湾大学附属医院", "北湾医院", "alias-parenthesis") in ex.same_as  # one hospital


def test_signed_down_and_once_signed(nlp):
    ex = extract("到了2015年6月，林海信息与北湾市政府签下框架协议。", nlp)
    assert partners(ex) == {frozenset({"林海信息", "北湾市政府"})}
    ex = extract("松禾人寿北湾分公司曾与澜石区中心医院联合推出直结平台。", nlp)
    assert partners(ex) == {frozenset({"松禾人寿北湾分公司", "澜石区中心医院"})}


def test_remote_care_centres_are_internet_hospitals(nlp):
    ex = extract("北湾区远程医学影像阅片中心主任林海与江州县人民医院连线。", nlp)
    assert ex.names["北湾区远程医学影像阅片中心"].type == "InternetHospital"
    assert ("林海", "presidentOf", "北湾区远程医学影像阅片中心") in relations(ex)


def test_a_government_post_under_a_party_committee_needs_the_government(nlp):
    ex = extract("在推介会上，北湾市委常委、秘书长林海，副市长周航出席。", nlp)
    assert not any(p[0] == "周航" for p in positions(ex))
    named = extract("北湾市人民政府与澜石集团签约。\n北湾市委常委林海，副市长周航出席。", nlp)
    assert ("周航", "北湾市人民政府", "副市长") in positions(named)


def test_the_headline_states_a_relation_between_names_the_body_uses(nlp):
    from kg.articles import HEADLINE

    ex = extract(
        "北湾市人民政府与澜石医学院签订合作协议。\n澜石医学院附属北湾医院将在新区建设。",
        nlp,
        title="北湾市人民政府与澜石医学院签约 共建澜石医学院附属北湾医院",
    )
    built = [r for r in ex.relations if r.predicate == "operatesHospital"]
    assert {(r.subject, r.object, r.sentence) for r in built} >= {
        ("北湾市人民政府", "澜石医学院附属北湾医院", HEADLINE),
        ("澜石医学院", "澜石医学院附属北湾医院", HEADLINE),
    }


def test_the_headline_gives_no_relation_to_a_name_the_body_does_not_use(nlp):
    ex = extract("北湾医院今天开诊。", nlp, title="澜石集团收购北湾医院")
    assert relations(ex, "operatesHospital") == set()


def test_a_headline_relation_is_traced_to_the_title(tmp_path):
    from kg.build import build
    from kg.vocab import IHKG

    from .conftest import write_article

    write_article(
        tmp_path,
        "a.txt",
        "<p>澜石集团发布公告。</p><p>北湾医院今天开诊。</p>",
        title="澜石集团收购北湾医院",
    )
    g = build([tmp_path]).graph
    heads = {
        str(v)
        for s in g.subjects(IHKG.sentenceIndex, None)
        for v in g.objects(s, PROV.value)
        if g.value(s, IHKG.sentenceIndex).toPython() == -1
    }
    assert heads == {"澜石集团收购北湾医院"}
    assert len(list(g.subject_objects(IHKG.operatesHospital))) == 1


def test_people_listed_after_one_title_share_it(nlp):
    ex = extract("北湾医院副院长周航和林海出席。\n北湾医院院长陈远与澜石集团的周明远签约。", nlp)
    assert {("周航", "北湾医院", "副院长"), ("林海", "北湾医院", "副院长")} <= positions(ex)
    assert not any(p[0] == "周明远" for p in positions(ex))


def test_common_nouns_in_a_frame_are_no_names(nlp):
    ex = extract("三家单位将保证医院的硬件条件和医疗水平在区域内达到一流。", nlp)
    assert not {"硬件条件", "医疗水平"} & set(ex.names)
    assert "禾医" in extract("7月19日，禾医与江城儿童医学中心正式签署战略合作协议。", nlp).names


def test_a_signing_with_a_group_then_who_is_in_it(nlp):
    ex = extract(
        "与此同时，松禾医生集团还与一批私立医院分别签约，包括北湾禾新医院、江州沃德医疗中心。", nlp
    )
    assert partners(ex) == {
        frozenset({"松禾医生集团", "北湾禾新医院"}),
        frozenset({"松禾医生集团", "江州沃德医疗中心"}),
    }


def test_a_hospital_with_another_under_it_runs_it(nlp):
    ex = extract("公告介绍，北湾三院始建于1955年，下辖江州区中医医院。", nlp)
    assert ("北湾三院", "operatesHospital", "江州区中医医院") in relations(ex)


def test_what_a_group_unveils_is_no_party(nlp):
    ex = extract("在峰会上，澜石科技携手北湾医院，北湾心血管互联网医疗中心揭牌。", nlp)
    assert partners(ex) == {frozenset({"澜石科技", "北湾医院"})}


def test_a_hospitals_information_centre_is_a_department(nlp):
    assert (
        "北湾市人民医院信息中心" not in extract("北湾市人民医院信息中心主任林海出席。", nlp).names
    )


def test_a_hospitals_short_name_is_not_its_company(nlp):
    ex = extract("北湾晴川与澜石科技签署合作协议。\n北湾晴川医院成立于1921年。", nlp)
    assert relations(ex, "operatesHospital") == set()


def test_an_acting_head_after_a_government(nlp):
    ex = extract("紧接着，澜石区政府代区长周航与北湾大学校长陈远签约。", nlp)
    assert "澜石区政府" in ex.names and "澜石区政府代" not in ex.names
    assert ("周航", "澜石区政府", "代区长") in positions(ex)


def test_a_full_name_then_a_word_the_lexer_glued(nlp):
    ex = extract("北湾大学附属第二医院与澜石县人民政府医疗战略合作框架协议签署。", nlp)
    assert "澜石县人民政府" in ex.names


def test_jianshe_inside_a_company_name(nlp):
    ex = extract("北湾国际医学中心建设发展有限公司与林海集团签约。", nlp)
    assert partners(ex) == {frozenset({"北湾国际医学中心建设发展有限公司", "林海集团"})}


def test_a_count_after_the_last_name_of_a_list_is_not_in_the_name():
    text = "林海医疗拥有江州明湖医院两家专科医院"
    words = [
        Lex(0, 4, "林海医疗", "ORG"),
        Lex(4, 6, "拥有", "v"),
        Lex(6, 18, "江州明湖医院两家专科医院", "ORG"),
    ]
    found = {m.text for m in find_mentions(text, words).mentions if m.label == "ORG"}
    assert "江州明湖医院" in found and "江州明湖医院两家专科医院" not in found


def test_a_party_committee_is_no_partner(nlp):
    ex = extract(
        "澜石县人民政府与北湾医院签约。\n他表示，澜石县委、县政府会全力支持两院合作。", nlp
    )
    assert partners(ex) == {frozenset({"澜石县人民政府", "北湾医院"})}


def test_a_title_before_a_name_the_tagger_missed_is_no_earlier_persons(nlp):
    ex = extract(
        "出席的还有：北湾教育厅党组成员周航，澜石医科大学党委书记林海、校长解晓，等。", nlp
    )
    assert not any(p[0] == "周航" and p[1] == "澜石医科大学" for p in positions(ex))


def test_a_company_said_to_be_under_another_after_an_adverb(nlp):
    ex = extract("澜石健康集团则是北湾集团旗下打造的健康服务平台。", nlp)
    assert ("澜石健康集团", "subOrganizationOf", "北湾集团") in relations(ex)


def test_a_group_that_takes_control_of_a_hospital(nlp):
    ex = extract("双方宣布，由澜石集团控股投资江州市职工总医院。", nlp)
    assert ("澜石集团", "operatesHospital", "江州市职工总医院") in relations(ex)
    assert "澜石集团控股" not in ex.names
    ex = extract("澜石集团控股江州医院后，医院运行平稳。", nlp)
    assert ("澜石集团", "operatesHospital", "江州医院") in relations(ex)
    ex = extract("江州健康控股收购了北湾医院。", nlp)
    assert "江州健康控股" in ex.names


def test_where_a_signing_took_place_stands_between_the_parties(nlp):
    ex = extract("江州医疗已于11月15日在深圳与北湾医院签署了合作协议。", nlp)
    assert ("北湾医院", "江州医疗", "partnersWith") in relations(ex)
    ex = extract("澜石集团在江州投资建设北湾医院。", nlp)
    assert not relations(ex, "partnersWith")


def test_a_role_glued_after_a_name_is_not_part_of_it(nlp):
    ex = extract("江州医院与北湾医院协作医院揭牌，两院签订医疗技术协作协议书。", nlp)
    assert "北湾医院" in ex.names and "北湾医院协作医院" not in ex.names
    assert ("北湾医院", "江州医院", "partnersWith") in relations(ex)


def test_a_hospital_entrusted_to_manage_another(nlp):
    ex = extract("澜石集团的下属子公司江州医院拟受托管理北湾康复医院。", nlp)
    assert ("江州医院", "operatesHospital", "北湾康复医院") in relations(ex)
    # the lexer may read "受托管理" and the name after it as one verb
    words = _split_verb_glue([Lex(0, 10, "受托管理北湾运城医院", "v")], load_rules())
    assert [(w.text, w.tag) for w in words] == [("受托管理", "v"), ("北湾运城医院", "ORG")]


def test_a_word_for_a_subsidiary_ends_no_name(nlp):
    ex = extract(
        "澜石健康的下属子公司北湾友谊医院拟托管江州运城医院。",
        nlp,
        title="澜石健康子公司北湾友谊医院拟托管江州运城医院",
    )
    assert not any(n.endswith(("子公司", "母公司")) for n in ex.names)
    assert ("北湾友谊医院", "operatesHospital", "江州运城医院") in relations(ex)
    ex = extract("江州医疗母公司澜石集团宣布退市。", nlp)
    assert "澜石集团" in ex.names


def test_a_headline_clause_after_a_space_continues_its_subject(nlp):
    ex = extract(
        "北湾大学附属医院与江州县人民医院签约，全面托管江州县人民医院。",
        nlp,
        title="北湾大学附属医院整体托管江州县人民医院 共建北湾大学附属医院",
    )
    ops = relations(ex, "operatesHospital")
    assert ("北湾大学附属医院", "operatesHospital", "江州县人民医院") in ops
    assert ("江州县人民医院", "operatesHospital", "北湾大学附属医院") not in ops


def test_a_company_glued_to_its_unit_by_fushu(nlp):
    ex = extract("澜石医疗附属北湾医管公司收购江州医院。", nlp)
    assert ("北湾医管公司", "subOrganizationOf", "澜石医疗") in relations(ex)
    assert ("北湾医管公司", "operatesHospital", "江州医院") in relations(ex)


def test_a_parent_company_named_after_its_child(nlp):
    ex = extract("澜石健康的母公司江州集团发布公告。", nlp)
    assert ("澜石健康", "subOrganizationOf", "江州集团") in relations(ex)


def test_a_closed_list_on_one_side_of_yu(nlp):
    ex = extract(
        "今后，江州市儿童医院、江州市中心医院和江州市胸科医院将与北湾医科大学开展全方位的合作。",
        nlp,
    )
    assert partners(ex) == {
        frozenset((h, "北湾医科大学"))
        for h in ("江州市儿童医院", "江州市中心医院", "江州市胸科医院")
    }
    ex = extract("江州医院、北湾医院与明川医院三方签署协议。", nlp)
    assert frozenset(("江州医院", "北湾医院")) in partners(ex)
    ex = extract("江州医疗携手北湾医院和明川医院，与澜石集团签署协议。", nlp)
    assert frozenset(("北湾医院", "明川医院")) in partners(ex)  # one signing: every pair


def test_posts_in_consultative_bodies_give_no_head_relation(nlp):
    ex = extract("江州区政协主席李德明、江州市人大常委会主任周航出席。", nlp)
    assert ("李德明", "江州区政协", "主席") in positions(ex)
    assert not relations(ex, "chairOf") and not relations(ex, "presidentOf")


def test_a_word_glued_before_a_name_is_cut(nlp):
    ex = extract("北湾医院先后同江州县人民医院签约。", nlp)
    assert ("北湾医院", "江州县人民医院", "partnersWith") in relations(ex)
    ex = extract("本轮由澜石资本领投明川集团。", nlp)
    assert {"澜石资本", "明川集团"} <= set(ex.names)
    ex = extract("同济医院与和睦家医院签约。", nlp)
    assert {"同济医院", "和睦家医院"} <= set(ex.names)
    ex = extract("三级综合医院北湾前海医院正式开诊。", nlp)
    assert "北湾前海医院" in ex.names and not any(n.startswith("综合") for n in ex.names)


def test_a_department_named_in_a_title_is_no_sub_organization(nlp):
    ex = extract("北湾市卫健委医政医管处处长林海出席。", nlp)
    assert not relations(ex, "subOrganizationOf")
    assert ("林海", "北湾市卫健委", "医政医管处处长") in positions(ex)
    assert "北湾市卫健委" in ex.names  # the body the title is held in


def test_a_centre_founded_inside_a_partys_hospital_is_not_that_hospital(nlp):
    ex = extract("江州医疗与北湾医院签订协议，共同成立北湾医院肿瘤放疗中心。", nlp)
    assert not relations(ex, "operatesHospital")
    ex = extract("北湾医院与江州县中医医院开展合作，共同成立了北湾医院肛肠中心江州分中心。", nlp)
    assert ("江州县中医医院", "operatesHospital", "北湾医院") not in relations(ex)
    ex = extract("江州医疗与北湾市政府签订协议，共同成立北湾国际医院。", nlp)
    assert ("江州医疗", "operatesHospital", "北湾国际医院") in relations(ex)


def test_taiwanese_and_short_executive_titles(nlp):
    ex = extract("江州医疗集团执行长林海表示，北湾医院营运长周航、澜石集团副总陈远也出席。", nlp)
    assert ("林海", "ceoOf", "江州医疗集团") in relations(ex)
    assert {("周航", "北湾医院", "营运长"), ("陈远", "澜石集团", "副总")} <= positions(ex)


def test_a_list_under_the_subjects_qixia(nlp):
    ex = extract("澜石集团下辖多家子公司，旗下还有北湾股份公司、江州股份公司这2家上市公司。", nlp)
    subs = relations(ex, "subOrganizationOf")
    assert {
        ("北湾股份公司", "subOrganizationOf", "澜石集团"),
        ("江州股份公司", "subOrganizationOf", "澜石集团"),
    } <= subs


def test_people_who_take_a_title_in_the_sentences_organization(nlp):
    ex = extract(
        "在江州医疗科技的董事会中，林海、周航担任执行董事，周明远与吴楠则担任独立非执行董事。",
        nlp,
    )
    assert {
        ("林海", "江州医疗科技", "执行董事"),
        ("周航", "江州医疗科技", "执行董事"),
        ("周明远", "江州医疗科技", "独立非执行董事"),
        ("吴楠", "江州医疗科技", "独立非执行董事"),
    } <= positions(ex)
    ex = extract("江州医疗发布公告，董事会聘任林海担任公司总经理，聘任周航为财务总监。", nlp)
    assert ("周航", "江州医疗", "财务总监") in positions(ex)
    ex = extract("江州医院院长林海出席，周航担任主持。", nlp)
    assert not any(p[0] == "周航" for p in positions(ex))


def test_the_last_of_a_title_list_after_yiji(nlp):
    ex = extract("北湾九龙集团董事长林海、总裁周航以及副总裁陈远陪同视察。", nlp)
    assert ("陈远", "北湾九龙集团", "副总裁") in positions(ex)
    ex = extract("（江州医疗实控人周航）", nlp)
    assert ("周航", "江州医疗", "实控人") in positions(ex)


def test_a_board_change_in_a_sentence_that_names_no_company(nlp):
    ex = extract(
        "江州医药发布公告，调整董事会成员。\n"
        "按照此次调整，吴楠由执行董事改任非执行董事，林海则继续担任执行董事；"
        "周航出任第九届董事会联席董事长。",
        nlp,
    )
    assert {("林海", "江州医药", "执行董事"), ("周航", "江州医药", "联席董事长")} <= positions(ex)


def test_a_later_clause_of_the_childs_sentence_names_its_parent(nlp):
    ex = extract("澜石健康科技成立于2014年，隶属于北湾集团。", nlp)
    assert ("澜石健康科技", "subOrganizationOf", "北湾集团") in relations(ex)
    ex = extract("澜石健康与北湾集团签约，隶属于明川集团。", nlp)
    assert ("北湾集团", "subOrganizationOf", "明川集团") not in relations(ex)


def test_a_headline_relation_in_short_forms_of_the_bodys_names(nlp):
    ex = extract(
        "4月16日，溪岚大学北湾第二医院与江州市人民政府签订了合作办医协议。",
        nlp,
        title="北湾二院与江州市政府签约合作办医 将建北湾妇女儿童医院",
    )
    ops = relations(ex, "operatesHospital")
    assert (
        "溪岚大学北湾第二医院",
        "operatesHospital",
        "北湾妇女儿童医院",
    ) not in ops  # not in the body
    ex = extract(
        "4月16日，溪岚大学北湾第二医院与江州市人民政府签订了合作办医协议，共建北湾妇女儿童医院。",
        nlp,
        title="北湾二院与江州市政府签约合作办医 将建北湾妇女儿童医院",
    )
    heads = {(r.subject, r.object) for r in ex.relations if r.sentence == -1}
    assert ("溪岚大学北湾第二医院", "北湾妇女儿童医院") in heads
    assert ("江州市人民政府", "北湾妇女儿童医院") in heads


def test_a_takeover_in_the_passive_after_a_short_clause(nlp):
    ex = extract("今年8月，江州二院再度易主，被澜石制药以3.6亿元收购。", nlp)
    assert ("澜石制药", "operatesHospital", "江州二院") in relations(ex)


def test_deng_after_a_persons_name_is_not_in_it(nlp):
    ex = extract(
        "江州省人民医院院长孙首一等医疗业内人士，也就中国如何发展移动互联网医院谈了各自的看法。",
        nlp,
    )
    assert ("孙首一", "江州省人民医院", "院长") in positions(ex)


def test_a_description_between_titles_and_their_person(nlp):
    ex = extract("明川医院院长、中国工程院院士、传染病学专家周航介绍说，医院定位清晰。", nlp)
    assert {("周航", "明川医院", "院长"), ("周航", "中国工程院", "院士")} <= positions(ex)


def test_a_district_head_goes_to_its_government_named_with_its_city(nlp):
    ex = extract(
        "江州市澜石区人民政府与明川医院签署合作协议。"
        "澜石区委副书记、区长陈远与明川医院院长周航作为双方代表签字。",
        nlp,
    )
    assert ("陈远", "presidentOf", "江州市澜石区人民政府") in relations(ex)


def test_a_centre_of_a_commission_is_a_body_of_its_own(nlp):
    ex = extract("北湾省卫健委医疗管理服务指导中心主任周航认为，互联网医院顺应了潮流。", nlp)
    assert ("周航", "北湾省卫健委医疗管理服务指导中心", "主任") in positions(ex)


def test_a_name_before_a_heads_title_and_a_person_is_an_organization(nlp):
    ex = extract(
        "到场的嘉宾有:禾岚创始人兼CEO林海,北湾口腔CEO周航,松禾医生总裁陈远,"
        "常务副总裁孙首一,助理总裁赵明川。",
        nlp,
    )
    assert {("林海", "ceoOf", "禾岚"), ("周航", "ceoOf", "北湾口腔")} <= relations(ex)
    assert ("陈远", "presidentOf", "松禾医生") in relations(ex)
    assert not {"常务副", "常务", "助理"} & set(ex.names)
    ex = extract("星桥医疗互联网医疗事业部总经理伍思齐介绍,平台将上线。", nlp)
    assert "互联网医疗事业部" not in ex.names


def test_an_investor_listed_whole_though_the_tagger_guessed_its_start(nlp):
    ex = extract("此前的投资方包括北湾创投、MXC溪岚亚洲投资基金、明川资本等。", nlp)
    assert {"北湾创投", "MXC溪岚亚洲投资基金", "明川资本"} <= set(ex.names)
    assert "MXC溪岚亚洲投资" not in ex.names


def test_every_builder_listed_after_you_builds_the_hospital(nlp):
    ex = extract(
        "北湾互联网医院由禾医与江州省第四医院合作共建。"
        "江州牙科明川口腔医院由江州牙科、北湾口腔医院与溪岚口腔三方联手建设。",
        nlp,
    )
    assert {
        ("禾医", "operatesHospital", "北湾互联网医院"),
        ("江州省第四医院", "operatesHospital", "北湾互联网医院"),
        ("溪岚口腔", "operatesHospital", "江州牙科明川口腔医院"),
        ("江州牙科", "operatesHospital", "江州牙科明川口腔医院"),
    } <= relations(ex)


def test_a_subject_signing_with_each_of_a_list_is_a_name(nlp):
    ex = extract(
        "10月27日,明川中国分别与北湾大学、江州市人民政府以及溪岚新区管委签署了重要协议。", nlp
    )
    assert {
        ("北湾大学", "明川中国", "partnersWith"),
        ("明川中国", "溪岚新区管委", "partnersWith"),
    } <= relations(ex)
    assert ("北湾大学", "溪岚新区管委", "partnersWith") not in relations(ex)


def test_a_parent_named_after_its_kin_word(nlp):
    ex = extract("然而,作为社会出资方的江州瀚新公司及其母公司明川捷尔集团却接连出事。", nlp)
    assert ("江州瀚新公司", "subOrganizationOf", "明川捷尔集团") in relations(ex)


def test_a_grandchild_company_is_a_unit(nlp):
    ex = extract("投资完成后,江州维力康公司将成为北湾健康集团的控股孙公司。", nlp)
    assert ("江州维力康公司", "subOrganizationOf", "北湾健康集团") in relations(ex)


def test_a_universitys_counted_hospitals_are_its_units_even_when_a_tie_ends(nlp):
    ex = extract(
        "明川捷尔集团此前与北湾军医大学三家附属医院——溪岚医院、大坪医院和新桥医院——"
        "之间的合作关系全部终止。北湾医科大学的两家附属医院江州医院和明川医院开通了互联网医院。",
        nlp,
    )
    units = {(h, "subOrganizationOf", "北湾军医大学") for h in ("溪岚医院", "大坪医院", "新桥医院")}
    assert units <= relations(ex)
    assert ("江州医院", "subOrganizationOf", "北湾医科大学") in relations(ex)
    assert not relations(ex, "partnersWith")
    assert not any("附属医院" in n or "三家" in n for n in ex.names)


def test_a_names_last_character_read_as_a_verb_stays_in_the_name(nlp):
    ex = extract("北湾医院院长周明献签署协议。江州医院院长李建国签署协议。", nlp)
    assert {("周明献", "北湾医院", "院长"), ("李建国", "江州医院", "院长")} <= positions(ex)
    assert "周明" not in ex.names


def test_hospitals_counted_after_their_owner_and_listed(nlp):
    ex = extract(
        "座谈会上,陈远听取了松禾医疗在北湾的三家医疗机构——北湾松禾医院、江州医院和明川医院"
        "关于改革发展的汇报。溪岚集团目前拥有两家医院:澜石医院和北溪医院。",
        nlp,
    )
    assert {
        ("松禾医疗", "operatesHospital", h) for h in ("北湾松禾医院", "江州医院", "明川医院")
    } <= relations(ex)
    assert {("溪岚集团", "operatesHospital", h) for h in ("澜石医院", "北溪医院")} <= relations(ex)


def test_verbs_glued_to_either_end_of_a_name_stay_out_of_it(nlp):
    ex = extract(
        "(江州大学华西第二医院与北湾市人民政府合作办医签约现场)"
        "并通过参股北湾控股集团将业务覆盖至医药商业。北湾医院将开始托管江州县中医院。"
        "北湾同仁堂中医医院和溪岚保健院三家医院合计贡献收入过半。",
        nlp,
    )
    names = set(ex.names)
    assert {"北湾市人民政府", "北湾控股集团", "江州县中医院", "溪岚保健院"} <= names
    assert not {n for n in names if n.endswith("合作") or n.startswith(("参股", "托管"))}
    assert not {n for n in names if "三家" in n}


def test_the_local_government_is_no_name(nlp):
    ex = extract("2016年1月,我们和当地政府签约,开始托管江州县中医院。", nlp)
    assert "当地政府" not in ex.names


def test_a_listed_company_described_is_no_name(nlp):
    ex = extract(
        "这件事近日在江州引发关注,也让一家A股上市公司浮出水面。"
        "这家医院的控股股东,正是创业板上市公司北湾信息(300288)。",
        nlp,
    )
    assert "北湾信息" in ex.names
    assert not {n for n in ex.names if "上市公司" in n}


def test_a_name_the_lexer_reads_as_a_verb_or_glues_to_a_joiner(nlp):
    ex = extract(
        "北湾医科大学党委书记王军、校长解军,江州医院党委书记陈远出席。(北湾市卫健委主任罗乐宣与明川集团签约)"
        "江州医院院长周航参与签约,教授惠泽桑梓。",
        nlp,
    )
    assert {("解军", "北湾医科大学", "校长"), ("罗乐宣", "北湾市卫健委", "主任")} <= positions(ex)
    assert ("周航", "江州医院", "院长") in positions(ex)
    assert not {"罗乐", "周航参", "惠泽"} & set(ex.names)


def test_latin_names_in_a_list_of_investors(nlp):
    ex = extract("投资方包括北湾资本、Riverton、松禾科技、5K和BROOK。", nlp)
    assert {"Riverton", "5K", "BROOK"} <= set(ex.names)


def test_the_other_items_of_a_list_of_names_are_names(nlp):
    ex = extract("参与本轮的还有北湾资本、溪岚创投、Lakeside、明川科技和松禾健康等机构。", nlp)
    assert "Lakeside" in ex.names
    assert "溪岚创投" in ex.names


def test_a_list_with_few_names_adds_none(nlp):
    ex = extract("北湾医院设有心内科、神经科、Lakeside和外科。", nlp)
    assert "Lakeside" not in ex.names


def test_a_description_before_a_suffix_names_nothing(nlp):
    ex = extract("这家非营利性的新型混合所有制医院从一开始就承载着很高的期望。", nlp)
    assert not ex.names
    ex = extract("北湾医院将发挥高水平医院的引领作用。", nlp)
    assert set(ex.names) == {"北湾医院"}


def test_common_words_joined_are_no_parties(nlp):
    ex = extract("有他在，很多困惑和恐慌也就无从产生。\n不妨探索网络医院与药店合作的模式。", nlp)
    assert not {"恐慌", "很多困惑", "药店"} & set(ex.names)


def test_a_controlling_purchase_runs_the_hospital(nlp):
    ex = extract(
        "北湾医科（01234.HK）发布公告。\n"
        "北湾医科以9.75亿元拿下江州友谊医院75%的股权。\n"
        "北湾医科以1.2亿元买下溪岚医院10%的股权。",
        nlp,
    )
    assert relations(ex, "operatesHospital") == {("北湾医科", "operatesHospital", "江州友谊医院")}
    assert "溪岚医院" in ex.names  # not 下溪岚医院: 买下 is one word


def test_a_sum_and_a_verb_glued_before_a_hospital(nlp):
    ex = extract("2018年，北湾医科集团以1.3亿元控股松禾华健医院，在西南地区再添一城。", nlp)
    assert ("北湾医科集团", "operatesHospital", "松禾华健医院") in relations(ex)


def test_hospitals_listed_one_by_one_after_a_count(nlp):
    ex = extract(
        "北湾泓天医疗管理有限公司旗下有三家口腔医院，分别为江州口腔医院、"
        "北岭口腔医院以及松禾口腔医院（持股70%）。",
        nlp,
    )
    assert {o for _, _, o in relations(ex, "operatesHospital")} == {
        "江州口腔医院",
        "北岭口腔医院",
        "松禾口腔医院",
    }


def test_a_sentence_opening_with_its_owners_word_goes_on_from_the_last_subject(nlp):
    ex = extract(
        "北湾康宁医院（02120）日前公告称，公司正在研究发行内资股。\n"
        "登陆港股后，集团的医院网络越做越大。\n"
        "旗下3家自有医院——江州康宁医院、北岭康宁医院和松禾康宁医院，床位相当紧俏。\n"
        "从去年起，北岭怡宁医院和江州仁一医院先后交由集团托管。",
        nlp,
    )
    assert ex.names["北湾康宁医院"].type == "Company"  # a hospital's name with a stock code
    assert {o for s, _, o in relations(ex, "operatesHospital") if s == "北湾康宁医院"} == {
        "江州康宁医院",
        "北岭康宁医院",
        "松禾康宁医院",
        "北岭怡宁医院",
        "江州仁一医院",
    }
    codes = {(a.subject, a.value) for a in ex.attributes if a.key == "stockCode"}
    assert codes == {("北湾康宁医院", "02120")}


def test_a_year_in_parentheses_is_no_stock_code(nlp):
    ex = extract("北湾医院（2019）年度报告发布。", nlp)
    assert not [a for a in ex.attributes if a.key == "stockCode"]


def test_purchases_said_one_after_another_go_on_from_the_buyer(nlp):
    ex = extract(
        "北湾医科（01234.HK）发布公告。\n"
        "梳理其并购历程：2017年，公司以9.75亿元拿下江州友谊医院75%的股权；"
        "2018年，以1.3亿元控股溪岚华健医院；2021年，又以6.31亿元全资收购明川广慈肿瘤医院。",
        nlp,
    )
    assert {o for s, _, o in relations(ex, "operatesHospital") if s == "北湾医科"} == {
        "江州友谊医院",
        "溪岚华健医院",
        "明川广慈肿瘤医院",
    }


def test_a_clause_with_no_subject_after_a_seller_buys_nothing_for_it(nlp):
    ex = extract(
        "这批标的均由江州明川医疗产业投资基金合伙企业（有限合伙）出让，具体包括：\n"
        "以3,254.76万元收购松禾北湾眼科医院有限公司70%的股权；",
        nlp,
    )
    assert not relations(ex, "operatesHospital")


def test_the_company_of_a_listed_companys_news_is_the_listed_one(nlp):
    ex = extract(
        "北岭集团旗下的上市公司溪岚生物（300143.SZ）发布公告。\n"
        "北岭集团表示支持，北岭集团的医疗版图由此扩大，北岭集团很看重这笔交易。\n"
        "公司以9.75亿元拿下江州友谊医院75%的股权。",
        nlp,
    )
    assert ("溪岚生物", "operatesHospital", "江州友谊医院") in relations(ex)


def test_a_group_word_in_parentheses_stays_in_the_legal_name(nlp):
    ex = extract(
        "上海北湾医药（集团）股份有限公司的控股子公司上海北湾医院投资（集团）有限公司"
        "（以下简称“北湾医院投资”）与江州市人民政府签署了合作协议。",
        nlp,
    )
    assert ("上海北湾医院投资(集团)有限公司", "江州市人民政府", "partnersWith") in relations(ex)
    assert (
        "上海北湾医院投资(集团)有限公司",
        "subOrganizationOf",
        "上海北湾医药(集团)股份有限公司",
    ) in relations(ex)


def test_a_hospitals_company_with_its_place_in_parentheses(nlp):
    ex = extract("会议审议通过了《关于收购北湾互联网医院（平潭）有限公司股权的议案》。", nlp)
    assert "北湾互联网医院(平潭)有限公司" in ex.names


def test_the_company_announced_to_sign_with_two_makes_three_partners(nlp):
    ex = extract(
        "北湾医疗发布公告，宣布公司已与国家明川总局以及江州信托订立一份合作共建框架协议。", nlp
    )
    assert partners(ex) == {
        frozenset({"北湾医疗", "国家明川总局"}),
        frozenset({"北湾医疗", "江州信托"}),
        frozenset({"国家明川总局", "江州信托"}),
    }


def test_a_joining_word_glued_between_two_names_parts_them(nlp):
    ex = extract("9月3日，北岭大学第一医院同溪岚市人民政府的合作签约仪式举行。", nlp)
    assert partners(ex) == {frozenset({"北岭大学第一医院", "溪岚市人民政府"})}
    ex = extract("第一项是北湾集团向江州大学捐助资金10亿元。", nlp)
    assert "江州大学" in ex.names and "北湾集团向江州大学" not in ex.names


def test_a_partnerships_legal_form_in_parentheses_is_part_of_its_name(nlp):
    ex = extract("北湾公司受让宁波北岭华京股权投资合伙企业（有限合伙）持有的7%股权。", nlp)
    assert "宁波北岭华京股权投资合伙企业(有限合伙)" in ex.names


def test_a_second_name_of_the_same_kind_in_parentheses_is_an_alias(nlp):
    ex = extract("今年10月，洪江区人民政府刚与北湾大学人民医院（省人民医院）签约。", nlp)
    assert partners(ex) == {frozenset({"洪江区人民政府", "北湾大学人民医院"})}
    assert ("北湾大学人民医院", "省人民医院", "alias-parenthesis") in ex.same_as


def test_a_word_for_the_company_in_its_alias_parenthesis_is_no_name(nlp):
    ex = extract(
        "北湾眼科医院集团股份有限公司（以下简称“公司”）将动用自有资金收购这39家医疗机构。\n"
        "12月24日，公司当天召开董事会，董事长林海主持会议。",
        nlp,
    )
    assert "公司" not in ex.names


def test_who_makes_a_hospital_into_something_runs_it(nlp):
    ex = extract(
        "根据规划，北湾省医疗健康集团有限公司和江州县人民政府将以资源共享的方式，"
        "努力把江州县第二人民医院建成一所现代化综合医院。",
        nlp,
    )
    assert relations(ex, "operatesHospital") == {
        ("北湾省医疗健康集团有限公司", "operatesHospital", "江州县第二人民医院"),
        ("江州县人民政府", "operatesHospital", "江州县第二人民医院"),
    }


def test_a_unit_that_buys_for_its_parent_runs_what_it_buys_and_so_does_the_parent(nlp):
    ex = extract(
        "3月28日，北湾医疗电气股份有限公司宣布其下属子公司北湾康复医疗投资管理有限公司"
        "（以下简称“康复投资”）拟以合计8.44亿元的价格，收购江州明州康复医院、"
        "松禾明州康复医院共2家医院的100%股权。",
        nlp,
    )
    assert {(s, o) for s, _, o in relations(ex, "operatesHospital")} == {
        (s, o)
        for s in ("北湾医疗电气股份有限公司", "北湾康复医疗投资管理有限公司")
        for o in ("江州明州康复医院", "松禾明州康复医院")
    }


def test_a_hospitals_legal_name_is_a_hospital_its_buyers_parent_runs(nlp):
    ex = extract(
        "今年2月11日，北湾医疗表示，其全资子公司江州永道医疗投资管理有限公司"
        "将以6000万元受让松禾福利医院有限公司100%的股权。",
        nlp,
    )
    assert ex.names["松禾福利医院有限公司"].type == "Hospital"
    assert {s for s, _, o in relations(ex, "operatesHospital")} == {
        "北湾医疗",
        "江州永道医疗投资管理有限公司",
    }


def test_former_glued_before_a_name_is_not_part_of_it(nlp):
    ex = extract(
        "品牌统一叫作“小荷”，由原北湾副总裁吴海峰负责。\n前江华医疗集团副总经理林海加入。", nlp
    )
    assert not {n for n in ex.names if n[0] in "原前"}


def test_a_party_with_its_owner_before_it_is_the_hospital_alone(nlp):
    ex = extract(
        "北湾生命旗下江州友谊医院与松禾医学院签约。",
        nlp,
        title="北湾生命旗下江州友谊医院与松禾医学院签约 探索产学研医协同创新",
    )
    assert "北湾生命旗下江州友谊医院" not in ex.names
    assert partners(ex) == {frozenset({"江州友谊医院", "松禾医学院"})}


def test_a_smart_hospital_project_and_a_new_campus_are_no_names(nlp):
    ex = extract(
        "双方签署了“5G智慧医院”项目合作协议。\n"
        "北湾医院新院区正式启用，北湾医院东院区同时开诊。\n"
        "江州市中心医院智慧医院信息化建设项目启动。",
        nlp,
    )
    assert {"北湾医院", "北湾医院东院区"} <= set(ex.names)
    assert not [n for n in ex.names if "智慧" in n or "新院区" in n]


def test_a_business_unit_set_up_belongs_to_who_sets_it_up(nlp):
    ex = extract(
        "北湾集团宣布成立松禾文旅事业部，由林海担任总经理。\n"
        "松禾科技宣布对组织架构进行升级：原先的“数字医疗事业部”正式升级为“溪岚健康事业群”。",
        nlp,
    )
    assert relations(ex, "subOrganizationOf") == {
        ("松禾文旅事业部", "subOrganizationOf", "北湾集团"),
        ("溪岚健康事业群", "subOrganizationOf", "松禾科技"),
    }


def test_a_hospital_said_to_be_the_groups_nth_is_its_own(nlp):
    ex = extract(
        "8月1日，北湾前海松禾医院正式开诊，这已经是江州集团的第五家大型医院。\n"
        "溪岚医院是北岭医学院最主要的教学医院之一。\n"
        "明川医院将成为青禾集团的合作医院。",
        nlp,
    )
    assert relations(ex, "operatesHospital") == {
        ("江州集团", "operatesHospital", "北湾前海松禾医院")
    }


def test_partners_that_go_on_to_invest_in_a_hospital_operate_it(nlp):
    ex = extract("溪岚保险与北湾大学附属明川医院合作，投资布局了北岭纪念医院。", nlp)
    assert relations(ex, "operatesHospital") == {
        ("溪岚保险", "operatesHospital", "北岭纪念医院"),
        ("北湾大学附属明川医院", "operatesHospital", "北岭纪念医院"),
    }


def test_a_count_of_the_parties_is_not_part_of_the_last_name():
    glued = Mention(20, 26, "北岭数据三方", "ORG", "Company", "lexer-org", 0.6, True)
    assert _without_trailing_word(glued, load_rules()).text == "北岭数据"
    whole = Mention(20, 24, "北岭数据", "ORG", "Company", "lexer-org", 0.6, True)
    assert _without_trailing_word(whole, load_rules()) == whole


def test_a_centre_named_after_a_brand_is_not_the_brands_department(nlp):
    ex = extract("双方共建“江州医疗大数据中心”。\n北溪医院信息中心主任林海出席。", nlp)
    assert "江州医疗" not in ex.names
    assert ("林海", "北溪医院", "信息中心主任") in positions(ex)


def test_a_ministry_in_hua_bu_is_not_cut_into_a_department():
    found = _lexer_orgs([Lex(0, 6, "江州信息化部", "ORG")], load_rules())
    assert [m.text for m in found] == ["江州信息化部"]
    found = _lexer_orgs([Lex(0, 7, "北湾科技市场部", "ORG")], load_rules())
    assert [m.text for m in found] == ["北湾科技"]


def test_a_shareholder_with_an_honorific_is_a_person_not_a_company(nlp):
    ex = extract("据了解，北湾仁和的唯一股东是林晓梅女士。", nlp)
    assert "林晓梅女士" not in ex.names


def test_parties_named_as_a_hospitals_co_builders_are_partners_and_operate_it(nlp):
    ex = extract("北湾友谊医院与江州自治区人民医院是北湾友谊医院江州医院的合作共建双方。", nlp)
    assert relations(ex) == {
        ("北湾友谊医院", "江州自治区人民医院", "partnersWith"),
        ("北湾友谊医院", "operatesHospital", "北湾友谊医院江州医院"),
        ("江州自治区人民医院", "operatesHospital", "北湾友谊医院江州医院"),
    }


def test_a_second_signing_said_with_ze_has_its_own_parties(nlp):
    ex = extract(
        "当天，北湾卫生局与松禾医学集团签订了框架协议，江州卫生局则与松禾医学集团签订了投资协议。",
        nlp,
    )
    assert frozenset({"江州卫生局", "松禾医学集团"}) in partners(ex)


def test_bodies_that_jointly_set_up_a_centre_are_partners(nlp):
    ex = extract(
        "据介绍，创新中心由北湾先进技术研究院、江州明川医疗电子股份有限公司等单位联合牵头组建。",
        nlp,
    )
    assert partners(ex) == {frozenset({"北湾先进技术研究院", "江州明川医疗电子股份有限公司"})}


def test_a_board_vice_chair_who_is_also_president_heads_the_company(nlp):
    ex = extract(
        "当天到场的嘉宾包括：北湾集团董事局副主席兼总裁林海钧，北湾健康集团董事长谈朝晖。", nlp
    )
    assert ("林海钧", "北湾集团", "董事局副主席兼总裁") in positions(ex)
    assert ("林海钧", "presidentOf", "北湾集团") in relations(ex)
    assert ("林海钧", "chairOf", "北湾集团") not in relations(ex)


def test_the_bodys_own_word_glued_after_its_name_is_cut_off(nlp):
    ex = extract(
        "出席仪式的有：北岭大学校党委书记俞红贤。\n北湾市第一医院院党委副书记孙明翰参加了会议。",
        nlp,
    )
    assert {(p, o) for p, o, _ in positions(ex)} == {
        ("俞红贤", "北岭大学"),
        ("孙明翰", "北湾市第一医院"),
    }
    assert ex.names["北湾市第一医院"].type == "Hospital"


def test_a_party_committee_member_who_is_also_deputy_head_shares_the_listed_body(nlp):
    ex = extract("北湾中医药大学第一附属医院党委书记程博、党委成员兼副院长肖清华出席。", nlp)
    assert ("肖清华", "北湾中医药大学第一附属医院", "党委成员兼副院长") in positions(ex)


def test_each_of_several_appointments_in_one_sentence_is_in_the_company(nlp):
    ex = extract(
        "北湾医疗发布公告。董事会同时聘任王毅担任公司总经理，聘任徐国喜为财务总监，"
        "聘任张华为董事会秘书。",
        nlp,
    )
    assert {(p, o) for p, o, _ in positions(ex)} == {
        ("王毅", "北湾医疗"),
        ("徐国喜", "北湾医疗"),
        ("张华", "北湾医疗"),
    }


def test_bodies_that_sign_to_move_into_a_park_are_not_partners(nlp):
    ex = extract(
        "北湾控股、松禾集团、明川大学、溪岚科技等一批研发机构、高校和企业签约正式入驻。", nlp
    )
    assert not partners(ex)


def test_a_sentence_with_a_place_as_subject_carries_no_partner_from_before(nlp):
    ex = extract(
        "北湾医药集团与松禾医院签署战略合作协议。"
        "当前，南明区正以实施行动为重要牵引，与江州省中医院开展战略合作。",
        nlp,
    )
    assert partners(ex) == {frozenset({"北湾医药集团", "松禾医院"})}


def test_a_hospital_holding_company_and_a_research_institute_are_no_hospitals(nlp):
    ex = extract(
        "北湾医疗与其全资附属公司北湾医院控股有限公司订立协议。\n"
        "北湾集团下属的核心研发基地——北湾医药工业研究总院与松禾大学签约。",
        nlp,
    )
    assert ex.names["北湾医院控股有限公司"].type == "Company"
    assert ex.names["北湾医药工业研究总院"].type == "University"
    assert not relations(ex, "operatesHospital")


def test_the_head_of_the_presidents_office_is_not_the_president(nlp):
    ex = extract("北湾医院方面出席签约仪式的有：院长罗凤鸣，院长办公室主任赵欣。", nlp)
    assert relations(ex, "presidentOf") == {("罗凤鸣", "presidentOf", "北湾医院")}
    assert ("赵欣", "北湾医院", "院长办公室主任") in positions(ex)


def test_who_will_run_a_hospital_once_it_is_built_operates_it(nlp):
    ex = extract(
        "按照协议，江州市第一人民医院建成后，将由江州市人民医院负责医院的运行和管理。", nlp
    )
    assert relations(ex, "operatesHospital") == {
        ("江州市人民医院", "operatesHospital", "江州市第一人民医院")
    }


def test_a_hospital_that_becomes_a_universitys_directly_run_hospital_is_run_by_it(nlp):
    ex = extract("自此，北湾茅台医院正式成为松禾医科大学的直属附属医院。", nlp)
    assert relations(ex, "operatesHospital") == {
        ("松禾医科大学", "operatesHospital", "北湾茅台医院")
    }


def test_a_hospital_said_to_belong_to_a_bodys_directly_run_units_is_run_by_it(nlp):
    ex = extract(
        "北湾市眼科医院是北湾唯一的一家三级眼病专科医院，属于北湾申康医院发展中心直属的三级医疗单位。",
        nlp,
    )
    assert ("北湾申康医院发展中心", "operatesHospital", "北湾市眼科医院") in relations(ex)


def test_signatories_named_as_the_first_and_second_party_sign_for_their_bodies(nlp):
    ex = extract(
        "北湾市眼病医院执行主任许迅，与溪岚信息股份有限公司高级副总裁翁思跃，"
        "分别作为甲方和乙方的代表，签下了战略合作框架协议。",
        nlp,
    )
    assert partners(ex) == {frozenset({"北湾市眼病医院", "溪岚信息股份有限公司"})}


def test_the_named_ones_of_many_partners_are_each_a_partner(nlp):
    ex = extract(
        "目前，北湾东山医院已与松禾医科大学、江州省肿瘤医院、明川超级医院等多家国内外机构达成深度合作。\n"
        "北湾医院与多家医院达成合作。",
        nlp,
    )
    assert partners(ex) == {
        frozenset({"北湾东山医院", other})
        for other in ("松禾医科大学", "江州省肿瘤医院", "明川超级医院")
    }


def test_bodies_that_jointly_build_and_run_a_project_and_an_earlier_signing(nlp):
    ex = extract(
        "北湾市卫计委与江州熙康健康科技有限公司合力建设并运营的“北湾云医院”项目获奖。\n"
        "北湾医科大学是我省唯一一所医科高校，2014年12月曾与江州市政府签订全面合作框架协议。",
        nlp,
    )
    assert partners(ex) == {
        frozenset({"北湾市卫计委", "江州熙康健康科技有限公司"}),
        frozenset({"北湾医科大学", "江州市政府"}),
    }


def test_a_person_who_joins_a_company_and_takes_its_post_holds_it(nlp):
    ex = extract(
        "北湾健康宣布，王润东已经正式加盟北湾健康，担任公司总裁一职。\n"
        "北湾医药集团有限公司原董事长刘敬桢则调往江州物流集团有限公司，出任该公司党委书记、董事长。",
        nlp,
    )
    assert ("王润东", "北湾健康", "总裁") in positions(ex)
    assert ("刘敬桢", "江州物流集团有限公司", "党委书记、董事长") in positions(ex)


def test_a_husband_who_co_founds_is_a_person_and_then_chairs_the_company(nlp):
    ex = extract("马春娥与丈夫毛新生联手创办了北湾科技。她的丈夫毛新生则出任公司董事长。", nlp)
    assert not [n for n in ex.names if n.startswith("丈夫")]
    assert ("毛新生", "chairOf", "北湾科技") in relations(ex)


def test_heads_titled_shuzhang_and_yuanxiaozhang_head_their_bodies(nlp):
    ex = extract("北湾区投资推广署署长古菁华、北湾医学科学院松禾医学院院校长曹雪涛出席。", nlp)
    assert relations(ex, "presidentOf") == {
        ("古菁华", "presidentOf", "北湾区投资推广署"),
        ("曹雪涛", "presidentOf", "北湾医学科学院松禾医学院"),
    }


def test_common_phrases_around_a_frame_are_no_names(nlp):
    ex = extract(
        "希望双方借这次合作在科技创新和人才培养上携手共进。\n"
        "北湾医疗的规模体量与后两者并不在一个量级。\n"
        "加之合规风险和业务模式方面存在缺陷，在合作过程中需要谨慎。",
        nlp,
    )
    assert not {"人才培养上", "规模体量", "合规风险", "过程中"} & set(ex.names)


def test_descriptions_of_hospitals_and_firms_are_no_names(nlp):
    ex = extract(
        "北湾医院是北湾省第二家台资医院，也是一家中外合资医院。\n"
        "松禾资本是一家私募股权公司，与同业公司相比规模较小。",
        nlp,
    )
    assert {"北湾医院", "松禾资本"} <= set(ex.names)
    assert not {"北湾省第二家台资医院", "中外合资医院", "私募股权公司", "同业公司"} & set(ex.names)


def test_hospitals_said_to_be_a_schools_affiliated_hospitals_belong_to_it(nlp):
    ex = extract("北湾瑞金医院和北湾仁济医院均为北湾交通大学医学院的附属医院。", nlp)
    assert relations(ex, "subOrganizationOf") == {
        ("北湾瑞金医院", "subOrganizationOf", "北湾交通大学医学院"),
        ("北湾仁济医院", "subOrganizationOf", "北湾交通大学医学院"),
    }


def test_an_owner_before_qixia_is_a_name_over_the_taggers_guess_at_its_start(nlp):
    ex = extract(
        "据了解，医院投入使用后，将与北湾医学旗下北湾医学中心医院、北湾医学高新医院的专家资源无缝对接。\n"
        "北湾科技宣布将公司分拆旗下子公司上市。",
        nlp,
    )
    assert ("北湾医学", "operatesHospital", "北湾医学中心医院") in relations(ex)
    assert "公司分拆" not in ex.names


def test_a_securities_regulator_is_a_government_agency(nlp):
    ex = extract("北湾医疗已向中国证监会提交上市申请。", nlp)
    assert ex.names["中国证监会"].type == "GovernmentAgency"


def test_partners_of_a_fund_co_developers_and_co_founders_of_an_alliance(nlp):
    ex = extract(
        "北湾医疗产业投资基金完成注册，合伙人包括北湾医疗产业基金管理有限公司、江州资本投资管理有限公司。\n"
        "北湾健康大模型由北湾省第二人民医院与江州科技等合作伙伴共同自主研发。\n"
        "北湾省健康业联盟由北湾省健康产业促进会、北湾省老年人体育协会等联合动议发起。",
        nlp,
    )
    assert {
        frozenset({"北湾医疗产业基金管理有限公司", "江州资本投资管理有限公司"}),
        frozenset({"北湾省第二人民医院", "江州科技"}),
        frozenset({"北湾省健康产业促进会", "北湾省老年人体育协会"}),
    } <= partners(ex)


def test_a_hospital_founded_by_two_is_no_partner_of_them(nlp):
    ex = extract("北湾同济(江州)医院由北湾保险与江州同济医院合作成立，总投资约40亿元。", nlp)
    assert partners(ex) == {frozenset({"北湾保险", "江州同济医院"})}


def test_what_a_signing_is_about_is_no_party_to_it(nlp):
    ex = extract(
        "12月26日，北湾交通建设投资集团有限公司与北湾市一人民医院就北湾市中心医院、"
        "北湾市公共卫生医疗中心项目签订合作框架协议。\n"
        "早在2016年5月，北湾省政府就与江州集团签订了战略合作框架协议。",
        nlp,
    )
    assert partners(ex) == {
        frozenset({"北湾交通建设投资集团有限公司", "北湾市一人民医院"}),
        frozenset({"北湾省政府", "江州集团"}),
    }


def test_the_parent_of_unnamed_subsidiaries_is_no_party(nlp):
    ex = extract(
        "按照协议约定，北湾银行江州分行将联合北湾集团的子公司，为各卫生机构提供金融支持。", nlp
    )
    assert not partners(ex)


def test_a_name_that_joins_two_fields_with_yu_after_a_place_is_one_name(nlp):
    ex = extract(
        "杭州市卫计委与北湾六院合作建设杭州市骨科与糖尿病医院。\n杭州医院与江州医院签约。", nlp
    )
    assert "杭州市骨科与糖尿病医院" in ex.names
    assert ("杭州市卫计委", "operatesHospital", "杭州市骨科与糖尿病医院") in relations(ex)
    assert frozenset({"杭州医院", "江州医院"}) in partners(ex)


def test_a_party_and_its_unit_that_sign_each_partner_the_other_side(nlp):
    ex = extract(
        "4月16日，北湾国际医学投资股份有限公司与江州巴巴(中国)有限公司及其旗下的"
        "江州健康科技(中国)有限公司分别签约。",
        nlp,
    )
    assert partners(ex) == {
        frozenset({"北湾国际医学投资股份有限公司", "江州巴巴(中国)有限公司"}),
        frozenset({"北湾国际医学投资股份有限公司", "江州健康科技(中国)有限公司"}),
    }


def test_a_list_closed_by_a_word_for_companies_holds_names(nlp):
    ex = extract("近年来，溪岚、青禾和北岭软件等互联网企业纷纷布局医疗健康。", nlp)
    assert {"溪岚", "青禾", "北岭软件"} <= set(ex.names)


def test_a_list_of_common_nouns_before_such_a_word_holds_none(nlp):
    ex = extract("一头连着社区医生、公共卫生机构等医疗卫生机构，卫生、教育等部门也参与。", nlp)
    assert not ex.names


def test_the_words_before_a_list_of_builders_are_not_an_item(nlp):
    ex = extract("这次大会由江州医学会、明川健康基金会等多家机构共同发起。", nlp)
    assert "大会" not in ex.names and "明川健康基金会" in ex.names


def test_the_partners_build_what_a_later_clause_of_their_sentence_builds(nlp):
    ex = extract(
        "3月5日，江州医院与北湾市人民政府签署合作协议。"
        "双方将依托北湾市溪山区人民医院的迁建项目，共同建设松禾县中医院。",
        nlp,
    )
    operators = {s for s, p, o in relations(ex) if p == "operatesHospital" and o == "松禾县中医院"}
    assert operators == {"江州医院", "北湾市人民政府"}


def test_a_built_hospital_named_after_a_dash_or_as_its_name(nlp):
    ex = extract(
        "明川医院与松禾市政府签约。"
        "双方将依托松禾大学第一附属医院，合力打造国家区域医疗中心——明川医院松禾医院。"
        "北湾医院与江州市政府签约。"
        "双方将共同打造一所公立医院，医院名称定为“北湾医院江州妇女儿童医院”。",
        nlp,
    )
    assert {
        ("明川医院", "operatesHospital", "明川医院松禾医院"),
        ("松禾市政府", "operatesHospital", "明川医院松禾医院"),
        ("北湾医院", "operatesHospital", "北湾医院江州妇女儿童医院"),
        ("江州市政府", "operatesHospital", "北湾医院江州妇女儿童医院"),
    } <= relations(ex)


def test_a_hospital_founded_by_two_parties_together_is_run_by_both(nlp):
    ex = extract("松禾同济(江州)医院由松禾人寿与江州医院合作成立。", nlp)
    assert {
        ("松禾人寿", "operatesHospital", "松禾同济(江州)医院"),
        ("江州医院", "operatesHospital", "松禾同济(江州)医院"),
    } <= relations(ex)


def test_buying_a_hospital_outright_runs_it(nlp):
    ex = extract("北湾医疗同意买入江州千禾医院100%的股权。", nlp)
    assert ("北湾医疗", "operatesHospital", "江州千禾医院") in relations(ex)


def test_founding_a_unit_of_a_hospital_does_not_found_the_hospital(nlp):
    ex = extract(
        "江州医院（北湾）与松禾县中医医院开展合作，共同成立了江州医院（北湾）肛肠中心松禾分中心。",
        nlp,
    )
    assert not relations(ex, "operatesHospital")


def test_a_party_joins_hands_with_each_of_an_open_list(nlp):
    ex = extract("北湾健康还与江州药业、松禾制药和溪岚药业等战略合作药企联手，推出新服务。", nlp)
    assert partners(ex) == {
        frozenset({"北湾健康", "江州药业"}),
        frozenset({"北湾健康", "松禾制药"}),
        frozenset({"北湾健康", "溪岚药业"}),
    }


def test_an_open_list_after_with_partners_the_subject_of_the_sentence(nlp):
    ex = extract(
        "北湾国际医学中心依托平台，目前已经与江州医学会、明川集团等机构开展国际医疗合作。", nlp
    )
    assert partners(ex) == {
        frozenset({"北湾国际医学中心", "江州医学会"}),
        frozenset({"北湾国际医学中心", "明川集团"}),
    }


def test_a_medical_faculty_is_a_unit_of_its_university(nlp):
    ex = extract("江州大学与北湾集团签约。江州大学医学部也参与其中。", nlp)
    assert ("江州大学医学部", "subOrganizationOf", "江州大学") in relations(ex)


def test_a_person_said_to_be_a_head_holds_the_post(nlp):
    ex = extract("林海同时还是江州大学人民医院院长。周航是北湾医院的专家。", nlp)
    assert positions(ex) == {("林海", "江州大学人民医院", "院长")}


def test_a_college_s_head_is_not_cut_into_its_name(nlp):
    ex = extract("江州城市学院校长罗明出席。北湾医学院副院校长周航出席。", nlp)
    assert positions(ex) == {
        ("罗明", "江州城市学院", "校长"),
        ("周航", "北湾医学院", "副院校长"),
    }


def test_the_sides_of_an_agreement_are_no_parties(nlp):
    ex = extract("江州医院执行主任许明与明川信息副总裁翁立，分别作为甲方和乙方代表签约。", nlp)
    assert partners(ex) == {frozenset({"江州医院", "明川信息"})}


def test_the_head_of_an_office_holds_a_post_in_its_body(nlp):
    ex = extract(
        "江州大学与明川集团签约。仪式由江州大学校务办公室主任夏明主持。"
        "松禾区卫计局局长杨明、北湾大学医学部副主任肖明出席。北湾大学表示支持。",
        nlp,
    )
    assert positions(ex) == {
        ("夏明", "江州大学", "校务办公室主任"),
        ("杨明", "松禾区卫计局", "局长"),
        ("肖明", "北湾大学医学部", "副主任"),
    }
    assert ("夏明", "presidentOf", "江州大学校务办公室") not in relations(ex)


def test_bodies_left_unnamed_are_no_parties(nlp):
    ex = extract(
        "明川医院与江州市有关部门签署协议。"
        "北湾熙康健康科技有限公司和松禾财产保险股份有限公司也分别同江州市各委办局签署了协议。",
        nlp,
    )
    assert not partners(ex)
    assert not any("有关" in n or "各委办局" in n for n in ex.names)


def test_hospitals_listed_with_where_they_stand_are_the_owner_s(nlp):
    ex = extract(
        "北湾口腔集团于2019年上市。公司目前拥有并运营由3家民营牙科医院组成的网络，"
        "分别为江州市区的江州医院、松禾县的松禾医院和明川市的明川医院。",
        nlp,
    )
    assert relations(ex, "operatesHospital") == {
        ("北湾口腔集团", "operatesHospital", "江州医院"),
        ("北湾口腔集团", "operatesHospital", "松禾医院"),
        ("北湾口腔集团", "operatesHospital", "明川医院"),
    }


def test_a_group_that_takes_over_or_invests_in_building_a_hospital_runs_it(nlp):
    ex = extract("北湾集团投建的江州医院今年开业。明川集团入主松禾医院后，医院发展迅速。", nlp)
    assert {
        ("北湾集团", "operatesHospital", "江州医院"),
        ("明川集团", "operatesHospital", "松禾医院"),
    } <= relations(ex)


def test_an_operator_said_to_be_the_hospital_s_sponsor_runs_it(nlp):
    ex = extract(
        "北湾集团是江州医院的举办方。明川健康成立的青禾互联网医院获批。"
        "溪岚集团是松禾医院的合作方。",
        nlp,
    )
    assert relations(ex, "operatesHospital") == {
        ("北湾集团", "operatesHospital", "江州医院"),
        ("明川健康", "operatesHospital", "青禾互联网医院"),
    }


def test_this_hospital_with_a_description_points_back_to_the_last_one(nlp):
    ex = extract(
        "江州国际医院将于明年开业。"
        "这家三级综合性国际化医院由江州大学、江州市人民政府以及北湾集团三方共同建设。"
        "届时，松禾大学6家直属附属医院的专家都能借助这家智慧医院提供服务。",
        nlp,
    )
    assert relations(ex, "operatesHospital") == {
        ("江州大学", "operatesHospital", "江州国际医院"),
        ("江州市人民政府", "operatesHospital", "江州国际医院"),
        ("北湾集团", "operatesHospital", "江州国际医院"),
    }


def test_another_subsidiary_of_a_company_is_its_unit(nlp):
    ex = extract("北湾堂的另一家全资子公司松禾北湾堂药业有限公司也参与。", nlp)
    assert ("松禾北湾堂药业有限公司", "subOrganizationOf", "北湾堂") in relations(ex)


def test_a_count_of_units_is_no_name(nlp):
    ex = extract("北湾集团成立于2001年，下辖27个子分公司。", nlp)
    assert set(ex.names) == {"北湾集团"}


def test_an_honorific_the_lexer_glues_to_a_name_is_not_part_of_it(nlp):
    ex = extract("北湾健康总裁林海女士表示。", nlp)
    assert positions(ex) == {("林海", "北湾健康", "总裁")}


def test_the_one_who_takes_over_a_post_holds_it(nlp):
    ex = extract("北湾健康宣布，林海将接替周航担任公司CEO。", nlp)
    assert positions(ex) == {("林海", "北湾健康", "CEO")}


def test_agreeing_on_a_matter_is_a_partnership(nlp):
    ex = extract("北湾健康和江州医院就互联网医院建设达成一致。", nlp)
    assert partners(ex) == {frozenset({"北湾健康", "江州医院"})}


def test_parties_with_words_of_time_between_them_and_long_agreement_names(nlp):
    ex = extract(
        "北湾人工智能研究院今后将继续与江州大学开展紧密合作。"
        "北湾医学与松禾省慈善协会共同签署了价值200万元的松禾省慈善协会明川健康扶贫基金协议。"
        "北湾保险集团与溪岚大学签署了捐赠意向书。",
        nlp,
    )
    assert partners(ex) == {
        frozenset({"北湾人工智能研究院", "江州大学"}),
        frozenset({"北湾医学", "松禾省慈善协会"}),
        frozenset({"北湾保险集团", "溪岚大学"}),
    }


def test_a_body_whose_shareholders_sign_is_no_party(nlp):
    ex = extract(
        "北湾药业与江州医院以及松禾石化医院有限责任公司的32名自然人股东签署了增资协议。", nlp
    )
    assert partners(ex) == {frozenset({"北湾药业", "江州医院"})}


def test_a_hospital_s_own_internet_hospital_said_in_other_ways(nlp):
    ex = extract(
        "青禾互联网医院依托江州医院建设，由北湾健康提供技术支持。"
        "松禾医院的互联网医院“溪岚互联网医院”上线。"
        "明川医院获批以北岭互联网医院为第二名称。",
        nlp,
    )
    assert relations(ex, "operatesHospital") == {
        ("江州医院", "operatesHospital", "青禾互联网医院"),
        ("松禾医院", "operatesHospital", "溪岚互联网医院"),
        ("明川医院", "operatesHospital", "北岭互联网医院"),
    }


def test_a_company_that_joins_a_hospital_to_launch_one_runs_it_too(nlp):
    ex = extract("明川科技联合江州医院推出青禾互联网医院。北湾健康在松禾落地溪岚互联网医院。", nlp)
    assert relations(ex, "operatesHospital") == {
        ("明川科技", "operatesHospital", "青禾互联网医院"),
        ("江州医院", "operatesHospital", "青禾互联网医院"),
        ("北湾健康", "operatesHospital", "溪岚互联网医院"),
    }


def test_each_hospital_of_a_list_said_to_be_under_a_group_is_run_by_it(nlp):
    ex = extract("江州医院和松禾医院均为北湾集团旗下医院。明川集团下设溪岚医院和北岭医院。", nlp)
    assert relations(ex, "operatesHospital") == {
        ("北湾集团", "operatesHospital", "江州医院"),
        ("北湾集团", "operatesHospital", "松禾医院"),
        ("明川集团", "operatesHospital", "溪岚医院"),
        ("明川集团", "operatesHospital", "北岭医院"),
    }


def test_a_foreign_name_after_a_title_is_a_person(nlp):
    ex = extract(
        "北湾健康总裁岚娜·洛伦表示。江州医院首席医疗官Anna Berg出席。"
        "郑州大学专家教授故乡行·内乡站活动启动。",
        nlp,
    )
    assert positions(ex) == {
        ("岚娜·洛伦", "北湾健康", "总裁"),
        ("Anna Berg", "江州医院", "首席医疗官"),
    }


def test_the_companies_said_to_take_part_in_a_signing_are_names(nlp):
    ex = extract(
        "明川集团与江州医院举行签署仪式，参与签约的公司有北湾科技、青禾生技以及溪川医学等。", nlp
    )
    assert {"北湾科技", "青禾生技", "溪川医学"} <= set(ex.names)


def test_a_common_word_after_a_title_is_no_person(nlp):
    ex = extract("北湾联盟的部分理事单位代表也到场。他的明川医疗董事长任期为三年。", nlp)
    assert not [n for n, v in ex.names.items() if v.label == "PER"]


def test_words_for_kinds_of_bodies_are_no_names(nlp):
    ex = extract(
        "这四家合作医院均在江州。北湾医院已在154所乡镇卫生院部署系统。"
        "三家企业分别与市直部门签约。明川公司为制药公司提供服务。",
        nlp,
    )
    assert set(ex.names) <= {"北湾医院", "明川公司"}


def test_a_body_that_announces_or_speaks_is_a_name(nlp):
    ex = extract(
        "北湾健康公告称，公司营收增长。松禾医药方面表示，将继续投入。"
        "医院方面表示支持。院方相关负责人介绍了情况。",
        nlp,
    )
    assert set(ex.names) == {"北湾健康", "松禾医药"}


def test_a_year_between_the_parties_keeps_them_together(nlp):
    ex = extract("明川集团于2023年与江州医院签署战略合作协议。北湾健康今年3月与松禾医院签约。", nlp)
    assert partners(ex) == {
        frozenset({"明川集团", "江州医院"}),
        frozenset({"北湾健康", "松禾医院"}),
    }


def test_separate_signings_with_each_of_a_list_pair_the_subject_only(nlp):
    ex = extract(
        "明川集团与江州医院、松禾医院、北岭医院分别签署合作协议。"
        "北湾健康先后与溪岚医院、青禾医院签署合作协议。",
        nlp,
    )
    assert partners(ex) == {
        frozenset({"明川集团", "江州医院"}),
        frozenset({"明川集团", "松禾医院"}),
        frozenset({"明川集团", "北岭医院"}),
        frozenset({"北湾健康", "溪岚医院"}),
        frozenset({"北湾健康", "青禾医院"}),
    }


def test_a_signing_said_not_to_have_happened_is_no_partnership(nlp):
    ex = extract("明川集团与江州医院并未签署任何合作协议。", nlp)
    assert not partners(ex)


def test_founders_of_a_joint_company_are_partners(nlp):
    ex = extract("明川集团与北湾健康共同出资设立澜泽健康管理有限公司。", nlp)
    assert frozenset({"明川集团", "北湾健康"}) in partners(ex)


def test_running_said_with_a_year_or_an_aspect_particle(nlp):
    ex = extract("松禾医院自2018年起由明川集团托管。北湾集团目前运营着江州医院。", nlp)
    assert relations(ex, "operatesHospital") == {
        ("明川集团", "operatesHospital", "松禾医院"),
        ("北湾集团", "operatesHospital", "江州医院"),
    }


def test_a_public_hospital_management_centre_is_one_name(nlp):
    ex = extract("江州市医院管理中心与明川集团签署战略合作协议。", nlp)
    assert partners(ex) == {frozenset({"江州市医院管理中心", "明川集团"})}


def test_a_verb_or_a_preposition_next_to_a_name_is_not_part_of_it(nlp):
    ex = extract(
        "北湾健康宣布，周航接任公司董事长一职。明川集团董事长由王丽担任。"
        "松禾医疗CEO陈思远则表示，公司将扩张。林海受聘为江州医院院长。",
        nlp,
    )
    assert {p for p, _, _ in positions(ex)} == {"周航", "王丽", "陈思远", "林海"}


def test_a_description_before_a_name_is_not_part_of_it(nlp):
    ex = extract("医疗科技公司明川集团与江州医院签署合作协议。", nlp)
    assert partners(ex) == {frozenset({"明川集团", "江州医院"})}


def test_a_unit_named_after_its_parent_signs_instead_of_it(nlp):
    ex = extract("江州医院与明川集团旗下的北湾健康签署合作协议。", nlp)
    assert partners(ex) == {frozenset({"江州医院", "北湾健康"})}


def test_each_of_a_group_that_runs_a_hospital_together_runs_it(nlp):
    ex = extract(
        "明川集团和溪岚大学共同投资建设松禾医院。江州医院由北湾健康和青禾医疗共同运营。", nlp
    )
    assert relations(ex, "operatesHospital") == {
        ("明川集团", "operatesHospital", "松禾医院"),
        ("溪岚大学", "operatesHospital", "松禾医院"),
        ("北湾健康", "operatesHospital", "江州医院"),
        ("青禾医疗", "operatesHospital", "江州医院"),
    }
    assert partners(ex) == {
        frozenset({"明川集团", "溪岚大学"}),
        frozenset({"北湾健康", "青禾医疗"}),
    }


def test_both_sides_that_sign_after_a_visit_or_a_meeting_are_the_two_bodies(nlp):
    ex = extract(
        "明川集团董事长林海一行到访江州医院，双方签署了战略合作协议。"
        "北湾集团与松禾医院举行座谈。会上，双方签署了合作协议。"
        "溪岚大学校长王丽一行到访溪岚大学附属医院，双方签署了协议。",
        nlp,
    )
    assert partners(ex) == {
        frozenset({"明川集团", "江州医院"}),
        frozenset({"北湾集团", "松禾医院"}),
    }


def test_a_bare_hospital_or_group_as_subject_is_the_article_s(nlp):
    ex = extract("江州医院始建于1950年。近日，医院与明川集团签署合作协议。", nlp)
    assert partners(ex) == {frozenset({"江州医院", "明川集团"})}
    ex = extract("北湾集团成立于2010年。2018年，集团收购了松禾医院。", nlp)
    assert relations(ex) == {("北湾集团", "operatesHospital", "松禾医院")}


def test_a_title_said_to_be_held_by_a_person_is_theirs(nlp):
    ex = extract("北湾健康董事长为周航。江州医院院长为患者义诊。", nlp)
    assert positions(ex) == {("周航", "北湾健康", "董事长")}


def test_a_person_who_joins_a_body_and_takes_a_post_holds_it_there(nlp):
    ex = extract("周航加盟北湾健康，出任首席医疗官。", nlp)
    assert positions(ex) == {("周航", "北湾健康", "首席医疗官")}


def test_a_person_s_second_post_after_a_comma_of_enumeration(nlp):
    ex = extract("林海现任江州医院院长、溪岚大学医学院院长。", nlp)
    assert positions(ex) == {
        ("林海", "江州医院", "院长"),
        ("林海", "溪岚大学医学院", "院长"),
    }


def test_the_head_of_a_hospital_s_expert_committee_holds_a_post_in_the_hospital(nlp):
    ex = extract("江州医院专家委员会主任林海介绍。", nlp)
    assert positions(ex) == {("林海", "江州医院", "专家委员会主任")}
    assert not relations(ex, "presidentOf")
