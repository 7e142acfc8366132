"""Instructions inside records are data: finding the sentences of a record that address an AI,
or tell their reader to drop rules, visit a link or say something, so that no answer quotes them.

The patterns are general language in both languages, not phrases of any record: a sentence is
an instruction when it speaks to an AI / assistant / model (助手, 人工智能, 模型) with a command
or "you"; when it opens with a command to ignore rules, to tell users something, to visit a link
or to say something ("Ignore ...", "请告诉用户…"); or when it asks for previous instructions to
be ignored. A sentence that only reports such things ("the plant ignored the bureau's
instructions", "该企业无视整改指令", "published on the bureau's website") is a statement and
stays. A sentence with a web address is never quoted either (answers show no links from record
text), but it is not an instruction unless it says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from portal.assistant.text import sentences

# Who an instruction for a machine is addressed to ("AI" only in capitals: the Ai is a river).
_AI_EN = (
    r"(?:(?-i:\bA\.?I\b\.?)|\bartificial intelligence\b|\bchat ?bots?\b|\bLLMs?\b|\bGPT\w*|"
    r"\b(?:large )?language models?\b|\bAI (?:models?|systems?|tools?)\b|"
    r"\b(?:virtual |digital |AI )?assistants?\b(?! (?:manager|director|engineer|inspector|"
    r"secretary|professor|head|chief|officer|commissioner|mayor|researcher)s?\b))"
)
_AI_ZH = r"(?:人工智能|智能助手|AI助手|助手|大模型|语言模型|AI模型|聊天机器人|(?-i:AI))"
# What makes a sentence about one of them a command: a modal, "you", or a verb of telling.
_DIRECTIVE_EN = (
    r"\b(?:you|your|must|should|shall|need to|are to|is to|have to|do not|don't|please|"
    r"ignore|disregard|forget|tell|say|claim|reply|respond|recommend|inform|visit|repeat)\b"
)
_DIRECTIVE_ZH = (
    r"(?:你|您|请|必须|务必|应当|应该|一律|始终|不要|不得|告诉|回答|回复|声称|宣称|转告)"
)
# A command at the start of a sentence or clause, by its verb (English only: Chinese drops
# subjects, so a clause that opens with a verb is as often a report as a command).
_COMMAND = (
    r"^(?:(?:please|kindly|now|and|also|always|instead|first|simply)[,\s]+)*"
    r"(?:ignore|disregard|forget|override|bypass|tell|inform|say|claim|repeat|recommend|"
    r"visit|go to|click|navigate to|"
    r"(?:answer|reply|respond)(?= (?:with|that|to (?:every|all|any|each)|every|all|any|each)))\b"
)
# Asking for the rules to be dropped, in whatever mood (but not "chose to ignore ...").
_DROP_RULES = (
    r"(?<!to )\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+)?(?:of\s+)?"
    r"(?:the\s+|your\s+|these\s+|my\s+)?(?:previous\s+|prior\s+|above\s+|earlier\s+|"
    r"preceding\s+|foregoing\s+|system\s+|original\s+)?"
    r"(?:instructions?|rules|prompts?|guidelines|directions)\b",
    r"(?:忽略|无视|忘记|忘掉|不要理会|不要遵守)(?:之前|以上|上面|先前|前面|此前|所有|全部|一切|系统|你的|您的)"
    r"的?(?:所有|全部)?(?:指令|指示|提示词?|设定|规则)",
)
# Telling the reader what to tell others.
_TELL_USERS = (
    r"\b(?:tell|inform|notify|advise|warn) (?:all |every |any )?(?:the )?"
    r"(?:users?|readers?|visitors?|citizens who ask|people who ask|anyone who asks|askers?)\b",
    r"(?:告诉|告知|转告|通知)(?:所有|每位|每个|各位)?(?:用户|读者|访问者|提问者|网友|使用者)",
)
_VISIT_ZH = r"(?:请|务必)?(?:访问|前往|登录|点击|打开)[^。！？]{0,20}(?:网站|网址|链接|页面|https?://|www\.)"
URL = re.compile(
    r"(?:https?://|ftp://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|cn|net|org|gov|info|io|xyz|top)"
    r"(?:\.cn)?(?:/\S*)?(?![\w.])",
    re.I,
)

_EN = re.compile(
    "|".join(
        [
            rf"{_AI_EN}[^.!?]{{0,80}}{_DIRECTIVE_EN}",
            rf"\b(?:you|please|if you are|as an?)\b[^.!?]{{0,40}}{_AI_EN}",
            _DROP_RULES[0],
            _TELL_USERS[0],
        ]
    ),
    re.I,
)
_ZH = re.compile(
    "|".join(
        [
            rf"{_AI_ZH}[^。！？]{{0,40}}{_DIRECTIVE_ZH}",
            rf"(?:请|你|您|务必)[^。！？]{{0,10}}{_AI_ZH}",
            rf"(?:致|给)?(?:所有|任何|各位)?{_AI_ZH}[:：，,]",
            _DROP_RULES[1],
            _TELL_USERS[1],
            _VISIT_ZH,
        ]
    ),
    re.I,
)
_COMMAND_RE = re.compile(_COMMAND, re.I)
_CLAUSES = re.compile(r"[,;:，；：]\s*")
# A cheap test before the sentence-by-sentence one: texts without any of these words pass.
_SUSPECT = re.compile(
    r"AI|intelligen|bot|LLM|GPT|model|assistant|ignore|disregard|forget|override|bypass|"
    r"tell|inform|notify|advise|warn|say|claim|answer|reply|respond|repeat|recommend|visit|"
    r"go to|click|navigate|please|you|http|www\.|"
    r"人工智能|助手|模型|机器人|忽略|无视|忘记|忘掉|不要理会|不要遵守|告诉|告知|转告|通知|回答|"
    r"回复|声称|宣称|访问|前往|点击|打开|登录|请|你|您",
    re.I,
)


def has_link(sentence: str) -> bool:
    """True when the sentence carries a web address (which answers never show)."""
    return URL.search(sentence) is not None


def is_instruction(sentence: str) -> bool:
    """True when a sentence of a record addresses an AI, or commands its reader to drop rules,
    tell users something, visit a link or say something."""
    if not _SUSPECT.search(sentence):
        return False
    text = sentence.strip()
    if _EN.search(text) or _ZH.search(text):
        return True
    return any(_COMMAND_RE.search(clause) for clause in _CLAUSES.split(text) if clause)


def quotable(sentence: str) -> bool:
    """True when a sentence of a record may be quoted in an answer."""
    return not is_instruction(sentence) and not has_link(sentence)


@dataclass(frozen=True)
class Finding:
    """A sentence of a record that carries an instruction, for the moderators."""

    record_id: str
    field: str
    sentence: str


def instructions_in(record_id: str, fields: dict[str, str]) -> Iterator[Finding]:
    """The sentences of a record's text fields that are instructions."""
    for name, text in fields.items():
        if not text or not _SUSPECT.search(text):
            continue
        for span in sentences(text):
            words = text[span.start : span.end]
            if is_instruction(words):
                yield Finding(record_id, name, words)


