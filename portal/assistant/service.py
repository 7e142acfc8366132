"""The assistant of an app, and its rate limit: what the API route and the /ask page share.

Both take the app (and the client's address) explicitly; neither reads the request.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from limits import parse

from portal import budget
from portal.db import get_engine
from portal.search import service_of

if TYPE_CHECKING:
    from portal.assistant.chain import Assistant

log = logging.getLogger(__name__)
# A question costs what this many API requests do: with the API's 300 a minute, 20 questions a
# minute per client address (/ask and /api/v1/ask together). ASK_RATE_LIMIT sets it outright.
QUESTION_COST = 15
_LOCK = threading.Lock()


def assistant_of(app: Any) -> Assistant:
    """The app's assistant, made on first use: the chat model a test gave the app
    (ASSISTANT_CHAT_MODEL), else one for PORTAL_LLM_BASE_URL, else the offline one."""
    found: Assistant | None = app.extensions.get("assistant")
    if found is not None:
        return found
    from portal.assistant.chain import Assistant  # LangChain loads with the first question
    from portal.assistant.llm import chat_model

    with _LOCK:
        found = app.extensions.get("assistant")
        if found is None:
            model = app.config.get("ASSISTANT_CHAT_MODEL")
            settings = app.config.get("SETTINGS")
            if model is None and settings is not None and settings.llm_base_url:
                model = chat_model(settings.llm_base_url, settings.llm_model, settings.llm_api_key)
                log.info(
                    "assistant writes with %s at %s", settings.llm_model, settings.llm_base_url
                )
            found = Assistant(
                search=service_of(app),
                engine=get_engine(app.config["DATABASE_URL"]),
                chat_model=model,
            )
            app.extensions["assistant"] = found
    return found


def spend(app: Any, client: str) -> int | None:
    """Count one question against the client's budget (portal.budget); the seconds to wait when
    it is spent, None when the question may go ahead."""
    return budget.spend(app, "ask", limit_text(app), client)


def limit_text(app: Any) -> str:
    """The assistant's budget per client: ASK_RATE_LIMIT, else the API's divided by what a
    question costs."""
    explicit = app.config["ASK_RATE_LIMIT"]
    if explicit:
        return str(explicit)
    api = parse(str(app.config["API_RATE_LIMIT"]))
    amount = max(1, api.amount // QUESTION_COST)
    window = (
        api.GRANULARITY.name if api.multiples == 1 else f"{api.multiples} {api.GRANULARITY.name}"
    )
    return f"{amount} per {window}"
