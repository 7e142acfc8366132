"""Generate large, deterministic, obviously fictitious sample records as NDJSON for load tests.

`generate(out_dir, records, seed)` writes five files in load order (departments, enterprises,
incidents, inspections, disclosures). Every row matches its kind's `*Create` model and is marked
`sample: true`; ids carry a `-G-` part so they never meet the hand-made sample's ids. Rows are
built as plain dicts from templates and word lists and encoded with the json module: no pydantic
in the loop, one `random.Random(seed)`, and nothing held beyond a few bytes per enterprise.
"""

from __future__ import annotations

import json
import math
import random
import string
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from portal.models.credit_code import make_credit_code
from portal.models.vocab import limits, pollutants

Pair = tuple[str, str]
# A filled sentence: Chinese, " " + English, length of the Chinese, template id, and the same two
# texts opening a new paragraph.
Sent = tuple[str, str, int, int, str, str]
Rand = Callable[[], float]

FILES = (
    "01-departments.ndjson",
    "02-enterprises.ndjson",
    "03-incidents.ndjson",
    "04-inspections.ndjson",
    "05-disclosures.ndjson",
)
ENTERPRISE_SHARE = 0.10
INCIDENT_SHARE = 0.01
INSPECTION_SHARE = 0.45  # disclosures take the rest, about 44 %
ENGLISH_SHARE = 0.8
TZ = timezone(timedelta(hours=8))
FLUSH_LINES = 500
MONTHS = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# fmt: off
# --- Departments: a fixed set, parents first, so that any prefix keeps references whole. ------
# id, name_zh, name_en, function, level, parent_id, province, city_zh, city_en,
# formerly_zh, formerly_en, description_zh, description_en
_DEPARTMENTS: tuple[tuple[str, ...], ...] = (
    ("DEP-G-MEE", "生态环境部", "Ministry of Ecology and Environment", "environment",
     "national", "", "", "", "", "环境保护部", "Ministry of Environmental Protection",
     "主管全国生态环境保护工作，负责重大突发环境事件的应急指导和环境执法监督。",
     "Leads environmental protection nationwide, guides the response to major environmental "
     "incidents and oversees enforcement."),
    ("DEP-G-SAMR", "国家市场监督管理总局", "State Administration for Market Regulation",
     "market_regulation", "national", "", "", "", "", "国家工商行政管理总局",
     "State Administration for Industry and Commerce",
     "负责市场主体登记注册和产品质量监督。",
     "Registers market entities and supervises product quality."),
    ("DEP-G-GACC", "海关总署", "General Administration of Customs", "customs", "national", "",
     "", "", "", "", "", "负责进口再生金属原料的检验监管。",
     "Inspects imported recycled metal raw materials."),
    ("DEP-G-MIIT", "工业和信息化部", "Ministry of Industry and Information Technology",
     "industry", "national", "", "", "", "", "", "",
     "制定有色金属行业规范条件并公告符合条件的企业名单。",
     "Sets the industry standard conditions for non-ferrous metals and lists the enterprises "
     "that meet them."),
    ("DEP-G-NFRA", "国家金融监督管理总局", "National Financial Regulatory Administration",
     "financial_regulation", "national", "", "", "", "", "中国银行保险监督管理委员会",
     "China Banking and Insurance Regulatory Commission", "负责绿色信贷和环境污染责任保险的监管。",
     "Supervises green credit and environmental liability insurance."),
    ("DEP-G-CNMIA", "中国有色金属工业协会", "China Nonferrous Metals Industry Association",
     "association", "association", "", "", "", "", "", "", "有色金属行业的全国性行业组织。",
     "The national industry body for non-ferrous metals."),
    ("DEP-G-CNMIA-RMB", "中国有色金属工业协会再生金属分会",
     "Recycling Metal Branch of the China Nonferrous Metals Industry Association", "association",
     "association", "DEP-G-CNMIA", "", "", "", "", "", "再生有色金属企业的行业自律组织。",
     "The self-regulatory body of secondary non-ferrous metal producers."),
    ("DEP-G-45-EEB", "广西壮族自治区生态环境厅",
     "Department of Ecology and Environment of Guangxi Zhuang Autonomous Region", "environment",
     "provincial", "DEP-G-MEE", "45", "", "", "广西壮族自治区环境保护厅",
     "Environmental Protection Department of Guangxi", "", ""),
    ("DEP-G-43-EEB", "湖南省生态环境厅", "Department of Ecology and Environment of Hunan Province",
     "environment", "provincial", "DEP-G-MEE", "43", "", "", "湖南省环境保护厅",
     "Environmental Protection Department of Hunan", "", ""),
    ("DEP-G-53-EEB", "云南省生态环境厅", "Department of Ecology and Environment of Yunnan Province",
     "environment", "provincial", "DEP-G-MEE", "53", "", "", "云南省环境保护厅",
     "Environmental Protection Department of Yunnan", "", ""),
    ("DEP-G-44-EEB", "广东省生态环境厅",
     "Department of Ecology and Environment of Guangdong Province", "environment", "provincial",
     "DEP-G-MEE", "44", "", "", "广东省环境保护厅",
     "Environmental Protection Department of Guangdong", "", ""),
    ("DEP-G-36-EEB",
     "江西省生态环境厅", "Department of Ecology and Environment of Jiangxi Province",
     "environment", "provincial", "DEP-G-MEE", "36", "", "", "江西省环境保护厅",
     "Environmental Protection Department of Jiangxi", "", ""),
    ("DEP-G-41-EEB", "河南省生态环境厅", "Department of Ecology and Environment of Henan Province",
     "environment", "provincial", "DEP-G-MEE", "41", "", "", "河南省环境保护厅",
     "Environmental Protection Department of Henan", "", ""),
    ("DEP-G-33-EEB", "浙江省生态环境厅",
     "Department of Ecology and Environment of Zhejiang Province", "environment", "provincial",
     "DEP-G-MEE", "33", "", "", "浙江省环境保护厅",
     "Environmental Protection Department of Zhejiang", "", ""),
    ("DEP-G-43-AMR", "湖南省市场监督管理局", "Hunan Administration for Market Regulation",
     "market_regulation", "provincial", "DEP-G-SAMR", "43", "", "", "湖南省工商行政管理局",
     "Hunan Administration for Industry and Commerce", "", ""),
    ("DEP-G-45-HC-EEB", "河池市生态环境局", "Hechi Municipal Ecology and Environment Bureau",
     "environment", "municipal", "DEP-G-45-EEB", "45", "河池市", "Hechi", "河池市环境保护局",
     "Hechi Environmental Protection Bureau", "", ""),
    ("DEP-G-43-CZ-EEB", "郴州市生态环境局", "Chenzhou Municipal Ecology and Environment Bureau",
     "environment", "municipal", "DEP-G-43-EEB", "43", "郴州市", "Chenzhou", "郴州市环境保护局",
     "Chenzhou Environmental Protection Bureau", "", ""),
    ("DEP-G-36-YT-EEB", "鹰潭市生态环境局", "Yingtan Municipal Ecology and Environment Bureau",
     "environment", "municipal", "DEP-G-36-EEB", "36", "鹰潭市", "Yingtan", "鹰潭市环境保护局",
     "Yingtan Environmental Protection Bureau", "", ""),
    ("DEP-G-44-HP-CUS", "黄埔海关", "Huangpu Customs", "customs", "municipal", "DEP-G-GACC",
     "44", "广州市", "Guangzhou", "", "", "", ""),
    ("DEP-G-45-HC-GOV", "河池市人民政府", "Hechi Municipal People's Government", "government",
     "municipal", "", "45", "河池市", "Hechi", "", "", "", ""),
)
_DEP_SUFFIX = ("（生成样例）", " (generated sample)")

