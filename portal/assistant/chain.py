"""The answer chain, one LangChain runnable for both modes:

    read (normalise, greeting? attempt to change the rules?)
    -> rewrite (a follow-up made standalone with the history)
    -> classify (names grounded in the records' own names; a name no record holds? off topic?
       a count? a ranking? a question for the records?)
    -> count or rank with the database | retrieve -> keep what belongs to the names -> compose
       -> check

Offline, `compose` quotes sentences of the retrieved passages; with a chat model it writes from
them as numbered sources. `check` is the same for both: citations are verified and an answer
left without one becomes a refusal.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from operator import itemgetter
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import Runnable, RunnableBranch, RunnableLambda, RunnablePassthrough
from sqlmodel import Session

from portal import records
from portal.assistant import (
    check,
    classify,
    compose,
    counting,
    history,
    llm,
    messages,
    ranking,
    refusals,
)
from portal.assistant.answer import Answer
from portal.assistant.folding import fold
from portal.assistant.gazetteer import Gazetteer, gazetteer_for
from portal.assistant.inputs import Turn
from portal.assistant.question import Question, analyse
from portal.assistant.retriever import RecordRetriever
from portal.assistant.scope import belonging
from portal.assistant.text import language, tidy
from portal.search import SearchQuery

log = logging.getLogger(__name__)
REFUSALS = ("greeting", "injection", "off_topic")
IN_TEXT_HITS = 5  # records read to see whether a name is in the records' text


def _text_of(record: Any) -> str:
    """Every text a record's public form holds, its parts' included."""
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False)


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
            rewritten = history.standalone(state["question"], state["history"], self.gazetteer())
        return {**state, "standalone": rewritten}

    def gazetteer(self) -> Gazetteer:
        """The names of this database (rebuilt when its data version moves)."""
        return gazetteer_for(self.engine)

    def _classify(self, state: dict[str, Any]) -> dict[str, Any]:
        if state["route"]:
            return {**state, "parsed": analyse(state["standalone"])}
        parsed = analyse(state["standalone"], self.gazetteer())
        if classify.aside(parsed):  # a poem about Paris is off topic, not about an unknown name
            return {**state, "parsed": parsed, "route": "off_topic"}
        unknown = self._unknown(parsed)
        if unknown:
            return {**state, "parsed": parsed, "route": "unknown_name", "unknown": unknown}
        route = classify.route(parsed)
        if route in ("count", "retrieve") and ranking.ranks(parsed):
            route = "rank"
        # The records' spellings of the names from here on (a typo, pinyin, traditional form).
        return {**state, "parsed": parsed, "route": route, "standalone": parsed.text}

    def _unknown(self, parsed: Question) -> list[str]:
        """The names of the question no record holds: record ids, and phrases shaped like names
        that link to no name and occur in no record's text either."""
        out = []
        if parsed.ids:
            with Session(self.engine) as session:
                found = set(records.get_records(session, parsed.ids))
            out += [rid for rid in parsed.ids if rid not in found]
        for phrase in parsed.unknown:
            # The core alone may be no word the search knows (处置原 of 处置原矿, "a name ending
            # in 矿"): the phrase as written is tried too, and found when a record holds it.
            forms = dict.fromkeys((phrase.core, phrase.surface))
            if not any(self._in_text(w, parsed.lang) for w in forms):
                out.append(phrase.surface)
        return out

    def _in_text(self, words: str, lang: str) -> bool:
        """True when some record's text holds the words as written (a place a summary names):
        the search finds candidates, and the record itself must contain the words, since the
        search also matches their parts (淇杼再生资源 by 再生资源)."""
        try:
            result = self.retriever.search.search(
                SearchQuery(text=words, limit=IN_TEXT_HITS), lang=lang, with_facets=False
            )
        except Exception:  # no index yet: do not call a name unknown without looking
            log.warning("the search index could not check a name", exc_info=True)
            return True
        if not result.hits:
            return False
        with Session(self.engine) as session:
            found = records.get_records(session, [hit.id for hit in result.hits])
        wanted = fold(words)
        return any(wanted in fold(_text_of(record)) for record in found.values())

    def _unknown_name(self, state: dict[str, Any]) -> Answer:
        lang = state["parsed"].lang
        return Answer(
            question=state["question"],
            standalone=state["standalone"],
            answer=refusals.unknown_name(state["unknown"], lang),
            citations=[],
            grounded=False,
            mode=self.mode,  # type: ignore[arg-type]
            refusal="unknown_name",
            data_as_of=None,
            lang=lang,
        )

    def _rank(self, state: dict[str, Any]) -> Answer:
        with Session(self.engine) as session:
            return ranking.rank(
                session, state["parsed"], base=state["base"], standalone=state["standalone"]
            )

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
        with Session(self.engine) as session:  # only passages of what the question named
            keep = belonging(session, parsed, (d.metadata["id"] for d in documents))
        if keep is not None:
            documents = [d for d in documents if d.metadata["id"] in keep]
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
            (
                lambda s: s["route"] == "unknown_name",
                RunnableLambda(self._unknown_name, name="unknown_name"),
            ),
            (lambda s: s["route"] == "count", RunnableLambda(self._count, name="count")),
            (lambda s: s["route"] == "rank", RunnableLambda(self._rank, name="rank")),
            retrieve | RunnableLambda(self._compose, name="compose_and_check"),
        )
        return (
            RunnableLambda(self._read, name="read")
            | RunnableLambda(self._rewrite, name="rewrite")
            | RunnableLambda(self._classify, name="classify")
            | answer
        )
