"""What the assistant says when it does not answer from the records, in Chinese and English."""

from __future__ import annotations

from urllib.parse import quote

EXAMPLES = {
    "zh": "例如：“龙江镉污染事件的责任企业是哪些？”或“2023年广西有多少次检查发现违法？”",
    "en": 'For example: "Which enterprises were held responsible for the Longjiang cadmium '
    'spill?" or "How many inspections in Guangxi found violations in 2023?"',
}

TEXTS = {
    "greeting": {
        "zh": "你好！我根据清水平台公开的记录回答问题：再生有色金属行业的污染事件、检查、企业、"
        "信息披露和发布它们的部门。每句回答都注明出处。",
        "en": "Hello! I answer from the records Clearwater publishes: pollution incidents, "
        "inspections, enterprises and disclosures of the recycled-metal industry, and the "
        "departments behind them. Every statement cites its record.",
    },
    "thanks": {
        "zh": "不客气！还有关于记录的问题，随时可以问我。",
        "en": "You're welcome. Ask me anything else about the records.",
    },
    "off_topic": {
        "zh": "这个问题不在清水平台记录的范围内。我只能回答有关再生有色金属行业的污染事件、检查、"
        "企业和信息披露的问题。",
        "en": "That is outside what Clearwater's records cover. I can only answer questions "
        "about pollution incidents, inspections, enterprises and disclosures of the "
        "recycled-metal industry.",
    },
    "injection": {
        "zh": "我只依据清水平台的记录回答问题，这一规则不能更改。请直接提出关于记录的问题。",
        "en": "I answer only from Clearwater's records, and that rule does not change. Ask me "
        "about the records instead.",
    },
    "no_evidence": {
        "zh": "我在记录中没有找到与此相关的内容。",
        "en": "I found nothing on that in the records.",
    },
    # The two below are completed by portal.assistant.refusals with the names and conditions.
    "unknown_name": {
        "zh": "记录中没有{names}：平台公开的企业、部门、地点和河流中都没有这个名称。"
        "请核对名称的写法，或在列表中查找。",
        "en": "The records hold nothing named {names}: no enterprise, department, place or river "
        "of the portal has that name. Check how it is written, or look it up in the listings.",
    },
    "cannot_filter": {
        "zh": "无法给出准确数字：列表不能按{conditions}筛选{kind}，"
        "去掉这些条件的总数不是所问的数字。可以按其余条件查看列表：{link}",
        "en": "I can't give that number: the listings cannot select {kind} by {conditions}, and "
        "a total without it would not be the number asked for. The listing with the other "
        "conditions: {link}",
    },
}

ONLY_IN = {
    ("en", "zh"): "(This record is only in Chinese.)",
    ("zh", "en"): "（该记录只有英文。）",
}

KIND_UNITS = {
    "inspections": ("次检查", "inspection", "inspections"),
    "incidents": ("起污染事件", "incident", "incidents"),
    "enterprises": ("家企业", "enterprise", "enterprises"),
    "disclosures": ("份信息披露", "disclosure", "disclosures"),
    "departments": ("个部门", "department", "departments"),
}


def refusal(reason: str, lang: str, question: str = "") -> str:
    """The sentence for a refusal, with a way forward."""
    text = TEXTS[reason][lang]
    if reason == "no_evidence" and question:
        link = f"/search?q={quote(question[:200])}&lang={lang}"
        text += (
            f" 可以试试全文检索：{link}" if lang == "zh" else f" You could try the search: {link}"
        )
    if reason in ("greeting", "off_topic", "injection"):
        text += " " + EXAMPLES[lang] if lang == "en" else EXAMPLES[lang]
    return text


def count_sentence(kind: str, total: int, described: list[str], lang: str) -> str:
    """ "There are 3 inspections ..." for a count, with the filters in words."""
    zh_unit, one, many = KIND_UNITS[kind]
    if lang == "zh":
        where = "；".join(described) if described else "不限条件"
        return f"记录中共有 {total} {zh_unit}符合条件（{where}）。"
    where = "; ".join(described) if described else "no filter"
    noun = one if total == 1 else many
    verb = "is" if total == 1 else "are"
    return f"There {verb} {total:,} {noun} in the records matching {where}."


def listing_sentence(url: str, lang: str) -> str:
    """Where to see the records counted."""
    if lang == "zh":
        return f"列表（可核对这一数字）：{url}"
    return f"The listing that reproduces this count: {url}"


def examples_sentence(lang: str) -> str:
    """Introduces the newest records of a count."""
    return "其中最新的几条：" if lang == "zh" else "The newest of them:"