# --- Geography: real provinces, cities and rivers, with rough coordinates; weights by industry.
# province code, weight, ((city_zh, city_en, lat, lon), ...), ((river_zh, river_en), ...)
_GEO: tuple[tuple[str, int, tuple[tuple[str, str, float, float], ...], tuple[Pair, ...]], ...] = (
    ("45", 14, (("河池市", "Hechi", 24.69, 108.08), ("柳州市", "Liuzhou", 24.33, 109.41),
                ("梧州市", "Wuzhou", 23.48, 111.28), ("贺州市", "Hezhou", 24.40, 111.57)),
     (("龙江", "Longjiang River"), ("贺江", "He River"), ("刁江", "Diao River"),
      ("柳江", "Liu River"), ("西江", "Xi River"))),
    ("43", 14, (("郴州市", "Chenzhou", 25.77, 113.01), ("株洲市", "Zhuzhou", 27.83, 113.13),
                ("衡阳市", "Hengyang", 26.89, 112.57), ("湘潭市", "Xiangtan", 27.83, 112.94),
                ("娄底市", "Loudi", 27.70, 112.00)),
     (("湘江", "Xiang River"), ("耒水", "Lei River"), ("资江", "Zi River"),
      ("东江", "Dong River"))),
    ("53", 8, (("红河哈尼族彝族自治州", "Honghe Prefecture", 23.36, 103.37),
               ("曲靖市", "Qujing", 25.49, 103.80),
               ("文山壮族苗族自治州", "Wenshan Prefecture", 23.37, 104.24)),
     (("南盘江", "Nanpan River"), ("牛栏江", "Niulan River"), ("红河", "Red River"))),
    ("44", 10, (("清远市", "Qingyuan", 23.68, 113.06), ("韶关市", "Shaoguan", 24.81, 113.60),
                ("佛山市", "Foshan", 23.02, 113.12), ("汕头市", "Shantou", 23.35, 116.68)),
     (("北江", "Bei River"), ("练江", "Lian River"), ("武江", "Wu River"))),
    ("36", 8, (("鹰潭市", "Yingtan", 28.26, 117.07), ("赣州市", "Ganzhou", 25.83, 114.93),
               ("上饶市", "Shangrao", 28.45, 117.94)),
     (("信江", "Xin River"), ("乐安河", "Le'an River"), ("赣江", "Gan River"))),
    ("41", 7, (("济源市", "Jiyuan", 35.07, 112.60), ("洛阳市", "Luoyang", 34.62, 112.45),
               ("三门峡市", "Sanmenxia", 34.77, 111.20)),
     (("黄河", "Yellow River"), ("蟒河", "Mang River"), ("洛河", "Luo River"))),
    ("33", 8, (("台州市", "Taizhou", 28.66, 121.42), ("宁波市", "Ningbo", 29.87, 121.54),
               ("湖州市", "Huzhou", 30.89, 120.09)),
     (("椒江", "Jiao River"), ("甬江", "Yong River"), ("东苕溪", "East Tiaoxi River"))),
    ("32", 6, (("常州市", "Changzhou", 31.81, 119.97), ("徐州市", "Xuzhou", 34.26, 117.18)),
     (("京杭大运河", "Grand Canal"), ("奎河", "Kui River"))),
    ("34", 6, (("阜阳市", "Fuyang", 32.89, 115.81), ("铜陵市", "Tongling", 30.94, 117.81)),
     (("颍河", "Ying River"), ("长江", "Yangtze River"))),
    ("37", 5, (("临沂市", "Linyi", 35.10, 118.36), ("烟台市", "Yantai", 37.46, 121.45)),
     (("沂河", "Yi River"), ("沭河", "Shu River"))),
    ("42", 4, (("黄石市", "Huangshi", 30.20, 115.04),),
     (("长江", "Yangtze River"), ("富水", "Fu River"))),
    ("62", 3, (("白银市", "Baiyin", 36.54, 104.14), ("金昌市", "Jinchang", 38.52, 102.19)),
     (("黄河", "Yellow River"),)),
    ("15", 3, (("赤峰市", "Chifeng", 42.26, 118.89), ("巴彦淖尔市", "Bayannur", 40.74, 107.39)),
     (("西拉木伦河", "Xar Moron River"), ("黄河", "Yellow River"))),
    ("52", 2, (("铜仁市", "Tongren", 27.72, 109.19),), (("锦江", "Jin River"),)),
    ("13", 3, (("保定市", "Baoding", 38.87, 115.46), ("邢台市", "Xingtai", 37.07, 114.50)),
     (("府河", "Fu River"), ("唐河", "Tang River"))),
    ("12", 2, (("天津市", "Tianjin", 39.08, 117.20),),
     (("海河", "Hai River"), ("子牙河", "Ziya River"))),
)

# --- Enterprises: invented, storybook names that no real company carries. ----------------------
_TOWNS: tuple[Pair, ...] = (
    ("清水湾", "Clearwater Bay"), ("萤火谷", "Firefly Valley"), ("蒲公英镇", "Dandelion Town"),
    ("云雀岭", "Skylark Ridge"), ("琥珀湖", "Amber Lake"), ("青蛙坪", "Frog Flat"),
    ("月光屯", "Moonlight Hamlet"), ("彩虹渡", "Rainbow Ferry"), ("南瓜岗", "Pumpkin Hill"),
    ("风铃坳", "Windchime Hollow"), ("星砂湾", "Stardust Bay"), ("松鼠坡", "Squirrel Slope"),
    ("棉花糖镇", "Candyfloss Town"), ("蜗牛滩", "Snail Beach"), ("纸鸢村", "Kite Village"),
    ("薄荷洲", "Mint Isle"), ("灯笼岙", "Lantern Cove"), ("麦芽堡", "Malt Castle"),
)
_ROOTS: tuple[Pair, ...] = (
    ("小熊", "Little Bear"), ("蓝鲸", "Blue Whale"), ("银杏", "Ginkgo"), ("海獭", "Sea Otter"),
    ("蜂鸟", "Hummingbird"), ("狐狸", "Fox"), ("麋鹿", "Elk"), ("企鹅", "Penguin"),
    ("柠檬", "Lemon"), ("刺猬", "Hedgehog"), ("白鹭", "Egret"), ("石榴", "Pomegranate"),
    ("猫头鹰", "Owl"), ("河马", "Hippo"), ("向日葵", "Sunflower"), ("独角兽", "Unicorn"),
    ("火烈鸟", "Flamingo"), ("考拉", "Koala"), ("啄木鸟", "Woodpecker"), ("海星", "Starfish"),
)
_FORMS: tuple[Pair, ...] = (
    ("有限公司", "Co., Ltd."), ("有限责任公司", "Co., Ltd."), ("股份有限公司", "Corp."),
    ("实业有限公司", "Industrial Co., Ltd."), ("科技有限公司", "Technology Co., Ltd."),
)
# sector, weight, name word, products, raw materials, pollutants it concerns
_SECTORS: tuple[tuple[str, int, Pair, tuple[Pair, ...], tuple[Pair, ...], tuple[str, ...]], ...] = (
    ("secondary_copper", 20, ("再生铜业", "Secondary Copper"),
     (("再生铜杆", "recycled copper rod"), ("阴极铜", "cathode copper"), ("黄铜锭", "brass ingot")),
     (("废杂铜", "scrap copper"), ("废电线电缆", "waste wire and cable")),
     ("Cu", "Pb", "Zn", "Cd", "As", "SO2", "PM", "Dioxins", "NOx")),
    ("secondary_aluminium", 20, ("再生铝业", "Secondary Aluminium"),
     (("再生铝锭", "secondary aluminium ingot"), ("铝合金锭", "aluminium alloy ingot")),
     (("废铝", "scrap aluminium"), ("铝灰渣", "aluminium dross")),
     ("PM", "Dioxins", "NOx", "SO2", "Zn")),
    ("secondary_lead", 14, ("再生铅业", "Secondary Lead"),
     (("再生铅", "secondary lead"), ("铅合金", "lead alloy")),
     (("废铅蓄电池", "spent lead-acid batteries"), ("含铅废渣", "lead-bearing residue")),
     ("Pb", "Cd", "As", "SO2", "PM", "Sb")),
    ("secondary_zinc", 8, ("锌业", "Zinc Recycling"),
     (("氧化锌", "zinc oxide"), ("锌锭", "zinc ingot")),
     (("含锌烟灰", "zinc-bearing flue dust"), ("热镀锌渣", "galvanising dross")),
     ("Zn", "Cd", "Pb", "As", "SO2", "PM", "Tl")),
    ("dismantling_recycling", 16, ("再生资源", "Resource Recycling"),
     (("铜米", "copper granules"), ("破碎铝料", "shredded aluminium")),
     (("废线路板", "waste circuit boards"), ("报废家电", "scrapped appliances")),
     ("Pb", "Cu", "Cd", "Hg", "Dioxins", "PM", "COD")),
    ("import_processing", 6, ("金属进口加工", "Metal Import Processing"),
     (("分拣铜料", "sorted copper"), ("分拣铝料", "sorted aluminium")),
     (("进口再生铜原料", "imported recycled copper"),
     ("进口再生铝原料", "imported recycled aluminium")),
     ("Cu", "Pb", "PM", "COD", "Zn")),
    ("mining", 8, ("矿业", "Mining"),
     (("铅锌精矿", "lead-zinc concentrate"), ("铜精矿", "copper concentrate"),
     ("锑精矿", "antimony concentrate")),
     (("原矿", "run-of-mine ore"), ("尾矿", "tailings")),
     ("Cd", "Pb", "Zn", "As", "Hg", "Tl", "Sb", "Cu", "COD", "NH3N")),
    ("primary_smelting", 8, ("冶炼", "Smelting"),
     (("粗铜", "blister copper"), ("电解锌", "electrolytic zinc"), ("精铅", "refined lead")),
     (("精矿", "concentrate"), ("阳极泥", "anode slime")),
     ("SO2", "As", "Cd", "Pb", "Hg", "Tl", "Cu", "Zn", "NOx", "PM")),
)
_STATUSES = (("operating", 80), ("rectifying", 10), ("suspended", 6), ("closed", 4))
_AIR = frozenset({"SO2", "NOx", "PM", "Dioxins"})
_WATER_METALS = ("Cd", "Pb", "As", "Tl", "Sb", "Hg", "Cr6")

