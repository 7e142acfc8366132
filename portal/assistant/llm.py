"""The language-model mode: prompt templates from prompts/, a chat model through langchain-openai
(any OpenAI-compatible server: Ollama, vLLM, llama.cpp), numbered sources in, [n] markers out.

Record text reaches the model only inside the numbered sources block, with the characters that
could pass for our own markers or delimiters neutralised; the rules live in the system message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate

from portal.assistant.compose import Draft, Source
from portal.assistant.inputs import MAX_QUESTION, Turn
from portal.assistant.supported import source_text
from portal.assistant.timing import asks_now_or_later
from portal.layout import PROMPTS_DIR

NO_ANSWER = "NO_ANSWER"
MAX_SOURCES = 8
HISTORY_TURNS = 6
LANGUAGES = {"zh": "Simplified Chinese", "en": "English"}


class PromptError(RuntimeError):
    """A prompt template is missing or malformed."""


def prompt_file(step: str, folder: Path = PROMPTS_DIR) -> Path:
    """The newest version of a step's template: <step>.v<N>.txt with the highest N."""
    versions = []
    for path in folder.glob(f"{step}.v*.txt"):
        match = re.fullmatch(rf"{re.escape(step)}\.v(\d+)\.txt", path.name)
        if match:
            versions.append((int(match.group(1)), path))
    if not versions:
        raise PromptError(f"no prompt template for the step {step!r} in {folder}")
    return max(versions)[1]


@lru_cache(maxsize=16)
def load_prompt(step: str, folder: Path = PROMPTS_DIR) -> ChatPromptTemplate:
    """A step's template as a chat prompt: its [system] and [user] sections."""
    path = prompt_file(step, folder)
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("#"):
            continue
        if line.strip() in ("[system]", "[user]"):
            current = sections.setdefault(line.strip()[1:-1], [])
            continue
        if current is not None:
            current.append(line)
    if set(sections) != {"system", "user"}:
        raise PromptError(f"{path.name} needs a [system] and a [user] section")
    return ChatPromptTemplate.from_messages(
        [("system", "\n".join(sections["system"]).strip()), ("human", "\n".join(sections["user"]))]
    )


def chat_model(base_url: str, model: str, api_key: str = "", timeout: float = 60) -> Any:
    """A ChatOpenAI client for an OpenAI-compatible server (imported only in this mode)."""
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    return ChatOpenAI(
        base_url=base_url,
        model=model,
        api_key=SecretStr(api_key or "not-needed"),  # local servers ignore it; the client wants one
        temperature=0,
        timeout=timeout,
        max_retries=1,
    )


def _data(text: str) -> str:
    """Record text as data: nothing in it can pass for a source marker or our delimiters."""
    return text.replace("[", "(").replace("]", ")").replace("<<<", "‹‹‹").replace(">>>", "›››")


def sources_block(documents: Sequence[Document]) -> str:
    """The numbered sources a model answers from: each as the check reads it (source_text)."""
    parts = []
    for i, doc in enumerate(documents, 1):
        head, _, body = source_text(doc).partition("\n")
        parts.append(f"[{i}] {_data(head)}\n<<<\n{_data(body)}\n>>>")
    return "\n\n".join(parts)


def compose(model: BaseChatModel, question: str, lang: str, documents: list[Document]) -> Draft:
    """Ask the model for an answer from the numbered sources; NO_ANSWER is an empty draft."""
    documents = documents[:MAX_SOURCES]
    chain = load_prompt("answer") | model | StrOutputParser()
    text = chain.invoke(
        {"question": question, "sources": sources_block(documents), "language": LANGUAGES[lang]}
    ).strip()
    text = re.sub(r"[【［](\d{1,3})[】］]", r"[\1]", text)  # 【1】, as Chinese text may write it
    if not text or text.startswith(NO_ANSWER):
        return Draft("", [])
    names = frozenset(n for doc in documents for n in doc.metadata.get("names", []))
    return Draft(
        text,
        [Source(doc, doc.page_content) for doc in documents],
        now_or_later=asks_now_or_later(question),
        written=True,
        names=names,
    )


def rewrite(model: BaseChatModel, question: str, history: Sequence[Turn]) -> str | None:
    """The model's standalone form of a follow-up; None when it gave nothing usable."""
    turns = list(history)[-HISTORY_TURNS:]
    lines = [f"{t.role}: {t.content[:1000]}" for t in turns]
    chain = load_prompt("rewrite") | model | StrOutputParser()
    text = chain.invoke({"history": "\n".join(lines), "question": question}).strip()
    text = text.splitlines()[0].strip().strip('"“”') if text else ""
    if not text or len(text) > MAX_QUESTION or text.startswith(NO_ANSWER):
        return None
    return text
