"""Synthetic articles in the genre, for benchmarks: templates and name lists, a fixed seed.

Each article is a press release about internet healthcare: a company and a
hospital (sometimes a government body, a university hospital or a bank) sign a
partnership, build an internet hospital, and their leaders are quoted with
their titles; background paragraphs without names make up the rest, so the
length and the share of sentences with names are like those of the sample
articles (about 1,500 characters of text, 20 sentences).

Names come from pools that grow with the corpus (about one company per three
articles), so later articles mention organizations earlier ones did, under
their full, short or legal name, as news does.

Article ``i`` depends only on the seed and ``i``: the first 1,000 articles of a
10,000-article corpus are the 1,000-article corpus.

Usage::

    python benchmarks/generate.py 1000 corpus1000
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

__all__ = ["article", "write_corpus"]

SEED = 20240607

PLACES = [
    "北京",
    "上海",
    "广州",
    "深圳",
    "杭州",
    "南京",
    "苏州",
    "成都",
    "武汉",
    "西安",
    "重庆",
    "天津",
    "长沙",
    "郑州",
    "济南",
    "青岛",
    "厦门",
    "福州",
    "合肥",
    "昆明",
    "南宁",
    "贵阳",
]
PROVINCES = [
    "浙江省",
    "江苏省",
    "广东省",
    "四川省",
    "湖北省",
    "山东省",
    "福建省",
    "湖南省",
    "河南省",
    "安徽省",
    "云南省",
    "陕西省",
]
SYLLABLES = list(
    "康泰佳和明远瑞禾嘉信云舟百川华汇青岚远帆启松石润星河安泽鼎元宁博衍霁岫翎澜"
    "曜朗晟祺睿恒昊煦铭雅越峰晖芮骏璟弘毅宸桐柏杉榕楠"
)
SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹"
    "薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉红玉兰立新志海波宁"
    "鹏飞晨浩宇婷雪琳晓东亮斌宏"
)
COMPANY_TAILS = ["健康", "医疗", "科技", "数科", "智医"]
LEGAL = ["科技有限公司", "健康科技有限公司", "医疗科技有限公司", "信息技术有限公司"]
HOSPITAL_KINDS = ["人民医院", "中心医院", "中医院", "第一人民医院", "妇幼保健院", "医院"]
COMPANY_TITLES = ["董事长", "CEO", "总裁", "首席执行官", "副总裁", "总经理", "首席医疗官"]
HOSPITAL_TITLES = ["院长", "党委书记", "副院长", "党委书记、院长"]
DEPARTMENTS = ["心血管内科", "内分泌科", "儿科", "皮肤科", "呼吸内科", "肿瘤科", "眼科", "骨科"]

BACKGROUND = [
    "近年来，互联网医疗取得快速发展，线上问诊、电子处方和药品配送逐步走进大众生活。",
    "业内人士指出，互联网医院的核心在于把线下优质医疗资源延伸到线上，让患者少跑腿。",
    "随着医保线上支付政策的落地，越来越多的慢病患者选择在线复诊和续方。",
    "数据显示，国内互联网医院数量已超过一千家，但真正实现常态化运营的仍是少数。",
    "专家认为，数字化转型不是简单的技术叠加，而是服务流程和管理模式的重塑。",
    "在分级诊疗的大背景下，远程会诊和双向转诊成为医联体建设的重要抓手。",
    "患者通过手机即可完成预约挂号、报告查询、在线缴费等全流程服务。",
    "与会嘉宾围绕人工智能辅助诊断、医疗数据安全和基层能力提升等议题展开了讨论。",
    "下一步，双方将在慢病管理、健康体检和医学科研等领域持续深化合作。",
    "签约仪式上，与会代表共同见证了合作协议的签署。",
    "据了解，该平台上线以来累计服务患者超过十万人次，好评率保持在较高水平。",
    "业内普遍认为，医疗质量和患者安全始终是互联网诊疗的底线。",
    "此次合作也是推进“互联网＋医疗健康”示范建设的一项具体举措。",
    "线上诊疗与线下服务的深度融合，将带来医疗服务模式的新空间。",
]


def _brand(rnd: random.Random) -> str:
    return "".join(rnd.sample(SYLLABLES, 2))


def _person(rnd: random.Random) -> str:
    return rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.choice((1, 2))))


def _company(n: int) -> dict:
    """Company ``n`` of the pool: brand, short name, legal name, leader."""
    rnd = random.Random(f"{SEED}-company-{n}")
    brand = _brand(rnd)
    place = rnd.choice(PLACES)
    short = brand + rnd.choice(COMPANY_TAILS)
    return {
        "short": short,
        "legal": f"{place}{brand}{rnd.choice(LEGAL)}",
        "leader": _person(rnd),
        "title": rnd.choice(COMPANY_TITLES),
        "year": rnd.randint(2005, 2022),
        "code": f"0{rnd.randint(1000, 9999)}.HK",
    }


def _hospital(n: int) -> dict:
    rnd = random.Random(f"{SEED}-hospital-{n}")
    province = rnd.choice(PROVINCES)
    name = _brand(rnd) + rnd.choice(HOSPITAL_KINDS)
    return {
        "name": name,
        "full": province + name,
        "leader": _person(rnd),
        "title": rnd.choice(HOSPITAL_TITLES),
        "year": rnd.randint(1900, 2000),
        "university": _brand(rnd) + "大学" if rnd.random() < 0.3 else None,
    }


def article(i: int) -> tuple[str, str]:
    """The file name and text of synthetic article ``i``."""
    rnd = random.Random(f"{SEED}-article-{i}")
    pool = max(30, i // 3)
    c = _company(rnd.randrange(pool))
    h = _hospital(rnd.randrange(pool))
    other = _company(rnd.randrange(pool))
    city = rnd.choice(PLACES)
    dept = rnd.sample(DEPARTMENTS, 3)
    date = dt.datetime(2020, 1, 1) + dt.timedelta(hours=37 * i + rnd.randrange(24))
    hosp_full = f"{h['university']}附属{h['name']}" if h["university"] else h["full"]
    title = f"{c['short']}携手{h['name']}共建互联网医院"

    paragraphs = [
        f"本报{city}讯 近日，{c['legal']}（以下简称“{c['short']}”）与{hosp_full}"
        f"（以下简称“{h['name']}”）举行战略合作签约仪式。根据协议，双方将共建{h['name']}"
        f"互联网医院，由{c['short']}负责平台的建设及运营。",
        f"首批上线{dept[0]}、{dept[1]}和{dept[2]}三个专科门诊，患者通过手机即可完成复诊、"
        "处方流转和药品配送。",
        f"{h['name']}{h['title']}{h['leader']}在签约仪式上表示，医院过去几年一直在探索"
        "“线下诊疗＋线上随访”的模式，此次合作正好补齐了技术和运营上的短板。",
        f"{c['short']}{c['title']}{c['leader']}表示，公司将发挥自身在互联网医疗领域的经验，"
        "助力医院提升服务能力。",
        f"始建于{h['year']}年的{h['name']}是当地历史最悠久的综合医院之一。"
        f"{c['short']}成立于{c['year']}年，已在香港联交所上市（股票代码：{c['code']}）。",
    ]
    if rnd.random() < 0.5:
        paragraphs.append(
            f"此前，{c['short']}已与{other['short']}达成战略合作，双方将在健康管理领域"
            f"开展深度合作。{other['short']}{other['title']}{other['leader']}出席了此次活动。"
        )
    if rnd.random() < 0.3:
        agency = f"{city}市卫健委"
        paragraphs.append(
            f"{agency}医政医管处处长{_person(rnd)}出席活动并致辞，对双方的合作给予肯定。"
        )
    background = rnd.sample(BACKGROUND, 8)
    for k in range(0, len(background), 2):
        paragraphs.insert(rnd.randrange(1, len(paragraphs)), "".join(background[k : k + 2]))
    paragraphs.append(f"（{h['name']}{h['title']}{h['leader']}）")
    body = "".join(f'<p style="text-indent: 2em;">{p}</p>' for p in paragraphs)
    text = (
        f"---\ntitle: '{title}'\ncategories: \n - 医疗\n - 新闻\nauthor: 健康科技观察\n"
        f"comments: false\ndate: {date:%a, %d %b %Y %H:%M:%S} GMT\n---\n\n<div>\n{body}\n</div>\n"
    )
    return f"{i:06d}_synthetic.txt", text


def write_corpus(n: int, folder: str | Path, start: int = 0) -> list[Path]:
    """Write articles ``start`` to ``start + n - 1`` into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        name, text = article(i)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("folder", type=Path, help="where to write them")
    parser.add_argument("--start", type=int, default=0, help="number of the first article")
    args = parser.parse_args()
    write_corpus(args.n, args.folder, args.start)


if __name__ == "__main__":
    main()