# --- Word lists that fill the sentence templates below. -------------------------------------
_WORDS: dict[str, tuple[Pair, ...]] = {
    "equip": (
        ("布袋除尘器", "baghouse dust collector"), ("脱硫塔", "desulphurisation tower"),
        ("在线监测设备", "online monitoring equipment"),
        ("废水处理站", "wastewater treatment station"),
        ("初期雨水收集池", "first-flush rainwater pond"),
        ("危险废物贮存库", "hazardous waste store"),
        ("熔炼炉烟气收集罩", "smelting furnace fume hood"), ("事故应急池", "emergency spill basin"),
        ("酸雾吸收塔", "acid mist scrubber"), ("污泥压滤机", "sludge filter press"),
        ("电解车间防渗层", "seepage barrier of the electrolysis hall"),
        ("尾矿库排洪设施", "tailings dam spillway"), ("废电池破碎线", "battery crushing line"),
        ("活性炭吸附装置", "activated-carbon adsorber"), ("二燃室", "secondary combustion chamber"),
    ),
    "state": (
        ("未正常运行", "was not running"), ("存在跑冒滴漏现象", "leaked and dripped"),
        ("运行记录不完整", "had incomplete operating records"),
        ("超负荷运行", "ran beyond capacity"),
        ("未按规定设置标识", "lacked the required signs"), ("已停运多日", "had been idle for days"),
        ("维护保养不到位", "was poorly maintained"),
    ),
    "good": (
        ("运行正常", "was running normally"), ("运行记录完整", "had complete operating records"),
        ("维护保养到位", "was well maintained"), ("标识规范", "was properly signed"),
    ),
    "material": tuple(m for s in _SECTORS for m in s[4]),
    "product": tuple(p for s in _SECTORS for p in s[3]),
    "role": (
        ("安全环保部经理", "head of safety and environment"),
        ("生产副总经理", "deputy production manager"),
        ("环保专员", "environmental officer"), ("车间主任", "workshop supervisor"),
    ),
    "chem": (
        ("聚合氯化铝", "polyaluminium chloride"), ("石灰", "lime"), ("硫化钠", "sodium sulphide"),
        ("聚合硫酸铁", "polyferric sulphate"),
    ),
    "process": (
        ("预处理—熔炼—精炼—铸锭", "pre-treatment, melting, refining and casting"),
        ("破碎—分选—熔炼", "crushing, sorting and smelting"),
        ("火法富集—湿法浸出—电积", "pyrometallurgical enrichment, leaching and electrowinning"),
        ("拆解—分拣—打包", "dismantling, sorting and baling"),
    ),
    "freq": (
        ("每月一次", "monthly"), ("每季度一次", "quarterly"),
        ("自动连续监测", "continuously"),
        ("每半年一次", "twice a year"),
    ),
    "risk": (("一般", "ordinary"), ("较大", "major"), ("重大", "serious")),
    "violation": (
        ("超标排放污染物", "discharging above the limits"),
        ("未按规定贮存危险废物", "storing hazardous waste improperly"),
        ("自动监测设备不正常运行", "running its automatic monitors improperly"),
        ("未批先建", "building before its environmental approval"),
        ("无证排污", "discharging without a permit"),
    ),
    "change": (
        ("排放口位置", "the position of an outlet"), ("生产规模", "the production scale"),
        ("污染治理设施", "the pollution control facilities"),
        ("法定代表人", "the legal representative"),
    ),
    "saving": (
        ("余热发电", "waste-heat power generation"),
        ("富氧熔炼改造", "an oxygen-enriched smelting retrofit"),
        ("光伏发电", "rooftop solar power"), ("电机变频改造", "variable-frequency motor drives"),
    ),
    "outlet": (
        ("废水总排放口", "main wastewater outlet"),
        ("车间废水排放口", "workshop wastewater outlet"),
        ("雨水排放口", "stormwater outlet"),
    ),
    "stack": (
        ("熔炼炉烟囱", "smelting furnace stack"), ("脱硫塔出口", "desulphuriser outlet"),
        ("精炼炉排气筒", "refining furnace stack"),
    ),
    "shift": (("两班制", "two shifts"), ("三班制", "three shifts"), ("单班制", "a single shift")),
    "origin": (
        ("省内回收网点", "collection points in the province"), ("华东地区", "east China"),
        ("周边拆解企业", "nearby dismantlers"), ("长期合作供应商", "long-standing suppliers"),
    ),
    "abate": (
        ("布袋除尘和碱液喷淋", "a baghouse and an alkaline scrubber"),
        ("活性炭吸附", "activated carbon"), ("双碱法脱硫", "dual-alkali desulphurisation"),
        ("急冷和布袋除尘", "quenching and a baghouse"),
    ),
    "section": (
        ("上游对照", "upstream control"), ("入河排污口", "outfall"),
        ("下游1公里", "1 km downstream"),
        ("下游5公里", "5 km downstream"), ("下游10公里", "10 km downstream"),
        ("县界", "county boundary"), ("水厂取水口", "waterworks intake"),
    ),
}

