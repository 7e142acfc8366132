"""Chinese and English labels for the values of the records' enumerations."""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    # incident and enterprise status
    "reported": ("已报告", "reported"),
    "investigating": ("调查中", "investigating"),
    "contained": ("已控制", "contained"),
    "closed": ("已结束", "closed"),
    "operating": ("生产中", "operating"),
    "rectifying": ("整改中", "rectifying"),
    "suspended": ("停产", "suspended"),
    # sectors
    "mining": ("采矿", "mining"),
    "primary_smelting": ("原生冶炼", "primary smelting"),
    "secondary_copper": ("再生铜", "secondary copper"),
    "secondary_aluminium": ("再生铝", "secondary aluminium"),
    "secondary_lead": ("再生铅", "secondary lead"),
    "secondary_zinc": ("再生锌", "secondary zinc"),
    "dismantling_recycling": ("拆解回收", "dismantling and recycling"),
    "import_processing": ("进口加工", "import processing"),
    # inspections
    "routine": ("例行检查", "routine"),
    "targeted": ("专项检查", "targeted"),
    "complaint": ("投诉核查", "complaint"),
    "import_cargo": ("进口货物查验", "import cargo"),
    "compliant": ("合规", "compliant"),
    "violation": ("违法", "violation"),
    "rectification_ordered": ("责令整改", "rectification ordered"),
    # disclosures
    "basic_information": ("基本信息", "basic information"),
    "environmental_management": ("环境管理信息", "environmental management"),
    "pollutant_emission": (
        "污染物产生、治理与排放",
        "pollutant generation, treatment and emission",
    ),
    "carbon_emission": ("碳排放", "carbon emissions"),
    "emergency_plan": ("突发环境事件应急预案", "emergency plans"),
    "violations_penalties": ("生态环境违法信息", "violations and penalties"),
    "temporary_disclosures": ("临时报告", "temporary disclosures"),
    "other": ("其他信息", "other"),
    "annual": ("年度报告", "annual report"),
    "temporary": ("临时报告", "temporary report"),
    # departments
    "environment": ("生态环境", "environment"),
    "market_regulation": ("市场监管", "market regulation"),
    "customs": ("海关", "customs"),
    "industry": ("工业和信息化", "industry"),
    "financial_regulation": ("金融监管", "financial regulation"),
    "association": ("行业协会", "industry association"),
    "government": ("人民政府", "government"),
    "national": ("国家级", "national"),
    "provincial": ("省级", "provincial"),
    "municipal": ("市级", "municipal"),
    "county": ("县级", "county"),
}


def label(value: str, lang: str) -> str:
    """The label of an enumeration value in the page language (the value itself if unknown)."""
    pair = LABELS.get(value)
    if pair is None:
        return value
    return pair[1] if lang == "en" else pair[0]
