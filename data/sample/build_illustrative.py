"""Build Clearwater's sample records: the one real incident and an illustrative set.

Run from the project root:  python data/sample/build_illustrative.py

Writes, in this folder, the seven files `portal load-sample` reads in name order:
01-departments.json, 02-enterprises.csv, 03-incidents.json, 04-inspections.ndjson,
05-disclosures.ndjson, 06-responses.json, 07-tips.json.

The real records (the 2012 Longjiang river cadmium incident, the two enterprises held
responsible, and the departments) are written out by hand below from the sources in
/work/shared/DOMAIN.md and carry sample=false with their sources. Everything else is
illustrative: invented enterprises, incidents, inspections, disclosures, responses and tips,
each with sample=true. The output is deterministic (random.Random(2012), standard library only).
"""

from __future__ import annotations

import csv
import importlib.util
import json
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
CST = timezone(timedelta(hours=8))
rng = random.Random(2012)


def _load_credit_code_module():
    """The project's own GB 32100-2015 check, loaded from its file (no third-party imports)."""
    path = HERE.parent.parent / "portal" / "models" / "credit_code.py"
    spec = importlib.util.spec_from_file_location("clearwater_credit_code", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


make_credit_code = _load_credit_code_module().make_credit_code


# --------------------------------------------------------------------------- helpers

def dt(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    """A datetime in China Standard Time."""
    return datetime(y, mo, d, h, mi, tzinfo=CST)


def iso(value: datetime | date) -> str:
    """ISO 8601 text (datetimes carry their +08:00 offset)."""
    return value.isoformat()


def at_hour(day: date, h: int, mi: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, h, mi, tzinfo=CST)


def add_working_days(day: date, n: int) -> date:
    """Add n working days (Monday to Friday; public holidays ignored)."""
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def sig(x: float, digits: int = 3) -> float:
    """Round to significant digits, as a laboratory reports."""
    if x == 0:
        return 0.0
    return float(f"{x:.{digits}g}")


def num(x: float) -> str:
    """A measured value as text, without a trailing .0 or an exponent."""
    return f"{x:.6f}".rstrip("0").rstrip(".")


def the(name_en: str) -> str:
    """An English department name with its article ("the Ministry ...", but "Ningbo Customs")."""
    return name_en if name_en.endswith("Customs") else "the " + name_en


def pick(seq):
    return seq[rng.randrange(len(seq))]


_EN_COUNTER = [0]


def with_english() -> bool:
    """Six illustrative records in seven (about 86 %) carry English text."""
    _EN_COUNTER[0] += 1
    return _EN_COUNTER[0] % 7 != 3


def drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


def gb11714(eight: str) -> str:
    """The organisation code (9 characters) with its GB 11714 check character."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(eight, weights, strict=True))
    c9 = 11 - total % 11
    return eight + ("X" if c9 == 10 else "0" if c9 == 11 else str(c9))


PROVINCE = {  # code: (zh, en, short id)
    "12": ("天津市", "Tianjin", "TJ"), "31": ("上海市", "Shanghai", "SH"),
    "32": ("江苏省", "Jiangsu", "JS"), "33": ("浙江省", "Zhejiang", "ZJ"),
    "34": ("安徽省", "Anhui", "AH"), "36": ("江西省", "Jiangxi", "JX"),
    "37": ("山东省", "Shandong", "SD"), "41": ("河南省", "Henan", "HA"),
    "42": ("湖北省", "Hubei", "HB"), "43": ("湖南省", "Hunan", "HN"),
    "44": ("广东省", "Guangdong", "GD"), "45": ("广西壮族自治区", "Guangxi", "GX"),
    "50": ("重庆市", "Chongqing", "CQ"), "53": ("云南省", "Yunnan", "YN"),
}
MUNICIPALITIES = {"12", "31", "50"}

POLLUTANT_ZH = {
    "Cd": "镉", "Pb": "铅", "As": "砷", "Hg": "汞", "Cr6": "六价铬", "Cr": "总铬", "Cu": "铜",
    "Zn": "锌", "Ni": "镍", "Tl": "铊", "Sb": "锑", "COD": "化学需氧量", "NH3N": "氨氮",
    "SO2": "二氧化硫", "NOx": "氮氧化物", "PM": "颗粒物", "Dioxins": "二噁英",
}
POLLUTANT_EN = {
    "Cd": "cadmium", "Pb": "lead", "As": "arsenic", "Hg": "mercury", "Cr6": "hexavalent chromium",
    "Cr": "total chromium", "Cu": "copper", "Zn": "zinc", "Ni": "nickel", "Tl": "thallium",
    "Sb": "antimony", "COD": "chemical oxygen demand", "NH3N": "ammonia nitrogen",
    "SO2": "sulphur dioxide", "NOx": "nitrogen oxides", "PM": "particulate matter",
    "Dioxins": "dioxins",
}
# The limits on file (data/standards.csv) that the illustrative values are drawn against.
GB3838 = {
    "Cd": {"I": 0.001, "II": 0.005, "III": 0.005, "IV": 0.005, "V": 0.01},
    "Pb": {"I": 0.01, "II": 0.01, "III": 0.05, "IV": 0.05, "V": 0.1},
    "As": {"I": 0.05, "II": 0.05, "III": 0.05, "IV": 0.1, "V": 0.1},
    "Hg": {"I": 0.00005, "II": 0.00005, "III": 0.0001, "IV": 0.001, "V": 0.001},
    "Cr6": {"I": 0.01, "II": 0.05, "III": 0.05, "IV": 0.05, "V": 0.1},
    "Cu": {"I": 0.01, "II": 1.0, "III": 1.0, "IV": 1.0, "V": 1.0},
    "Zn": {"I": 0.05, "II": 1.0, "III": 1.0, "IV": 2.0, "V": 2.0},
}
GB8978 = {"Hg": 0.05, "Cd": 0.1, "Cr": 1.5, "Cr6": 0.5, "As": 0.5, "Pb": 1.0, "Ni": 1.0}
# Typical surface-water values for pollutants with no limit on file (mg/L).
NO_LIMIT_TYPICAL = {"Tl": 0.0004, "Sb": 0.02, "COD": 25.0, "NH3N": 1.8, "Ni": 0.03}


def zh_list(codes: list[str]) -> str:
    return "、".join(POLLUTANT_ZH[c] for c in codes)


def en_list(codes: list[str]) -> str:
    names = [POLLUTANT_EN[c] for c in codes]
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def fmt_date_zh(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def fmt_date_en(d: date) -> str:
    return f"{d.day} {d.strftime('%B')} {d.year}"


# --------------------------------------------------------------------------- real records

SRC_XINHUA_CNS = {"title": "Xinhua, via China News Service: cadmium found in the Longjiang river, "
                  "Yizhou, Hechi", "published_on": "2012-01-20"}
SRC_PEOPLE = {"title": "River contaminated with cadmium in S. China (Xinhua, People's Daily Online)",
              "url": "http://en.people.cn/90882/7711357.html", "published_on": "2012-01-21"}
SRC_CD_0129 = {"title": "Cadmium pollution controlled in S China river (China Daily)",
               "url": "https://www.chinadaily.com.cn/china/2012-01/29/content_14500572.htm",
               "published_on": "2012-01-29"}
SRC_CD_0131 = {"title": "Cadmium pollution to affect 300-km section of river in Guangxi (China Daily)",
               "published_on": "2012-01-31"}
SRC_CD_0207 = {"title": "Clear need to answer questions after pollution (China Daily)",
               "url": "http://europe.chinadaily.com.cn/china/2012-02/07/content_14550346_3.htm",
               "published_on": "2012-02-07"}
SRC_CAIXIN = {"title": "Caixin, reporting on the 2012 Longjiang cadmium spill (about 20 t of cadmium; "
              "peak about 80 times the limit)"}
SRC_SCMP = {"title": "Nine punished for cadmium spill (South China Morning Post)",
            "url": "http://www.scmp.com/article/991660/nine-punished-cadmium-spill",
            "published_on": "2012-02-04"}
SRC_SHDAILY = {"title": "8 officials detained over cadmium spill into river (Shanghai Daily)",
               "url": "https://archive.shine.cn/nation/8-officials-detained-over-cadmium-spill-"
                      "into-river/shdaily.shtml",
               "published_on": "2012-02-02"}
SRC_WIKI = {"title": "2012年广西龙江镉污染事件 (Chinese Wikipedia)",
            "url": "https://zh.wikipedia.org/wiki/2012年广西龙江镉污染事件"}
SRC_OOSKA = {"title": "OOSKAnews, July 2013: sentences over the 2012 Longjiang cadmium spill"}

REAL_DEPARTMENTS = [
    {
        "id": "DEP-MEE", "name_zh": "生态环境部", "name_en": "Ministry of Ecology and Environment",
        "function": "environment", "level": "national",
        "formerly_zh": "环境保护部", "formerly_en": "Ministry of Environmental Protection (MEP)",
        "description_zh": "2018年组建，承担原环境保护部的职责。",
        "description_en": "Formed in 2018; took over the duties of the Ministry of Environmental "
                          "Protection.",
    },
    {
        "id": "DEP-SAMR", "name_zh": "国家市场监督管理总局",
        "name_en": "State Administration for Market Regulation (SAMR)",
        "function": "market_regulation", "level": "national",
        "formerly_zh": "国家工商行政管理总局；国家质量监督检验检疫总局；价格监督检查",
        "formerly_en": "State Administration for Industry and Commerce (SAIC); General "
                       "Administration of Quality Supervision, Inspection and Quarantine (AQSIQ); "
                       "price supervision",
        "description_zh": "2018年组建，承担原工商行政管理、质量技术监督和价格监督检查等职责。",
        "description_en": "Formed in 2018 from industry and commerce, quality inspection and price "
                          "supervision.",
    },
    {
        "id": "DEP-GACC", "name_zh": "海关总署", "name_en": "General Administration of Customs (GACC)",
        "function": "customs", "level": "national",
        "formerly_zh": "出入境检验检疫（原国家质量监督检验检疫总局）",
        "formerly_en": "Entry-exit inspection and quarantine (then under AQSIQ)",
        "description_zh": "2018年起承担原出入境检验检疫职责。",
        "description_en": "Has carried the entry-exit inspection and quarantine duties since 2018.",
    },
    {
        "id": "DEP-NFRA", "name_zh": "国家金融监督管理总局",
        "name_en": "National Financial Regulatory Administration (NFRA)",
        "function": "financial_regulation", "level": "national",
        "formerly_zh": "中国银行业监督管理委员会",
        "formerly_en": "China Banking Regulatory Commission (CBRC)",
        "description_zh": "2023年组建，承担银行业等金融监管职责。",
        "description_en": "Formed in 2023; supervises banking among other financial sectors.",
    },
    {
        "id": "DEP-MIIT", "name_zh": "工业和信息化部",
        "name_en": "Ministry of Industry and Information Technology (MIIT)",
        "function": "industry", "level": "national",
    },
    {
        "id": "DEP-CMRA", "name_zh": "中国有色金属工业协会再生金属分会",
        "name_en": "China Nonferrous Metals Industry Association Recycling Metal Branch (CMRA)",
        "function": "association", "level": "association",
        "description_zh": "行业协会，2002年成立。",
        "description_en": "The industry association's recycling branch, founded in 2002.",
    },
    # Guangxi bodies named in the 2012 Longjiang record.
    {
        "id": "DEP-GX-GOV", "name_zh": "广西壮族自治区人民政府",
        "name_en": "People's Government of Guangxi Zhuang Autonomous Region",
        "function": "government", "level": "provincial", "province": "45",
        "description_zh": "2012年2月3日，自治区政府对龙江河镉污染事件中的9名官员作出处分。",
        "description_en": "On 3 February 2012 the regional government disciplined nine officials over "
                          "the Longjiang cadmium pollution.",
        "sources": [SRC_SCMP],
    },
    {
        "id": "DEP-GX-HC-GOV", "name_zh": "河池市人民政府",
        "name_en": "Hechi Municipal People's Government",
        "function": "government", "level": "municipal", "province": "45",
        "city_zh": "河池市", "city_en": "Hechi",
        "description_zh": "2012年龙江河镉污染事件应急指挥部的通报，在本门户中以河池市人民政府名义记录。",
        "description_en": "Statements of the emergency headquarters of the 2012 Longjiang cadmium "
                          "pollution are recorded under the Hechi municipal government here.",
        "sources": [SRC_PEOPLE, SRC_CD_0131],
    },
    {
        "id": "DEP-GX-EE", "name_zh": "广西壮族自治区生态环境厅",
        "name_en": "Department of Ecology and Environment of Guangxi Zhuang Autonomous Region",
        "function": "environment", "level": "provincial", "parent_id": "DEP-MEE", "province": "45",
        "formerly_zh": "广西壮族自治区环境保护厅",
        "formerly_en": "Environmental Protection Department of Guangxi Zhuang Autonomous Region",
    },
    {
        "id": "DEP-GX-HC-EEB", "name_zh": "河池市生态环境局",
        "name_en": "Hechi Municipal Bureau of Ecology and Environment",
        "function": "environment", "level": "municipal", "parent_id": "DEP-MEE", "province": "45",
        "city_zh": "河池市", "city_en": "Hechi",
        "formerly_zh": "河池市环境保护局", "formerly_en": "Hechi Environmental Protection Bureau",
    },
    {
        "id": "DEP-GX-LZ-EEB", "name_zh": "柳州市生态环境局",
        "name_en": "Liuzhou Municipal Bureau of Ecology and Environment",
        "function": "environment", "level": "municipal", "parent_id": "DEP-MEE", "province": "45",
        "city_zh": "柳州市", "city_en": "Liuzhou",
        "formerly_zh": "柳州市环境保护局", "formerly_en": "Liuzhou Environmental Protection Bureau",
        "sources": [SRC_CD_0129],
    },
    {
        # The 2012 name is the one the sources give; today's name is not confirmed here, so the
        # record is marked sample.
        "id": "DEP-GX-HC-YZ-EEB", "name_zh": "河池市宜州生态环境局",
        "name_en": "Hechi Yizhou Bureau of Ecology and Environment",
        "function": "environment", "level": "county", "parent_id": "DEP-MEE", "province": "45",
        "city_zh": "河池市", "city_en": "Hechi",
        "formerly_zh": "宜州市环境保护局", "formerly_en": "Yizhou Environmental Protection Bureau",
        "description_zh": "宜州原为县级市，2016年撤市设河池市宜州区。2012年1月15日，宜州环保部门在龙江河拉浪水电站发现死鱼。",
        "description_en": "Yizhou, once a county-level city, became Yizhou district of Hechi in 2016. "
                          "On 15 January 2012 the Yizhou environmental bureau found dead fish at the "
                          "Lalang hydropower station on the Longjiang.",
        "sample": True,
        "sources": [SRC_PEOPLE],
    },
]

REAL_ENTERPRISES = [
    {
        "id": "ENT-GX-JINHE", "publisher_id": "DEP-GX-HC-EEB",
        "name_zh": "广西金河矿业股份有限公司", "name_en": "Guangxi Jinhe Mining Co., Ltd.",
        "sector": "primary_smelting", "province": "45", "city_zh": "河池市", "city_en": "Hechi",
        "status": "suspended",
        "description_zh": "2012年2月3日被认定为龙江河镉污染事件责任方之一：其冶化厂渣场不符合国家标准。该公司起初否认是污染源。"
                          "事件期间龙江上游7家涉重金属企业全部停产；本记录的状态为2012年2月报道时的情况，本门户没有其后的记录。"
                          "2013年，该公司3名管理人员被判处3年有期徒刑，公司被处罚金约16.2万美元。",
        "description_en": "Named on 3 February 2012 as one of the two parties responsible for the "
                          "Longjiang cadmium pollution: the slag site of its smelting-chemical plant "
                          "fell short of national standards. The company at first denied being the "
                          "source. All seven heavy-metal plants upstream were suspended during the "
                          "incident; the status shown is as reported in February 2012, and the portal "
                          "holds no later record. In 2013 three of its managers were sentenced to three "
                          "years and the company was fined about US$162,000.",
        "sources": [SRC_CD_0207, SRC_CD_0131, SRC_OOSKA],
    },
    {
        "id": "ENT-GX-HONGQUAN", "publisher_id": "DEP-GX-HC-EEB",
        "name_zh": "河池市金城江区鸿泉立德粉材料厂",
        "name_en": "Hechi Jinchengjiang Hongquan Lithopone Material Plant",
        "sector": "primary_smelting", "province": "45", "city_zh": "河池市", "city_en": "Hechi",
        "county_zh": "金城江区", "county_en": "Jinchengjiang district",
        "status": "suspended",
        "description_zh": "2007年获准生产立德粉；自2009年12月起在无污染治理设施的情况下生产铟，并将含重金属废水排入溶洞。"
                          "2012年2月3日被认定为龙江河镉污染事件责任方之一。2013年，该厂7名管理人员被判处3至5年有期徒刑。"
                          "本记录的状态为2012年2月报道时的情况，本门户没有其后的记录。",
        "description_en": "Licensed in 2007 to make lithopone; from December 2009 it produced indium "
                          "without any pollution treatment and pumped its heavy-metal waste water into "
                          "karst caves. Named on 3 February 2012 as one of the two parties responsible "
                          "for the Longjiang cadmium pollution. In 2013 seven of its managers were "
                          "sentenced to three to five years. The status shown is as reported in "
                          "February 2012; the portal holds no later record.",
        "sources": [SRC_CD_0207, SRC_OOSKA],
    },
]

NOTE_DERIVED_ZH = "由报道的倍数推算（III类标准限值的{n}倍）"
NOTE_DERIVED_EN = "derived from the reported multiple ({n} times the Class III limit)"

REAL_INCIDENT = {
    "id": "INC-2012-0001", "publisher_id": "DEP-GX-HC-EEB",
    # First published by Xinhua on 20 January 2012 (SRC_XINHUA_CNS; the day only, so midnight
    # China time); compiled for this portal by an editor from the sources below, filed under
    # the Hechi bureau, which did not publish this record itself.
    "published_at": iso(dt(2012, 1, 20, 0, 0)), "sample": False,
    "first_published_by_zh": "新华社（中国新闻网转载）",
    "first_published_by_en": "Xinhua, via China News Service",
    "entered_by": "editor",
    "title_zh": "广西龙江河镉污染事件",
    "title_en": "Longjiang river cadmium pollution, Guangxi (2012)",
    "summary_zh": (
        "2012年1月15日，宜州市环境保护局在龙江河拉浪水电站发现网箱养鱼死亡，拉浪码头前200米处水体重金属超标。"
        "上游水电站加大下泄流量稀释，沿岸村民被告知停止饮用河水。1月19日17时，罗东水电站坝首断面镉浓度为0.0247毫克/升，"
        "砷浓度为0.0301毫克/升（未超过其限值）；河池—柳州交界断面镉浓度先后为0.0030和0.0017毫克/升（未超标）。\n"
        "据财新报道，镉浓度峰值约为地表水III类标准限值（0.005毫克/升）的80倍，应急指挥部通报为82倍；至1月30日，经处置峰值降至25倍，"
        "受影响河段约300公里。1月29日中午，糯米滩水电站断面为限值的8倍，柳州河西水厂上游16公里处为0.0041毫克/升。\n"
        "进入河流的镉约20吨（财新；《南华早报》）；应急指挥部估算溶解态镉约21吨。\n"
        "处置：在糯米滩投加烧碱将pH值提高到8左右，并投加聚合氯化铝絮凝沉降；下游继续调水稀释；上游7家涉重金属企业全部停产；"
        "共排查145家企业，关停或停产11家。2月23日应急响应终止。\n"
        "责任（2月3日公布）：广西金河矿业股份有限公司冶化厂渣场不符合国家标准；河池市金城江区鸿泉立德粉材料厂2007年获准生产立德粉，"
        "自2009年12月起无污染治理设施生产铟，并将废水排入溶洞。金河公司起初否认是污染源。\n"
        "问责：2012年2月3日，9名官员受到处分。2013年，13人被判刑：环保局一名原副局长4年6个月，两名官员各3年6个月，"
        "金河公司3名管理人员各3年（公司被处罚金约16.2万美元），鸿泉厂7名管理人员3至5年。"
    ),
    "summary_en": (
        "On 15 January 2012 the Yizhou environmental bureau found dead caged fish at the Lalang "
        "hydropower station on the Longjiang river; water 200 m in front of Lalang wharf carried heavy "
        "metals above the standard. Upstream dams released water to dilute it and villagers were told "
        "not to drink from the river. At 17:00 on 19 January the Luodong station dam measured cadmium "
        "at 0.0247 mg/L and arsenic at 0.0301 mg/L (within its limit); the Hechi-Liuzhou boundary "
        "measured cadmium at 0.0030 and then 0.0017 mg/L (within the limit).\n"
        "Caixin put the peak at about 80 times the Class III limit of 0.005 mg/L; the emergency "
        "headquarters gave 82 times. By 30 January treatment had brought the peak down to 25 times; "
        "about 300 km of river were affected. At noon on 29 January the Nuomitan station was at 8 times "
        "the limit, and the river 16 km upstream of Liuzhou's Hexi water plant at 0.0041 mg/L.\n"
        "About 20 t of cadmium were released (Caixin; South China Morning Post); the headquarters "
        "estimated about 21 t dissolved.\n"
        "Response: caustic soda to raise the pH to about 8 and polyaluminium chloride as flocculant at "
        "Nuomitan; dilution downstream; all 7 upstream heavy-metal plants suspended; of 145 firms "
        "checked, 11 closed or suspended. The emergency response ended on 23 February 2012.\n"
        "Responsible (named 3 February): Guangxi Jinhe Mining Co., Ltd., whose smelting-chemical "
        "plant's slag site fell short of national standards; and Hechi Jinchengjiang Hongquan "
        "Lithopone Material Plant, licensed in 2007 for lithopone, which from December 2009 produced "
        "indium without treatment and pumped its waste into karst caves. Jinhe at first denied being "
        "the source.\n"
        "Accountability: on 3 February 2012 nine officials were punished. In 2013, 13 people were "
        "jailed: a former deputy head of the environmental bureau for 4.5 years, two officials for "
        "3.5 years, three Jinhe managers for 3 years (Jinhe was fined about US$162,000) and seven "
        "Hongquan managers for 3 to 5 years."
    ),
    "began_at": iso(dt(2012, 1, 15)), "found_at": iso(dt(2012, 1, 15)),
    "river_zh": "龙江", "river_en": "Longjiang",
    "place_zh": "宜州拉浪水电站至柳州河段", "place_en": "From the Lalang hydropower station, Yizhou, "
                                               "down to Liuzhou",
    "province": "45", "city_zh": "河池市", "city_en": "Hechi",
    "latitude": 24.70, "longitude": 108.12, "status": "closed",
    "pollutants": ["Cd", "As"],
    "readings": [
        {"site_zh": "罗东水电站坝首", "site_en": "Luodong hydropower station dam",
         "measured_at": iso(dt(2012, 1, 19, 17, 0)), "pollutant": "Cd", "value": 0.0247,
         "unit": "mg/L", "standard": "GB 3838-2002", "standard_class": "III"},
        {"site_zh": "罗东水电站坝首", "site_en": "Luodong hydropower station dam",
         "measured_at": iso(dt(2012, 1, 19, 17, 0)), "pollutant": "As", "value": 0.0301,
         "unit": "mg/L", "standard": "GB 3838-2002", "standard_class": "III"},
        {"site_zh": "河池—柳州交界断面", "site_en": "Hechi-Liuzhou boundary section",
         "pollutant": "Cd", "value": 0.0030, "unit": "mg/L", "standard": "GB 3838-2002",
         "standard_class": "III",
         "note_zh": "两次测值中的第一次（新华社，2012年1月20日报道）",
         "note_en": "first of two values (Xinhua, reported 20 January 2012)"},
        {"site_zh": "河池—柳州交界断面", "site_en": "Hechi-Liuzhou boundary section",
         "pollutant": "Cd", "value": 0.0017, "unit": "mg/L", "standard": "GB 3838-2002",
         "standard_class": "III",
         "note_zh": "两次测值中的第二次（新华社，2012年1月20日报道）",
         "note_en": "second of two values (Xinhua, reported 20 January 2012)"},
        {"site_zh": "糯米滩水电站", "site_en": "Nuomitan hydropower station",
         "measured_at": iso(dt(2012, 1, 29, 12, 0)), "pollutant": "Cd", "value": 0.04,
         "unit": "mg/L", "standard": "GB 3838-2002", "standard_class": "III",
         "note_zh": NOTE_DERIVED_ZH.format(n=8), "note_en": NOTE_DERIVED_EN.format(n=8)},
        {"site_zh": "柳州河西水厂上游16公里", "site_en": "16 km upstream of Liuzhou's Hexi water plant",
         "measured_at": iso(dt(2012, 1, 29, 12, 0)), "pollutant": "Cd", "value": 0.0041,
         "unit": "mg/L", "standard": "GB 3838-2002", "standard_class": "III"},
        {"site_zh": "龙江河污染团峰值", "site_en": "Peak of the pollution plume, Longjiang",
         "pollutant": "Cd", "value": 0.41, "unit": "mg/L", "standard": "GB 3838-2002",
         "standard_class": "III",
         "note_zh": NOTE_DERIVED_ZH.format(n=82) + "，应急指挥部通报",
         "note_en": NOTE_DERIVED_EN.format(n=82) + ", as given by the emergency headquarters"},
        {"site_zh": "龙江河污染团峰值（1月30日）", "site_en": "Peak of the pollution plume, 30 January",
         "pollutant": "Cd", "value": 0.125, "unit": "mg/L", "standard": "GB 3838-2002",
         "standard_class": "III",
         "note_zh": NOTE_DERIVED_ZH.format(n=25) + "，经处置后",
         "note_en": NOTE_DERIVED_EN.format(n=25) + ", after treatment"},
    ],
    "responsible": [
        {"enterprise_id": "ENT-GX-JINHE",
         "role_zh": "其冶化厂渣场不符合国家标准；2012年2月3日被认定为责任方；起初否认是污染源",
         "role_en": "Its smelting-chemical plant's slag site fell short of national standards; named "
                    "responsible on 3 February 2012; at first denied being the source"},
        {"enterprise_id": "ENT-GX-HONGQUAN",
         "role_zh": "2007年获准生产立德粉，自2009年12月起无污染治理设施生产铟，将废水排入溶洞；2012年2月3日被认定为责任方",
         "role_en": "Licensed in 2007 for lithopone; from December 2009 produced indium without "
                    "treatment and pumped its waste into karst caves; named responsible on 3 February "
                    "2012"},
    ],
    # The court's fine as the source gives it: about US$162,000, in 2013. The source names
    # neither the court nor the day, and gives no amount in yuan: none is made up here.
    "penalties": [
        {"enterprise_id": "ENT-GX-JINHE", "amount": 162000, "currency": "USD",
         "approximate": True,
         "authority_zh": "人民法院（来源未载明法院名称）",
         "authority_en": "A court (the source does not name it)",
         "source": {"title": "OOSKAnews, July 2013: sentences over the 2012 Longjiang cadmium "
                             "spill"}},
    ],
    "updates": [
        {"department_id": "DEP-GX-HC-YZ-EEB", "at": iso(dt(2012, 1, 15, 12, 0)),
         "text_zh": "宜州市环境保护局在龙江河拉浪水电站发现网箱养鱼死亡；拉浪码头前200米处水体重金属超标。",
         "text_en": "The Yizhou environmental bureau found dead caged fish at the Lalang hydropower "
                    "station on the Longjiang; water 200 m in front of Lalang wharf carried heavy "
                    "metals above the standard."},
        {"department_id": "DEP-GX-HC-YZ-EEB", "at": iso(dt(2012, 1, 19, 17, 0)),
         "text_zh": "罗东水电站坝首断面镉浓度0.0247毫克/升，砷浓度0.0301毫克/升（未超过其限值）；河池—柳州交界断面镉浓度先后为0.0030和0.0017毫克/升（未超标）。"
                    "上游水电站加大下泄流量稀释，沿岸村民被告知停止饮用河水。",
         "text_en": "Luodong station dam: cadmium 0.0247 mg/L, arsenic 0.0301 mg/L (within its "
                    "limit); Hechi-Liuzhou boundary: cadmium 0.0030 and then 0.0017 mg/L (within the "
                    "limit). Upstream dams released more water to dilute the river, and villagers were "
                    "told not to drink from it."},
        {"department_id": "DEP-MEE", "at": iso(dt(2012, 1, 20, 12, 0)),
         "text_zh": "环境保护部组织工作组赴广西调查；污染来源尚未查明。",
         "text_en": "The Ministry of Environmental Protection sent a work team to Guangxi to "
                    "investigate; the source had not yet been found."},
        {"department_id": "DEP-GX-LZ-EEB", "at": iso(dt(2012, 1, 29, 12, 0)),
         "text_zh": "糯米滩水电站断面镉浓度为III类标准限值（0.005毫克/升）的8倍；柳州河西水厂上游16公里处为0.0041毫克/升，略低于限值。",
         "text_en": "Cadmium at the Nuomitan hydropower station was 8 times the Class III limit of "
                    "0.005 mg/L; 16 km upstream of Liuzhou's Hexi water plant it was 0.0041 mg/L, just "
                    "below the limit."},
        {"department_id": "DEP-GX-HC-GOV", "at": iso(dt(2012, 1, 30, 12, 0)),
         "text_zh": "应急指挥部：经投加中和剂处置，污染团峰值由约80倍（指挥部此前通报为82倍）降至III类标准限值的25倍；受影响河段约300公里。"
                    "上游7家涉重金属企业已全部停产。",
         "text_en": "Emergency headquarters: treatment with neutralising agents brought the peak of "
                    "the plume down from about 80 times (82 times by the headquarters' earlier figure) "
                    "to 25 times the Class III limit; about 300 km of river are affected. All seven "
                    "heavy-metal plants upstream have been suspended."},
        {"department_id": "DEP-GX-HC-GOV", "at": iso(dt(2012, 2, 3, 12, 0)),
         "text_zh": "应急指挥部公布责任方：广西金河矿业股份有限公司冶化厂（渣场不符合国家标准）和河池市金城江区鸿泉立德粉材料厂（无污染治理设施生产铟，废水排入溶洞）。",
         "text_en": "The emergency headquarters named those responsible: the smelting-chemical plant "
                    "of Guangxi Jinhe Mining Co., Ltd. (slag site short of national standards) and "
                    "Hechi Jinchengjiang Hongquan Lithopone Material Plant (indium made without "
                    "treatment, waste pumped into karst caves)."},
        {"department_id": "DEP-GX-GOV", "at": iso(dt(2012, 2, 3, 12, 0)),
         "text_zh": "自治区对9名负有监管责任的官员作出处分。",
         "text_en": "The regional government punished nine officials for failures of oversight."},
        {"department_id": "DEP-GX-HC-GOV", "at": iso(dt(2012, 2, 23, 12, 0)),
         "text_zh": "龙江河镉污染事件应急响应终止。此前共排查145家企业，关停或停产11家。",
         "text_en": "The emergency response to the Longjiang cadmium pollution ended. 145 firms had "
                    "been checked, of which 11 were closed or suspended."},
    ],
    "sources": [SRC_XINHUA_CNS, SRC_PEOPLE, SRC_CD_0129, SRC_CD_0131, SRC_CD_0207, SRC_CAIXIN,
                SRC_SCMP, SRC_SHDAILY, SRC_WIKI, SRC_OOSKA],
}


# --------------------------------------------------------------------------- departments

def local_departments() -> list[dict]:
    """Provincial and municipal bureaus for the provinces the sample uses."""
    out: list[dict] = []
    for code, (pzh, pen, short) in PROVINCE.items():
        if code != "45":  # Guangxi's department is among the real records above
            muni = code in MUNICIPALITIES
            out.append({
                "id": f"DEP-{short}-EE",
                "name_zh": f"{pzh}生态环境{'局' if muni else '厅'}",
                "name_en": (f"{pen} Municipal Bureau of Ecology and Environment" if muni
                            else f"Department of Ecology and Environment of {pen} Province"),
                "function": "environment", "level": "provincial", "parent_id": "DEP-MEE",
                "province": code,
                "formerly_zh": f"{pzh}环境保护{'局' if muni else '厅'}",
                "formerly_en": (f"{pen} Environmental Protection Bureau" if muni
                                else f"Environmental Protection Department of {pen} Province"),
            })
        amr_zh = "天津市市场监督管理委员会" if code == "12" else f"{pzh}市场监督管理局"
        amr_en = ("Tianjin Municipal Commission for Market Regulation" if code == "12"
                  else f"{pen} Administration for Market Regulation")
        out.append({
            "id": f"DEP-{short}-AMR", "name_zh": amr_zh, "name_en": amr_en,
            "function": "market_regulation", "level": "provincial", "parent_id": "DEP-SAMR",
            "province": code,
            "formerly_zh": "工商行政管理和质量技术监督部门",
            "formerly_en": "Industry and commerce, and quality and technical supervision bureaus",
        })
    for cid, zh, en, prov in CUSTOMS:
        out.append({
            "id": cid, "name_zh": zh, "name_en": en, "function": "customs", "level": "provincial",
            "parent_id": "DEP-GACC", "province": prov,
        })
    for prov in NFRA_LOCAL:
        pzh, pen, short = PROVINCE[prov]
        name = pzh.replace("省", "").replace("壮族自治区", "").replace("市", "")
        out.append({
            "id": f"DEP-NFRA-{short}", "name_zh": f"国家金融监督管理总局{name}监管局",
            "name_en": f"NFRA {pen} Office", "function": "financial_regulation",
            "level": "provincial", "parent_id": "DEP-NFRA", "province": prov,
            "formerly_zh": f"中国银行业监督管理委员会{name}监管局",
            "formerly_en": f"CBRC {pen} Office", "sample": True,
        })
    for did, prov, czh, cen in MUNICIPAL_EE:
        out.append({
            "id": did, "name_zh": f"{czh}生态环境局",
            "name_en": f"{cen} Municipal Bureau of Ecology and Environment"
            if not czh.endswith("州") else f"{cen} Prefecture Bureau of Ecology and Environment",
            "function": "environment", "level": "municipal", "parent_id": "DEP-MEE",
            "province": prov, "city_zh": czh, "city_en": cen, "sample": True,
        })
    return out


CUSTOMS = [
    ("DEP-CUS-HZ", "杭州海关", "Hangzhou Customs", "33"),
    ("DEP-CUS-NB", "宁波海关", "Ningbo Customs", "33"),
    ("DEP-CUS-GZ", "广州海关", "Guangzhou Customs", "44"),
    ("DEP-CUS-QD", "青岛海关", "Qingdao Customs", "37"),
    ("DEP-CUS-TJ", "天津海关", "Tianjin Customs", "12"),
    ("DEP-CUS-NC", "南昌海关", "Nanchang Customs", "36"),
    ("DEP-CUS-SH", "上海海关", "Shanghai Customs", "31"),
    ("DEP-CUS-CQ", "重庆海关", "Chongqing Customs", "50"),
]
NFRA_LOCAL = ["33", "44", "32", "34", "41", "43"]
MUNICIPAL_EE = [  # (id, province, city zh, city en): bureaus of the cities the incidents are in
    ("DEP-HN-CZ-EEB", "43", "郴州市", "Chenzhou"),
    ("DEP-AH-FY-EEB", "34", "阜阳市", "Fuyang"),
    ("DEP-JX-YT-EEB", "36", "鹰潭市", "Yingtan"),
    ("DEP-YN-HH-EEB", "53", "红河哈尼族彝族自治州", "Honghe"),
    ("DEP-ZJ-TZ-EEB", "33", "台州市", "Taizhou"),
    ("DEP-GD-QY-EEB", "44", "清远市", "Qingyuan"),
    ("DEP-HB-XY-EEB", "42", "襄阳市", "Xiangyang"),
    ("DEP-HN-ZZ-EEB", "43", "株洲市", "Zhuzhou"),
    ("DEP-GX-LB-EEB", "45", "来宾市", "Laibin"),
    ("DEP-SD-LY-EEB", "37", "临沂市", "Linyi"),
    ("DEP-JS-XZ-EEB", "32", "徐州市", "Xuzhou"),
    ("DEP-YN-NJ-EEB", "53", "怒江傈僳族自治州", "Nujiang"),
    ("DEP-HA-XC-EEB", "41", "许昌市", "Xuchang"),
    ("DEP-GD-FS-EEB", "44", "佛山市", "Foshan"),
    ("DEP-HN-HY-EEB", "43", "衡阳市", "Hengyang"),
    ("DEP-JX-GZ-EEB", "36", "赣州市", "Ganzhou"),
]
CITY_EE = {czh: did for did, _p, czh, _e in MUNICIPAL_EE}
CITY_EE["河池市"] = "DEP-GX-HC-EEB"


def build_departments() -> list[dict]:
    rows = []
    for i, d in enumerate(REAL_DEPARTMENTS):
        row = {"id": d["id"], "publisher_id": d["id"],
               "published_at": iso(dt(2018, 5, 2, 9, 0) + timedelta(days=i)),
               "sample": d.get("sample", False)}
        row.update({k: v for k, v in d.items() if k not in ("id", "sample")})
        rows.append(row)
    for i, d in enumerate(local_departments()):
        row = {"id": d["id"], "publisher_id": d["id"],
               "published_at": iso(dt(2018, 10, 8, 9, 0) + timedelta(days=i)),
               "sample": d.get("sample", False)}
        row.update({k: v for k, v in d.items() if k not in ("id", "sample")})
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- enterprises

# (brand zh, brand en, sector, province, city zh, city en, county zh, county en, lat, lon, division)
ENTERPRISE_SEEDS = [
    ("澄川", "Chengchuan", "secondary_copper", "33", "台州市", "Taizhou", "路桥区", "Luqiao", 28.58, 121.37, "331004"),
    ("青屿", "Qingyu", "secondary_copper", "33", "宁波市", "Ningbo", "镇海区", "Zhenhai", 29.95, 121.71, "330211"),
    ("岚溪", "Lanxi", "secondary_copper", "44", "清远市", "Qingyuan", "清城区", "Qingcheng", 23.70, 113.06, "441802"),
    ("砚泉", "Yanquan", "secondary_copper", "37", "临沂市", "Linyi", "罗庄区", "Luozhuang", 34.99, 118.28, "371311"),
    ("鹭汀", "Luting", "secondary_copper", "12", "天津市", "Tianjin", "静海区", "Jinghai", 38.93, 116.93, "120118"),
    ("栖桐", "Qitong", "secondary_copper", "36", "鹰潭市", "Yingtan", "贵溪市", "Guixi", 28.29, 117.22, "360681"),
    ("霁岩", "Jiyan", "secondary_copper", "36", "鹰潭市", "Yingtan", "余江区", "Yujiang", 28.20, 116.82, "360603"),
    ("蔚岚", "Weilan", "secondary_copper", "44", "佛山市", "Foshan", "南海区", "Nanhai", 23.03, 113.14, "440605"),
    ("鸣岫", "Mingxiu", "secondary_aluminium", "44", "佛山市", "Foshan", "南海区", "Nanhai", 23.08, 113.00, "440605"),
    ("棠舟", "Tangzhou", "secondary_aluminium", "44", "肇庆市", "Zhaoqing", "高要区", "Gaoyao", 23.03, 112.46, "441204"),
    ("汀蓝", "Tinglan", "secondary_aluminium", "33", "金华市", "Jinhua", "永康市", "Yongkang", 28.89, 120.04, "330784"),
    ("沐禾", "Muhe", "secondary_aluminium", "50", "重庆市", "Chongqing", "永川区", "Yongchuan", 29.36, 105.93, "500118"),
    ("枫渚", "Fengzhu", "secondary_aluminium", "31", "上海市", "Shanghai", "金山区", "Jinshan", 30.74, 121.34, "310116"),
    ("砾川", "Lichuan", "secondary_aluminium", "41", "郑州市", "Zhengzhou", "巩义市", "Gongyi", 34.75, 112.98, "410181"),
    ("澈源", "Cheyuan", "secondary_aluminium", "41", "许昌市", "Xuchang", "长葛市", "Changge", 34.22, 113.77, "411082"),
    ("珑泽", "Longze", "secondary_lead", "34", "阜阳市", "Fuyang", "界首市", "Jieshou", 33.26, 115.37, "341282"),
    ("曜川", "Yaochuan", "secondary_lead", "34", "阜阳市", "Fuyang", "太和县", "Taihe", 33.16, 115.62, "341222"),
    ("翎岩", "Lingyan", "secondary_lead", "41", "济源市", "Jiyuan", None, None, 35.07, 112.60, "419001"),
    ("漱石", "Shushi", "secondary_lead", "37", "济宁市", "Jining", "兖州区", "Yanzhou", 35.55, 116.83, "370812"),
    ("沛霖", "Peilin", "secondary_lead", "32", "徐州市", "Xuzhou", "邳州市", "Pizhou", 34.33, 117.96, "320382"),
    ("溪垣", "Xiyuan", "secondary_lead", "42", "襄阳市", "Xiangyang", "谷城县", "Gucheng", 32.26, 111.65, "420625"),
    ("琢川", "Zhuochuan", "secondary_lead", "41", "焦作市", "Jiaozuo", "孟州市", "Mengzhou", 34.91, 112.79, "410883"),
    ("苇汀", "Weiting", "secondary_zinc", "43", "衡阳市", "Hengyang", "常宁市", "Changning", 26.42, 112.40, "430482"),
    ("璟澜", "Jinglan", "secondary_zinc", "45", "河池市", "Hechi", "金城江区", "Jinchengjiang", 24.69, 108.05, "451202"),
    ("岑蓝", "Cenlan", "secondary_zinc", "53", "曲靖市", "Qujing", "沾益区", "Zhanyi", 25.60, 103.82, "530303"),
    ("朗汐", "Langxi", "secondary_zinc", "12", "天津市", "Tianjin", "滨海新区", "Binhai New Area", 39.03, 117.70, "120116"),
    ("栎泉", "Liquan", "mining", "45", "河池市", "Hechi", "南丹县", "Nandan", 24.98, 107.54, "451221"),
    ("瑶汀", "Yaoting", "mining", "43", "郴州市", "Chenzhou", "苏仙区", "Suxian", 25.80, 113.04, "431003"),
    ("澜屿", "Lanyu", "mining", "53", "怒江傈僳族自治州", "Nujiang", "兰坪白族普米族自治县", "Lanping", 26.45, 99.42, "533325"),
    ("芷川", "Zhichuan", "mining", "36", "赣州市", "Ganzhou", "大余县", "Dayu", 25.40, 114.36, "360723"),
    ("聿衡", "Yuheng", "primary_smelting", "43", "株洲市", "Zhuzhou", "石峰区", "Shifeng", 27.87, 113.10, "430204"),
    ("篁溪", "Huangxi", "primary_smelting", "53", "红河哈尼族彝族自治州", "Honghe", "蒙自市", "Mengzi", 23.40, 103.40, "532503"),
    ("昱岑", "Yucen", "primary_smelting", "45", "来宾市", "Laibin", "兴宾区", "Xingbin", 23.75, 109.22, "451302"),
    ("澍禾", "Shuhe", "primary_smelting", "43", "郴州市", "Chenzhou", "永兴县", "Yongxing", 26.13, 113.11, "431023"),
    ("砺岩", "Liyan", "dismantling_recycling", "33", "台州市", "Taizhou", "温岭市", "Wenling", 28.37, 121.38, "331081"),
    ("澄瀚", "Chenghan", "dismantling_recycling", "44", "清远市", "Qingyuan", "清新区", "Qingxin", 23.73, 112.99, "441803"),
    ("泠川", "Lingchuan", "dismantling_recycling", "12", "天津市", "Tianjin", "静海区", "Jinghai", 38.83, 116.97, "120118"),
    ("晞岚", "Xilan", "dismantling_recycling", "42", "武汉市", "Wuhan", "新洲区", "Xinzhou", 30.84, 114.80, "420117"),
    ("潆洲", "Yingzhou", "import_processing", "44", "佛山市", "Foshan", "南海区", "Nanhai", 23.05, 113.05, "440605"),
    ("峤石", "Qiaoshi", "import_processing", "33", "宁波市", "Ningbo", "北仑区", "Beilun", 29.90, 121.84, "330206"),
    ("榕汐", "Rongxi", "import_processing", "37", "青岛市", "Qingdao", "胶州市", "Jiaozhou", 36.26, 120.03, "370281"),
]

SECTOR = {  # suffix zh, suffix en, what it does (zh, en), products zh, raw zh, capacity range (10 kt)
    "secondary_copper": ("再生铜业有限公司", "Recycled Copper Co., Ltd.",
                         "以废杂铜为原料，经分选、熔炼和火法精炼生产再生铜杆和阳极板",
                         "makes recycled copper rod and anode plate from copper scrap by sorting, melting "
                         "and fire refining", "低氧光亮铜杆、阳极铜板", "废杂铜", (3, 20)),
    "secondary_aluminium": ("再生铝业有限公司", "Recycled Aluminium Co., Ltd.",
                            "以废铝型材、废易拉罐和报废汽车废铝为原料，采用双室熔炼炉生产再生铸造铝合金锭",
                            "makes secondary casting-alloy ingot from extrusion scrap, used beverage cans "
                            "and end-of-life vehicle aluminium in twin-chamber melting furnaces",
                            "再生铸造铝合金锭、铝合金液", "废铝", (5, 30)),
    "secondary_lead": ("再生铅业有限公司", "Secondary Lead Co., Ltd.",
                       "以废铅酸蓄电池为原料，经自动破碎分选、铅膏预脱硫和低温熔炼生产再生铅及铅合金",
                       "recovers lead and lead alloys from spent lead-acid batteries by automated "
                       "breaking and sorting, paste desulphurisation and low-temperature smelting",
                       "再生精铅、铅钙合金", "废铅酸蓄电池", (6, 20)),
    "secondary_zinc": ("锌业再生科技有限公司", "Zinc Recycling Technology Co., Ltd.",
                       "以电炉粉尘、热镀锌渣等含锌物料为原料，采用回转窑工艺生产次氧化锌",
                       "makes crude zinc oxide from electric-arc-furnace dust, galvanising dross and "
                       "other zinc-bearing residues in rotary kilns", "次氧化锌", "含锌烟灰和镀锌渣",
                       (3, 12)),
    "mining": ("矿业有限公司", "Mining Co., Ltd.",
               "开采铅锌多金属矿，配套选矿厂和尾矿库，产品为铅精矿、锌精矿",
               "mines a lead-zinc polymetallic deposit with its own concentrator and tailings pond, "
               "selling lead and zinc concentrate", "铅精矿、锌精矿", "原矿", (20, 90)),
    "primary_smelting": ("冶炼有限公司", "Smelting Co., Ltd.",
                         "从事铅锌冶炼，配套烟气制酸和有价金属综合回收系统",
                         "smelts lead and zinc, with an acid plant on its off-gas and recovery of "
                         "by-product metals", "电解锌、精铅、硫酸", "铅锌精矿", (5, 15)),
    "dismantling_recycling": ("再生资源拆解有限公司", "Resource Dismantling Co., Ltd.",
                              "从事废弃电器电子产品、废电线电缆和报废机动车拆解分选，产出铜、铝、塑料等再生原料",
                              "dismantles waste electrical and electronic equipment, scrap cable and "
                              "end-of-life vehicles into copper, aluminium and plastic feedstock",
                              "铜米、铝块、再生塑料", "废弃电器电子产品和废电线电缆", (2, 10)),
    "import_processing": ("再生金属原料有限公司", "Recycled Metal Feedstock Co., Ltd.",
                          "从事进口再生铜、再生铝原料的分选和加工，向下游冶炼企业供料",
                          "sorts and prepares imported recycled copper and aluminium feedstock for "
                          "downstream smelters", "分选铜料、铝料", "进口再生铜铝原料", (5, 25)),
}
SECTOR_ZH = {
    "secondary_copper": "再生铜", "secondary_aluminium": "再生铝", "secondary_lead": "再生铅",
    "secondary_zinc": "再生锌", "mining": "铅锌矿采选", "primary_smelting": "铅锌冶炼",
    "dismantling_recycling": "拆解回收", "import_processing": "进口原料加工",
}
SECTOR_METALS = {  # workshop-outlet pollutants (GB 8978-1996 class 1) and others typical of the sector
    "secondary_copper": (["Pb", "Cd", "Ni", "As"], ["Cu", "Zn"]),
    "secondary_aluminium": (["Cr", "Ni"], ["Zn"]),
    "secondary_lead": (["Pb", "Cd", "As"], ["Zn"]),
    "secondary_zinc": (["Cd", "Pb", "As", "Hg"], ["Zn", "Tl"]),
    "mining": (["Pb", "Cd", "As", "Hg"], ["Zn", "Sb"]),
    "primary_smelting": (["Cd", "Pb", "As", "Hg"], ["Zn", "Tl"]),
    "dismantling_recycling": (["Pb", "Cd", "Cr"], ["Cu"]),
    "import_processing": (["Pb", "Cd", "Ni"], ["Cu", "Zn"]),
}
PARK = {
    "secondary_copper": ("再生金属产业园", "Recycled Metals Industrial Park"),
    "secondary_aluminium": ("有色金属产业园", "Non-ferrous Metals Industrial Park"),
    "secondary_lead": ("循环经济产业园", "Circular Economy Industrial Park"),
    "secondary_zinc": ("循环经济产业园", "Circular Economy Industrial Park"),
    "primary_smelting": ("有色金属冶炼产业园", "Non-ferrous Smelting Industrial Park"),
    "dismantling_recycling": ("静脉产业园", "Resource Recycling Industrial Park"),
    "import_processing": ("再生资源加工区", "Recycled Resources Processing Zone"),
}

ENTERPRISES: list[dict] = []   # illustrative enterprises with private build context
ENT_BY_ID: dict[str, dict] = {}


def county_short(county: str | None, city: str) -> str:
    base = county or city
    for suffix in ("白族普米族自治县", "新区", "区", "市", "县"):
        if base.endswith(suffix) and len(base) > len(suffix) + 1:
            return base[: -len(suffix)]
    return base


def build_enterprises() -> list[dict]:
    rows = []
    used_codes = set()
    for n, seed in enumerate(ENTERPRISE_SEEDS, start=1):
        bzh, ben, sector, prov, czh, cen, kzh, ken, lat, lon, div = seed
        sfx_zh, sfx_en, does_zh, does_en, products, raw, (cap_lo, cap_hi) = SECTOR[sector]
        city_short = czh.replace("市", "") if len(czh) <= 4 else czh[:2]
        name_zh = f"{city_short}{bzh}{sfx_zh}"
        name_en = f"{cen} {ben} {sfx_en}"
        while True:
            code = make_credit_code("91" + div + gb11714(f"{rng.randrange(10**8):08d}"))
            if code not in used_codes:
                used_codes.add(code)
                break
        cap = rng.randint(cap_lo, cap_hi)
        staff = rng.randrange(120, 1400, 10)
        since = rng.randint(2004, 2016)
        eid = f"ENT-{n:04d}"
        park_zh = park_en = None
        if sector != "mining":
            k = county_short(kzh, czh)
            park_zh = f"{k}{PARK[sector][0]}"
            park_en = f"{ken or cen} {PARK[sector][1]}".replace(" district", "")
        status = "operating"
        if n in (17, 26):
            status = "rectifying"
        elif n == 38:
            status = "suspended"
        elif n == 22:
            status = "closed"
        permit = None if n in (30, 38) else f"{code}001P"
        en = with_english()
        desc_zh = (f"{does_zh}。{since}年投产，设计产能约{cap}万吨/年，职工约{staff}人。"
                   + pick([f"主要原料为{raw}，产品为{products}。",
                           f"产品为{products}，主要销往{pick(['华东', '华南', '西南', '华中'])}地区。",
                           f"厂区{'位于' + park_zh if park_zh else '远离城镇'}，主要原料为{raw}。"]))
        if status == "closed":
            desc_zh += "企业已于2023年关闭。"
        elif status == "suspended":
            desc_zh += "目前停产。"
        elif status == "rectifying":
            desc_zh += "目前正在按要求整改。"
        desc_en = (f"The company {does_en}. In production since {since}, with a design capacity of "
                   f"about {cap * 10} kt a year and some {staff} staff.")
        if status == "closed":
            desc_en += " It closed in 2023."
        elif status == "suspended":
            desc_en += " Production is suspended."
        elif status == "rectifying":
            desc_en += " It is carrying out ordered rectification."
        row = {
            "id": eid, "publisher_id": f"DEP-{PROVINCE[prov][2]}-EE",
            "published_at": iso(dt(2019, 1, 7, 10, 0) + timedelta(days=2 * n + rng.randint(0, 1))),
            "sample": True, "sources": None,
            "name_zh": name_zh, "name_en": name_en, "credit_code": code, "sector": sector,
            "province": prov, "city_zh": czh, "city_en": cen,
            "county_zh": kzh, "county_en": ken,
            "park_zh": park_zh, "park_en": park_en,
            "latitude": round(lat + rng.uniform(-0.03, 0.03), 4),
            "longitude": round(lon + rng.uniform(-0.03, 0.03), 4),
            "permit_number": permit, "status": status,
            "description_zh": desc_zh, "description_en": desc_en if en else None,
        }
        rows.append(row)
        ctx = dict(row, cap=cap, staff=staff, since=since, short=f"{bzh}公司",
                   short_en=f"{ben}", products=products, raw=raw, key=bool(sector != "import_processing"))
        ENTERPRISES.append(ctx)
        ENT_BY_ID[eid] = ctx
    real = []
    for i, r in enumerate(REAL_ENTERPRISES):
        # Named responsible in China Daily on 7 February 2012 (SRC_CD_0207; the day only);
        # compiled by an editor from the sources each names.
        row = {"id": r["id"], "publisher_id": r["publisher_id"],
               "published_at": iso(dt(2012, 2, 7, 0, 0)), "sample": False,
               "first_published_by_zh": "中国日报", "first_published_by_en": "China Daily",
               "entered_by": "editor"}
        row.update({k: v for k, v in r.items() if k not in ("id", "publisher_id")})
        real.append(row)
    return real + rows


# --------------------------------------------------------------------------- incidents

# id, found (y, m, d, h), responsible, province, city zh/en, river zh/en, pollutants with a limit,
# pollutants without one on file, cause, status, publisher, class, flags
INCIDENT_SEEDS = [
    ("INC-2019-0001", (2019, 5, 12, 9), ["ENT-0028"], "青溪河", "Qingxi river", ["Pb", "Zn", "Cd"], [],
     "tailings", "closed", "III", {}),
    ("INC-2019-0002", (2019, 8, 3, 16), ["ENT-0027"], "板坝河", "Banba river", ["Cd", "Zn", "As"], ["Tl"],
     "tailings", "closed", "III", {"mee": True}),
    ("INC-2019-0003", (2019, 11, 20, 8), ["ENT-0016"], "白杨沟", "Baiyang ditch", ["Pb"], [],
     "bypass", "closed", "IV", {}),
    ("INC-2020-0001", (2020, 3, 9, 14), ["ENT-0006"], "柳溪河", "Liuxi river", ["Cu", "Zn"], ["COD"],
     "leak", "closed", "III", {}),
    ("INC-2020-0002", (2020, 7, 18, 7), ["ENT-0032"], "岩脚溪", "Yanjiao creek", ["As", "Cd", "Pb"], [],
     "acid", "closed", "III", {"mee": True, "amr": True}),
    ("INC-2020-0003", (2020, 9, 25, 10), ["ENT-0018"], "南沙沟", "Nansha ditch", ["Pb", "Cd"], [],
     "leak", "closed", "IV", {"provincial_publisher": True}),
    ("INC-2021-0001", (2021, 1, 14, 15), ["ENT-0035"], "塘西河", "Tangxi river", ["Cu", "Pb"], ["COD"],
     "wash", "closed", "III", {}),
    ("INC-2021-0002", (2021, 6, 7, 11), ["ENT-0003", "ENT-0036"], "石坳涌", "Shi'ao creek",
     ["Cu", "Pb", "Zn"], [], "runoff", "closed", "III", {"gb5749": True}),
    ("INC-2021-0003", (2021, 8, 30, 6), ["ENT-0021"], "北沙河", "Beisha river", ["Pb"], [],
     "runoff", "closed", "II", {}),
    ("INC-2022-0001", (2022, 4, 16, 13), ["ENT-0031"], "枫溪港", "Fengxi creek", ["Cd", "As", "Pb"],
     ["Tl"], "acid", "closed", "III", {"ug": True, "mee": True}),
    ("INC-2022-0002", (2022, 7, 2, 9), ["ENT-0033"], "清水溪", "Qingshui creek", ["As"], ["Sb"],
     "pipe", "closed", "III", {}),
    ("INC-2022-0003", (2022, 10, 21, 17), ["ENT-0004"], "柳青河", "Liuqing river", ["Cu", "Zn"],
     ["NH3N"], "bypass", "contained", "III", {"amr": True}),
    ("INC-2023-0001", (2023, 3, 5, 10), ["ENT-0020"], "运西沟", "Yunxi ditch", ["Pb"], [],
     "runoff", "closed", "IV", {"gb5749": True}),
    ("INC-2023-0002", (2023, 6, 19, 8), ["ENT-0029"], "箐口河", "Qingkou river", ["Pb", "Zn", "Cd"],
     ["Tl"], "tailings", "contained", "II", {"mee": True}),
    ("INC-2023-0003", (2023, 9, 11, 22), ["ENT-0012"], "黄葛溪", "Huangge creek", [], ["NH3N", "COD"],
     "fire", "closed", "III", {"provincial_publisher": True}),
    ("INC-2024-0001", (2024, 2, 26, 9), ["ENT-0015"], "石梁沟", "Shiliang ditch", ["Zn"],
     ["NH3N", "COD"], "fire", "contained", "IV", {}),
    ("INC-2024-0002", (2024, 5, 14, 15), ["ENT-0039"], "岗头涌", "Gangtou creek", ["Cu", "Zn"], ["Ni"],
     "pipe", "investigating", "III", {}),
    ("INC-2024-0003", (2024, 8, 8, 7), ["ENT-0023"], "松柏溪", "Songbai creek", ["Zn", "Cd", "Pb"],
     ["Tl"], "bypass", "investigating", "III", {"sediment": True}),
    ("INC-2025-0001", (2025, 4, 22, 10), ["ENT-0024"], "洞口河", "Dongkou river", ["Cd", "Zn"], [],
     "leak", "investigating", "III", {}),
    ("INC-2025-0002", (2025, 9, 3, 16), [], "梅岭溪", "Meiling creek", ["As", "Cd"], [],
     "unknown", "reported", "II", {"place_ent": "ENT-0030"}),
]

CAUSE = {
    "tailings": ("受连续强降雨影响，{ent}尾矿库排洪设施溢流，含重金属的尾矿水经山沟进入{river}。",
                 "After days of heavy rain the spillway of {ent_en}'s tailings pond overflowed, and "
                 "tailings water carrying heavy metals ran down a gully into the {river_en}."),
    "bypass": ("{ent}废水处理站压滤机故障期间，部分未经处理的生产废水经厂区雨水排口外排，进入{river}。",
               "While the filter press of {ent_en}'s wastewater treatment station was broken, part of "
               "the untreated process water left through the site's storm-water outfall into the "
               "{river_en}."),
    "leak": ("{ent}厂区初期雨水收集池池底破损，含重金属的积水渗漏后经排水沟进入{river}。",
             "The floor of {ent_en}'s first-flush rainwater pond cracked; water carrying heavy metals "
             "seeped out and reached the {river_en} through a drainage ditch."),
    "acid": ("暴雨期间{ent}污酸处理系统事故池满溢，含砷、镉的酸性废水进入{river}。",
             "During a rainstorm the emergency pond of {ent_en}'s waste-acid treatment overflowed, and "
             "acidic water carrying arsenic and cadmium entered the {river_en}."),
    "wash": ("{ent}拆解场地冲洗废水未经处理，经雨水管网排入{river}。",
             "Wash water from {ent_en}'s dismantling floor went untreated into the storm drains and on "
             "into the {river_en}."),
    "runoff": ("{ent}原料堆场遮盖不全，降雨径流携带含重金属粉尘进入{river}。",
               "{ent_en}'s raw-material yard was only partly covered; rain washed metal-bearing dust "
               "into the {river_en}."),
    "pipe": ("{ent}废水输送管道接口断裂，约{n}立方米生产废水进入{river}。",
             "A joint of {ent_en}'s wastewater pipeline broke and about {n} cubic metres of process "
             "water reached the {river_en}."),
    "fire": ("{ent}铝灰渣仓库发生火灾，消防废水携带铝灰进入{river}，水体氨氮和化学需氧量升高。",
             "A fire broke out in {ent_en}'s aluminium-dross store; fire-fighting water carried the "
             "dross into the {river_en}, raising ammonia nitrogen and chemical oxygen demand."),
    "unknown": ("{river}下游监测断面{pol}浓度异常升高，污染来源尚在排查。",
                "Monitoring downstream on the {river_en} showed abnormally high {pol_en}; the source "
                "is still being traced."),
}
FOUND_BY = [
    ("{bureau}在例行监测中发现{river}断面水质异常", "{bureau_en} found abnormal water quality in "
     "routine monitoring of the {river_en}"),
    ("沿岸群众反映{river}河水变色并出现死鱼，{bureau}接报后赶赴现场", "residents reported "
     "discoloured water and dead fish in the {river_en}; {bureau_en} went to the scene"),
    ("{river}下游水质自动监测站发出预警，{bureau}随即核查", "the automatic water-quality station "
     "downstream on the {river_en} raised an alarm, and {bureau_en} checked it at once"),
    ("下游乡镇报告{river}出现死鱼，{bureau}组织采样", "a township downstream reported dead fish "
     "in the {river_en}; {bureau_en} took samples"),
]
RESPONSE = [
    ("当地启动突发环境事件应急响应，在下游筑坝拦截，投加石灰和聚合硫酸铁沉降重金属，并通知下游暂停取用河水。",
     "A local emergency response was started: the river was dammed downstream, lime and "
     "polyferric sulphate were dosed to settle the metals, and people downstream were told to stop "
     "drawing river water."),
    ("涉事企业被责令立即停产，截断外排通道；应急人员在{river}设置三道拦截坝并投加絮凝剂，下游水厂加密监测。",
     "The enterprise was ordered to stop production and its discharge was cut off; responders "
     "built three check dams on the {river_en} and dosed flocculant, and the water plant downstream "
     "stepped up its monitoring."),
    ("应急监测每两小时采样一次；企业将事故废水导入应急池并外运处置，受污染河段底泥分段清理。",
     "Emergency monitoring sampled every two hours; the enterprise pumped the spilled water into its "
     "emergency pond for off-site treatment, and the river bed was cleaned section by section."),
]


def sites_for(river: str, river_en: str, ent_short: str | None) -> list[tuple[str, str, str]]:
    d1, d2 = rng.randint(2, 5), rng.randint(8, 18)
    up = f"上游对照断面（{ent_short}排口上游500米）" if ent_short else "上游对照断面"
    return [
        (up, "Control section, 500 m upstream" if ent_short else "Control section upstream", "control"),
        (f"{river}排口下游500米" if ent_short else f"{river}异常断面", "500 m below the outfall"
         if ent_short else "Section where the anomaly was found", "near"),
        (f"{river}下游{d1}公里断面", f"{d1} km downstream on the {river_en}", "down"),
        (f"{river}下游{d2}公里乡镇取水口", f"Township water intake {d2} km downstream", "intake"),
    ]


def reading_value(pollutant: str, cls: str, factor: float) -> float:
    if pollutant in GB3838:
        limit = GB3838[pollutant][cls]
    else:
        limit = NO_LIMIT_TYPICAL[pollutant]
    return sig(limit * factor * rng.uniform(0.9, 1.1))


def build_incident(seed) -> dict:
    (iid, (y, mo, d, h), resp, river, river_en, metals, nolimit, cause, status, cls, flags) = seed
    lead_ent = ENT_BY_ID[resp[0]] if resp else ENT_BY_ID[flags["place_ent"]]
    prov, czh, cen = lead_ent["province"], lead_ent["city_zh"], lead_ent["city_en"]
    bureau_id = CITY_EE.get(czh)
    provincial_id = f"DEP-{PROVINCE[prov][2]}-EE"
    publisher = provincial_id if (flags.get("provincial_publisher") or not bureau_id) else bureau_id
    bureau_id = bureau_id or provincial_id
    bureau_zh = DEPT[bureau_id]["name_zh"]
    bureau_en = "the " + DEPT[bureau_id]["name_en"]
    found = dt(y, mo, d, h)
    began = found - timedelta(hours=rng.randint(4, 40))
    ent_short = lead_ent["short"] if resp else None
    ent_en = f"{lead_ent['short_en']}" if resp else ""
    pols = metals + nolimit
    main = metals[0] if metals else nolimit[0]
    fill = {"ent": ent_short or "", "ent_en": ent_en, "river": river, "river_en": river_en,
            "n": rng.choice([60, 80, 120, 150, 200, 300]), "pol": zh_list(pols),
            "pol_en": en_list(pols), "bureau": bureau_zh, "bureau_en": bureau_en}
    fb_zh, fb_en = pick(FOUND_BY)
    cause_zh, cause_en = CAUSE[cause]
    resp_zh, resp_en = pick(RESPONSE)

    # readings over time
    steps = {"reported": 1, "investigating": 2, "contained": 4, "closed": 5}[status]
    offsets = [timedelta(hours=3), timedelta(days=1, hours=2), timedelta(days=3), timedelta(days=7),
               timedelta(days=14)][:steps]
    sites = sites_for(river, river_en, ent_short)
    peak = rng.uniform(2.5, 14.0)
    readings = []
    for i, off in enumerate(offsets):
        when = found + off
        for szh, sen, kind in sites:
            if kind == "control":
                fac = rng.uniform(0.1, 0.4)
            elif kind == "near":
                fac = peak * (0.42 ** i)
            elif kind == "down":
                fac = peak * (0.45 if i == 0 else 0.6 * 0.45 ** (i - 1))
            else:
                fac = peak * (0.08 if i == 0 else 0.12 * 0.5 ** (i - 1))
            for p in pols:
                if p != main and (kind != "near" and not (kind == "down" and i == 0)):
                    continue
                if p in nolimit:
                    f = max(1.0, fac * 0.6) if kind != "control" else 1.0
                else:
                    f = fac * (1.0 if p == main else rng.uniform(0.3, 0.8))
                value = reading_value(p, cls, f)
                r = {"site_zh": szh, "site_en": sen, "measured_at": iso(when), "pollutant": p,
                     "value": value, "unit": "mg/L", "standard": "GB 3838-2002",
                     "standard_class": cls}
                if flags.get("ug") and p == "Cd" and kind == "near":
                    r["value"], r["unit"] = sig(value * 1000), "µg/L"
                readings.append(r)
    if flags.get("gb5749") and steps >= 2:
        for off in offsets[1:3]:
            readings.append({
                "site_zh": "下游水厂出厂水", "site_en": "Treated water leaving the downstream plant",
                "measured_at": iso(found + off + timedelta(hours=2)), "pollutant": main,
                "value": sig(0.001 * rng.uniform(0.5, 3.0)), "unit": "mg/L",
                "standard": "GB 5749-2006", "note_zh": "出厂水按生活饮用水卫生标准评价",
                "note_en": "treated water, judged against the drinking-water standard"})
    if flags.get("sediment"):
        readings.append({
            "site_zh": f"{river}排口下游500米底泥", "site_en": "River-bed sediment 500 m below the outfall",
            "measured_at": iso(found + timedelta(days=1, hours=5)), "pollutant": "Cd",
            "value": sig(rng.uniform(6, 25)), "unit": "mg/kg",
            "note_zh": "底泥样品，干重计", "note_en": "sediment sample, dry weight"})
    latest_near = [r for r in readings if r["site_en"].startswith(("500 m", "Section")) and r["pollutant"] == main]

    # responsible
    responsible = []
    for eid in resp:
        role = pick([("事故废水直接来源", "direct source of the spilled water"),
                      ("主要责任方，已被立案查处", "principal party; a case has been opened against it"),
                      ("排放来源之一，正在核查排放量", "one of the sources; its share is being assessed")])
        if len(resp) == 1 and status in ("contained", "closed"):
            role = ("事故废水来源，已被责令停产整治并立案查处",
                    "source of the spilled water; ordered to stop and rectify, with a case opened")
        if status in ("investigating",):
            role = ("初步认定的疑似来源，调查中", "suspected source on first findings; under investigation")
        responsible.append({"enterprise_id": eid, "role_zh": role[0], "role_en": role[1]})

    # timeline
    updates = []

    def upd(dep, when, zh, en):
        updates.append({"department_id": dep, "at": iso(when), "text_zh": zh, "text_en": en})

    upd(bureau_id, found + timedelta(hours=1),
        f"{fb_zh.format(**fill)}，{zh_list([main])}浓度超过地表水{cls}类标准限值，已启动应急监测。",
        f"{fb_en.format(**fill)[0].upper() + fb_en.format(**fill)[1:]}; {en_list([main])} was above "
        f"the Class {cls} surface-water limit, and emergency monitoring began.")
    if steps >= 2:
        near_now = [r for r in latest_near][:2]
        trend = "有所下降" if len(near_now) == 2 and near_now[1]["value"] < near_now[0]["value"] else "仍在高位"
        trend_en = "has fallen" if trend == "有所下降" else "remains high"
        upd(bureau_id, found + offsets[1] + timedelta(hours=2),
            f"最新监测：排口下游断面{zh_list([main])}浓度{trend}，下游乡镇取水口"
            f"{'未超标' if metals else '指标正常'}；已通知下游加密监测。" if resp else
            f"最新监测：异常断面{zh_list([main])}浓度{trend}，正沿河排查沿岸企业和历史遗留矿渣。",
            f"Latest monitoring: {en_list([main])} below the outfall {trend_en}; the township intake "
            f"is within the limit, and monitoring downstream has been stepped up." if resp else
            f"Latest monitoring: {en_list([main])} at the affected section {trend_en}; enterprises and "
            f"old mine waste along the river are being checked.")
    if flags.get("mee") and steps >= 2:
        upd("DEP-MEE", found + timedelta(days=1, hours=8),
            "生态环境部派出工作组赴现场指导应急处置和溯源排查。",
            "The Ministry of Ecology and Environment sent a work team to guide the response and the "
            "search for the source.")
    if steps >= 3:
        upd(provincial_id, found + offsets[2] + timedelta(hours=4),
            f"经溯源排查，确认污染来自{'、'.join(ENT_BY_ID[e]['name_zh'] for e in resp)}。"
            + cause_zh.format(**fill) + "已责令企业停产并封堵外排通道，案件依法查处中。",
            f"Tracing confirmed the source: {', '.join(ENT_BY_ID[e]['name_en'] for e in resp)} "
            + cause_en.format(**fill) + " The enterprise was ordered to stop production and seal the "
            "discharge; a case is under way.")
    if flags.get("amr") and steps >= 3:
        upd(f"DEP-{PROVINCE[prov][2]}-AMR", found + offsets[2] + timedelta(hours=9),
            "市场监管部门对涉事企业的登记经营范围和特种设备使用情况开展核查。",
            "Market regulation checked the enterprise's registered business scope and its special "
            "equipment.")
    if status == "contained":
        upd(bureau_id, found + offsets[-1] + timedelta(hours=3),
            f"污染已得到控制：排口下游各断面{zh_list([main])}浓度持续下降，取水口稳定达标；拦截坝和药剂投加继续维持，底泥清理方案编制中。",
            f"The pollution is contained: {en_list([main])} keeps falling at the sections below the "
            "outfall and the intake stays within the limit; the check dams and dosing remain, and "
            "a plan for clearing the river bed is being drawn up.")
    if status == "closed":
        end = found + offsets[-1] + timedelta(days=1)
        upd(bureau_id, end,
            f"连续监测显示各断面{zh_list(metals or nolimit)}浓度已恢复至事件前水平，应急响应终止。涉事企业整改及处罚情况另行公开。",
            f"Continuous monitoring shows {en_list(metals or nolimit)} back at pre-incident levels at "
            "every section; the emergency response has ended. The enterprise's rectification and "
            "penalty will be published separately.")

    title_zh = (f"{czh}{river}{zh_list(metals or nolimit)}"
                + ("浓度异常" if status == "reported" else "超标事件" if metals else "水质异常事件"))
    title_en = (f"{'Abnormal ' + en_list(metals or nolimit) if status == 'reported' else en_list(metals or nolimit).capitalize() + (' above limits' if metals else ' rise')}"
                f" in the {river_en}, {cen}")
    status_zh = {"reported": "目前处于接报核实阶段。", "investigating": "溯源调查仍在进行。",
                 "contained": "污染已得到控制，后续监测和底泥清理仍在进行。",
                 "closed": "应急响应已终止。"}[status]
    status_en = {"reported": "The report is being verified.",
                 "investigating": "The source investigation continues.",
                 "contained": "The pollution is contained; monitoring and clearing of the river bed "
                              "continue.",
                 "closed": "The emergency response has ended."}[status]
    summary_zh = (f"{fmt_date_zh(found.date())}，{fb_zh.format(**fill)}。"
                  + cause_zh.format(**fill)
                  + (resp_zh.format(**fill) if status != "reported" else "")
                  + f"本事件涉及{zh_list(pols)}，监测值均按地表水环境质量标准（GB 3838-2002）{cls}类评价。"
                  + status_zh)
    summary_en = (f"On {fmt_date_en(found.date())} {fb_en.format(**fill)}. "
                  + cause_en.format(**fill) + " "
                  + (resp_en.format(**fill) + " " if status != "reported" else "")
                  + f"The incident involves {en_list(pols)}; readings are judged against Class {cls} "
                  "of GB 3838-2002. " + status_en)
    last = max(datetime.fromisoformat(u["at"]) for u in updates)
    en = with_english()
    row = {
        "id": iid, "publisher_id": publisher, "published_at": iso(last + timedelta(hours=2)),
        "sample": True,
        "title_zh": title_zh, "title_en": title_en if en else None,
        "summary_zh": summary_zh, "summary_en": summary_en if en else None,
        "began_at": iso(began), "found_at": iso(found),
        "river_zh": river, "river_en": river_en if en else None,
        "place_zh": f"{lead_ent['county_zh'] or czh}{river}{'沿岸' if not resp else '段'}",
        "place_en": (f"{river_en}, {lead_ent['county_en'] or cen}" if en else None),
        "province": prov, "city_zh": czh, "city_en": cen,
        "latitude": round(lead_ent["latitude"] + rng.uniform(-0.04, 0.04), 4),
        "longitude": round(lead_ent["longitude"] + rng.uniform(-0.04, 0.04), 4),
        "status": status, "pollutants": sorted(set(pols) | {r["pollutant"] for r in readings}),
        "readings": readings if en else [drop_none({**r, "site_en": None, "note_en": None})
                                          for r in readings],
        "responsible": responsible if en else [drop_none({**r, "role_en": None})
                                               for r in responsible],
        "updates": updates if en else [drop_none({**u, "text_en": None}) for u in updates],
    }
    return drop_none(row)


def build_incidents() -> list[dict]:
    return [REAL_INCIDENT] + [build_incident(s) for s in INCIDENT_SEEDS]


# --------------------------------------------------------------------------- inspections

WASTE = {
    "secondary_copper": ("熔炼炉渣和收尘灰", "furnace slag and baghouse dust", ["Pb", "Cu", "Zn"]),
    "secondary_aluminium": ("铝灰渣", "aluminium dross", ["NH3N"]),
    "secondary_lead": ("含铅废渣", "lead-bearing slag", ["Pb"]),
    "secondary_zinc": ("回转窑窑渣", "rotary-kiln slag", ["Zn", "Pb", "Cd"]),
    "mining": ("废石和尾砂", "waste rock and tailings", ["Pb", "Zn", "Cd"]),
    "primary_smelting": ("含砷废渣", "arsenic-bearing residue", ["As"]),
    "dismantling_recycling": ("废线路板和拆解残余物", "waste circuit boards and dismantling residue", ["Pb", "Cu"]),
    "import_processing": ("分选残余物", "sorting residue", ["Cu"]),
}
AIR = {
    "secondary_copper": ["PM", "SO2", "Dioxins"], "secondary_aluminium": ["PM", "Dioxins", "NOx"],
    "secondary_lead": ["Pb", "PM", "SO2"], "secondary_zinc": ["PM", "SO2", "Pb"],
    "mining": ["PM"], "primary_smelting": ["SO2", "PM", "Pb"], "dismantling_recycling": ["PM"],
    "import_processing": ["PM"],
}
FURNACE = {
    "secondary_copper": ("精炼炉", "refining furnace"), "secondary_aluminium": ("双室熔炼炉", "twin-chamber furnace"),
    "secondary_lead": ("熔炼炉", "smelting furnace"), "secondary_zinc": ("回转窑", "rotary kiln"),
    "mining": ("破碎筛分车间", "crushing and screening plant"),
    "primary_smelting": ("烧结机", "sinter machine"),
    "dismantling_recycling": ("破碎分选线", "shredding and sorting line"),
    "import_processing": ("分选线", "sorting line"),
}

ENV_OK = [  # (sectors or None, zh, en)
    (None, "废水处理站正常运行，加药、沉淀和压滤单元均在工作状态", "the wastewater treatment station was running, with dosing, settling and filter-press units all working"),
    (None, "车间废水排放口现场采样，总{p}浓度{v}毫克/升，低于GB 8978-1996规定的{lim}毫克/升", "a sample at the workshop outlet gave total {p_en} at {v} mg/L, below the {lim} mg/L of GB 8978-1996"),
    (None, "自动监测设备运行正常，近三个月数据有效传输率{r}%", "the automatic monitors were working, with {r}% of the last three months' data validly transmitted"),
    (None, "危险废物贮存库防渗、防雨和标识符合要求，台账与转移联单一致", "the hazardous-waste store was lined, roofed and labelled as required, and its ledger matched the transfer manifests"),
    (None, "排污许可证规定的自行监测已按频次开展，执行报告按时提交", "self-monitoring was done at the frequency the discharge permit sets, and compliance reports were filed on time"),
    (None, "初期雨水收集池处于排空备用状态，雨污分流完善", "the first-flush rainwater pond stood empty and ready, and storm and process water were kept apart"),
    (["secondary_copper", "secondary_aluminium", "secondary_lead", "secondary_zinc", "primary_smelting"],
     "{furnace}烟气经收尘和净化设施处理后排放，设施运行记录完整", "off-gas from the {furnace_en} passed through dust collection and cleaning, with complete operating records"),
    (["secondary_copper", "secondary_aluminium", "secondary_lead", "secondary_zinc", "import_processing", "dismantling_recycling"],
     "原料库房全封闭，地面硬化，未见物料散落", "the raw-material store was fully enclosed with a paved floor, and no material was lying loose"),
    (["mining"], "尾矿库排洪设施畅通，库内水位低于控制水位", "the tailings pond's spillway was clear and the water level below the control level"),
    (["mining", "primary_smelting", "secondary_lead", "secondary_zinc"], "厂区周边土壤和地下水监测按年度计划开展", "soil and groundwater monitoring around the site followed the annual plan"),
]
ENV_BAD = [  # (sectors, zh, en, measures zh, measures en, pollutant key, severity)
    (None, "车间废水排放口采样，总{p}浓度{v}毫克/升，超过GB 8978-1996规定的{lim}毫克/升", "a sample at the workshop outlet gave total {p_en} at {v} mg/L, above the {lim} mg/L of GB 8978-1996",
     "责令立即停止超标排放，查明原因并整改", "ordered to stop the excess discharge at once, find the cause and fix it", "p", 2),
    (None, "{waste}约{t}吨露天堆放于厂区空地，未采取防渗、防雨措施", "about {t} t of {waste_en} lay in the open on bare ground, with no lining or cover",
     "责令{days}日内将{waste}转入规范贮存场所并委托有资质单位处置", "ordered to move the {waste_en} into proper storage within {days} days and hand it to a licensed handler", "waste", 2),
    (["secondary_copper", "secondary_aluminium", "secondary_lead", "secondary_zinc", "primary_smelting"],
     "{furnace}加料口集气罩未开启，收尘布袋破损，车间内可见明显无组织排放", "the hood over the {furnace_en} charging door was off and filter bags were torn; fugitive fumes were plainly visible in the shop",
     "责令立即停炉检修，更换破损布袋后方可恢复生产", "ordered to stop the furnace, replace the torn bags and only then resume", "air", 2),
    (None, "废水自动监测设备数据缺失{n}天，企业未按规定报告", "the wastewater monitor's data were missing for {n} days and the enterprise had not reported it",
     "责令修复设备并补报缺失期间的手工监测数据", "ordered to repair the monitor and file manual monitoring data for the gap", None, 1),
    (None, "厂区雨水排口检出生产废水，总{p}浓度{v}毫克/升", "process water was found at the storm-water outfall, with total {p_en} at {v} mg/L",
     "责令封堵雨水排口与生产区的连通管道，{days}日内完成雨污分流改造", "ordered to seal the pipe linking the production area to the storm outfall and finish separating the drains within {days} days", "p", 2),
    (None, "未按排污许可证要求开展第{q}季度自行监测", "the self-monitoring for quarter {q} required by the discharge permit had not been done",
     "责令补测并完善自行监测方案", "ordered to make up the monitoring and improve its monitoring plan", None, 1),
    (["mining"], "尾矿库回水管道破裂，尾矿水沿山沟外渗", "the tailings return-water pipe had burst and tailings water was seeping down a gully",
     "责令立即停止选矿作业，修复管道并清理外渗尾矿", "ordered to stop the concentrator at once, repair the pipe and clean up the seepage", "waste", 3),
    (None, "废水处理站旁发现一根未登记的排水管，通向厂外沟渠，现场采样总{p}浓度{v}毫克/升", "an unregistered pipe by the treatment station led to a ditch outside the site; a sample gave total {p_en} at {v} mg/L",
     "责令立即拆除暗管，案件移送公安机关", "ordered to remove the hidden pipe at once; the case was passed to the police", "p", 3),
]
ENV_FIX = [
    ("危险废物贮存库标识不全，部分包装容器未贴标签", "the hazardous-waste store was not fully signed and some containers had no labels",
     "责令{days}日内完善标识和台账", "ordered to complete the signs and ledger within {days} days"),
    ("初期雨水收集池容积偏小，暴雨时存在溢流风险", "the first-flush rainwater pond was undersized and could overflow in a storm",
     "责令{days}日内提交扩容方案并实施", "ordered to submit and carry out an enlargement plan within {days} days"),
    ("突发环境事件应急预案未按期修订，应急物资储备不足", "the emergency plan had not been revised on time and emergency supplies were short",
     "责令{days}日内修订预案并补充应急物资", "ordered to revise the plan and restock supplies within {days} days"),
    ("原料堆场部分区域未覆盖，存在扬尘", "part of the raw-material yard was uncovered and dusty",
     "责令{days}日内完成覆盖和喷淋设施改造", "ordered to cover the yard and fit sprays within {days} days"),
    ("排污口标志牌缺失，采样平台不符合规范", "outfall signs were missing and the sampling platform was not to specification",
     "责令{days}日内完成排污口规范化整治", "ordered to bring the outfalls to standard within {days} days"),
    ("废水处理站运行台账记录不完整，加药量与处理水量不对应", "the treatment station's log was incomplete, with dosing not matching the volume treated",
     "责令{days}日内完善运行台账并开展人员培训", "ordered to complete the log and train staff within {days} days"),
    ("自动监测设备比对监测未按期开展", "the comparison test of the automatic monitors was overdue",
     "责令{days}日内完成比对监测", "ordered to complete the comparison test within {days} days"),
]
ENV_PREFIX = {
    "routine": [("", ""), ("双随机抽查：", "Random inspection: ")],
    "targeted": [("涉重金属企业专项检查：", "Heavy-metal campaign inspection: "), ("汛期前专项检查：", "Pre-flood-season inspection: "),
                 ("危险废物规范化管理专项检查：", "Hazardous-waste management campaign: ")],
    "complaint": [("接群众投诉（反映夜间异味）后检查：", "Inspection after complaints of smells at night: "),
                  ("接群众投诉（反映粉尘污染）后检查：", "Inspection after complaints of dust: "),
                  ("接群众投诉（反映排水发黑）后检查：", "Inspection after complaints of dark water in a ditch: ")],
}

AMR_PRODUCT = {
    "secondary_copper": ("低氧光亮铜杆", "copper rod", "导电率和伸长率", "conductivity and elongation"),
    "secondary_aluminium": ("再生铸造铝合金锭", "casting-alloy ingot", "化学成分", "chemical composition"),
    "secondary_lead": ("再生铅锭", "lead ingot", "杂质含量", "impurity content"),
    "secondary_zinc": ("次氧化锌", "crude zinc oxide", "锌含量标识", "declared zinc content"),
    "primary_smelting": ("电解锌锭", "zinc ingot", "化学成分", "chemical composition"),
}
AMR_OK = [
    ("抽检{product}1批次，{item}符合产品标准", "one batch of {product_en} was sampled; its {item_en} met the product standard"),
    ("电子汽车衡在检定有效期内，检定标识齐全", "the weighbridge was within its verification period and properly marked"),
    ("起重机械和压力容器均按期定期检验，作业人员持证上岗", "cranes and pressure vessels had been inspected on time and operators held their certificates"),
    ("营业执照登记事项与实际经营一致，年度报告已按时公示", "the business licence matched the actual business and the annual report was published on time"),
]
AMR_BAD = [
    ("抽检{product}1批次，{item}不符合产品标准，判定为不合格", "one batch of {product_en} failed on {item_en}",
     "责令停止销售不合格批次并召回已售产品，没收违法所得", "ordered to stop selling the failed batch and recall what was sold; illegal income confiscated"),
    ("电子汽车衡未经检定即投入使用", "the weighbridge was in use without verification",
     "责令停止使用，检定合格后方可使用", "ordered to stop using it until it passes verification"),
    ("一台桥式起重机超过定期检验有效期仍在使用", "an overhead crane was in use after its inspection had expired",
     "责令停止使用并立即申报检验", "ordered to stop using it and apply for inspection at once"),
]
AMR_FIX = [
    ("产品标签未标注执行标准编号和批号", "product labels did not give the standard or the batch number",
     "责令{days}日内规范产品标识", "ordered to correct the labels within {days} days"),
    ("叉车定期检验即将到期尚未申报", "forklift inspections were about to expire and had not been applied for",
     "责令{days}日内申报检验", "ordered to apply for inspection within {days} days"),
    ("计量器具管理制度不完善，缺少周期检定计划", "there was no schedule for verifying measuring instruments",
     "责令{days}日内建立计量器具管理台账和检定计划", "ordered to set up an instrument register and verification schedule within {days} days"),
]

CARGO = {
    "secondary_copper": [("再生铜原料", "recycled copper raw material"), ("再生黄铜原料", "recycled brass raw material")],
    "secondary_aluminium": [("再生铸造铝合金原料", "recycled casting-aluminium raw material")],
    "import_processing": [("再生铜原料", "recycled copper raw material"), ("再生黄铜原料", "recycled brass raw material"),
                          ("再生铸造铝合金原料", "recycled casting-aluminium raw material")],
}
CUSTOMS_FOR = {"33": ["DEP-CUS-HZ", "DEP-CUS-NB"], "44": ["DEP-CUS-GZ"], "37": ["DEP-CUS-QD"],
               "12": ["DEP-CUS-TJ"], "36": ["DEP-CUS-NC"], "31": ["DEP-CUS-SH"], "50": ["DEP-CUS-CQ"]}
JUNK = [("废塑料和油污", "plastic waste and oil"), ("泥土和废橡胶", "soil and scrap rubber"), ("废电路板碎片", "circuit-board fragments")]

METAL_ZH = {"secondary_copper": "再生铜", "secondary_aluminium": "再生铝", "secondary_lead": "再生铅",
            "secondary_zinc": "再生锌", "primary_smelting": "铅锌冶炼", "dismantling_recycling": "废旧电器拆解",
            "import_processing": "再生原料加工"}
METAL_EN = {"secondary_copper": "secondary copper", "secondary_aluminium": "secondary aluminium",
            "secondary_lead": "secondary lead", "secondary_zinc": "secondary zinc", "primary_smelting": "lead-zinc smelting",
            "dismantling_recycling": "WEEE dismantling", "import_processing": "recycled feedstock processing"}

FOLLOW_DONE = [
    ("{d}复查：问题已整改完毕，现场核实符合要求。", "{d_en} re-inspection: the problems were fixed and verified on site."),
    ("{d}复查：企业提交了整改报告和影像资料，现场抽查确认整改到位。", "{d_en} re-inspection: the enterprise filed a report with photographs, and a spot check confirmed the work."),
    ("{d}复查：整改完成，复测结果符合标准。", "{d_en} re-inspection: rectification complete and new measurements within the standard."),
]
FOLLOW_DONE_BY = {
    "customs": [("{d}复核：不合格货物已退运出境，企业已完善进口原料验收和台账制度。",
                 "{d_en} review: the failing goods have left the country and the enterprise has tightened its intake checks and records.")],
    "industry": [("{d}复核：企业报送了整改材料，现场核实相关指标已满足规范条件要求。",
                  "{d_en} review: the enterprise filed its evidence and a site visit confirmed it now meets the conditions.")],
    "financial_regulation": [("{d}复核：相关银行业机构已报送整改报告，贷后管理和风险分类已调整到位。",
                              "{d_en} review: the banks filed their reports; loan monitoring and the classification have been corrected.")],
    "association": [("{d}回访：企业已按要求整改，恢复参加行业评优资格。",
                     "{d_en} follow-up: the enterprise has put it right and may again take part in industry awards.")],
    "market_regulation": [("{d}复查：问题已整改完毕，现场核实符合要求。", "{d_en} re-inspection: the problems were fixed and verified on site."),
                          ("{d}复查：相关设备已检验合格，产品标识已规范。", "{d_en} re-inspection: the equipment has passed inspection and labels are correct.")],
}
FOLLOW_PART = [("{d}复查：主要问题已整改，余下工程仍在施工，同意延期至{d2}。",
                "{d_en} re-inspection: the main problems are fixed; remaining works are under way, and the deadline was extended to {d2_en}.")]
FOLLOW_FAIL = [("{d}复查：逾期未完成整改，已依法另行立案处理。",
                "{d_en} re-inspection: the deadline passed without rectification; a separate case has been opened.")]

INSPECTIONS: list[dict] = []  # rows with private context (_dept_function, _decision)


def rand_day(start: date, end: date, weekday: bool = True) -> date:
    while True:
        d = start + timedelta(days=rng.randrange((end - start).days + 1))
        if not weekday or d.weekday() < 5:
            return d


def choose_outcome(weights: tuple[float, float, float]) -> str:
    x = rng.random()
    if x < weights[0]:
        return "compliant"
    if x < weights[0] + weights[1]:
        return "violation"
    return "rectification_ordered"


ENV_PENALTIES = [120000, 150000, 200000, 320000, 480000, 1000000, 98000, 99000, 99500, 96000]


def inspection_context(e: dict) -> dict:
    sector = e["sector"]
    p = pick(SECTOR_METALS[sector][0])
    lim = GB8978[p]
    furnace = FURNACE[sector]
    waste = WASTE[sector]
    return {"p": POLLUTANT_ZH[p], "p_en": POLLUTANT_EN[p], "pcode": p, "lim": lim,
            "v_ok": sig(lim * rng.uniform(0.05, 0.6)), "v_bad": sig(lim * rng.uniform(1.2, 3.2)),
            "r": rng.choice([96.3, 97.8, 98.5, 99.1, 99.6, 95.4]), "furnace": furnace[0],
            "furnace_en": furnace[1], "waste": waste[0], "waste_en": waste[1],
            "waste_pols": waste[2], "t": rng.choice([15, 30, 40, 60, 80, 120, 200]),
            "n": rng.randint(5, 40), "q": rng.randint(1, 4), "days": rng.choice([15, 30, 30, 45, 60])}


def env_inspection(e: dict, kind: str, outcome: str, penalty_pool: list[int]) -> dict:
    c = inspection_context(e)
    sector = e["sector"]
    pre_zh, pre_en = pick(ENV_PREFIX[kind])
    pollutants: list[str] = []
    oks = [t for t in ENV_OK if t[0] is None or sector in t[0]]
    chosen = rng.sample(oks, k=min(len(oks), 3 if outcome == "compliant" else 2))
    ok_zh = "；".join(t[1].format(**{**c, "v": num(c["v_ok"])}) for t in chosen)
    ok_en = "; ".join(t[2].format(**{**c, "v": num(c["v_ok"])}) for t in chosen)
    if any("{p}" in t[1] for t in chosen):
        pollutants.append(c["pcode"])
    penalty = None
    measures_zh = measures_en = None
    if outcome == "compliant":
        f_zh = f"{pre_zh}{ok_zh}。未发现环境违法行为。"
        f_en = f"{pre_en}{ok_en[0].upper() + ok_en[1:]}. No violation was found."
    elif outcome == "violation":
        bads = [t for t in ENV_BAD if t[0] is None or sector in t[0]]
        t = pick(bads)
        fill = {**c, "v": num(c["v_bad"])}
        core_zh, core_en = t[1].format(**fill), t[2].format(**fill)
        f_zh = f"{pre_zh}{core_zh}。此外，{ok_zh}。"
        f_en = f"{pre_en}{core_en[0].upper() + core_en[1:]}. Otherwise, {ok_en}."
        if t[5] == "p":
            pollutants.append(c["pcode"])
        elif t[5] == "waste":
            pollutants += c["waste_pols"]
        elif t[5] == "air":
            pollutants += AIR[sector]
        penalty = penalty_pool.pop() if penalty_pool and t[6] >= 2 else rng.randrange(20000, 91000, 1000)
        if t[6] == 3 and penalty < 100000:
            penalty = rng.choice([150000, 250000, 300000])
        measures_zh = f"{t[3].format(**c)}；依据《中华人民共和国环境保护法》等规定处罚款{penalty}元。"
        measures_en = f"{t[4].format(**c)[0].upper() + t[4].format(**c)[1:]}; fined {penalty:,} yuan under the Environmental Protection Law and related rules."
    else:
        t = pick(ENV_FIX)
        f_zh = f"{pre_zh}{t[0]}。{ok_zh}。"
        f_en = f"{pre_en}{t[1][0].upper() + t[1][1:]}. Otherwise, {ok_en}."
        measures_zh, measures_en = t[2].format(**c), t[3].format(**c)[0].upper() + t[3].format(**c)[1:] + "."
        if "雨水" in t[0] or "扬尘" in t[0]:
            pollutants += ["PM"] if "扬尘" in t[0] else SECTOR_METALS[sector][0][:1]
    out = {"findings_zh": f_zh, "findings_en": f_en, "measures_zh": measures_zh,
           "measures_en": measures_en, "penalty_yuan": penalty, "pollutants": pollutants,
           "days": c["days"]}
    if outcome == "violation":
        out.update(core_zh=core_zh, core_en=core_en)
    return out


def amr_inspection(e: dict, kind: str, outcome: str) -> dict:
    sector = e["sector"]
    prod = AMR_PRODUCT.get(sector)
    c = {"days": rng.choice([15, 30, 30, 60])}
    if prod:
        c.update(product=prod[0], product_en=prod[1], item=prod[2], item_en=prod[3])
    oks = [t for t in AMR_OK if prod or "{product}" not in t[0]]
    chosen = rng.sample(oks, k=2)
    ok_zh = "；".join(t[0].format(**c) for t in chosen)
    ok_en = "; ".join(t[1].format(**c) for t in chosen)
    pre_zh, pre_en = {"routine": ("双随机抽查：", "Random inspection: "), "targeted": ("产品质量监督抽查：", "Product quality spot check: "),
                      "complaint": ("接举报后检查：", "Inspection after a report: ")}[kind]
    penalty = measures_zh = measures_en = None
    if outcome == "compliant":
        f_zh, f_en = f"{pre_zh}{ok_zh}。", f"{pre_en}{ok_en[0].upper() + ok_en[1:]}."
    elif outcome == "violation":
        bads = [t for t in AMR_BAD if prod or "{product}" not in t[0]]
        t = pick(bads)
        penalty = rng.randrange(5000, 61000, 1000)
        core = (t[0].format(**c), t[1].format(**c))
        f_zh = f"{pre_zh}{t[0].format(**c)}。{chosen[0][0].format(**c)}。"
        f_en = f"{pre_en}{t[1].format(**c)[0].upper() + t[1].format(**c)[1:]}. {chosen[0][1].format(**c)[0].upper() + chosen[0][1].format(**c)[1:]}."
        measures_zh = f"{t[2]}；处罚款{penalty}元。"
        measures_en = f"{t[3][0].upper() + t[3][1:]}; fined {penalty:,} yuan."
        return {"findings_zh": f_zh, "findings_en": f_en, "measures_zh": measures_zh,
                "measures_en": measures_en, "penalty_yuan": penalty, "pollutants": [],
                "days": c["days"], "core_zh": core[0], "core_en": core[1]}
    else:
        t = pick(AMR_FIX)
        f_zh = f"{pre_zh}{t[0]}。{ok_zh}。"
        f_en = f"{pre_en}{t[1][0].upper() + t[1][1:]}. {ok_en[0].upper() + ok_en[1:]}."
        measures_zh, measures_en = t[2].format(**c), t[3].format(**c)[0].upper() + t[3].format(**c)[1:] + "."
    return {"findings_zh": f_zh, "findings_en": f_en, "measures_zh": measures_zh,
            "measures_en": measures_en, "penalty_yuan": penalty, "pollutants": [], "days": c["days"]}


def customs_inspection(e: dict, outcome: str, big: bool) -> dict:
    cargo, cargo_en = pick(CARGO[e["sector"]])
    n, t = rng.randint(3, 24), rng.randrange(200, 4800, 10)
    days = 30
    penalty = measures_zh = measures_en = None
    pollutants: list[str] = []
    if outcome == "compliant":
        f_zh = (f"对企业申报进口的{n}批{cargo}（合计{t}吨）实施现场查验和抽样检测，夹杂物总量、放射性污染和外观检验均符合再生原料国家标准要求，准予放行。")
        f_en = (f"{n} consignments of {cargo_en} ({t:,} t in all) were examined and sampled; impurities, "
                "radioactivity and appearance met the national standard for recycled raw materials, and "
                "the goods were released.")
    elif outcome == "violation":
        m = rng.randint(1, min(3, n))
        junk, junk_en = pick(JUNK)
        if rng.random() < 0.5:
            f_zh = (f"查验申报为{cargo}的{n}批货物，其中{m}批夹杂物总量超过标准要求，并混有{junk}，经鉴别属于固体废物。")
            f_en = (f"Of {n} consignments declared as {cargo_en}, {m} exceeded the impurity limit and "
                    f"contained {junk_en}; they were identified as solid waste.")
            measures_zh, measures_en = "依法责令退运不合格货物", "Ordered to return the failing consignments"
            pollutants = ["Cu"] if "铜" in cargo else []
        else:
            f_zh = f"{n}批货物中有{m}批申报品名为{cargo}，查验发现实际为含铜、铝的混合废料，申报不实。"
            f_en = (f"{m} of {n} consignments were declared as {cargo_en} but were in fact mixed copper "
                    "and aluminium scrap: a false declaration.")
            measures_zh, measures_en = "责令退运，并对申报不实行为立案处理", "Ordered to return the goods; a case was opened for the false declaration"
        penalty = rng.choice([120000, 150000]) if big else rng.randrange(20000, 91000, 5000)
        measures_zh += f"；处罚款{penalty}元。"
        measures_en += f"; fined {penalty:,} yuan."
    else:
        f_zh = (f"查验{n}批{cargo}时发现，企业进口原料的供货方检验报告与批次对应关系不清，入厂验收记录不完整；货物本身检验合格。")
        f_en = (f"Examining {n} consignments of {cargo_en}: the suppliers' test reports could not be "
                "matched to batches and intake records were incomplete; the goods themselves passed.")
        measures_zh = f"责令{days}日内完善进口原料验收制度并报送整改情况"
        measures_en = f"Ordered to improve its intake checks on imported feedstock and report within {days} days."
    return {"findings_zh": f_zh, "findings_en": f_en, "measures_zh": measures_zh,
            "measures_en": measures_en, "penalty_yuan": penalty, "pollutants": pollutants, "days": days}


def industry_inspection(e: dict, kind: str, outcome: str) -> dict:
    s = e["sector"]
    rec, energy = rng.choice([97.2, 98.1, 98.6, 96.5, 99.0]), rng.randint(110, 420)
    months = rng.choice([3, 6])
    pre = "规范条件年度核查：" if kind == "routine" else "规范条件专项核查："
    pre_en = "Annual check against the industry's standard conditions: " if kind == "routine" else "Targeted check against the standard conditions: "
    measures_zh = measures_en = None
    if outcome == "compliant":
        f_zh = (f"{pre}{METAL_ZH[s]}综合回收率{rec}%，单位产品综合能耗{energy}千克标准煤/吨，主要工艺装备、环保设施和在线监测配置满足要求，继续保留在符合规范条件企业名单。")
        f_en = (f"{pre_en}{METAL_EN[s]} recovery of {rec}%, overall energy use of {energy} kg of standard "
                "coal per tonne; the main equipment, environmental facilities and online monitoring "
                "meet the conditions, and the enterprise stays on the list of conforming enterprises.")
    elif outcome == "rectification_ordered":
        f_zh = (f"{pre}单位产品综合能耗{energy}千克标准煤/吨，高于规范条件要求；部分熔炼设备未完成节能改造。")
        f_en = (f"{pre_en}overall energy use of {energy} kg of standard coal per tonne is above the "
                "conditions; some melting equipment has not been upgraded.")
        measures_zh = f"限期{months}个月整改，逾期未达标将移出符合规范条件企业名单"
        measures_en = f"{months} months to comply, or removal from the list of conforming enterprises."
    else:
        f_zh = f"{pre}仍在使用国家明令淘汰的落后熔炼设备一台。"
        f_en = f"{pre_en}one obsolete melting unit of a type the state has ordered phased out was still in use."
        measures_zh = "责令停止使用并限期拆除，核查结果通报地方工业和信息化主管部门"
        measures_en = "Ordered to stop using and dismantle it; the result was passed to the local industry authority."
    return {"findings_zh": f_zh, "findings_en": f_en, "measures_zh": measures_zh,
            "measures_en": measures_en, "penalty_yuan": None, "pollutants": [], "days": months * 30}


def financial_inspection(e: dict, outcome: str, year: int) -> dict:
    measures_zh = measures_en = None
    if outcome == "compliant":
        f_zh, f_en = pick([
            ("核查授信银行对该企业的环境、社会和治理风险管理：授信前核验了排污许可证和环境违法记录，合同设置了环保合规条款，贷后按季跟踪企业环境信息披露。",
             "Review of the lending banks' environmental, social and governance risk management for this "
             "borrower: the discharge permit and violation record were checked before lending, the "
             "contract carries environmental compliance clauses, and disclosures are followed quarterly."),
            ("核查授信银行对该企业贷款的绿色信贷分类：分类依据充分，授信审批中核验了排污许可证有效期和近三年环境违法记录，未发现问题。",
             "Review of how the lending banks classified this borrower's loans as green credit: the "
             "classification is supported, and the permit's validity and three years of violation "
             "records were checked at approval. No problem was found."),
        ])
    elif outcome == "rectification_ordered":
        f_zh = (f"授信银行未将企业{year - 1}年受到的环境行政处罚纳入贷后管理，风险分类未作相应调整。")
        f_en = (f"The lending bank had not brought the borrower's {year - 1} environmental penalty into "
                "its loan monitoring, and had not adjusted the risk classification.")
        measures_zh = "责令相关银行业机构30日内完善贷后管理并重新评估风险分类"
        measures_en = "The banks concerned were ordered to improve loan monitoring and reassess the classification within 30 days."
    else:
        f_zh = "授信资金部分用于未取得环境影响评价批复的扩建工程。"
        f_en = "Part of the loan was used for an expansion that had no environmental impact approval."
        measures_zh = "责令相关银行收回挪用部分贷款并追究内部责任"
        measures_en = "The bank was ordered to recall the diverted part of the loan and hold its staff to account."
    return {"findings_zh": f_zh, "findings_en": f_en, "measures_zh": measures_zh,
            "measures_en": measures_en, "penalty_yuan": None, "pollutants": [], "days": 30}


CMRA_FIX = [
    ("原料采购台账缺少部分供货方的资质信息", "the purchase ledger lacked some suppliers' credentials"),
    ("未按会员自律承诺公开上一年度环境信息", "it had not published last year's environmental information as its member pledge requires"),
    ("行业统计数据连续两个季度延迟报送", "industry statistics were filed late two quarters running"),
]


def association_inspection(e: dict, outcome: str) -> dict:
    measures_zh = measures_en = None
    if outcome == "compliant":
        n = rng.randint(20, 80)
        f_zh, f_en = pick([
            ("行业自律检查：原料采购台账完整、可追溯到供货方，未发现收购来源不明的废旧物资；年度环境信息按期公开；行业统计数据按时报送。",
             "Self-regulation check: the purchase ledger is complete and traceable to suppliers, with no "
             "scrap of unknown origin; annual environmental information was published on time; industry "
             "statistics were filed on time."),
            (f"行业自律检查：抽查原料采购记录{n}笔，供货方信息、过磅单和付款凭证齐全；企业按时参加行业统计，未发现违反会员自律公约的行为。",
             f"Self-regulation check: {n} purchase records were sampled and each had supplier details, a "
             "weighbridge ticket and a payment record; statistics were filed on time and no breach of the "
             "members' pledge was found."),
            ("会员单位规范经营评估：环保设施运行正常，年度环境信息已公开，原料来源台账可追溯，评估结论为符合自律要求。",
             "Member conduct review: environmental facilities were running, annual environmental "
             "information was public and the purchase ledger traceable; the enterprise meets the "
             "self-regulation requirements."),
        ])
    else:
        t = pick(CMRA_FIX)
        f_zh, f_en = f"行业自律检查：{t[0]}。", f"Self-regulation check: {t[1]}."
        measures_zh = "要求30日内整改，整改完成前暂停参加行业评优"
        measures_en = "Asked to put it right within 30 days; barred from industry awards until then."
    return {"findings_zh": f_zh, "findings_en": f_en, "measures_zh": measures_zh,
            "measures_en": measures_en, "penalty_yuan": None, "pollutants": [], "days": 30}


def env_department(e: dict) -> str:
    d = CITY_EE.get(e["city_zh"])
    if d and rng.random() < 0.7:
        return d
    return f"DEP-{PROVINCE[e['province']][2]}-EE"


def build_inspections() -> list[dict]:
    plan = ([("environment", None)] * 58 + [("market_regulation", None)] * 24
            + [("customs", None)] * 20 + [("industry", None)] * 16
            + [("financial_regulation", None)] * 14 + [("association", None)] * 18)
    ents = ENTERPRISES
    penalty_pool = ENV_PENALTIES[:]
    rng.shuffle(penalty_pool)
    importers = [e for e in ents if e["sector"] in CARGO and e["province"] in CUSTOMS_FOR]
    made = []
    big_customs = 2
    for func, _ in plan:
        if func == "environment":
            e = pick(ents)
            kind = rng.choices(["routine", "targeted", "complaint"], [0.45, 0.3, 0.25])[0]
            outcome = choose_outcome((0.38, 0.32, 0.30))
            day = rand_day(date(2019, 7, 1), date(2025, 10, 31), weekday=kind != "complaint")
            body = env_inspection(e, kind, outcome, penalty_pool)
            dep = "DEP-MEE" if kind == "targeted" and rng.random() < 0.12 else env_department(e)
        elif func == "market_regulation":
            e = pick([x for x in ents if x["sector"] != "mining"] + [x for x in ents if x["sector"] in AMR_PRODUCT])
            kind = rng.choices(["routine", "targeted", "complaint"], [0.5, 0.35, 0.15])[0]
            outcome = choose_outcome((0.5, 0.22, 0.28))
            day = rand_day(date(2019, 7, 1), date(2025, 10, 31))
            body = amr_inspection(e, kind, outcome)
            dep = f"DEP-{PROVINCE[e['province']][2]}-AMR"
        elif func == "customs":
            e = pick(importers)
            kind = "import_cargo"
            outcome = choose_outcome((0.6, 0.25, 0.15))
            day = rand_day(date(2021, 3, 1), date(2025, 10, 31))
            big = outcome == "violation" and big_customs > 0
            big_customs -= 1 if big else 0
            body = customs_inspection(e, outcome, big)
            dep = pick(CUSTOMS_FOR[e["province"]])
        elif func == "industry":
            e = pick([x for x in ents if x["sector"] != "mining"])
            kind = rng.choice(["routine", "targeted"])
            outcome = choose_outcome((0.5, 0.08, 0.42))
            day = rand_day(date(2019, 9, 1), date(2025, 9, 30))
            body = industry_inspection(e, kind, outcome)
            dep = "DEP-MIIT"
        elif func == "financial_regulation":
            e = pick([x for x in ents if x["province"] in NFRA_LOCAL] * 3 + ents)
            kind = rng.choice(["targeted", "routine"])
            outcome = choose_outcome((0.6, 0.04, 0.36))
            day = rand_day(date(2023, 8, 1), date(2025, 10, 31))
            body = financial_inspection(e, outcome, day.year)
            dep = (f"DEP-NFRA-{PROVINCE[e['province']][2]}" if e["province"] in NFRA_LOCAL else "DEP-NFRA")
        else:
            e = pick([x for x in ents if x["sector"] not in ("mining", "primary_smelting")])
            kind = rng.choice(["routine", "routine", "targeted"])
            outcome = choose_outcome((0.6, 0.0, 0.4))
            day = rand_day(date(2019, 7, 1), date(2025, 10, 31))
            body = association_inspection(e, outcome)
            dep = "DEP-CMRA"
        deadline = follow_zh = follow_en = None
        published_day = day + timedelta(days=rng.randint(3, 15))
        if outcome != "compliant":
            deadline = day + timedelta(days=body["days"])
            x = rng.random()
            if deadline < date(2025, 11, 1) and x < 0.85:
                fday = deadline + timedelta(days=rng.randint(1, 10))
                fmtv = {"d": fmt_date_zh(fday), "d_en": fmt_date_en(fday)}
                if func == "customs" and outcome == "rectification_ordered":
                    fz, fe = ("{d}复核：企业已完善进口原料验收制度，供货方检验报告与批次一一对应。",
                              "{d_en} review: the enterprise has improved its intake checks, and suppliers' test reports now match each batch.")
                elif x < 0.65 or func in ("customs", "financial_regulation", "association"):
                    fz, fe = pick(FOLLOW_DONE_BY.get(func, FOLLOW_DONE))
                elif x < 0.77 or func != "environment":
                    d2 = deadline + timedelta(days=30)
                    fmtv.update(d2=fmt_date_zh(d2), d2_en=fmt_date_en(d2))
                    fz, fe = FOLLOW_PART[0]
                else:
                    fz, fe = FOLLOW_FAIL[0]
                follow_zh, follow_en = fz.format(**fmtv), fe.format(**fmtv)
                published_day = fday + timedelta(days=rng.randint(2, 10))
        made.append({
            "_func": func, "_day": day, "_ent": e, "_body": body, "_dep": dep, "_kind": kind,
            "_outcome": outcome, "_deadline": deadline, "_follow": (follow_zh, follow_en),
            "_published": published_day,
        })
    made.sort(key=lambda m: (m["_day"], m["_ent"]["id"]))
    seq: dict[int, int] = {}
    rows = []
    for m in made:
        y = m["_day"].year
        seq[y] = seq.get(y, 0) + 1
        b = m["_body"]
        en = with_english()
        row = drop_none({
            "id": f"INS-{y}-{seq[y]:04d}", "publisher_id": m["_dep"],
            "published_at": iso(at_hour(m["_published"], rng.choice([9, 10, 11, 14, 15, 16]))),
            "sample": True, "enterprise_id": m["_ent"]["id"], "inspected_on": iso(m["_day"]),
            "inspection_type": m["_kind"], "outcome": m["_outcome"],
            "findings_zh": b["findings_zh"], "findings_en": b["findings_en"] if en else None,
            "penalty_yuan": b["penalty_yuan"],
            "measures_zh": b["measures_zh"], "measures_en": b["measures_en"] if en else None,
            "deadline": iso(m["_deadline"]) if m["_deadline"] else None,
            "follow_up_zh": m["_follow"][0], "follow_up_en": m["_follow"][1] if en else None,
            "pollutants": sorted(set(b["pollutants"])),
        })
        rows.append(row)
        INSPECTIONS.append({**m, "row": row})
    return rows


# --------------------------------------------------------------------------- disclosures

CATEGORY = {
    "basic_information": ("企业基本信息", "basic information"),
    "environmental_management": ("企业环境管理信息", "environmental management"),
    "pollutant_emission": ("污染物产生、治理与排放信息", "pollutant generation, treatment and emission"),
    "carbon_emission": ("碳排放信息", "carbon emissions"),
    "emergency_plan": ("生态环境应急信息", "emergency plans"),
    "violations_penalties": ("生态环境违法信息", "violations and penalties"),
    "temporary_disclosures": ("本年度临时环境信息依法披露情况", "temporary disclosures of the year"),
    "other": ("其他环境信息", "other information"),
}
FACILITY = {
    "secondary_copper": ("熔炼烟气采用“急冷+活性炭喷射+布袋除尘+脱硫”工艺处理；生产废水经“中和+混凝沉淀+过滤”处理后大部分回用",
                         "furnace off-gas is quenched, dosed with activated carbon, filtered in baghouses and desulphurised; process water is neutralised, settled and filtered, and mostly reused"),
    "secondary_aluminium": ("熔炼烟气采用“旋风除尘+活性炭喷射+布袋除尘”工艺处理；铝灰渣密闭贮存，委托有资质单位处置",
                            "furnace off-gas passes cyclones, activated-carbon injection and baghouses; aluminium dross is stored sealed and handed to a licensed handler"),
    "secondary_lead": ("熔炼烟气经“布袋除尘+湿法脱硫”处理；含铅废水经“化学沉淀+膜过滤”处理后回用",
                       "furnace off-gas passes baghouses and wet desulphurisation; lead-bearing water is chemically precipitated, membrane-filtered and reused"),
    "secondary_zinc": ("回转窑烟气经“表面冷却+布袋收尘+双碱法脱硫”处理；冲渣水闭路循环",
                       "kiln off-gas is cooled, filtered in baghouses and desulphurised by the dual-alkali process; slag-quench water runs in a closed loop"),
    "mining": ("选矿废水经浓缩池澄清后回用于选矿；尾矿库渗滤液收集后返回选厂",
               "concentrator water is clarified in thickeners and reused; tailings-pond seepage is collected and returned to the concentrator"),
    "primary_smelting": ("冶炼烟气经两转两吸工艺制酸，尾气再经脱硫；污酸经“硫化+石灰中和”处理，重金属废水处理后部分回用",
                         "smelter gas goes to a double-contact acid plant and the tail gas is desulphurised; waste acid is treated by sulphide precipitation and lime neutralisation, and part of the treated water is reused"),
    "dismantling_recycling": ("破碎分选线配置集气罩和布袋除尘器；场地冲洗废水经隔油沉淀后回用",
                              "the shredding and sorting line has hoods and baghouses; floor wash water is de-oiled, settled and reused"),
    "import_processing": ("分选车间配置集气除尘设施；地面冲洗水经沉淀处理后回用",
                          "the sorting hall has dust extraction; floor wash water is settled and reused"),
}
HW_TYPES = {
    "secondary_copper": "收尘灰、废活性炭", "secondary_aluminium": "铝灰渣、收尘灰", "secondary_lead": "含铅废渣、废隔板",
    "secondary_zinc": "收尘灰、废水处理污泥", "mining": "废矿物油、废水处理污泥", "primary_smelting": "含砷废渣、污酸处理渣",
    "dismantling_recycling": "废线路板、含铅玻璃", "import_processing": "废矿物油、沉淀污泥",
}
SAVING = {"secondary_copper": ("再生铜", "recycled copper", "原生铜", "primary copper", 1054),
          "secondary_aluminium": ("再生铝", "recycled aluminium", "原生铝", "primary aluminium", 3443),
          "secondary_lead": ("再生铅", "recycled lead", "原生铅", "primary lead", 659)}

DISCLOSURES: list[dict] = []


def outlet_figures(e: dict, year: int, over_chance: float = 0.07) -> tuple[list[dict], list[str], list[str]]:
    """Figures from the enterprise's outlets, and sentences about them (zh, en)."""
    figs, zh, en = [], [], []
    metals = SECTOR_METALS[e["sector"]][0]
    chosen = metals[:2] + ([metals[2]] if len(metals) > 2 and rng.random() < 0.5 else [])
    over_notes = []
    for p in chosen:
        lim = GB8978[p]
        for month in rng.sample([3, 6, 9, 12], k=2):
            over = rng.random() < over_chance
            v = sig(lim * (rng.uniform(1.1, 2.2) if over else rng.uniform(0.03, 0.55)))
            when = at_hour(date(year, month, rng.randint(5, 25)), 10)
            figs.append({"site_zh": "车间废水排放口（DW001）", "site_en": "Workshop wastewater outlet (DW001)",
                         "measured_at": iso(when), "pollutant": p, "value": v, "unit": "mg/L",
                         "standard": "GB 8978-1996"})
            if over:
                over_notes.append((p, v, when.date()))
    vals = {p: [f["value"] for f in figs if f["pollutant"] == p] for p in chosen}
    zh.append("车间废水排放口" + "，".join(f"总{POLLUTANT_ZH[p]}监测值{num(min(v))}～{num(max(v))}毫克/升" for p, v in vals.items()) + "。")
    en.append("At the workshop outlet, " + "; ".join(f"total {POLLUTANT_EN[p]} measured {num(min(v))} to {num(max(v))} mg/L" for p, v in vals.items()) + ".")
    if e["sector"] not in ("mining",) and rng.random() < 0.75:
        cod, nh = sig(rng.uniform(18, 85)), sig(rng.uniform(0.8, 9.5))
        when = at_hour(date(year, rng.choice([4, 7, 10]), rng.randint(5, 25)), 10)
        figs += [{"site_zh": "总排口（DW002）", "site_en": "Final outlet (DW002)", "measured_at": iso(when),
                  "pollutant": "COD", "value": cod, "unit": "mg/L"},
                 {"site_zh": "总排口（DW002）", "site_en": "Final outlet (DW002)", "measured_at": iso(when),
                  "pollutant": "NH3N", "value": nh, "unit": "mg/L"}]
        zh.append(f"总排口化学需氧量{num(cod)}毫克/升、氨氮{num(nh)}毫克/升，排入园区污水处理厂。")
        en.append(f"The final outlet ran at {num(cod)} mg/L COD and {num(nh)} mg/L ammonia nitrogen, into the park's treatment plant.")
    if e["sector"] in FURNACE and rng.random() < 0.8:
        when = at_hour(date(year, rng.choice([5, 8, 11]), rng.randint(5, 25)), 14)
        pm, so2 = sig(rng.uniform(2.5, 18)), sig(rng.uniform(8, 140))
        figs += [{"site_zh": "熔炼废气排放口（DA001）", "site_en": "Furnace stack (DA001)", "measured_at": iso(when),
                  "pollutant": "PM", "value": pm, "unit": "mg/m³"},
                 {"site_zh": "熔炼废气排放口（DA001）", "site_en": "Furnace stack (DA001)", "measured_at": iso(when),
                  "pollutant": "SO2", "value": so2, "unit": "mg/m³"}]
        zh.append(f"熔炼废气排放口颗粒物{num(pm)}毫克/立方米、二氧化硫{num(so2)}毫克/立方米。")
        en.append(f"The furnace stack measured {num(pm)} mg/m³ particulate matter and {num(so2)} mg/m³ sulphur dioxide.")
        if e["sector"] in ("secondary_copper", "secondary_aluminium") and rng.random() < 0.6:
            dx = sig(rng.uniform(0.02, 0.35), 2)
            figs.append({"site_zh": "熔炼废气排放口（DA001）", "site_en": "Furnace stack (DA001)",
                         "measured_at": iso(when), "pollutant": "Dioxins", "value": dx, "unit": "ng-TEQ/m³",
                         "note_zh": "年度委托监测", "note_en": "annual contracted measurement"})
            zh.append(f"二噁英年度委托监测结果为{num(dx)}纳克毒性当量/立方米。")
            en.append(f"The annual dioxin measurement gave {num(dx)} ng-TEQ/m³.")
    if over_notes:
        for p, v, d in over_notes:
            zh.append(f"{fmt_date_zh(d)}监测中，车间废水排放口总{POLLUTANT_ZH[p]}浓度{num(v)}毫克/升，超过GB 8978-1996限值（{GB8978[p]}毫克/升），"
                      f"原因为{pick(['加药泵故障导致沉淀不完全', '压滤机滤布破损', '来料含量波动、药剂投加量不足'])}；已停止外排并完成整改，复测达标。")
            en.append(f"On {fmt_date_en(d)} total {POLLUTANT_EN[p]} at the workshop outlet was {num(v)} mg/L, above the "
                      f"GB 8978-1996 limit of {GB8978[p]} mg/L; the discharge was stopped, the cause fixed and a re-test passed.")
    else:
        zh.append("全年监测中各项重金属指标均未超过GB 8978-1996限值。")
        en.append("No heavy-metal measurement during the year exceeded the GB 8978-1996 limits.")
    return figs, zh, en


def text_pollutant_emission(e, year):
    figs, fzh, fen = outlet_figures(e, year)
    fac_zh, fac_en = FACILITY[e["sector"]]
    out = e["cap"] * rng.uniform(0.55, 0.95)
    w = sig(rng.uniform(0.8, 9.0), 2)
    hw, sw = rng.randint(120, 4200), rng.randint(800, 60000)
    zh = (f"一、污染防治设施\n本公司{fac_zh}。各设施与生产设备同步运行，{year}年未发生非正常停运。\n"
          f"二、排放口与排放方式\n共设废水排放口{rng.randint(1, 2)}个、废气排放口{rng.randint(1, 4)}个，均已按规定设置标志牌。\n"
          f"三、监测结果\n" + "".join(fzh) + "\n"
          f"四、排放总量\n{year}年产量约{out:.1f}万吨，排放废水约{num(w)}万吨，化学需氧量{num(sig(w * rng.uniform(2, 6), 2))}吨，"
          f"二氧化硫{num(sig(out * rng.uniform(1.5, 8), 2))}吨，颗粒物{num(sig(out * rng.uniform(0.3, 2), 2))}吨，均在排污许可证规定的年许可排放量以内。\n"
          f"五、固体废物\n产生危险废物{hw}吨（{HW_TYPES[e['sector']]}），全部委托有资质单位处置；一般工业固体废物{sw}吨，综合利用率{rng.randint(82, 99)}%。\n"
          f"六、自行监测\n废水重金属指标每月监测一次，废气颗粒物和二氧化硫每季度监测一次，自动监测设备与生态环境部门联网。")
    en = (f"Facilities: {fac_en}. All ran with production; none had an unplanned stop in {year}. "
          + " ".join(fen) + f" Output was about {out * 10:.0f} kt; about {w * 10:.0f} thousand tonnes of "
          f"waste water were discharged, within the annual amounts of the discharge permit. {hw} t of "
          f"hazardous waste went to licensed handlers, and {sw} t of ordinary solid waste were generated. "
          "Heavy metals in waste water are measured monthly, stack particulate and SO2 quarterly; the "
          "automatic monitors report to the environment authorities.")
    return zh, en, figs


def text_basic(e, year):
    out = e["cap"] * rng.uniform(0.55, 0.95)
    zh = (f"一、企业基本信息\n{e['name_zh']}，统一社会信用代码{e['credit_code']}，生产经营场所位于{PROVINCE[e['province']][0]}"
          f"{e['city_zh'] if e['province'] not in MUNICIPALITIES else ''}{e['county_zh'] or ''}{e['park_zh'] or ''}，"
          f"行业类别为{SECTOR_ZH[e['sector']]}，{e['since']}年投产，职工约{e['staff']}人。\n"
          f"二、主要产品及产能\n{year}年主要产品为{e['products']}，设计产能{e['cap']}万吨/年，实际产量约{out:.1f}万吨；"
          f"主要原料为{e['raw']}，全年消耗约{out * rng.uniform(1.05, 1.4):.1f}万吨。\n"
          f"三、主要生产设施\n{FURNACE[e['sector']][0]}{rng.randint(1, 4)}套及配套环保设施，详见排污许可证副本。\n"
          "四、联系方式\n本报告由企业安全环保部编制，公众可通过企业门户网站留言提出意见和建议。")
    en = (f"{e['name_en']}, unified social credit code {e['credit_code']}, in the {e['park_en'] or e['city_en']}, "
          f"{PROVINCE[e['province']][1]}. Sector: {e['sector'].replace('_', ' ')}; in production since "
          f"{e['since']}, about {e['staff']} staff. In {year} it made {out * 10:.0f} kt against a design "
          f"capacity of {e['cap'] * 10} kt. The safety and environment department prepared this report; "
          "comments are welcome through the company website.")
    return zh, en, []


def text_management(e, year):
    start = date(rng.choice([2020, 2021, 2022, 2023]) if year > 2021 else 2020, rng.randint(1, 12), rng.randint(1, 28))
    start = min(start, date(year, 12, 1))
    tax = sig(rng.uniform(3, 95), 3)
    ins = rng.random() < 0.7
    rating = pick(["良好", "良好", "诚信", "一般"])
    zh = (f"一、排污许可\n排污许可证编号{e.get('permit_number') or '（登记管理，无许可证编号）'}，有效期自{fmt_date_zh(start)}起五年，"
          f"由所在地设区的市级生态环境主管部门核发；{year}年按期提交了季度和年度执行报告。\n"
          f"二、环境保护税\n{year}年度申报缴纳环境保护税{num(tax)}万元，应税污染物主要为{pick(['颗粒物、二氧化硫', '化学需氧量、重金属', '二氧化硫、氮氧化物'])}。\n"
          f"三、环境污染责任保险\n" + (f"已投保环境污染强制责任保险，保险期间为{year}年全年。" if ins else "本年度未投保环境污染责任保险，正在评估投保方案。")
          + f"\n四、环保信用评价\n最近一次企业环境信用评价结果为“{rating}”。\n"
          f"五、环境管理制度\n公司设安全环保部，配备专职环保管理人员{rng.randint(3, 12)}名，建立了环保设施运行、危险废物管理和自行监测等制度。")
    en = (f"Discharge permit {e.get('permit_number') or '(registration only, no permit number)'}, valid "
          f"for five years from {fmt_date_en(start)}; quarterly and annual compliance reports were filed "
          f"on time in {year}. Environmental protection tax paid: {tax * 10000:,.0f} yuan. "
          + ("Pollution liability insurance covered the whole year. " if ins else "No pollution liability insurance was held this year. ")
          + f"Latest environmental credit rating: {dict(良好='good', 诚信='trustworthy', 一般='fair')[rating]}.")
    return zh, en, []


def text_carbon(e, year):
    out = e["cap"] * rng.uniform(0.55, 0.95)
    co2 = sig(out * rng.uniform(0.2, 1.6), 3)
    fuel = rng.randint(35, 70)
    power, gas = rng.randrange(800, 16000, 10), rng.randrange(60, 2400, 10)
    zh = (f"一、碳排放量\n{year}年二氧化碳排放量约{num(co2)}万吨，其中化石燃料燃烧约占{fuel}%，外购电力约占{100 - fuel}%。"
          f"核算方法参照相关行业温室气体排放核算指南，数据未经第三方核查。\n"
          f"二、能源消费\n全年消耗电力约{power}万千瓦时、天然气约{gas}万立方米"
          + pick(["，未使用燃煤", f"、燃煤约{rng.randrange(500, 9000, 10)}吨", "，柴油仅用于厂内运输车辆"])
          + f"，综合能耗折标准煤约{sig(power * 1.229 + gas * 12.1, 3):g}吨。\n"
          f"三、节能降碳措施\n{pick(['完成熔炼炉蓄热式燃烧改造', '新建屋顶分布式光伏', '淘汰高耗能风机和水泵', '余热锅炉回收烟气余热'])}，"
          f"单位产品综合能耗较上年下降{rng.uniform(1.0, 6.5):.1f}%。"
          "碳排放数据由能源管理员按月统计，年底汇总核算。"
          f"下一年度计划{pick(['开展能源审计并建设能源管理中心', '扩大光伏装机规模，提高绿电使用比例', '对空压站和循环水系统实施变频改造', '试点电动装载机替代柴油车辆'])}。")
    en = (f"About {co2 * 10:.0f} kt of CO2 in {year}, {fuel}% from fuel and {100 - fuel}% from "
          "purchased electricity, estimated with the sector's accounting guidelines and not verified by a "
          "third party. Energy use per tonne fell against the year before.")
    if e["sector"] in SAVING:
        szh, sen, pzh, pen, kg = SAVING[e["sector"]]
        saved = out * 10000 * kg / 1000 / 10000
        zh += (f"\n四、资源综合利用\n按2011年《再生有色金属产业发展推进计划》的测算口径，每吨{szh}较{pzh}节约标准煤{kg}千克，"
               f"据此估算本年度节约标准煤约{saved:.1f}万吨。")
        en += (f" By the 2011 Promotion Plan's measure, each tonne of {sen} saves {kg} kg of standard coal "
               f"against {pen}: about {saved * 10:.0f} kt of standard coal this year.")
    return zh, en, []


def text_emergency(e, year):
    rev = date(year - rng.randint(0, 2), rng.randint(1, 12), rng.randint(1, 28))
    level = pick(["一般环境风险", "一般环境风险", "较大环境风险", "重大环境风险"])
    pond = rng.choice([300, 500, 800, 1200, 2000, 3500])
    zh = (f"一、应急预案\n本公司突发环境事件应急预案于{fmt_date_zh(rev)}完成修订，并报所在地生态环境主管部门备案，环境风险等级为{level}。\n"
          f"二、风险防控设施\n厂区设事故应急池{pond}立方米，雨水排口设切换阀门；重点区域地面防渗，配备围堰和收集沟。\n"
          f"三、应急演练\n{year}年组织综合演练{rng.randint(1, 2)}次、专项演练{rng.randint(2, 6)}次，演练场景包括{pick(['废水处理站泄漏', '危险废物贮存库火灾', '暴雨期间初期雨水溢流', '尾矿库漫坝'])}。\n"
          f"四、应急物资\n储备石灰{rng.randint(5, 60)}吨、絮凝剂{rng.randint(1, 10)}吨、吸附棉和应急泵等物资，并与周边企业签订应急互助协议。")
    en = (f"The emergency plan was revised on {fmt_date_en(rev)} and filed with the local environment "
          f"authority; risk level: {dict(一般环境风险='ordinary', 较大环境风险='considerable', 重大环境风险='major')[level]}. "
          f"The site has a {pond} m³ emergency pond and a shut-off valve on the storm outfall. Drills were held "
          f"during {year}; lime, flocculant, absorbent booms and pumps are kept in stock.")
    return zh, en, []


def penalties_of(eid: str, year: int) -> list[dict]:
    return [m for m in INSPECTIONS if m["_ent"]["id"] == eid and m["_day"].year == year
            and m["row"].get("penalty_yuan")]


def text_violations(e, year):
    ps = penalties_of(e["id"], year)
    if not ps:
        seen = [m for m in INSPECTIONS if m["_ent"]["id"] == e["id"] and m["_day"].year == year]
        zh = (f"{year}年度，本公司未因环境违法行为受到行政处罚，未发生被责令停产整治、按日连续处罚、限制生产或吊销排污许可证等情形；"
              "管理人员未因环境违法行为被行政拘留，公司未被追究刑事责任。\n")
        if seen:
            zh += f"本年度接受各部门监督检查{len(seen)}次：" + "；".join(
                f"{fmt_date_zh(m['_day'])}{DEPT[m['row']['publisher_id']]['name_zh']}检查，结论为"
                + {"compliant": "未发现问题", "violation": "存在违法行为", "rectification_ordered": "责令整改"}[m["_outcome"]]
                + (f"，{m['row']['follow_up_zh']}" if m["row"].get("follow_up_zh") else "")
                + f"（检查记录{m['row']['id']}）" for m in seen) + "。"
        else:
            zh += ("本年度未接受生态环境部门的现场检查。本公司委托第三方机构开展了年度环境合规评估，"
                   f"评估范围包括排污许可执行、危险废物管理和自行监测，共提出改进建议{rng.randint(2, 9)}项，均已落实。")
        zh += (f"\n本公司每季度开展一次环境合规自查，{year}年共发现并整改一般性问题{rng.randint(3, 15)}项，"
               f"主要涉及{pick(['危险废物台账记录', '排污口标志牌维护', '应急物资补充', '雨水沟清淤'])}等方面，自查问题清单和整改记录留存备查。")
        en = (f"In {year} the company received no administrative penalty for an environmental violation; it "
              "was not ordered to stop and rectify, fined daily, restricted in production or stripped of its "
              "permit, and no manager was detained or prosecuted.")
        return zh, en, []
    zh_parts, en_parts = [], []
    for m in ps:
        r = m["row"]
        dep = DEPT[r["publisher_id"]]
        zh_parts.append(f"{fmt_date_zh(m['_day'])}，{dep['name_zh']}检查发现：{r['findings_zh']}处理：{r['measures_zh']}"
                        + (f"整改情况：{r['follow_up_zh']}" if r.get("follow_up_zh") else "整改正在进行。")
                        + f"（检查记录{r['id']}）")
        en_parts.append(f"On {fmt_date_en(m['_day'])} {the(dep['name_en'])} found a violation and fined the "
                        f"company {r['penalty_yuan']:,} yuan (inspection record {r['id']}).")
    zh = (f"{year}年度，本公司受到行政处罚{len(ps)}次，情况如下：\n" + "\n".join(zh_parts)
          + "\n上述罚款均已按期缴纳。本公司已对相关责任人员进行内部问责，并将整改要求纳入年度环境管理考核，"
          "相关临时披露报告已在收到处罚决定后发布。")
    en = f"In {year} the company was penalised {len(ps)} time(s). " + " ".join(en_parts)
    return zh, en, []


def text_temp_summary(e, year, temps):
    mine = [t for t in temps if t["enterprise_id"] == e["id"] and t["period_start"][:4] == str(year)]
    if not mine:
        zh = (f"{year}年度，本公司未发生《企业环境信息依法披露管理办法》规定的需要临时披露的事项，未发布临时环境信息依法披露报告。\n"
              "本公司已建立临时披露工作机制：收到生态环境行政许可变更、行政处罚、生产状况重大变化或突发环境事件等情况后，"
              "由安全环保部在2个工作日内起草临时报告，经分管负责人审核后，于收到相关决定之日起5个工作日内在企业环境信息依法披露系统发布。"
              f"{year}年内共开展临时披露演练{rng.randint(1, 2)}次，相关岗位人员均已完成培训。")
        en = (f"In {year} nothing occurred that the disclosure rules require to be disclosed at once, and no "
              "temporary report was issued. The company will continue to report within five working days of "
              "any triggering decision.")
    else:
        zh = (f"{year}年度，本公司发布临时环境信息依法披露报告{len(mine)}份：" + "；".join(
            f"{t['published_at'][:10]}发布《{t['title_zh']}》（{t['id']}）" for t in mine) + "。\n"
            "上述报告均在企业环境信息依法披露系统和本公司门户网站同步发布，报告所涉事项的整改和后续进展已在本年度报告"
            "“生态环境违法信息”和“生态环境应急信息”部分一并说明。本公司临时披露由安全环保部起草，经分管负责人审核后，于收到相关决定或事件发生之日起5个工作日内发布。")
        en = f"In {year} the company issued {len(mine)} temporary report(s): " + "; ".join(
            f"{t['published_at'][:10]}, {t['id']}" for t in mine) + "."
    return zh, en, []


def text_other(e, year):
    audit = rng.random() < 0.6
    zh = ("一、清洁生产审核\n" + (f"本公司属于强制性清洁生产审核企业，{year}年完成新一轮审核，实施无费低费方案{rng.randint(8, 30)}项、中高费方案{rng.randint(1, 5)}项。"
                            if audit else "本公司不属于强制性清洁生产审核范围，自愿开展了清洁生产评估。")
          + f"\n二、公众沟通\n{year}年举办环保设施公众开放日{rng.randint(1, 3)}次，接待周边居民和学生约{rng.randrange(40, 400, 10)}人次；"
          f"收到周边居民意见{rng.randint(0, 6)}件，均已答复。\n"
          f"三、环境社会责任\n{pick(['参与所在园区河道巡护志愿活动', '资助周边学校开展环境教育课程', '与园区管委会共同开展废旧蓄电池规范回收宣传', '为周边村庄道路洒水降尘提供车辆'])}，"
          f"全年环保投入约{sig(rng.uniform(120, 2600), 3):g}万元，主要用于治污设施升级和运行维护。\n"
          "四、信息公开渠道\n本公司在厂区门口电子屏实时公布主要排放口自动监测数据，并在企业门户网站和企业环境信息依法披露系统同步发布年度报告。")
    en = (("The company is subject to mandatory cleaner-production audit and completed a new audit this "
           "year. " if audit else "The company is not subject to mandatory cleaner-production audit and ran a "
           "voluntary review. ") + f"It held open days at its environmental facilities in {year} and answered "
          "the comments it received from neighbours. Live data from the main outlets are shown on a "
          "screen at the gate.")
    return zh, en, []


TEXTS = {"basic_information": text_basic, "environmental_management": text_management,
         "pollutant_emission": text_pollutant_emission, "carbon_emission": text_carbon,
         "emergency_plan": text_emergency, "violations_penalties": text_violations, "other": text_other}


def temporary_reports() -> list[dict]:
    """About 20 temporary reports: penalties of 2022 on, and incidents that name the enterprise."""
    out = []
    cands = [m for m in INSPECTIONS if m["row"].get("penalty_yuan") and m["_day"] >= date(2022, 2, 8)
             and m["_func"] in ("environment", "customs", "market_regulation")]
    cands = cands[:14]
    for i, m in enumerate(cands):
        e, r = m["_ent"], m["row"]
        decision = m["_day"] + timedelta(days=rng.randint(7, 25))
        r["decided_on"] = iso(decision)  # the penalty decision the temporary report is about
        late = i in (4, 11)
        pub = add_working_days(decision, rng.randint(7, 9) if late else rng.randint(1, 5))
        dep = DEPT[r["publisher_id"]]
        b = m["_body"]
        core_zh = b.get("core_zh") or r["findings_zh"].rstrip("。")
        core_en = b.get("core_en") or r.get("findings_en", "").rstrip(".")
        zh = (f"{fmt_date_zh(decision)}，本公司收到{dep['name_zh']}作出的行政处罚决定。经查，{core_zh}。"
              f"处理决定：{r['measures_zh'].rstrip('。')}。\n"
              f"本公司对上述问题高度重视，已{pick(['成立整改专班，由分管负责人牵头', '召开专题会议，明确整改责任人和完成时限', '暂停相关工序，逐项核查原因'])}，"
              f"并将在规定期限内完成整改，整改结果将另行公开。同时，公司将举一反三，对其他生产车间和环保设施开展同类问题排查。\n"
              "根据《企业环境信息依法披露管理办法》，现予以披露。"
              + (f"\n本报告发布时间超过规定的5个工作日，原因为{pick(['内部审核流程延误', '处罚决定书送达后未及时转交环保部门'])}，本公司已完善相关制度。" if late else ""))
        en = (f"On {fmt_date_en(decision)} the company received a penalty decision from {the(dep['name_en'])}: "
              f"{core_en}. {b['measures_en']} The company has set up a rectification team and will publish the result."
              + (" This report is later than the five working days the rules allow; the internal process has been fixed." if late else ""))
        figs = []
        if m["_func"] == "environment" and r.get("pollutants"):
            p = r["pollutants"][0]
            if p in GB8978:
                figs.append({"site_zh": "车间废水排放口（DW001）", "site_en": "Workshop wastewater outlet (DW001)",
                             "measured_at": iso(at_hour(m["_day"], 10)), "pollutant": p,
                             "value": sig(GB8978[p] * rng.uniform(1.2, 2.8)), "unit": "mg/L",
                             "standard": "GB 8978-1996", "note_zh": "检查当日执法监测", "note_en": "enforcement sample on the day of inspection"})
        out.append({"enterprise_id": e["id"], "category": "violations_penalties", "report_type": "temporary",
                    "period_start": iso(decision), "period_end": iso(decision),
                    "title_zh": f"{e['name_zh']}关于收到行政处罚决定的临时环境信息披露报告",
                    "title_en": f"{e['name_en']}: temporary report on a penalty decision",
                    "text_zh": zh, "text_en": en, "figures": figs, "_pub": at_hour(pub, 17)})
    for inc in [x for x in INCIDENTS_BUILT if x.get("responsible") and x["found_at"] >= "2022"][:6]:
        eid = inc["responsible"][0]["enterprise_id"]
        e = ENT_BY_ID[eid]
        found = datetime.fromisoformat(inc["found_at"])
        pub = add_working_days(found.date(), rng.randint(2, 5))
        zh = (f"{fmt_date_zh(found.date())}，{inc['river_zh']}发生水质异常事件（事件记录{inc['id']}），本公司被列为相关企业。"
              f"事件发生后，本公司立即{pick(['停止全部生产工序', '停止涉水生产工序'])}，封堵厂区雨水排口，"
              f"将事故废水导入应急池，并配合生态环境部门开展采样监测和调查。\n"
              f"目前已采取的措施：{pick(['对废水处理站、初期雨水收集池和输送管道进行全面排查', '委托第三方机构对厂区周边土壤和河道底泥进行检测', '对受影响河段的下游群众提供临时供水支持'])}；"
              "事件原因和责任以生态环境部门的调查结论为准。\n根据《企业环境信息依法披露管理办法》，现予以临时披露，后续进展将及时更新。")
        en = (f"On {fmt_date_en(found.date())} a water-quality incident occurred on the {inc.get('river_en') or inc['river_zh']} "
              f"(incident record {inc['id']}) in which the company is named. It stopped the affected "
              "processes, sealed its storm outfall, pumped the spilled water into its emergency pond and is "
              "working with the environment authorities. The cause and responsibility are for their "
              "investigation to establish.")
        out.append({"enterprise_id": eid, "category": "temporary_disclosures", "report_type": "temporary",
                    "period_start": iso(found.date()), "period_end": iso(found.date()),
                    "title_zh": f"{e['name_zh']}关于突发环境事件的临时环境信息披露报告",
                    "title_en": f"{e['name_en']}: temporary report on an environmental incident",
                    "text_zh": zh, "text_en": en, "figures": [], "_pub": at_hour(pub, 18)})
    return out


def build_disclosures() -> list[dict]:
    temps = temporary_reports()
    for t in temps:
        t["published_at"] = iso(t["_pub"])
    temps_for_summary = []
    pool = [e for e in ENTERPRISES if e["id"] not in ("ENT-0030", "ENT-0038")]
    rng.shuffle(pool)
    key = pool[:28]
    pairs = [(e, y) for e in key for y in (2021, 2022, 2023, 2024)
             if not (e["status"] == "closed" and y >= 2023)]
    rng.shuffle(pairs)
    cats = list(CATEGORY)
    weights = [0.11, 0.13, 0.27, 0.1, 0.1, 0.11, 0.08, 0.1]
    annual = []
    seen = set()
    while len(annual) < 130:
        e, y = pairs[len(annual) % len(pairs)] if len(annual) < len(pairs) else pick(pairs)
        cat = rng.choices(cats, weights)[0]
        if (e["id"], y, cat) in seen:
            continue
        seen.add((e["id"], y, cat))
        annual.append((e, y, cat))
    # the temporary reports' ids are needed by the annual summaries: give every record its time first
    records = []
    for e, y, cat in annual:
        late = rng.random() < 0.13
        day = date(y + 1, 3, rng.randint(16, 20)) if late and rng.random() < 0.6 else (
            date(y + 1, 4, rng.randint(1, 25)) if late else date(y + 1, 3, rng.randint(1, 15)))
        records.append({"_e": e, "_y": y, "_cat": cat, "_pub": at_hour(day, rng.choice([9, 10, 15, 16, 17]))})
    for t in temps:
        records.append({"_temp": t, "_pub": t["_pub"]})
    records.sort(key=lambda r: (r["_pub"], r.get("_e", {}).get("id", ""), r.get("_cat", "")))
    seq: dict[int, int] = {}
    for r in records:
        y = r["_pub"].year
        seq[y] = seq.get(y, 0) + 1
        r["id"] = f"DIS-{y}-{seq[y]:04d}"
        if "_temp" in r:
            r["_temp"]["id"] = r["id"]
            temps_for_summary.append(r["_temp"])
    rows = []
    for r in records:
        en = with_english()
        if "_temp" in r:
            t = r["_temp"]
            row = {"id": r["id"], "publisher_id": t["enterprise_id"], "published_at": iso(r["_pub"]),
                   "sample": True, **{k: v for k, v in t.items() if not k.startswith("_") and k != "id"
                                      and k != "published_at"}}
        else:
            e, y, cat = r["_e"], r["_y"], r["_cat"]
            if cat == "temporary_disclosures":
                zh, etext, figs = text_temp_summary(e, y, temps_for_summary)
            else:
                zh, etext, figs = TEXTS[cat](e, y)
            czh, cen = CATEGORY[cat]
            row = {"id": r["id"], "publisher_id": e["id"], "published_at": iso(r["_pub"]), "sample": True,
                   "enterprise_id": e["id"], "category": cat, "report_type": "annual",
                   "period_start": f"{y}-01-01", "period_end": f"{y}-12-31",
                   "title_zh": f"{e['name_zh']}{y}年度环境信息依法披露报告：{czh}",
                   "title_en": f"{e['name_en']}: {y} annual environmental disclosure, {cen}",
                   "text_zh": zh, "text_en": etext, "figures": figs}
        if not en:
            row["title_en"] = row["text_en"] = None
            row["figures"] = [drop_none({**f, "site_en": None, "note_en": None}) for f in row["figures"]]
        rows.append(drop_none(row))
        DISCLOSURES.append(row)
    return rows


# --------------------------------------------------------------------------- disclosure duties

# Who must disclose (docs/obligations.md): designations by a department, listed companies and bond
# issuers, and sanctions beyond the fine, set on a few illustrative records only (the real
# Longjiang enterprises keep exactly what the sources say). Chosen so that /obligations shows
# every status; no random numbers are drawn here, so the rest of the set does not move.
DESIGNATED = [  # enterprise, kind, from, to
    ("ENT-0001", "key_discharger", 2022, None),
    ("ENT-0003", "key_discharger", 2022, None),
    ("ENT-0010", "key_discharger", 2022, None),
    ("ENT-0024", "key_discharger", 2022, None),
    ("ENT-0028", "key_discharger", 2022, None),
    ("ENT-0031", "key_discharger", 2023, None),
    ("ENT-0034", "cleaner_production_audit", 2022, 2024),
    ("ENT-0027", "cleaner_production_audit", 2023, 2024),
]
LISTED = ["ENT-0010", "ENT-0024", "ENT-0030"]  # ENT-0030: fined ¥99,000 in 2021, not obliged
BOND_ISSUERS = ["ENT-0018", "ENT-0033"]
SANCTIONED = {  # inspection: sanctions beyond the fine
    "INS-2022-0006": ["production_limit"],
    "INS-2024-0006": ["production_suspension"],
    "INS-2025-0006": ["daily_penalty"],
}
DUTY_NAMES = {"key_discharger": "重点排污单位名录", "cleaner_production_audit": "强制性清洁生产审核企业名单"}


def add_disclosure_duties(enterprises: list[dict], inspections: list[dict]) -> None:
    by_id = {e["id"]: e for e in enterprises}
    for eid, kind, first, last in DESIGNATED:
        e = by_id[eid]
        assert e["sample"], eid
        dep_id = CITY_EE.get(e["city_zh"]) or f"DEP-{PROVINCE[e['province']][2]}-EE"
        list_zh = DUTY_NAMES[kind]
        e.setdefault("designations", []).append(drop_none({
            "kind": kind, "from_year": first, "to_year": last, "department_id": dep_id,
            "source": {"title": f"示例：{DEPT[dep_id]['name_zh']}{first}年{list_zh}（说明用途，并非真实文件）",
                       "published_on": iso(date(first, 3, 31))},
        }))
    for eid in LISTED:
        assert by_id[eid]["sample"], eid
        by_id[eid]["listed_company"] = True
    for eid in BOND_ISSUERS:
        assert by_id[eid]["sample"], eid
        by_id[eid]["bond_issuer"] = True
    for row in inspections:
        if row["id"] in SANCTIONED:
            assert row["sample"] and row.get("penalty_yuan"), row["id"]
            row["sanctions"] = SANCTIONED[row["id"]]


# --------------------------------------------------------------------------- responses and tips

RESP_INC = [
    ("本公司对{inc}所述情况无异议，并向受影响的沿岸群众致歉。事件发生后，公司立即停止相关生产工序，封堵雨水排口，将事故废水导入应急池并委托有资质单位处置。"
     "截至{d}，已完成{act}。下一步，公司将{plan}，并定期公开整改进展。",
     "The company accepts the account in {inc} and apologises to the people along the river. It stopped the "
     "processes concerned, sealed its storm outfall and sent the spilled water for licensed treatment. By "
     "{d_en} it had {act_en}. Next it will {plan_en}, and will publish its progress."),
    ("关于{inc}，本公司需要说明：事件记录中外排水量的估算依据为事故池液位变化，本公司按管道流量计记录核算的外排量约为{n}立方米，"
     "相关计算资料已提交调查组。本公司认可事件的性质和责任认定，已按要求完成{act}。",
     "On {inc}, the company notes that the volume released was estimated from the emergency pond's level; "
     "its own pipeline flow meter puts it at about {n} cubic metres, and the figures have been given to the "
     "investigators. The company accepts the finding and has {act_en}."),
]
RESP_INC_OPEN = ("本公司注意到{inc}将本公司列为疑似来源。经自查，事发时段本公司废水处理站运行记录和自动监测数据未见异常，"
                 "相关资料已提交调查组。本公司将全力配合调查，尊重最终认定结论，并在结论公布后及时作出回应。",
                 "The company notes that {inc} names it as a suspected source. Its own check found nothing abnormal "
                 "in the treatment station's log or the automatic monitoring data for the period, and these "
                 "records have been given to the investigators. It will cooperate fully and respond once the "
                 "finding is published.")
ACTS = [("厂区雨污分流改造和初期雨水收集池扩容", "separated its storm and process drains and enlarged its first-flush pond",
         "委托第三方开展河道底泥和周边土壤检测", "commission third-party tests of the river bed and nearby soil"),
        ("废水处理站加药系统自动化改造", "automated the treatment station's dosing",
         "每月公开排口监测数据", "publish its outlet data monthly"),
        ("尾矿库排洪设施加固和截洪沟疏浚", "reinforced the tailings-pond spillway and cleared the diversion ditches",
         "在汛期前邀请周边村民代表参与安全检查", "invite village representatives to its pre-flood-season checks")]
RESP_INS = [
    ("本公司接受{dep}于{d}检查的结论。针对检查发现的问题，公司已{act}，并对相关岗位人员进行了培训和考核。",
     "The company accepts the findings of the {d_en} inspection by {dep_en}. It has {act_en} and retrained the staff concerned."),
    ("本公司认可检查发现的主要问题，但需要说明：{why}。相关说明材料已提交{dep}。整改工作已按期推进。",
     "The company accepts the main findings but notes that {why_en}. It has given {dep_en} the supporting "
     "documents, and rectification is on schedule."),
    ("感谢{dep}的检查和指导。本公司已按要求完成整改，并于整改完成后邀请周边居民代表参观整改现场，听取意见。",
     "The company thanks {dep_en} for the inspection. It has completed the work ordered and invited "
     "neighbours' representatives to see the result and give their views."),
]
WHY = [("检查当日自动监测数据缺失系通信模块故障所致，本公司已于当日报修并留有记录",
        "the missing monitoring data on the day were caused by a failed communication module, reported for repair that day"),
       ("露天存放的物料为待转运的一般工业固体废物，并非危险废物，本公司已提交第三方鉴别报告",
        "the material stored in the open was ordinary industrial waste awaiting collection, not hazardous waste, as a third-party report shows"),
       ("抽检不合格的批次为试生产产品，未对外销售", "the failed batch was trial production that was never sold")]
ACT_INS = [("更换全部破损布袋并加装压差报警装置", "replaced all torn filter bags and fitted differential-pressure alarms"),
           ("完善危险废物贮存库标识和台账", "completed the hazardous-waste store's signs and ledger"),
           ("完成雨污分流改造", "separated the storm and process drains"),
           ("修订自行监测方案并补测缺失数据", "revised its monitoring plan and made up the missing measurements")]


def build_responses(incidents: list[dict]) -> list[dict]:
    made = []
    inc_pool = [i for i in incidents if i.get("sample") and i.get("responsible")]
    chosen_inc = [i for i in inc_pool if i["status"] == "closed"][:3] + \
        [i for i in inc_pool if i["status"] == "contained"][:1] + \
        [i for i in inc_pool if i["status"] == "investigating"][:1]
    for inc in chosen_inc:
        eid = inc["responsible"][-1]["enterprise_id"]
        base = datetime.fromisoformat(inc["published_at"])
        when = base + timedelta(days=rng.randint(2, 12), hours=rng.randint(0, 6))
        a = pick(ACTS)
        fill = {"inc": f"事件记录{inc['id']}", "d": fmt_date_zh(when.date()), "d_en": fmt_date_en(when.date()),
                "act": a[0], "act_en": a[1], "plan": a[2], "plan_en": a[3], "n": rng.choice([40, 65, 90, 110])}
        fill_en = {**fill, "inc": f"incident record {inc['id']}"}
        if inc["status"] == "investigating":
            zh, en = RESP_INC_OPEN[0].format(**fill), RESP_INC_OPEN[1].format(**fill_en)
        else:
            tz, te = pick(RESP_INC)
            zh, en = tz.format(**fill), te.format(**fill_en)
        made.append((when, eid, inc["id"], zh, en))
    ins_pool = [m for m in INSPECTIONS if m["_outcome"] != "compliant"
                and m["_func"] in ("environment", "market_regulation", "customs")]
    rng.shuffle(ins_pool)
    used = set()
    for m in ins_pool:
        if len(made) >= 15:
            break
        e = m["_ent"]
        if e["id"] in used:
            continue
        used.add(e["id"])
        r = m["row"]
        dep = DEPT[r["publisher_id"]]
        when = datetime.fromisoformat(r["published_at"]) + timedelta(days=rng.randint(2, 20), hours=1)
        a, w = pick(ACT_INS), pick(WHY)
        fill = {"dep": dep["name_zh"], "dep_en": the(dep["name_en"]), "d": fmt_date_zh(m["_day"]),
                "d_en": fmt_date_en(m["_day"]), "act": a[0], "act_en": a[1], "why": w[0], "why_en": w[1]}
        tz, te = pick(RESP_INS)
        made.append((when, e["id"], r["id"], tz.format(**fill), te.format(**fill)))
    made.sort(key=lambda x: x[0])
    seq: dict[int, int] = {}
    rows = []
    for when, eid, subject, zh, en in made:
        y = when.year
        seq[y] = seq.get(y, 0) + 1
        rows.append(drop_none({"id": f"RSP-{y}-{seq[y]:04d}", "publisher_id": eid, "published_at": iso(when),
                               "sample": True, "enterprise_id": eid, "subject_id": subject,
                               "text_zh": zh, "text_en": en if with_english() else None}))
    return rows


def build_tips(incidents, inspections, disclosures) -> list[dict]:
    e = ENT_BY_ID
    tips = [
        ("pollution", None, f"最近一周每到傍晚，{e['ENT-0035']['park_zh']}附近就有刺鼻的烧塑料气味，园区外排水沟的水发黑，希望有关部门来看看。",
         f"{e['ENT-0035']['county_zh']}{e['ENT-0035']['park_zh']}附近", "33", dt(2023, 4, 18, 21, 5), "reader@example.org"),
        ("record_error", "ENT-0027", "这家企业记录里的坐标点在河对岸的山坡上，实际选矿厂在公路另一侧，大约往东一公里。",
         None, "45", dt(2023, 7, 2, 9, 40), None),
        ("pollution", None, "夜里经常有货车往村后山沟里倒黑色的渣土，下雨后沟里的水是红褐色的，流进下面的小溪。",
         f"{e['ENT-0016']['county_zh']}一处村庄后山沟", "34", dt(2023, 11, 9, 7, 15), None),
        ("record_error", "INC-2021-0002", "事件记录里的河流名称和我们当地的叫法不一样，当地人一般叫这条涌的另一个名字，建议核实。",
         None, "44", dt(2024, 1, 22, 13, 30), None),
        ("pollution", None, "河里这两天漂着不少死鱼，都是在冶炼厂下游一段，上游没有看到。",
         f"{e['ENT-0031']['county_zh']}河段", "43", dt(2024, 6, 3, 18, 20), "reader@example.org"),
        ("record_error", next(i["id"] for i in inspections[40:] if i.get("findings_en")), "这条检查记录的英文说明和中文说明看起来不是同一次检查的内容，麻烦核对一下。",
         None, None, dt(2024, 9, 12, 10, 5), None),
        ("pollution", None, "尾矿库下面那条小溪这几天变成了乳白色，下游有人用溪水浇菜。",
         f"{e['ENT-0029']['county_zh']}一处尾矿库下游", "53", dt(2024, 10, 28, 16, 45), None),
        ("record_error", next(d["id"] for d in disclosures if d["category"] == "pollutant_emission"
                               and d["period_start"] == "2023-01-01"), "这份披露报告写的是全年数据，但排放总量看起来比去年少了很多，是不是少算了几个月？",
         None, None, dt(2025, 3, 28, 20, 10), "reader@example.org"),
        ("pollution", None, "家附近的再生铅厂最近好像又开始夜间生产，早上菜叶上有一层灰，孩子最近总咳嗽。",
         f"{e['ENT-0020']['county_zh']}工业园附近", "32", dt(2025, 5, 14, 8, 0), None),
        ("record_error", "ENT-0038", "页面显示这家企业停产，但这几个月厂区每天都有车辆进出，可能已经恢复生产，建议更新状态。",
         None, "42", dt(2025, 8, 6, 11, 25), None),
    ]
    seq: dict[int, int] = {}
    rows = []
    for kind, about, text, place, prov, received, contact in tips:
        seq[received.year] = seq.get(received.year, 0) + 1
        rows.append(drop_none({"id": f"TIP-{received.year}-{seq[received.year]:04d}", "kind": kind,
                               "about_id": about, "text": text, "place": place, "province": prov,
                               "received_at": iso(received), "sample": True, "contact": contact}))
    return rows


# --------------------------------------------------------------------------- writing

ENTERPRISE_FIELDS = ["id", "publisher_id", "published_at", "first_published_by_zh",
                     "first_published_by_en", "entered_by", "sample", "sources", "name_zh", "name_en",
                     "credit_code", "sector", "province", "city_zh", "city_en", "county_zh", "county_en",
                     "park_zh", "park_en", "latitude", "longitude", "permit_number", "status",
                     "description_zh", "description_en", "listed_company", "bond_issuer",
                     "designations"]


def csv_cell(value) -> str:
    if value is None or value == []:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return ";".join(value)
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_json(name: str, rows: list[dict]) -> None:
    (HERE / name).write_text(json.dumps([drop_none(r) for r in rows], ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")


def write_ndjson(name: str, rows: list[dict]) -> None:
    (HERE / name).write_text("".join(json.dumps(drop_none(r), ensure_ascii=False) + "\n" for r in rows),
                             encoding="utf-8")


def write_csv(name: str, rows: list[dict], fields: list[str]) -> None:
    with (HERE / name).open("w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(fields)
        for r in rows:
            w.writerow([csv_cell(r.get(f)) for f in fields])


DEPT: dict[str, dict] = {}
INCIDENTS_BUILT: list[dict] = []


def distinct_times(*kinds: list[dict]) -> None:
    """Move an illustrative record published in the same minute as another a minute on, so
    that no two feed entries share an `updated` (the W3C feed validator warns when they do);
    real records keep the times their sources give."""
    rows = [r for kind in kinds for r in kind]
    taken = {r["published_at"] for r in rows if r.get("sample") is not True}
    for r in rows:
        if r.get("sample") is not True:
            continue
        moment = datetime.fromisoformat(r["published_at"])
        while iso(moment) in taken:
            moment += timedelta(minutes=1)
        r["published_at"] = iso(moment)
        taken.add(r["published_at"])


def main() -> None:
    departments = build_departments()
    DEPT.update({d["id"]: d for d in departments})
    enterprises = build_enterprises()
    incidents = build_incidents()
    INCIDENTS_BUILT.extend(incidents)
    inspections = build_inspections()
    disclosures = build_disclosures()
    responses = build_responses(incidents)
    tips = build_tips(incidents, inspections, disclosures)
    add_disclosure_duties(enterprises, inspections)
    distinct_times(departments, enterprises, incidents, inspections, disclosures, responses)
    write_json("01-departments.json", departments)
    write_csv("02-enterprises.csv", enterprises, ENTERPRISE_FIELDS)
    write_json("03-incidents.json", incidents)
    write_ndjson("04-inspections.ndjson", inspections)
    write_ndjson("05-disclosures.ndjson", disclosures)
    write_json("06-responses.json", responses)
    write_json("07-tips.json", tips)
    for name, rows in [("departments", departments), ("enterprises", enterprises), ("incidents", incidents),
                       ("inspections", inspections), ("disclosures", disclosures),
                       ("responses", responses), ("tips", tips)]:
        print(f"{name}: {len(rows)}")


if __name__ == "__main__":
    main()