# --- Sentence templates: (Chinese, English) with {slot} placeholders. A report's own year and
# dates come from its lead sentence, so these say "during the period", never a year of their own.
_FINDINGS_BAD: tuple[Pair, ...] = (
    ("现场检查发现，该企业{equip}{state}。", "Inspectors found that the {equip} {state}."),
    ("厂区内{material}露天堆放约{t}吨，未采取防雨、防渗措施。",
     "About {t} tonnes of {material} lay in the open, with no cover against rain or seepage."),
    ("{equip}旁发现一处暗管，疑似用于偷排未经处理的废水。",
     "A concealed pipe was found beside the {equip}, suspected of carrying untreated "
     "wastewater."),
    ("危险废物管理台账记录不全，{material}的产生量与转移量相差约{t}吨。",
     "The hazardous waste ledger was incomplete: {material} generated and transferred differed "
     "by about {t} tonnes."),
    ("环评批复产能为{wan}万吨/年，实际产能明显超出批复规模。",
     "The approved capacity was {wan} tonnes a year; actual output clearly exceeded it."),
    ("车间地面有明显积液，pH试纸检测呈强酸性。",
     "Liquid had pooled on the workshop floor and pH paper showed it strongly acidic."),
    ("企业未设置初期雨水收集设施，雨天厂区地表径流直接外排。",
     "There was no first-flush rainwater collection; runoff left the site untreated when it "
     "rained."),
    ("企业应急预案未按要求开展演练。", "The emergency plan had never been rehearsed as required."),
    ("{equip}的运行记录与用电量数据明显不符。",
     "The {equip}'s operating records did not match its electricity use."),
    ("废气收集系统负压不足，车间内可见明显烟尘。",
     "The fume extraction lacked suction; dust hung visibly in the workshop."),
    ("企业擅自将{material}转移至无资质单位处置。",
     "The enterprise had passed {material} to an unlicensed handler."),
)
_FINDINGS_GOOD: tuple[Pair, ...] = (
    ("现场未发现明显环境违法问题，各项污染防治设施运行正常。",
     "No obvious violation was found; all pollution control facilities were running normally."),
    ("企业{equip}{good}。", "The enterprise's {equip} {good}."),
    ("检查时企业负责人不在场，由{role}陪同检查。",
     "The person in charge was absent; the {role} accompanied the inspectors."),
    ("企业已按要求公开上一年度环境信息。",
     "The enterprise had published the previous year's environmental information as required."),
    ("危险废物贮存场所规范，转移联单齐全。",
     "The hazardous waste store was in order and every transfer manifest was on file."),
    ("企业持有有效排污许可证，排放口规范化设置。",
     "The enterprise held a valid discharge permit and its outlets were properly built."),
    ("企业已完成上次检查发现问题的整改。",
     "The problems found at the previous inspection had been put right."),
)
_FINDINGS_POL_BAD: tuple[Pair, ...] = (
    ("执法人员在{outlet}采样，{pol}浓度为{conc}{cunit}。",
     "Officers sampled the {outlet}; {pol} measured {conc} {cunit}."),
    ("企业未按排污许可证要求开展{pol}自行监测，数据缺失{n}个月。",
     "The enterprise had not monitored {pol} as its permit requires; {n} months of data were "
     "missing."),
    ("在线监测数据显示，近{days}日内{pol}小时均值有{n}次超过排放限值。",
     "Online monitoring showed {n} hourly {pol} averages above the limit in the past {days} "
     "days."),
    ("{pol}治理设施{state}。", "The {pol} control equipment {state}."),
)
_FINDINGS_POL_GOOD: tuple[Pair, ...] = (
    ("经监测，{pol}排放浓度符合排放标准要求。",
     "Monitoring showed {pol} emissions within the standard."),
    ("企业按要求开展{pol}自行监测，数据完整。",
     "The enterprise monitored {pol} as required and the data were complete."),
    ("{pol}治理设施{good}。", "The {pol} control equipment {good}."),
)
_FINDINGS_IMPORT: tuple[Pair, ...] = (
    ("经查验，该批{material}夹杂物含量超过国家标准要求。",
     "The consignment of {material} held more impurities than the national standard allows."),
    ("货物符合再生原料国家标准要求，准予放行。",
     "The goods met the national standards for recycled raw materials and were released."),
    ("该批货物申报重量{t}吨，查验重量与申报一致。",
     "The consignment was declared at {t} tonnes; the weight found matched the declaration."),
    ("货物中混有废电路板等固体废物，依法责令退运。",
     "Solid waste such as circuit boards was mixed in; the goods were ordered returned."),
    ("现场对{n}个集装箱实施开箱查验。", "{n} containers were opened and examined."),
)
_MEASURES: tuple[Pair, ...] = (
    ("责令企业立即停止违法排污行为。",
     "The enterprise was ordered to stop the illegal discharge at once."),
    ("责令限期{days}日内完成整改，并书面报告整改情况。",
     "It was ordered to rectify within {days} days and report in writing."),
    ("依据《中华人民共和国水污染防治法》第八十三条实施处罚。",
     "A penalty was imposed under Article 83 of the Water Pollution Prevention and Control Law."),
    ("依据《中华人民共和国大气污染防治法》第九十九条实施处罚。",
     "A penalty was imposed under Article 99 of the Air Pollution Prevention and Control Law."),
    ("依据《中华人民共和国固体废物污染环境防治法》第一百一十二条实施处罚。",
     "A penalty was imposed under Article 112 of the Solid Waste Pollution Prevention and "
     "Control Law."),
    ("对{equip}实施查封。", "The {equip} was sealed."),
    ("案件移送公安机关处理。", "The case was referred to the police."),
    ("责令企业停产整治。", "Production was suspended for rectification."),
    ("要求企业完善危险废物管理台账。", "The enterprise must complete its hazardous waste ledger."),
)
_FOLLOW_UP: tuple[Pair, ...] = (
    ("经复查，企业已完成整改，{equip}恢复正常运行。",
     "A follow-up visit found the rectification complete and the {equip} running normally."),
    ("罚款已缴纳。", "The fine has been paid."),
    ("企业申请行政复议，目前尚在审理中。",
     "The enterprise has applied for administrative reconsideration, which is pending."),
    ("复查发现问题仍未整改到位，已再次下达整改通知。",
     "A follow-up visit found the problems unresolved; a second notice has been issued."),
    ("企业已提交整改报告并通过现场核查。",
     "The enterprise filed its rectification report, which an on-site check confirmed."),
)
_DISCLOSURE_GENERIC: tuple[Pair, ...] = (
    ("本报告依据《企业环境信息依法披露管理办法》编制。",
     "This report follows the Measures for the Legal Disclosure of Enterprise Environmental "
     "Information."),
    ("企业对披露信息的真实性、准确性和完整性负责。",
     "The enterprise answers for the truth, accuracy and completeness of this information."),
    ("如对本报告有疑问，可通过企业环保热线或电子邮箱联系。",
     "Questions about this report may be put to the enterprise's environment hotline or "
     "mailbox."),
    ("以下数据均为报告期内数据，除特别说明外计量单位为吨。",
     "Figures cover the reporting period and are in tonnes unless stated otherwise."),
)
_DISCLOSURE: dict[str, tuple[Pair, ...]] = {
    "basic_information": (
        ("本企业主要从事{material}回收利用，报告期内生产{product}约{t}吨。",
         "The enterprise recovers {material}; in the period it produced about {t} tonnes of "
         "{product}."),
        ("企业占地面积约{m2}平方米，现有职工{staff}人。",
         "The site covers about {m2} square metres and employs {staff} people."),
        ("主要生产设备包括{equip}等，生产工艺为{process}。",
         "Main equipment includes the {equip}; the process is {process}."),
        ("企业已取得排污许可证并按证排污。",
         "The enterprise holds a discharge permit and discharges under its terms."),
        ("企业主要产品为{product}，设计产能{wan}万吨/年。",
         "Its main product is {product}, with a design capacity of {wan} tonnes a year."),
        ("企业实行{shift}生产制度，年生产时间约{hours}小时。",
         "It works {shift}, about {hours} hours a year."),
        ("原料{material}主要来自{origin}。", "Its {material} comes mainly from {origin}."),
    ),
    "environmental_management": (
        ("企业设有环境保护管理部门，配备专职环保人员{n}名。",
         "An environmental management department has {n} full-time staff."),
        ("报告期内企业环保投入约{yuan}万元，主要用于{equip}改造。",
         "In the period the enterprise spent about {yuan} yuan on the environment, mainly to "
         "upgrade the {equip}."),
        ("企业已建立环境管理台账，按月记录{equip}运行情况。",
         "Environmental ledgers record the {equip}'s operation every month."),
        ("报告期内共开展环境保护培训{n}次。", "{n} environmental training sessions were held."),
        ("企业制定了环境保护责任制度，由{role}具体负责。",
         "An environmental responsibility system is in place, run by the {role}."),
        ("报告期内企业完成{equip}提标改造。", "The {equip} was upgraded to a stricter standard."),
        ("企业已投保环境污染责任保险，保额{yuan}万元。",
         "The enterprise carries environmental liability insurance of {yuan} yuan."),
    ),
    "pollutant_emission": (
        ("报告期内共产生危险废物{t}吨，均委托有资质单位处置。",
         "The enterprise generated {t} tonnes of hazardous waste, all handed to licensed "
         "contractors."),
        ("自行监测方案已报生态环境部门备案，监测频次为{freq}。",
         "The self-monitoring plan is filed with the environment authority; samples are taken "
         "{freq}."),
        ("废水经处理后部分回用，回用率约{pct}%。",
         "Treated wastewater is partly reused; about {pct}% is reused."),
        ("{outlet}废水经厂内处理后排入园区污水处理厂。",
         "Wastewater from the {outlet} is treated on site and sent to the park's sewage works."),
        ("废气经{abate}处理后通过{height}米高排气筒排放。",
         "Exhaust gas is treated by {abate} and released through a {height} m stack."),
        ("一般工业固体废物产生量{t}吨，综合利用率{pct}%。",
         "General industrial solid waste came to {t} tonnes, {pct}% of it reused."),
        ("厂界噪声昼间{db}分贝、夜间{db2}分贝，均达标。",
         "Boundary noise was {db} dB by day and {db2} dB by night, both within limits."),
    ),
    "carbon_emission": (
        ("报告期内企业温室气体排放总量约为{co2}吨二氧化碳当量。",
         "Greenhouse gas emissions totalled about {co2} tonnes of CO2 equivalent."),
        ("单位产品综合能耗为{energy}千克标准煤/吨。",
         "Energy use was {energy} kg of standard coal per tonne of product."),
        ("企业通过{saving}，全年减少二氧化碳排放约{t}吨。",
         "Through {saving} the enterprise cut CO2 emissions by about {t} tonnes a year."),
        ("外购电力{kwh}万千瓦时，天然气{gas}万立方米。",
         "It bought {kwh} kWh of electricity and {gas} m³ of natural gas."),
        ("企业已开展碳排放核算，核算边界为厂区全部生产设施。",
         "Carbon accounting covers every production facility on site."),
        ("再生金属生产相比原生金属可减少碳排放约{pct}%。",
         "Secondary production emits about {pct}% less carbon than primary production."),
    ),
    "emergency_plan": (
        ("企业突发环境事件应急预案已修订并备案，风险等级为{risk}。",
         "The environmental emergency plan is revised and filed; the risk level is {risk}."),
        ("厂区建有事故应急池{basin}立方米，配备应急物资{n}类。",
         "The site has an emergency basin of {basin} m³ and {n} kinds of emergency supplies."),
        ("报告期内组织突发环境事件应急演练{n}次。", "{n} emergency drills were held."),
        ("与周边企业及属地政府建立了应急联动机制。",
         "A joint response arrangement is in place with neighbours and the local government."),
        ("应急物资包括{chem}、围油栏、吸附棉等。",
         "Supplies include {chem}, booms and absorbent pads."),
        ("报告期内未发生突发环境事件。", "No environmental incident occurred."),
        ("企业开展环境风险隐患排查，整改隐患{n}项。",
         "A hazard survey found and fixed {n} environmental risks."),
    ),
    "violations_penalties": (
        ("企业已按要求完成整改并通过验收。", "The enterprise has rectified and passed the check."),
        ("处罚决定书已在企业网站公开。",
         "The penalty decision is published on the enterprise's website."),
        ("企业因{violation}被处以罚款{fine}万元，已整改完毕。",
         "The enterprise was fined {fine} yuan for {violation}; it has rectified."),
        ("企业针对处罚所涉问题制定了整改方案。",
         "The enterprise drew up a rectification plan for the issues penalised."),
    ),
    "temporary_disclosures": (
        ("因{equip}检修，企业临时停产{days}日。",
         "Production stopped for {days} days while the {equip} was repaired."),
        ("企业{change}发生变更，现依法予以公开。",
         "The enterprise discloses, as the law requires, a change in {change}."),
        ("企业收到行政处罚决定书，现依法予以公开。",
         "The enterprise received a penalty decision and discloses it as the law requires."),
        ("企业{equip}发生故障，已于当日修复，期间未发生超标排放。",
         "The {equip} failed and was repaired the same day; no exceedance occurred."),
        ("企业新建{product}生产线通过竣工环境保护验收。",
         "A new {product} line passed its environmental completion check."),
    ),
    "other": (
        ("企业开展厂区绿化及周边环境整治工作。",
         "The enterprise landscaped its site and tidied the surroundings."),
        ("企业设立公众开放日，全年接待周边居民参观{visits}人次。",
         "Open days received {visits} visits from local residents this year."),
        ("企业参与编制{product}行业团体标准。",
         "The enterprise helped draft an association standard for {product}."),
        ("企业连续{n}年被评为环保诚信企业。",
         "The enterprise has been rated environmentally trustworthy {n} years running."),
        ("企业捐资{yuan}万元用于周边河道治理。",
         "It gave {yuan} yuan to clean up nearby streams."),
    ),
}
_DISCLOSURE_POL: tuple[Pair, ...] = (
    ("{pol}排放量为{t}{load}，许可排放量为{t2}{load}。",
     "{pol} emissions were {t} {load} against a permitted {t2} {load}."),
    ("{pol}排放浓度年均值符合排放标准要求，未发生超标排放。",
     "The annual mean {pol} concentration met the standard; no exceedance occurred."),
    ("{outlet}{pol}监测频次为{freq}。", "{pol} at the {outlet} is sampled {freq}."),
)
_INCIDENT_POL: tuple[Pair, ...] = (
    ("监测显示，{section}断面{pol}浓度最高超过地表水III类标准{fold}倍。",
     "Monitoring showed {pol} at the {section} section up to {fold} times the Class III limit."),
    ("初步查明污染源为上游企业违法排放含{pol}废水。",
     "The source was traced to illegal discharges of {pol}-bearing wastewater upstream."),
    ("应急处置采用投加{chem}絮凝沉降{pol}的措施。",
     "Responders dosed {chem} to settle the {pol}."),
    ("{pol}浓度持续下降，主要断面已恢复达标。",
     "{pol} levels kept falling and the main sections again met the standard."),
    ("{pol}污染带长约{km}公里，正向下游推进。",
     "The {pol} plume stretched about {km} km and was moving downstream."),
)
_INCIDENT: tuple[Pair, ...] = (
    ("下游{n}个乡镇约{wan}万人饮水安全受到威胁。",
     "Drinking water for about {wan} people in {n} downstream townships was at risk."),
    ("事发地政府启动突发环境事件应急响应。",
     "The local government activated its environmental emergency response."),
    ("沿岸出现死鱼现象，共打捞死鱼约{kg}公斤。",
     "Dead fish appeared along the banks; about {kg} kg were collected."),
    ("公安机关已对相关责任人采取刑事强制措施。", "The police detained those responsible."),
    ("自来水厂启用备用水源，并加强出厂水监测。",
     "The waterworks switched to a standby source and stepped up monitoring."),
    ("应急监测组布设{n}个监测断面，每{n2}小时采样一次。",
     "Monitors set up {n} sections and sampled every {n2} hours."),
    ("事件造成沿河{n}处农田灌溉暂停。", "Irrigation stopped at {n} places along the river."),
    ("专家组会商后确定以{chem}为主的处置方案。",
     "An expert panel chose a treatment plan based on {chem}."),
    ("相关部门发布公告，提醒群众暂停饮用河水。",
     "The authorities told residents not to drink river water for now."),
    ("涉事企业已被责令停产并接受调查。",
     "The enterprises involved were ordered to stop production and are under investigation."),
)
# Updates by phase of the response, in order.
_UPDATES: tuple[tuple[Pair, ...], ...] = (
    (("接到群众举报，已派员赶赴现场核查。",
      "Following a public report, staff went to check on site."),
     ("接到监测站预警，已启动应急监测。",
      "An alert from a monitoring station started emergency sampling.")),
    (("应急监测组布设{n}个监测断面，每{n2}小时采样一次。",
      "Monitors set up {n} sections and sample every {n2} hours."),
     ("已对沿河{n}家涉重金属企业开展排查。",
      "{n} heavy-metal enterprises along the river are being checked."),
     ("投加{chem}进行应急处置。", "{chem} is being dosed to treat the water.")),
    (("污染物浓度持续下降，主要断面已恢复达标。",
      "Levels keep falling; the main sections meet the standard again."),
     ("污染源已得到有效控制。", "The source has been brought under control.")),
    (("应急响应终止，后续转入常态化监测。",
      "The emergency response has ended; monitoring returns to routine."),
     ("调查报告已公布，相关企业已被依法处理。",
      "The investigation report is published and the enterprises involved have been dealt with.")),
)
_ROLES: tuple[Pair, ...] = (
    ("违法排放含重金属废水", "illegal discharge of heavy-metal wastewater"),
    ("尾矿库渗漏", "tailings dam leak"), ("非法倾倒冶炼废渣", "illegal dumping of smelting slag"),
    ("涉嫌污染源企业", "suspected source"),
)
_INSPECTION_KINDS: tuple[tuple[str, int, str, str], ...] = (
    ("routine", 50, "日常监督检查", "a routine inspection"),
    ("targeted", 25, "专项执法检查", "a targeted enforcement inspection"),
    ("complaint", 18, "信访投诉核查", "an inspection after a public complaint"),
    ("import_cargo", 7, "进口货物查验", "an inspection of imported cargo"),
)
_CATEGORIES: tuple[tuple[str, int, str, str], ...] = (
    ("pollutant_emission", 25, "污染物产生、治理与排放信息", "pollutant emissions"),
    ("basic_information", 12, "企业基本信息", "basic information"),
    ("environmental_management", 12, "环境管理信息", "environmental management"),
    ("carbon_emission", 10, "碳排放信息", "carbon emissions"),
    ("emergency_plan", 10, "生态环境应急信息", "environmental emergencies"),
    ("violations_penalties", 8, "生态环境违法信息", "violations and penalties"),
    ("temporary_disclosures", 13, "临时环境信息", "temporary disclosures"),
    ("other", 10, "其他环境信息", "other information"),
)

