"""Names for the demo county: surnames by frequency, given names by sex and era, places.

Surname weights follow the national ranking (王 李 张 刘 陈 … in per-mille of the
population, rounded); villages in southern Jiangxi are usually dominated by two or three
clans, so each village also draws a few "clan" surnames from the ones common in Gannan
(刘 陈 钟 曾 谢 黄 肖 丁 管 邱 …). Every surname carries a plain-ASCII pinyin for usernames.

Township names are the real townships of 于都县; their codes (except 梓山镇 108, which the
brief fixes) and all village names are plausible inventions, not the official lists.
"""

from __future__ import annotations

from random import Random

from field_app.core.codes import Sex

# (surname, pinyin, weight ‰ of the national population)
SURNAMES: tuple[tuple[str, str, float], ...] = (
    ("王", "wang", 71.5), ("李", "li", 69.0), ("张", "zhang", 66.0), ("刘", "liu", 54.0),
    ("陈", "chen", 45.4), ("杨", "yang", 30.8), ("黄", "huang", 24.8), ("赵", "zhao", 22.9),
    ("吴", "wu", 20.5), ("周", "zhou", 20.1), ("徐", "xu", 16.8), ("孙", "sun", 15.4),
    ("马", "ma", 14.4), ("朱", "zhu", 13.8), ("胡", "hu", 13.1), ("郭", "guo", 11.8),
    ("何", "he", 11.7), ("林", "lin", 11.4), ("高", "gao", 11.1), ("罗", "luo", 10.9),
    ("郑", "zheng", 10.1), ("梁", "liang", 9.1), ("谢", "xie", 8.5), ("宋", "song", 7.8),
    ("唐", "tang", 7.7), ("许", "xu", 7.2), ("韩", "han", 7.0), ("冯", "feng", 6.9),
    ("邓", "deng", 6.8), ("曹", "cao", 6.7), ("彭", "peng", 6.3), ("曾", "zeng", 6.2),
    ("肖", "xiao", 6.0), ("田", "tian", 5.9), ("董", "dong", 5.5), ("袁", "yuan", 5.4),
    ("潘", "pan", 5.3), ("于", "yu", 5.2), ("蒋", "jiang", 5.1), ("蔡", "cai", 5.1),
    ("余", "yu", 5.0), ("杜", "du", 4.9), ("叶", "ye", 4.8), ("程", "cheng", 4.7),
    ("苏", "su", 4.4), ("魏", "wei", 4.3), ("吕", "lv", 4.2), ("丁", "ding", 4.1),
    ("任", "ren", 4.0), ("沈", "shen", 3.9), ("姚", "yao", 3.8), ("卢", "lu", 3.7),
    ("姜", "jiang", 3.6), ("崔", "cui", 3.5), ("钟", "zhong", 3.5), ("谭", "tan", 3.4),
    ("陆", "lu", 3.3), ("汪", "wang", 3.2), ("范", "fan", 3.1), ("金", "jin", 3.0),
    ("石", "shi", 3.0), ("廖", "liao", 2.9), ("贾", "jia", 2.9), ("夏", "xia", 2.8),
    ("韦", "wei", 2.8), ("付", "fu", 2.7), ("方", "fang", 2.6), ("白", "bai", 2.5),
    ("邹", "zou", 2.5), ("孟", "meng", 2.4), ("熊", "xiong", 2.4), ("秦", "qin", 2.3),
    ("邱", "qiu", 2.3), ("江", "jiang", 2.2), ("尹", "yin", 2.2), ("薛", "xue", 2.1),
    ("闫", "yan", 2.1), ("段", "duan", 2.0), ("雷", "lei", 2.0), ("侯", "hou", 1.9),
    ("龙", "long", 1.9), ("史", "shi", 1.8), ("陶", "tao", 1.8), ("黎", "li", 1.7),
    ("贺", "he", 1.7), ("顾", "gu", 1.6), ("毛", "mao", 1.6), ("郝", "hao", 1.5),
    ("龚", "gong", 1.5), ("邵", "shao", 1.5), ("万", "wan", 1.4), ("钱", "qian", 1.4),
    ("严", "yan", 1.4), ("赖", "lai", 1.3), ("覃", "qin", 1.3), ("洪", "hong", 1.3),
    ("武", "wu", 1.2), ("戴", "dai", 1.2), ("莫", "mo", 1.2), ("孔", "kong", 1.1),
    ("易", "yi", 1.0), ("温", "wen", 1.0), ("管", "guan", 0.6), ("蓝", "lan", 0.4),
)

PINYIN: dict[str, str] = {surname: pinyin for surname, pinyin, _ in SURNAMES}

# Clans common in the villages of 于都 and its neighbours, with rough relative weights.
GANNAN_CLANS: tuple[tuple[str, float], ...] = (
    ("刘", 10), ("李", 8), ("陈", 8), ("钟", 7), ("曾", 6), ("谢", 6), ("黄", 6), ("肖", 5),
    ("丁", 4), ("管", 4), ("邱", 4), ("罗", 4), ("易", 3), ("温", 3), ("赖", 3), ("袁", 3),
    ("郭", 3), ("宋", 2), ("邹", 2), ("彭", 2), ("王", 3), ("张", 3), ("胡", 2), ("朱", 2),
)

