"""Positions and head-of relations from the genre's constructions."""

from .extract_helpers import extract, positions, relations


def test_a_department_after_a_university_hospital_belongs_to_the_hospital(nlp):
    ex = extract("北湾大学第一医院中医药学部主任王娟出席。", nlp)
    assert positions(ex) == {("王娟", "北湾大学第一医院", "中医药学部主任")}


def test_title_chain_gives_one_position_and_both_relations(nlp):
    ex = extract("星衡科技董事长兼CEO陆明远出席了发布会。", nlp)
    assert positions(ex) == {("陆明远", "星衡科技", "董事长兼CEO")}
    assert relations(ex) >= {("陆明远", "chairOf", "星衡科技"), ("陆明远", "ceoOf", "星衡科技")}


def test_titles_at_two_organizations_for_one_person(nlp):
    ex = extract("澜石集团高级副总裁、澜石健康CEO郑可为表示，平台将扩容。", nlp)
    assert positions(ex) == {("郑可为", "澜石集团", "高级副总裁"), ("郑可为", "澜石健康", "CEO")}
    assert relations(ex, "ceoOf") == {("郑可为", "ceoOf", "澜石健康")}


def test_list_inherits_the_organization_and_deputies_give_no_head(nlp):
    ex = extract("青禾医疗董事长王立群、副总裁许嘉，以及江州市人民医院院长陈志刚出席仪式。", nlp)
    assert positions(ex) == {
        ("王立群", "青禾医疗", "董事长"),
        ("许嘉", "青禾医疗", "副总裁"),
        ("陈志刚", "江州市人民医院", "院长"),
    }
    assert ("许嘉", "presidentOf", "青禾医疗") not in relations(ex)
    assert ("陈志刚", "presidentOf", "江州市人民医院") in relations(ex)


def test_person_before_title_and_in_parentheses(nlp):
    ex = extract("林晓，博衡科技副总裁，介绍了项目。\n周睿（云岫医疗CEO）表示满意。", nlp)
    assert positions(ex) == {("林晓", "博衡科技", "副总裁"), ("周睿", "云岫医疗", "CEO")}


def test_caption_and_department_title(nlp):
    ex = extract("（禾川健康互联网医院事业部总经理陶嘉树）\n（南湖医院信息科主任何平）", nlp)
    assert positions(ex) == {
        ("陶嘉树", "禾川健康", "互联网医院事业部总经理"),
        ("何平", "南湖医院", "信息科主任"),
    }
    assert not relations(ex, "presidentOf")


def test_honorific_and_surname_title_are_not_people_or_positions(nlp):
    ex = extract("江东肿瘤防治联盟执行主席梁正华院长发言。梁院长认为合作前景广阔。", nlp)
    assert positions(ex) == {("梁正华", "江东肿瘤防治联盟", "执行主席")}
    people = {k for k, n in ex.names.items() if n.label == "PER"}
    assert people == {"梁正华"}


def test_party_secretary_and_president_chain(nlp):
    ex = extract("东岚医院党委副书记、院长周慕华介绍了情况。", nlp)
    assert positions(ex) == {("周慕华", "东岚医院", "党委副书记、院长")}
    assert relations(ex, "presidentOf") == {("周慕华", "presidentOf", "东岚医院")}


def test_alias_parentheses_between_organization_and_title(nlp):
    ex = extract("明川控股有限公司（以下简称“明川”，02706.HK）创始人兼董事长廖远表示满意。", nlp)
    assert ("廖远", "明川控股有限公司", "创始人兼董事长") in positions(ex)


def test_rotating_chair_is_a_chair(nlp):
    ex = extract("鸿泰科技轮值董事长徐明出席仪式。", nlp)
    assert positions(ex) == {("徐明", "鸿泰科技", "轮值董事长")}
    assert relations(ex, "chairOf") == {("徐明", "chairOf", "鸿泰科技")}


def test_appointments_name_the_person_before_the_organization(nlp):
    ex = extract("明川医疗发布公告，董事会同意聘任唐齐为公司总经理。\n韩卫出任北湾医院院长。", nlp)
    assert positions(ex) == {("唐齐", "明川医疗", "总经理"), ("韩卫", "北湾医院", "院长")}