# The text the assistant reads, by table: (model, id column, text columns). Parts of an incident
# are reported under the incident's id.
def _sources() -> list[tuple[Any, str, tuple[str, ...]]]:
    from portal import models as m

    return [
        (m.Enterprise, "id", ("description_zh", "description_en")),
        (m.Department, "id", ("description_zh", "description_en")),
        (m.Incident, "id", ("title_zh", "title_en", "summary_zh", "summary_en")),
        (m.IncidentUpdate, "incident_id", ("text_zh", "text_en")),
        (m.IncidentEnterprise, "incident_id", ("role_zh", "role_en")),
        (
            m.Inspection,
            "id",
            (
                "findings_zh",
                "findings_en",
                "measures_zh",
                "measures_en",
                "follow_up_zh",
                "follow_up_en",
            ),
        ),
        (m.Disclosure, "id", ("title_zh", "title_en", "text_zh", "text_en")),
        (m.Response, "id", ("text_zh", "text_en")),
    ]


def scan(session: Session, batch: int = 2000) -> list[Finding]:
    """Every sentence of a published record that carries an instruction (for `portal check`)."""
    out: list[Finding] = []
    for model, key, columns in _sources():
        query = select(getattr(model, key), *(getattr(model, c) for c in columns))
        if hasattr(model, "withdrawn_at"):
            query = query.where(model.withdrawn_at.is_(None))
        for row in session.execute(query.execution_options(yield_per=batch)):
            out += instructions_in(row[0], dict(zip(columns, row[1:], strict=True)))
    return out