_SURNAME_CHARS = [surname for surname, _, _ in SURNAMES]
_SURNAME_CUM = []
_total = 0.0
for _, _, _weight in SURNAMES:
    _total += _weight
    _SURNAME_CUM.append(_total)
_CLAN_CHARS = [surname for surname, _ in GANNAN_CLANS]
_CLAN_WEIGHTS = [weight for _, weight in GANNAN_CLANS]

# Given-name characters by sex and by the era of birth (names follow fashions).
_GIVEN: dict[tuple[Sex, str], str] = {
    (Sex.MALE, "old"): "福贵发财根生金水林明华国建德文长春荣祥有才清洪昌辉平兴传志忠海山保来寿光义先",
    (Sex.FEMALE, "old"): "秀英兰梅珍凤娥桂花玉香莲菊芳翠云金招春娣妹满冬连",
    (Sex.MALE, "mid"): "伟军勇强斌杰涛磊鹏飞超波俊峰明辉华东建小海林平文龙剑锋亮春红",
    (Sex.FEMALE, "mid"): "丽敏静燕红艳娟霞玲芳萍莉婷琴慧小春梅美秀华英",
    (Sex.MALE, "young"): "浩宇轩子梓俊博文涛辰睿泽晨鑫杰豪航铭宏锦一嘉乐奕明熙逸然昊天",
    (Sex.FEMALE, "young"): "欣怡梓涵诗雨萱子佳琪思语可馨悦彤雪婷晴妍紫琳月一诺",
}

# Real townships of 于都县 (towns 1xx, townships 2xx); 梓山镇 first, as the demo's home.
TOWNSHIPS: tuple[tuple[str, str], ...] = (
    ("108", "梓山镇"), ("100", "贡江镇"), ("101", "铁山垅镇"), ("102", "盘古山镇"),
    ("103", "禾丰镇"), ("104", "祁禄山镇"), ("105", "银坑镇"), ("106", "岭背镇"),
    ("107", "罗坳镇"), ("109", "罗江镇"), ("200", "小溪乡"), ("201", "利村乡"),
    ("202", "新陂乡"), ("203", "靖石乡"), ("204", "黄麟乡"), ("205", "沙心乡"),
    ("206", "宽田乡"), ("207", "葛坳乡"), ("208", "桥头乡"), ("209", "马安乡"),
    ("210", "仙下乡"), ("211", "车溪乡"), ("212", "段屋乡"),
)

# The first villages of the demo (in 梓山镇), then names composed from common parts.
FIRST_VILLAGES: tuple[str, ...] = (
    "潭头村", "大坪村", "梓山村", "山维村", "新屋村", "石口村", "塘背村", "坝脑村", "岭下村",
    "河背村", "龙泉村", "高屋村", "圳下村", "水头村", "庄背村", "坳背村", "楼下村", "石溪村",
    "黄坑村", "竹园村",
)
_VILLAGE_FIRST = "上下大小新老高石黄龙塘岭坪东西南北长桥社马牛枫樟桃杨罗禾莲仙金银"
_VILLAGE_SECOND = "坑坪屋塘背垅口溪山田岗坝头源陂水洲岭湾坳垇排圳寨下"


def surname(rng: Random) -> str:
    """A surname by national frequency."""
    return rng.choices(_SURNAME_CHARS, cum_weights=_SURNAME_CUM)[0]


def clan_surnames(rng: Random, count: int) -> list[str]:
    """``count`` distinct clan surnames for one village."""
    chosen: list[str] = []
    while len(chosen) < count:
        name = rng.choices(_CLAN_CHARS, weights=_CLAN_WEIGHTS)[0]
        if name not in chosen:
            chosen.append(name)
    return chosen


def era(birth_year: int) -> str:
    return "old" if birth_year < 1970 else "mid" if birth_year < 1995 else "young"


def given_name(rng: Random, sex: Sex, birth_year: int, *, generation: str | None = None) -> str:
    """One or two characters; ``generation`` fixes the first (字辈 shared by brothers)."""
    pool = _GIVEN[(sex, era(birth_year))]
    if generation:
        second = rng.choice(pool)
        while second == generation:
            second = rng.choice(pool)
        return generation + second
    if rng.random() < 0.12:
        return rng.choice(pool)
    first, second = rng.choice(pool), rng.choice(pool)
    if first == second and not (sex is Sex.FEMALE and rng.random() < 0.5):
        second = rng.choice(pool.replace(first, ""))
    return first + second


def generation_char(rng: Random, birth_year: int) -> str:
    return rng.choice(_GIVEN[(Sex.MALE, era(birth_year))])


def village_names(rng: Random, count: int) -> list[str]:
    """``count`` distinct village names: the fixed first ones, then composed ones."""
    names = list(FIRST_VILLAGES[:count])
    taken = set(names)
    misses = 0
    while len(names) < count:
        name = rng.choice(_VILLAGE_FIRST) + rng.choice(_VILLAGE_SECOND)
        if misses > 50:  # two-character names running out: use three characters
            name = rng.choice(_VILLAGE_FIRST) + name
        name += "村"
        if name in taken:
            misses += 1
            continue
        taken.add(name)
        names.append(name)
    return names


__all__ = [
    "FIRST_VILLAGES",
    "GANNAN_CLANS",
    "PINYIN",
    "SURNAMES",
    "TOWNSHIPS",
    "clan_surnames",
    "era",
    "generation_char",
    "given_name",
    "surname",
    "village_names",
]