# fmt: on


# --- Small helpers. --------------------------------------------------------------------------
_SANCTIONS = (
    "production_limit",
    "daily_penalty",
    "production_suspension",
    "permit_revoked",
    "detention",
    "criminal_liability",
)


def _weighted(items: Sequence[tuple[Any, int]]) -> list[Any]:
    """Expand (value, weight) pairs into a list to index uniformly."""
    return [value for value, weight in items for _ in range(weight)]


def _zh_date(d: date) -> str:
    """A date as Chinese text."""
    return f"{d.year}年{d.month}月{d.day}日"


def _en_date(d: date) -> str:
    """A date as English text."""
    return f"{d.day} {MONTHS[d.month]} {d.year}"


def _site_kind(code: str) -> str:
    """Where a pollutant is measured at a plant: a stack for air pollutants, else an outlet."""
    return "stack" if code in _AIR else "outlet"


def _load(code: str) -> Pair:
    """The unit a yearly load of the pollutant is counted in."""
    if code == "Dioxins":
        return "毫克毒性当量", "mg TEQ"
    if code in ("SO2", "NOx", "PM", "COD", "NH3N"):
        return "吨", "tonnes"
    return "千克", "kg"


def _sig(x: float) -> float:
    """Round to three significant figures, as a lab report would."""
    return float(f"{x:.3g}")


def _slot_values(rng: random.Random) -> dict[str, Callable[[], Pair]]:
    """Functions that draw the (Chinese, English) value of each template slot."""
    r = rng.random

    def pick(items: Sequence[Pair]) -> Callable[[], Pair]:
        return lambda: items[int(r() * len(items))]

    def num(lo: int, hi: int, en_scale: int = 1) -> Callable[[], Pair]:
        def draw() -> Pair:
            k = lo + int(r() * (hi - lo + 1))
            return str(k), f"{k * en_scale:,}"

        return draw

    def real(lo: float, hi: float, fmt: str) -> Callable[[], Pair]:
        def draw() -> Pair:
            s = format(lo + (hi - lo) * r(), fmt)
            return s, s

        return draw

    slots = {name: pick(items) for name, items in _WORDS.items()}
    slots.update(
        n=num(2, 12),
        n2=num(2, 8),
        days=num(3, 30),
        t=num(5, 900),
        t2=num(900, 3000),
        wan=num(1, 40, 10_000),
        m2=num(5_000, 200_000),
        staff=num(30, 1500),
        yuan=num(5, 900, 10_000),
        co2=num(1_000, 900_000),
        energy=num(150, 1500),
        kg=num(50, 5000),
        basin=num(200, 5000),
        visits=num(20, 2000),
        pct=num(10, 95),
        hours=num(4000, 8000),
        height=num(15, 80),
        db=num(50, 64),
        db2=num(40, 54),
        kwh=num(100, 9000, 10_000),
        gas=num(10, 900, 10_000),
        km=num(5, 120),
        fine=num(1, 100, 10_000),
        fold=real(1.2, 80.0, ".1f"),
    )
    return slots


_template_ids: dict[str, int] = {}  # template -> a small number, to spot a repeat


def _pool(
    rng: random.Random,
    templates: Sequence[Pair],
    per: int,
    fixed: dict[str, Sequence[Pair]] | None = None,
    runs: bool = False,
) -> list[Sent]:
    """Fill each template `per` times, once per run; `fixed` narrows a slot's words.

    With `runs`, the pool also holds twice as many runs of two or three sentences of different
    templates, so that long texts need fewer draws.
    """
    slots = _slot_values(rng)
    for name, choices in (fixed or {}).items():
        slots[name] = (lambda c: lambda: c[int(rng.random() * len(c))])(choices)
    out: list[Sent] = []
    for zh, en in templates:
        tid = _template_ids.setdefault(zh, len(_template_ids))
        names = sorted({f for _, f, _, _ in string.Formatter().parse(zh + en) if f})
        for _ in range(per):
            values = {name: slots[name]() for name in names}
            z = zh.format(**{k: v[0] for k, v in values.items()})
            e = en.format(**{k: v[1] for k, v in values.items()})
            e = e[0].upper() + e[1:]
            out.append((z, " " + e, len(z), tid, "\n\n" + z, "\n\n" + e))
    single = len(out)
    for _ in range(2 * single if runs and len(templates) > 1 else 0):
        first = out[int(rng.random() * single)]
        z, e, tids = first[0], first[1], {first[3]}
        for _ in range(1 + int(rng.random() * 2)):
            nxt = out[int(rng.random() * single)]
            if nxt[3] not in tids:
                z, e = z + nxt[0], e + nxt[1]
                tids.add(nxt[3])
        out.append((z, e, len(z), first[3], "\n\n" + z, "\n\n" + e[1:]))
    return out


def _compose(
    r: Rand, lead: Pair, pools: Sequence[list[Sent]], lo: int, top: int, breaks: float = 0.0
) -> Pair:
    """Lead plus sentences from the pools until at least `lo` characters and below the cap.

    `top` is the cap minus the longest sentence: the text stops growing before it reaches `top`,
    so it never passes the cap. Lengths lean towards the short end, as real records do. A
    sentence from the template just used is drawn again once, to keep repetition down.
    """
    zh = [lead[0]]
    en = [lead[1]]
    add_zh = zh.append
    add_en = en.append
    n = len(lead[0])
    target = lo + int((top - lo) * r() * r())
    k = len(pools)
    last = -1
    while n < target:
        # One draw picks the pool (integer part) and the sentence in it (fraction).
        x = r() * k
        i = int(x)
        pool = pools[i]
        s = pool[int((x - i) * len(pool))]
        if s[3] == last:
            x = r() * k
            i = int(x)
            pool = pools[i]
            s = pool[int((x - i) * len(pool))]
        last = s[3]
        if breaks and r() < breaks:
            add_zh(s[4])
            add_en(s[5])
            n += s[2] + 2
        else:
            add_zh(s[0])
            add_en(s[1])
            n += s[2]
    return "".join(zh), "".join(en)


class _Enterprises:
    """What later rows need of each enterprise: a few bytes each; names are rebuilt on demand."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.geo = bytearray(count)  # index into _GEO
        self.city = bytearray(count)
        self.sector = bytearray(count)
        self.town = bytearray(count)
        self.root = bytearray(count)
        self.form = bytearray(count)
        self.by_geo: list[array[int]] = [array("I") for _ in _GEO]

    def name(self, i: int) -> Pair:
        """The enterprise's name in Chinese and English."""
        town = _TOWNS[self.town[i]]
        root = _ROOTS[self.root[i]]
        word = _SECTORS[self.sector[i]][2]
        form = _FORMS[self.form[i]]
        return (
            f"{town[0]}{root[0]}{word[0]}{form[0]}",
            f"{town[1]} {root[1]} {word[1]} {form[1]}",
        )


def _counts(records: int) -> list[int]:
    """Rows per file for a total of `records`."""
    if records < 2:
        raise ValueError("records must be at least 2: one department and one enterprise")
    departments = min(len(_DEPARTMENTS), records - 1)
    rest = records - departments
    enterprises = max(1, int(rest * ENTERPRISE_SHARE + 0.5))
    incidents = min(int(rest * INCIDENT_SHARE + 0.5), rest - enterprises)
    inspections = min(int(rest * INSPECTION_SHARE + 0.5), rest - enterprises - incidents)
    disclosures = rest - enterprises - incidents - inspections
    return [departments, enterprises, incidents, inspections, disclosures]


