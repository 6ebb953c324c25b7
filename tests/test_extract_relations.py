"""Partnerships, operated hospitals, sub-organizations and attributes."""

from .extract_helpers import extract, partners, relations


def test_two_and_three_party_partnerships(nlp):
    ex = extract("澜石健康与江州市第一人民医院达成战略合作。", nlp)
    assert partners(ex) == {frozenset({"澜石健康", "江州市第一人民医院"})}
    ex = extract("青禾医疗携手瑞康银行临海分行，与临海大学附属第二医院达成战略合作。", nlp)
    assert partners(ex) == {  # the three parties pairwise, each under its full name
        frozenset({"青禾医疗", "瑞康银行临海分行"}),
        frozenset({"青禾医疗", "临海大学附属第二医院"}),
        frozenset({"瑞康银行临海分行", "临海大学附属第二医院"}),
    }


def test_respectively_pairs_the_subject_with_each_party_only(nlp):
    ex = extract(
        "星衡科技当天分别与南屿市中医院、南屿市第三人民医院、南屿市妇幼保健院签署合作协议。", nlp
    )
    assert partners(ex) == {
        frozenset({"星衡科技", "南屿市中医院"}),
        frozenset({"星衡科技", "南屿市第三人民医院"}),
        frozenset({"星衡科技", "南屿市妇幼保健院"}),
    }


def test_dropped_plans_and_generic_partners_give_nothing(nlp):
    ex = extract(
        "博远医疗与泽丰健康此前宣布的合作已终止。\n博远医疗已与全国200余家医院开展合作。", nlp
    )
    assert partners(ex) == set()


def test_attendees_organizations_are_not_partners(nlp):
    ex = extract("澜石健康CEO郑可为、江州银行行长李默出席了签约仪式。", nlp)
    assert partners(ex) == set()


def test_signatories_partner_their_organizations(nlp):
    ex = extract(
        "会上，北湾部火炬中心副主任林海、松禾管委会主任周航和江州市人民政府市长陈远"
        "共同签署了三方协议。\n"
        "随后，江州医科大学第二医院副院长孙首一与明川县人民政府县长陈立分别代表医院和县政府，"
        "签署了托管框架协议。",
        nlp,
    )
    assert partners(ex) == {
        frozenset(pair)
        for pair in [
            ("北湾部火炬中心", "松禾管委会"),
            ("北湾部火炬中心", "江州市人民政府"),
            ("松禾管委会", "江州市人民政府"),
            ("江州医科大学第二医院", "明川县人民政府"),
        ]
    }


def test_a_place_as_a_party_is_its_government_when_the_article_names_it(nlp):
    ex = extract(
        "12月26日，北湾市与江州医科大学举行合作签约仪式，会后双方在北湾市参观。\n"
        "北湾市人民政府市长周航出席。",
        nlp,
    )
    assert partners(ex) == {frozenset(("北湾市人民政府", "江州医科大学"))}
    assert "北湾市" not in ex.names


def test_a_controlling_stake_runs_the_hospital_a_minority_one_does_not(nlp):
    ex = extract("北湾医疗持有江州医院10%的股权。\n澜石健康持有北岭医院53%的股权。", nlp)
    assert relations(ex, "operatesHospital") == {("澜石健康", "operatesHospital", "北岭医院")}


def test_internet_hospital_built_and_run_by_a_company(nlp):
    ex = extract("鹿鸣科技将负责华仁医院互联网医院的建设及运营。", nlp)
    assert ("鹿鸣科技", "operatesHospital", "华仁医院互联网医院") in relations(ex)
    # a hospital operates the internet hospital that bears its name
    assert ("华仁医院", "operatesHospital", "华仁医院互联网医院") in relations(ex)


def test_operated_by_after_the_hospital(nlp):
    ex = extract("深圳仁济医院互联网医院将由康和科技负责建设及运营。", nlp)
    assert ("康和科技", "operatesHospital", "深圳仁济医院互联网医院") in relations(ex)


def test_jointly_founded_centre_is_operated_by_each_founder(nlp):
    ex = extract("鹿鸣科技与华仁医院联合成立东川心血管互联网医疗中心。", nlp)
    ops = relations(ex, "operatesHospital")
    assert ("鹿鸣科技", "operatesHospital", "东川心血管互联网医疗中心") in ops
    assert ("华仁医院", "operatesHospital", "东川心血管互联网医疗中心") in ops


def test_suborganizations(nlp):
    ex = extract(
        "康拓集团的全资子公司迈联医疗发布新品。\n"
        "江州市第一人民医院下属的城东社区卫生服务中心、滨河社区卫生服务中心接入平台。\n"
        "瑞康银行股份有限公司临海分行提供授信。",
        nlp,
    )
    subs = relations(ex, "subOrganizationOf")
    assert ("迈联医疗", "subOrganizationOf", "康拓集团") in subs
    assert ("城东社区卫生服务中心", "subOrganizationOf", "江州市第一人民医院") in subs
    assert ("滨河社区卫生服务中心", "subOrganizationOf", "江州市第一人民医院") in subs
    assert ("瑞康银行股份有限公司临海分行", "subOrganizationOf", "瑞康银行股份有限公司") in subs


def test_a_name_before_its_kin_company_is_a_name(nlp):
    ex = extract(
        "溪岚颐养的母公司明川健康日前发布公告。\n北湾发展的控股子公司北湾医疗投资有限公司成立。",
        nlp,
    )
    assert relations(ex, "subOrganizationOf") == {
        ("溪岚颐养", "subOrganizationOf", "明川健康"),
        ("北湾医疗投资有限公司", "subOrganizationOf", "北湾发展"),
    }


def test_group_owns_the_hospital_under_it(nlp):
    ex = extract("启明星集团旗下的星衡互联网医院正式上线。", nlp)
    assert ("星衡互联网医院", "subOrganizationOf", "启明星集团") in relations(ex)
    assert ("启明星集团", "operatesHospital", "星衡互联网医院") in relations(ex)


def test_aliases_stock_codes_and_founding_years(nlp):
    ex = extract(
        "北京远枫医疗科技有限公司（以下简称“远枫医疗”，06618.HK）成立于2014年。\n"
        "始建于1937年的江州市第一人民医院与远枫医疗签约。",
        nlp,
    )
    assert ("北京远枫医疗科技有限公司", "远枫医疗", "alias-parenthesis") in ex.same_as
    attrs = {(a.subject, a.key, a.value) for a in ex.attributes}
    assert ("北京远枫医疗科技有限公司", "stockCode", "06618.HK") in attrs
    assert ("北京远枫医疗科技有限公司", "foundingYear", "2014") in attrs
    assert ("江州市第一人民医院", "foundingYear", "1937") in attrs


def test_anaphora_resolves_to_the_last_company(nlp):
    ex = extract(
        "博远医疗（下称“公司”）发布公告。\n该公司将负责西陵市中心医院互联网医院的运营。", nlp
    )
    assert ("博远医疗", "operatesHospital", "西陵市中心医院互联网医院") in relations(ex)


def test_brand_before_qixia_is_the_parent(nlp):
    ex = extract("明川医药旗下的明川健康将负责平台运营。", nlp)
    assert ("明川健康", "subOrganizationOf", "明川医药") in relations(ex)


def test_a_bare_noun_never_points_to_a_centre_named_later(nlp):
    ex = extract("澜石健康与江州医院共建互联网医院。\n此后，北湾医院互联网医院上线。", nlp)
    assert not any(
        o == "北湾医院互联网医院" and s == "澜石健康"
        for s, p, o in relations(ex, "operatesHospital")
    )
