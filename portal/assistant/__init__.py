"""The assistant: answers citizens' questions from Clearwater's records, citing each statement,
and says so plainly when the records hold nothing on it.

LangChain 1.x: a retriever over portal.search and the listings (retriever.py), a chain of
runnables (chain.py) with an offline extractive composer (compose.py) or a chat model writing
from prompts/ (llm.py), and a citation check shared by both (check.py). The names a question
gives are grounded in the database's own names (gazetteer.py, grounding.py); counting and ranking
questions go to the database (counting.py, ranking.py). Domain code: Flask appears only in web.py
(the /ask page), and
service.py (an app's assistant and question budget) takes the app as an argument.
"""

from typing import TYPE_CHECKING, Any

from portal.assistant.answer import Answer, Citation, CountResult
from portal.assistant.inputs import MAX_QUESTION, MAX_TURNS, Asked, AskRequest, BadQuestion, Turn
from portal.assistant.inputs import check as check_request

if TYPE_CHECKING:
    from portal.assistant.chain import Assistant
    from portal.assistant.retriever import RecordRetriever


def __getattr__(name: str) -> Any:
    """The chain and the retriever import LangChain (a second or more of start-up): they load
    when first used, not when the app is built."""
    if name == "Assistant":
        from portal.assistant.chain import Assistant

        return Assistant
    if name == "RecordRetriever":
        from portal.assistant.retriever import RecordRetriever

        return RecordRetriever
    raise AttributeError(f"module 'portal.assistant' has no attribute {name!r}")


__all__ = [
    "MAX_QUESTION",
    "MAX_TURNS",
    "Answer",
    "AskRequest",
    "Asked",
    "Assistant",
    "BadQuestion",
    "Citation",
    "CountResult",
    "RecordRetriever",
    "Turn",
    "check_request",
]
