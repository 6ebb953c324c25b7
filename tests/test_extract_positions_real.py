"""Position constructions found in real news, one invented sentence each.

Each test stands for a construction that recurs in the real sets
(``data/real``); the names are invented, so a rule that passes them cannot
name a real party.
"""

from .extract_helpers import extract, positions, relations


def test_a_listed_title_with_a_department_inherits_the_organization(nlp):
    ex = extract("北湾医院院长林海、医务处处长周航、内分泌科副主任陈远出席签约仪式。", nlp)
    assert {("周航", "北湾医院", "医务处处长"), ("陈远", "北湾医院", "内分泌科副主任")} <= (
        positions(ex)
    )
    assert ("周航", "presidentOf", "北湾医院") not in relations(ex)  # a department's head


def test_a_committee_s_department_in_a_list_is_not_the_organization_s(nlp):
    ex = extract("江州市政府副市长林海、市委组织部副部长周航出席仪式。", nlp)
    assert not {p for p in positions(ex) if p[0] == "周航" and p[1] == "江州市政府"}


def test_finance_and_engineering_chiefs_are_titles(nlp):
    ex = extract("北湾集团总会计师林海、副总经理、总工程师周航出席。", nlp)
    assert {("林海", "北湾集团", "总会计师"), ("周航", "北湾集团", "副总经理、总工程师")} <= (
        positions(ex)
    )


def test_titles_at_two_organizations_joined_by_jian(nlp):
    ex = extract("澜石集团副总裁兼松禾研究院执行院长林海出席。", nlp)
    assert {("林海", "澜石集团", "副总裁"), ("林海", "松禾研究院", "执行院长")} <= positions(ex)


def test_a_party_post_then_the_mayor_goes_to_a_government_named_two_ways(nlp):
    ex = extract(
        "江州市人民政府与澜石集团签约。江州市政府副秘书长周航主持。江州市委副书记、市长林海出席。",
        nlp,
    )
    heads = {o for s, p, o in relations(ex) if (s, p) == ("林海", "presidentOf")}
    assert heads and heads <= {"江州市人民政府", "江州市政府"}


def test_a_listed_title_written_with_the_school_s_own_short_name(nlp):
    ex = extract("北湾大学校长林海、校党委副书记周航出席。", nlp)
    assert ("周航", "北湾大学", "党委副书记") in positions(ex)


def test_a_side_counted_then_listed(nlp):
    ex = extract("澜石医疗集团一方共有11人参会,包括副总经理林海先生、运营经理周航。", nlp)
    assert {("林海", "澜石医疗集团", "副总经理"), ("周航", "澜石医疗集团", "运营经理")} <= (
        positions(ex)
    )


def test_organizations_sharing_a_title_after_another_person(nlp):
    ex = extract("江州集团副总经理林海,松禾国际公司、松禾医疗总经理周航出席。", nlp)
    assert {("周航", "松禾国际公司", "总经理"), ("周航", "松禾医疗", "总经理")} <= positions(ex)


def test_a_business_vice_president_is_a_title(nlp):
    ex = extract("北湾医院业务院长林海、业务副院长周航出席。", nlp)
    assert ("周航", "北湾医院", "业务副院长") in positions(ex)


def test_a_clause_resumes_with_posts_of_the_person_named_before(nlp):
    ex = extract(
        "目前,林海任澜石健康董事长,并兼任澜石互联网科技有限公司执行董事、"
        "北湾澜石软件有限公司执行董事。",
        nlp,
    )
    assert {
        ("林海", "澜石互联网科技有限公司", "执行董事"),
        ("林海", "北湾澜石软件有限公司", "执行董事"),
    } <= positions(ex)


def test_current_posts_after_a_biography(nlp):
    ex = extract("林海出生于1993年,拥有硕士学位,现任江州松禾控股集团董事。", nlp)
    assert ("林海", "江州松禾控股集团", "董事") in positions(ex)


def test_people_counted_before_the_organization_of_their_shared_title(nlp):
    ex = extract(
        "江州医学会会长林海、北湾国家工程研究中心主任周航、北湾医院院长陈远"
        "等三位中国松禾院院士出席了论坛。",
        nlp,
    )
    assert {(p, "中国松禾院", "院士") for p in ("林海", "周航", "陈远")} <= positions(ex)
