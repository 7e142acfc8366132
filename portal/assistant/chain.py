"""The answer chain, one LangChain runnable for both modes:

    read (normalise, greeting? attempt to change the rules?)
    -> rewrite (a follow-up made standalone with the history)
    -> classify (off topic? a count? a question for the records?)
    -> count with the database | retrieve -> compose -> check

Offline, `compose` quotes sentences of the retrieved passages; with a chat model it writes from
them as numbered sources. `check` is the same for both: citations are verified and an answer
left without one becomes a refusal.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import Runnable, RunnableBranch, RunnableLambda, RunnablePassthrough
from sqlmodel import Session

from portal.assistant import check, classify, compose, counting, history, llm, messages
from portal.assistant.answer import Answer
from portal.assistant.inputs import Turn
from portal.assistant.question import analyse
from portal.assistant.retriever import RecordRetriever
from portal.assistant.text import language, tidy

log = logging.getLogger(__name__)
REFUSALS = ("greeting", "injection", "off_topic")


class Assistant:
    """Answers questions from the records of one database and its search index."""

    def __init__(self, *, search: Any, engine: Any, chat_model: BaseChatModel | None = None):
        self.engine = engine
        self.chat_model = chat_model
        self.retriever = RecordRetriever(search=search, engine=engine)
        self.chain = self._build()

    @property
    def mode(self) -> str:
        """extractive (offline) or llm."""
        return "llm" if self.chat_model is not None else "extractive"

    def ask(self, question: str, history_: Sequence[Turn] = (), *, base: str = "") -> Answer:
        """Answer a checked question (see portal.assistant.inputs); `base` prefixes links."""
        result: Answer = self.chain.invoke(
            {"question": question, "history": list(history_), "base": base}
        )
        return result

    # -- steps ----------------------------------------------------------------------------
    def _read(self, state: dict[str, Any]) -> dict[str, Any]:
        text = tidy(state["question"])
        route = None
        if classify.is_injection(text):
            route = "injection"
        elif classify.is_greeting(text):
            route = "greeting"
        return {**state, "question": text, "lang": language(text), "route": route}

    def _rewrite(self, state: dict[str, Any]) -> dict[str, Any]:
        if state["route"] or not state["history"]:
            return {**state, "standalone": state["question"]}
        rewritten = None
        if self.chat_model is not None:
            try:
                rewritten = llm.rewrite(self.chat_model, state["question"], state["history"])
            except Exception:  # a model server down must not stop the answer
                log.warning("the language model could not rewrite a follow-up", exc_info=True)
        if rewritten is None:
            rewritten = history.standalone(state["question"], state["history"])
        return {**state, "standalone": rewritten}

    def _classify(self, state: dict[str, Any]) -> dict[str, Any]:
        parsed = analyse(state["standalone"])
        route = state["route"] or classify.route(parsed)
        return {**state, "parsed": parsed, "route": route}

    def _refuse(self, state: dict[str, Any], reason: str | None = None) -> Answer:
        reason = reason or state["route"]
        lang = state["lang"]
        return Answer(
            question=state["question"],
            standalone=state.get("standalone", state["question"]),
            answer=messages.refusal(
                "thanks" if classify.is_thanks(state["question"]) else reason,
                lang,
                state.get("standalone", ""),
            )
            if reason == "greeting"
            else messages.refusal(reason, lang, state.get("standalone", "")),
            citations=[],
            grounded=False,
            mode="llm" if self.chat_model is not None else "extractive",
            refusal=reason,  # type: ignore[arg-type]
            data_as_of=None,
            lang=lang,
        )

    def _count(self, state: dict[str, Any]) -> Answer:
        with Session(self.engine) as session:
            return counting.count(
                session, state["parsed"], base=state["base"], standalone=state["standalone"]
            )

    def _compose(self, state: dict[str, Any]) -> Answer:
        parsed, documents = state["parsed"], state["documents"]
        draft = compose.Draft("", [])
        mode = self.mode
        if documents and self.chat_model is not None:
            try:
                draft = llm.compose(self.chat_model, state["standalone"], parsed.lang, documents)
            except Exception:
                log.warning("the language model failed; answering from the records", exc_info=True)
                draft, mode = compose.compose(parsed, documents), "extractive"
        elif documents:
            draft = compose.compose(parsed, documents)
        text, citations, newest = check.verify(draft, state["base"], parsed.lang)
        if not citations:
            reason = "no_evidence" if parsed.domain else "off_topic"
            return self._refuse({**state, "lang": parsed.lang}, reason)
        return Answer(
            question=state["question"],
            standalone=state["standalone"],
            answer=text,
            citations=citations,
            grounded=True,
            mode=mode,  # type: ignore[arg-type]
            data_as_of=newest,
            lang=parsed.lang,
        )

    def _build(self) -> Runnable[dict[str, Any], Answer]:
        retrieve = RunnablePassthrough.assign(
            documents=itemgetter("standalone") | self.retriever
        ).with_config(run_name="retrieve")
        answer = RunnableBranch(
            (lambda s: s["route"] in REFUSALS, RunnableLambda(self._refuse, name="refuse")),
            (lambda s: s["route"] == "count", RunnableLambda(self._count, name="count")),
            retrieve | RunnableLambda(self._compose, name="compose_and_check"),
        )
        return (
            RunnableLambda(self._read, name="read")
            | RunnableLambda(self._rewrite, name="rewrite")
            | RunnableLambda(self._classify, name="classify")
            | answer
        )