# --- The generator. --------------------------------------------------------------------------
class _Generator:
    """One run: the random source, the filled sentence pools and the enterprise table."""

    def __init__(self, seed: int, counts: list[int]) -> None:
        self.rng = random.Random(seed)
        self.r: Rand = self.rng.random
        self.counts = counts
        self.encode = json.JSONEncoder(
            ensure_ascii=False, check_circular=False, separators=(",", ":")
        ).encode
        rng = self.rng
        names = pollutants()
        self.pol: dict[str, Pair] = {c: (p.name_zh, p.name_en) for c, p in names.items()}
        self.pol_cap = {c: p.name_en[0].upper() + p.name_en[1:] for c, p in names.items()}
        self.limit = {(x.standard, x.standard_class, x.pollutant): float(x.limit) for x in limits()}

        def plant(code: str) -> dict[str, Sequence[Pair]]:
            """Slot words for a pollutant measured at a plant: its name, site, units, levels."""
            if code == "Dioxins":
                cunit, scale = ("纳克毒性当量/立方米", "ng-TEQ/m³"), 0.1
            elif code in _AIR:
                cunit, scale = ("毫克/立方米", "mg/m³"), 50.0
            else:
                cunit, scale = ("毫克/升", "mg/L"), 0.5
            levels = [format(scale * (0.2 + 4 * rng.random()), ".3g") for _ in range(20)]
            return {
                "pol": [self.pol[code]],
                "outlet": _WORDS[_site_kind(code)],
                "load": [_load(code)],
                "cunit": [cunit],
                "conc": [(x, x) for x in levels],
            }

        def pol_pools(templates: Sequence[Pair], per: int) -> dict[str, list[Sent]]:
            return {code: _pool(rng, templates, per, plant(code), runs=True) for code in self.pol}

        def by_sector(templates: Sequence[Pair], per: int) -> list[list[Sent]]:
            return [
                _pool(rng, templates, per, {"material": s[4], "product": s[3]}, runs=True)
                for s in _SECTORS
            ]

        self.find_bad = by_sector(_FINDINGS_BAD, 12)
        self.find_good = _pool(rng, _FINDINGS_GOOD, 40, runs=True)
        self.find_import = by_sector(_FINDINGS_IMPORT, 10)
        self.find_pol_bad = pol_pools(_FINDINGS_POL_BAD, 20)
        self.find_pol_good = pol_pools(_FINDINGS_POL_GOOD, 20)
        self.measures = _pool(rng, _MEASURES, 20)
        self.follow_up = _pool(rng, _FOLLOW_UP, 20)
        self.disc_generic = _pool(rng, _DISCLOSURE_GENERIC, 1)
        self.disc = [
            {
                cat: _pool(rng, tpl, 12, {"material": s[4], "product": s[3]}, runs=True)
                for cat, tpl in _DISCLOSURE.items()
            }
            for s in _SECTORS
        ]
        self.disc_pol = pol_pools(_DISCLOSURE_POL, 20)
        self.inc = _pool(rng, _INCIDENT, 40, runs=True)
        self.inc_pol = {
            c: _pool(rng, _INCIDENT_POL, 20, {"pol": [p]}, runs=True) for c, p in self.pol.items()
        }
        self.updates = [_pool(rng, phase, 10) for phase in _UPDATES]
        about = _DISCLOSURE["basic_information"][1:4] + _DISCLOSURE["other"][:2]
        self.about = _pool(rng, about, 20)

        def top(cap: int, lo: int, *groups: Iterable[list[Sent]]) -> int:
            """The length past which a text takes no more sentences from these pools."""
            longest = max(s[2] for group in groups for pool in group for s in pool) + 2
            assert cap - longest > lo, "sentences too long for the text's cap"
            return cap - longest

        disc = [p for d in self.disc for p in d.values()]
        self.top_about = top(260, 40, [self.about])
        self.top_inc = top(1500, 150, [self.inc], self.inc_pol.values())
        self.top_find = top(
            600,
            100,
            self.find_bad,
            self.find_import,
            [self.find_good],
            self.find_pol_bad.values(),
            self.find_pol_good.values(),
        )
        self.top_measures = top(250, 20, [self.measures])
        self.top_follow = top(120, 10, [self.follow_up])
        self.top_disc = top(2000, 200, disc, [self.disc_generic], self.disc_pol.values())

        self.departments = _DEPARTMENTS[: counts[0]]
        written = {d[0] for d in self.departments}
        self.dep_short = {d[0]: (d[1], d[2]) for d in self.departments}
        self.provincial = {
            d[6]: d[0] for d in self.departments if d[4] == "provincial" and d[3] == "environment"
        }
        self.municipal = {
            d[7]: d[0] for d in self.departments if d[4] == "municipal" and d[3] == "environment"
        }
        self.customs = [d for d in ("DEP-G-44-HP-CUS", "DEP-G-GACC") if d in written]
        self.extra = [d for d in ("DEP-G-MIIT", "DEP-G-SAMR", "DEP-G-43-AMR") if d in written]
        self.government = {d[7]: d[0] for d in self.departments if d[3] == "government"}
        self.geo_pick = _weighted([(g, w) for g, w in enumerate(x[1] for x in _GEO)])
        self.sector_pick = _weighted([(s, x[1]) for s, x in enumerate(_SECTORS)])
        self.status_pick = _weighted(_STATUSES)
        self.kind_pick = _weighted([((k[0], k[2], k[3]), k[1]) for k in _INSPECTION_KINDS])
        self.cat_pick = _weighted([((c[0], c[2], c[3]), c[1]) for c in _CATEGORIES])
        self.ents = _Enterprises(counts[1])

    # Shared pieces ----------------------------------------------------------------------------
    def pick(self, items: Sequence[Any]) -> Any:
        """One item, uniformly."""
        return items[int(self.r() * len(items))]

    def local_department(self, geo: int, city: int) -> str:
        """The department that would publish about a place: its city's bureau, its province's,
        or the ministry."""
        r = self.r()
        g = _GEO[geo]
        municipal = self.municipal.get(g[2][city][0])
        if municipal and r < 0.55:
            return municipal
        provincial = self.provincial.get(g[0])
        if provincial and r < 0.9:
            return provincial
        return "DEP-G-MEE"

    def measurement(
        self, code: str, site: Pair, when: datetime, river: bool, factor: float, en: bool
    ) -> dict[str, Any]:
        """A reading or figure of one pollutant at one site, judged against a standard on file."""
        r = self.r
        row: dict[str, Any] = {"site_zh": site[0]}
        if en:
            row["site_en"] = site[1]
        row["measured_at"] = when.isoformat()
        row["pollutant"] = code
        standard = klass = None
        unit = "mg/L"
        if code in _AIR:
            if code == "Dioxins":
                value, unit = 0.02 + 0.6 * factor * r(), "ng-TEQ/m³"
            else:
                value, unit = 5 + 250 * factor * r(), "mg/m³"
        elif river and ("GB 3838-2002", "III", code) in self.limit:
            standard, klass = "GB 3838-2002", "III"
            value = self.limit[(standard, klass, code)] * factor
        elif not river and ("GB 8978-1996", "", code) in self.limit:
            standard = "GB 8978-1996"
            value = self.limit[(standard, "", code)] * factor
        elif code in ("COD", "NH3N"):
            value = (15 + 80 * r() * factor) if code == "COD" else (0.3 + 8 * r() * factor)
        else:
            value = (0.002 if river else 0.05) * factor * (1 + 4 * r())
        if unit == "mg/L" and value < 0.01 and r() < 0.5:
            value, unit = value * 1000, "µg/L"
        row["value"] = _sig(value)
        row["unit"] = unit
        if standard:
            row["standard"] = standard
            if klass:
                row["standard_class"] = klass
        return row

    # Departments ------------------------------------------------------------------------------
    def department_rows(self) -> Iterator[dict[str, Any]]:
        """The fixed departments, parents before children."""
        start = datetime(2012, 1, 1, 9, 0, tzinfo=TZ)
        for i, d in enumerate(self.departments):
            (
                dep_id,
                name_zh,
                name_en,
                function,
                level,
                parent,
                province,
                city_zh,
                city_en,
                formerly_zh,
                formerly_en,
                desc_zh,
                desc_en,
            ) = d
            row: dict[str, Any] = {
                "id": dep_id,
                "publisher_id": dep_id,
                "published_at": (start + timedelta(minutes=i)).isoformat(),
                "sample": True,
                "name_zh": name_zh + _DEP_SUFFIX[0],
                "name_en": name_en + _DEP_SUFFIX[1],
                "function": function,
                "level": level,
            }
            optional = {
                "parent_id": parent,
                "province": province,
                "city_zh": city_zh,
                "city_en": city_en,
                "formerly_zh": formerly_zh,
                "formerly_en": formerly_en,
            }
            row.update((k, v) for k, v in optional.items() if v)
            row["description_zh"] = (desc_zh or f"{name_zh}。") + "本条为自动生成的样例数据。"
            row["description_en"] = (desc_en or f"{name_en}.") + " Generated sample data."
            yield row

    # Enterprises ------------------------------------------------------------------------------
    def enterprise_rows(self) -> Iterator[dict[str, Any]]:
        """Invented enterprises spread over the provinces where the industry sits."""
        r = self.r
        ents = self.ents
        base = datetime(2012, 1, 1, tzinfo=TZ)
        span = int((datetime(2021, 1, 1, tzinfo=TZ) - base).total_seconds())
        top = self.top_about
        for i in range(ents.count):
            geo = self.geo_pick[int(r() * len(self.geo_pick))]
            g = _GEO[geo]
            city = int(r() * len(g[2]))
            sector = self.sector_pick[int(r() * len(self.sector_pick))]
            ents.geo[i] = geo
            ents.city[i] = city
            ents.sector[i] = sector
            ents.town[i] = int(r() * len(_TOWNS))
            ents.root[i] = int(r() * len(_ROOTS))
            ents.form[i] = int(r() * len(_FORMS))
            ents.by_geo[geo].append(i)
            en = r() < ENGLISH_SHARE
            name = ents.name(i)
            city_zh, city_en, lat, lon = g[2][city]
            s = _SECTORS[sector]
            row: dict[str, Any] = {
                "id": f"ENT-G-{i + 1:07d}",
                "publisher_id": (
                    self.local_department(geo, city)
                    if r() < 0.9
                    else self.pick(self.extra or ["DEP-G-MEE"])
                ),
                "published_at": (base + timedelta(seconds=int(r() * span))).isoformat(),
                "sample": True,
                "name_zh": name[0],
            }
            if en:
                row["name_en"] = name[1]
            if r() < 0.95 and i < 99_999_999:  # eight digits of serial keep codes unique
                code = make_credit_code(f"91{g[0]}{city + 1:02d}00G{i + 1:08d}")
                row["credit_code"] = code
                if r() < 0.85:
                    row["permit_number"] = code + ("001P" if r() < 0.7 else "001U")
            row["sector"] = s[0]
            row["province"] = g[0]
            row["city_zh"] = city_zh
            if en:
                row["city_en"] = city_en
            if r() < 0.6:
                town = _TOWNS[ents.town[i]]
                row["park_zh"] = town[0] + "循环经济产业园"
                if en:
                    row["park_en"] = town[1] + " Circular Economy Park"
            row["latitude"] = round(lat + (r() - 0.5) * 0.5, 5)
            row["longitude"] = round(lon + (r() - 0.5) * 0.5, 5)
            row["status"] = self.status_pick[int(r() * len(self.status_pick))]
            row.update(self.disclosure_duties(i, row["publisher_id"]))
            if r() < 0.85:
                product = self.pick(s[3])
                material = self.pick(s[4])
                year = 1995 + int(r() * 25)
                cap = 1 + int(r() * 30)
                lead = (
                    f"{name[0]}成立于{year}年，以{material[0]}为原料生产{product[0]}，"
                    f"年处理能力约{cap}万吨。本条为自动生成的虚构样例数据。",
                    f"Founded in {year}, {name[1]} makes {product[1]} from {material[1]}, "
                    f"handling about {cap * 10_000:,} tonnes a year. Fictitious generated sample.",
                )
                zh, en_text = _compose(r, lead, [self.about], 40, top)
                row["description_zh"] = zh
                if en:
                    row["description_en"] = en_text
            yield row

    def disclosure_duties(self, i: int, publisher: str) -> dict[str, Any]:
        """Who must disclose (docs/obligations.md), from the row number alone: no draw, so the
        rest of a seed's set stays as it was. One in four is designated, one in nine listed."""
        out: dict[str, Any] = {}
        if i % 4 == 0:
            kind = "key_discharger" if i % 8 == 0 else "cleaner_production_audit"
            since = 2022 + i % 3
            what = "重点排污单位名录" if kind == "key_discharger" else "强制性清洁生产审核企业名单"
            title = f"{self.dep_short[publisher][0]}{since}年{what}（自动生成的虚构样例）"
            out["designations"] = [
                {
                    "kind": kind,
                    "from_year": since,
                    "department_id": publisher,
                    "source": {"title": title},
                }
            ]
        if i % 9 == 0:
            out["listed_company"] = True
        if i % 13 == 0:
            out["bond_issuer"] = True
        return out

    # Incidents --------------------------------------------------------------------------------
    def incident_rows(self) -> Iterator[dict[str, Any]]:
        """Pollution events on real rivers, caused by invented enterprises."""
        r = self.r
        ents = self.ents
        base = datetime(2010, 1, 1, tzinfo=TZ)
        span = int((datetime(2025, 7, 1, tzinfo=TZ) - base).total_seconds())
        recent = datetime(2024, 1, 1, tzinfo=TZ)
        top = self.top_inc
        statuses = ("reported", "investigating", "contained", "closed")
        for k in range(1, self.counts[2] + 1):
            en = r() < ENGLISH_SHARE
            x = r()
            n_resp = 0 if x < 0.1 else 1 if x < 0.75 else 2 if x < 0.93 else 3
            responsible: list[int] = []
            if n_resp:
                first = int(r() * ents.count)
                responsible.append(first)
                geo, city = ents.geo[first], ents.city[first]
                same = ents.by_geo[geo]
                for _ in range(4 * n_resp):
                    if len(responsible) >= n_resp:
                        break
                    other = same[int(r() * len(same))]
                    if other not in responsible:
                        responsible.append(other)
                sector = _SECTORS[ents.sector[first]]
                water = [c for c in sector[5] if c not in _AIR and c not in ("COD", "NH3N")]
            else:
                geo = self.geo_pick[int(r() * len(self.geo_pick))]
                city = int(r() * len(_GEO[geo][2]))
                water = []
            g = _GEO[geo]
            city_zh, city_en, lat, lon = g[2][city]
            river = self.pick(g[3])
            town = self.pick(_TOWNS)
            main = self.pick(water or _WATER_METALS)
            codes = [main]
            if r() < 0.3:
                second = self.pick(_WATER_METALS)
                if second != main:
                    codes.append(second)
            began = base + timedelta(seconds=int(r() * span))
            found = began + timedelta(seconds=3600 + int(r() * 5 * 86400))
            published = found + timedelta(seconds=7200 + int(r() * 3 * 86400))
            if began < recent:
                status = "closed" if r() < 0.85 else "contained" if r() < 0.7 else "investigating"
            else:
                status = statuses[int(r() * 4)]
            publisher = self.provincial.get(g[0], "DEP-G-MEE") if r() < 0.8 else "DEP-G-MEE"
            pol = self.pol[main]
            title_zh, title_en = self.pick(
                (
                    (
                        f"{city_zh}{river[0]}{pol[0]}超标事件",
                        f"{self.pol_cap[main]} exceedance in the {river[1]}, {city_en}",
                    ),
                    (
                        f"{river[0]}{town[0]}段{pol[0]}污染事件",
                        f"{self.pol_cap[main]} pollution of the {river[1]} at {town[1]}",
                    ),
                    (
                        f"{city_zh}{pol[0]}污染突发环境事件",
                        f"Sudden {pol[1]} pollution incident in {city_en}",
                    ),
                )
            )
            dept = self.dep_short[publisher]
            lead = (
                f"{_zh_date(found.date())}，{city_zh}{river[0]}{town[0]}段发现{pol[0]}浓度异常，"
                f"{dept[0]}接报后立即组织调查。",
                f"On {_en_date(found.date())}, abnormal {pol[1]} levels were found in the "
                f"{river[1]} at {town[1]}, {city_en}; the {dept[1]} opened an investigation.",
            )
            pols = [self.inc_pol[c] for c in codes]
            summary_zh, summary_en = _compose(r, lead, [self.inc, *pols, *pols], 150, top)
            row: dict[str, Any] = {
                "id": f"INC-G-{began.year}-{k:06d}",
                "publisher_id": publisher,
                "published_at": published.isoformat(),
                "sample": True,
                "title_zh": title_zh,
            }
            if en:
                row["title_en"] = title_en
            row["summary_zh"] = summary_zh
            if en:
                row["summary_en"] = summary_en
            row["began_at"] = began.isoformat()
            row["found_at"] = found.isoformat()
            row["river_zh"] = river[0]
            if en:
                row["river_en"] = river[1]
            row["place_zh"] = town[0]
            if en:
                row["place_en"] = town[1]
            row["province"] = g[0]
            row["city_zh"] = city_zh
            if en:
                row["city_en"] = city_en
            lat = round(lat + (r() - 0.5) * 0.4, 5)
            lon = round(lon + (r() - 0.5) * 0.4, 5)
            row["latitude"] = lat
            row["longitude"] = lon
            row["status"] = status
            row["pollutants"] = sorted(codes)
            readings = []
            when = found
            for j in range(2 + int(r() * 9)):
                section = _WORDS["section"][0 if j == 0 else 1 + int(r() * 6)]
                site = (f"{river[0]}{section[0]}断面", f"{river[1]}, {section[1]} section")
                factor = 0.3 + r() if j == 0 else math.exp(r() * 3.5)
                reading = self.measurement(self.pick(codes), site, when, True, factor, en)
                reading["latitude"] = round(lat + (r() - 0.5) * 0.1, 5)
                reading["longitude"] = round(lon + (r() - 0.5) * 0.1, 5)
                readings.append(reading)
                when += timedelta(seconds=1800 + int(r() * 6 * 3600))
            row["readings"] = readings
            resp = []
            for e in responsible:
                role = self.pick(_ROLES)
                item = {"enterprise_id": f"ENT-G-{e + 1:07d}", "role_zh": role[0]}
                if en:
                    item["role_en"] = role[1]
                resp.append(item)
            row["responsible"] = resp
            phases = statuses.index(status) + 1
            updates = []
            at = found + timedelta(seconds=1800)
            local = [self.local_department(geo, city) for _ in range(2)]
            deps = [*local, publisher, self.government.get(city_zh, publisher)]
            for phase in range(phases):
                for _ in range(1 + int(r() * 2)):
                    s = self.pick(self.updates[phase])
                    update = {
                        "department_id": self.pick(deps),
                        "at": at.isoformat(),
                        "text_zh": s[0],
                    }
                    if en:
                        update["text_en"] = s[1][1:]
                    updates.append(update)
                    at += timedelta(seconds=3600 + int(r() * 3 * 86400))
            row["updates"] = updates
            if r() < 0.5:
                row["sources"] = [
                    {
                        "title": f"{dept[0]}关于{title_zh}的通报",
                        "url": f"https://example.org/notices/{row['id'].lower()}",
                        "published_on": published.date().isoformat(),
                    }
                ]
            yield row

    # Inspections ------------------------------------------------------------------------------
    def inspection_rows(self) -> Iterator[dict[str, Any]]:
        """Visits to invented enterprises, mostly compliant, some with penalties."""
        r = self.r
        ents = self.ents
        day0 = date(2012, 1, 1)
        days = (date(2025, 6, 30) - day0).days
        top = self.top_find
        mtop = self.top_measures
        ftop = self.top_follow
        for k in range(1, self.counts[3] + 1):
            e = int(r() * ents.count)
            en = r() < ENGLISH_SHARE
            geo, city = ents.geo[e], ents.city[e]
            sector = _SECTORS[ents.sector[e]]
            name = ents.name(e)
            on = day0 + timedelta(days=int(r() * days))
            published = datetime(on.year, on.month, on.day, 9, tzinfo=TZ) + timedelta(
                seconds=86400 + int(r() * 30 * 86400)
            )
            kind, kind_zh, kind_en = self.kind_pick[int(r() * len(self.kind_pick))]
            if kind == "import_cargo" and sector[0] in ("mining", "primary_smelting"):
                kind, kind_zh, kind_en = self.kind_pick[0]  # mines import no scrap: routine
            x = r()
            if x < 0.55:
                outcome = "compliant"
            elif x < 0.8:
                outcome = "violation"
            else:
                outcome = "rectification_ordered"
            if kind == "import_cargo" and self.customs:
                publisher = self.pick(self.customs)
            elif r() < 0.92:
                publisher = self.local_department(geo, city)
            else:
                publisher = self.pick(self.extra or ["DEP-G-MEE"])
            n_pol = int(r() * 4)
            codes: list[str] = []
            for _ in range(3 * n_pol):
                if len(codes) >= n_pol:
                    break
                c = self.pick(sector[5])
                if c not in codes:
                    codes.append(c)
            dept = self.dep_short[publisher]
            lead = (
                f"{_zh_date(on)}，{dept[0]}对{name[0]}开展{kind_zh}。",
                f"{name[1]} received {kind_en} from the {dept[1]} on {_en_date(on)}.",
            )
            sector_no = ents.sector[e]
            if kind == "import_cargo":
                pools = [self.find_import[sector_no]]
            elif outcome == "compliant":
                pools = [self.find_good, self.find_good]
                pools += [self.find_pol_good[c] for c in codes]
            else:
                pools = [self.find_bad[sector_no], self.find_bad[sector_no], self.find_good]
                pools += [self.find_pol_bad[c] for c in codes]
            findings_zh, findings_en = _compose(r, lead, pools, 100, top)
            row: dict[str, Any] = {
                "id": f"INS-G-{on.year}-{k:07d}",
                "publisher_id": publisher,
                "published_at": published.isoformat(),
                "sample": True,
                "enterprise_id": f"ENT-G-{e + 1:07d}",
                "inspected_on": on.isoformat(),
                "inspection_type": kind,
                "outcome": outcome,
                "findings_zh": findings_zh,
            }
            if en:
                row["findings_en"] = findings_en
            if outcome != "compliant":
                if r() < (0.7 if outcome == "violation" else 0.25):
                    row["penalty_yuan"] = int(math.exp(9.2 + 5.3 * r())) // 1000 * 1000 + 1000
                    # The decision some days after the visit; every seventh with a sanction
                    # (from the row number: no draw).
                    row["decided_on"] = (on + timedelta(days=7 + k % 21)).isoformat()
                    if k % 7 == 0:
                        row["sanctions"] = [_SANCTIONS[k // 7 % len(_SANCTIONS)]]
                first = self.pick(self.measures)
                measures = _compose(r, (first[0], first[1][1:]), [self.measures], 20, mtop)
                row["measures_zh"] = measures[0]
                if en:
                    row["measures_en"] = measures[1]
                if outcome == "rectification_ordered" or r() < 0.4:
                    row["deadline"] = (on + timedelta(days=15 + int(r() * 76))).isoformat()
                if r() < 0.5:
                    first = self.pick(self.follow_up)
                    follow = _compose(r, (first[0], first[1][1:]), [self.follow_up], 10, ftop)
                    row["follow_up_zh"] = follow[0]
                    if en:
                        row["follow_up_en"] = follow[1]
            row["pollutants"] = sorted(codes)
            if r() < 0.2:
                batch = 1 + int(r() * 12)
                row["sources"] = [
                    {
                        "title": f"{dept[0]}{on.year}年环境行政执法信息公开（第{batch}批）",
                        "published_on": published.date().isoformat(),
                    }
                ]
            yield row

    # Disclosures ------------------------------------------------------------------------------
    def disclosure_rows(self) -> Iterator[dict[str, Any]]:
        """Annual and temporary disclosures, each filed by its own enterprise."""
        r = self.r
        ents = self.ents
        top = self.top_disc
        day0 = date(2015, 1, 1)
        days = (date(2025, 6, 1) - day0).days
        for k in range(1, self.counts[4] + 1):
            e = int(r() * ents.count)
            en = r() < ENGLISH_SHARE
            sector = _SECTORS[ents.sector[e]]
            name = ents.name(e)
            ent_id = f"ENT-G-{e + 1:07d}"
            category, cat_zh, cat_en = self.cat_pick[int(r() * len(self.cat_pick))]
            temporary = category == "temporary_disclosures" or (
                category == "violations_penalties" and r() < 0.4
            )
            if temporary:
                start = day0 + timedelta(days=int(r() * days))
                end = start + timedelta(days=int(r() * 30))
                published = datetime(end.year, end.month, end.day, 10, tzinfo=TZ) + timedelta(
                    seconds=86400 + int(r() * 6 * 86400)
                )
                title = (
                    f"{name[0]}环境信息临时披露报告（{_zh_date(start)}）",
                    f"{name[1]}: temporary environmental disclosure ({_en_date(start)})",
                )
                lead = (
                    f"根据相关规定，{name[0]}现就{_zh_date(start)}发生的{cat_zh}事项予以披露。",
                    f"{name[1]} discloses the following {cat_en} matter of {_en_date(start)}.",
                )
            else:
                year = 2014 + int(r() * 11)
                start, end = date(year, 1, 1), date(year, 12, 31)
                published = datetime(year + 1, 1, 5, 9, tzinfo=TZ) + timedelta(
                    seconds=int(r() * 69 * 86400)
                )
                title = (
                    f"{name[0]}{year}年度环境信息依法披露报告：{cat_zh}",
                    f"{name[1]}: {year} annual environmental disclosure, {cat_en}",
                )
                lead = (
                    f"本报告为{name[0]}{year}年度环境信息依法披露报告的{cat_zh}部分。",
                    f"This is the {cat_en} section of {name[1]}'s environmental disclosure "
                    f"report for {year}.",
                )
            if category == "pollutant_emission":
                n_fig = 1 + int(r() * 6)
            else:
                n_fig = 0 if r() < 0.8 else 1 + int(r() * 2)
            figures = []
            codes: list[str] = []
            span = (end - start).days + 1
            for _ in range(n_fig):
                code = self.pick(sector[5])
                codes.append(code)
                site = self.pick(_WORDS[_site_kind(code)])
                d = start + timedelta(days=int(r() * span))
                when = datetime(d.year, d.month, d.day, 8 + int(r() * 10), tzinfo=TZ)
                factor = math.exp(-2.5 * r()) * (1.3 if r() < 0.1 else 0.9)
                figure = self.measurement(code, site, when, False, factor, en)
                if r() < 0.4:
                    note = self.pick(
                        (
                            ("月均值", "monthly mean"),
                            ("自行监测", "self-monitoring"),
                            ("委托监测", "contracted laboratory"),
                        )
                    )
                    figure["note_zh"] = note[0]
                    if en:
                        figure["note_en"] = note[1]
                figures.append(figure)
            disc = self.disc[ents.sector[e]]
            pools = [disc[category], disc[category], self.disc_generic]
            if category == "violations_penalties" and not temporary and r() < 0.5:
                lead = (
                    lead[0] + "报告期内企业未受到生态环境行政处罚。",
                    lead[1] + " No environmental penalty was imposed during the period.",
                )
                pools = [disc["environmental_management"], self.disc_generic]
            if not temporary:  # yearly loads and means belong to annual reports
                pools += [self.disc_pol[c] for c in dict.fromkeys(codes)]
            text_zh, text_en = _compose(r, lead, pools, 200, top, breaks=0.15)
            row: dict[str, Any] = {
                "id": f"DIS-G-{start.year}-{k:07d}",
                "publisher_id": ent_id,
                "published_at": published.isoformat(),
                "sample": True,
                "enterprise_id": ent_id,
                "category": category,
                "report_type": "temporary" if temporary else "annual",
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "title_zh": title[0],
            }
            if en:
                row["title_en"] = title[1]
            row["text_zh"] = text_zh
            if en:
                row["text_en"] = text_en
            row["figures"] = figures
            yield row


def _write(path: Path, rows: Iterable[dict[str, Any]], encode: Callable[[Any], str]) -> int:
    """Write rows as NDJSON in chunks; return how many."""
    count = 0
    with path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
        chunk: list[str] = []
        for row in rows:
            chunk.append(encode(row))
            count += 1
            if len(chunk) >= FLUSH_LINES:
                chunk.append("")
                out.write("\n".join(chunk))
                chunk = []
        if chunk:
            chunk.append("")
            out.write("\n".join(chunk))
    return count


def generate(out_dir: Path, records: int, seed: int = 2012) -> dict[str, int]:
    """Write `records` fictitious sample rows as five NDJSON files; return the count per file."""
    counts = _counts(records)
    gen = _Generator(seed, counts)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    makers = (
        gen.department_rows,
        gen.enterprise_rows,
        gen.incident_rows,
        gen.inspection_rows,
        gen.disclosure_rows,
    )
    written: dict[str, int] = {}
    for name, make in zip(FILES, makers, strict=True):
        written[name] = _write(out_dir / name, make(), gen.encode)
    return written
