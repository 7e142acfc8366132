"""Full-text search as JSON: GET /api/v1/search, the /search page's twin."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, request
from pydantic import BaseModel, Field

from portal.api.blueprint import TAGS, bp, problem_response
from portal.api.http import base_url, json_response, link_header, query_string_problem
from portal.api.parameters import search_filter_parameters
from portal.api.problems import problem, query_problem
from portal.catalogue import words
from portal.models.common import NO_CONTROL_PATTERN, with_pattern
from portal.models.enterprise import EnterpriseStatus
from portal.models.incident import IncidentStatus
from portal.records import QueryError
from portal.records.query import bad_lang
from portal.search import (
    IndexUnavailable,
    SearchResult,
    SearchTooSlow,
    parse_search,
    service_of,
)
from portal.search.query import FILTERS, MAX_DEPTH, MAX_PAGE_SIZE, MAX_QUERY, SORTS
from portal.search.schema import SEARCHED_KINDS


class SearchHit(BaseModel):
    """One ranked record."""

    id: str
    kind: str
    title: str = Field(description="In the language asked for (`lang`), else the other.")
    title_zh: str
    title_en: str
    url: str = Field(description="The record as JSON.")
    html: str = Field(description="The record's page.")
    snippet: str = Field(description="HTML: escaped text with matched words in <mark>.")
    matched: list[str] = Field(description="Fields that matched: title, names, text.")
    score: float
    date: datetime | None


class FacetValue(BaseModel):
    """How many results have one value of a facet."""

    value: str
    count: int


class SearchPage(BaseModel):
    """A page of hits with facet counts."""

    items: list[SearchHit]
    total: int
    next: str | None
    facets: dict[str, list[FacetValue]]
    suggestion: str | None = Field(None, description="Did you mean: when nothing matched.")
    any_word: bool = Field(description="True when no record had all the words.")
    index_lag: int = Field(
        0,
        description="Changes (revisions) the search index had not taken in when it answered; "
        "0 when it is up to date. While above 0, what was most recently published, corrected "
        "or withdrawn may be missing from the hits or shown as it was (see /api/v1/status).",
    )
    notice: str | None = Field(
        None, description="While `index_lag` is above 0, a sentence saying so, in `lang`."
    )


def behind_notice(lag: int, lang: str) -> str | None:
    """The sentence said with the hits while the index is `lag` changes behind (None at 0): the
    /search page's, in the language asked."""
    if not lag:
        return None
    return words(lang).ngettext(
        "The search index is %(num)d change behind the records: what was published, corrected "
        "or withdrawn most recently may be missing here. The listings show every record.",
        "The search index is %(num)d changes behind the records: what was published, corrected "
        "or withdrawn most recently may be missing here. The listings show every record.",
        lag,
    )


def _parameters() -> list[dict[str, Any]]:
    # Words may be none (everything) but hold no control character (query_string_problem).
    text = with_pattern({"type": "string", "maxLength": MAX_QUERY}, NO_CONTROL_PATTERN)
    params: list[dict[str, Any]] = [
        {
            "name": "q",
            "in": "query",
            "required": False,
            "schema": text,
            "description": 'Words, "quoted phrases" and -exclusions, in Chinese or English.',
            "example": "cadmium Hechi",
        },
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": list(SORTS), "default": "relevance"},
        },
        {
            "name": "page",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_DEPTH, "default": 1},
            "description": f"Results go {MAX_DEPTH:,} deep: page × limit at most that (400).",
        },
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": 20},
        },
        {
            "name": "lang",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": ["zh", "en"], "default": "zh"},
        },
    ]
    params.append(
        {
            "name": "kind",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "enum": list(SEARCHED_KINDS)},
            "description": "One kind of record; `status` then takes that kind's statuses.",
        }
    )
    statuses = list(dict.fromkeys(s.value for e in (IncidentStatus, EnterpriseStatus) for s in e))
    return params + search_filter_parameters((f for f in FILTERS if f != "kind"), statuses)


def _body(result: SearchResult, lang: str, base: str) -> dict[str, Any]:
    items = []
    for hit in result.hits:
        title = (hit.title_en if lang == "en" and hit.title_en else hit.title_zh) or hit.id
        items.append(
            SearchHit(
                id=hit.id,
                kind=hit.kind,
                title=title,
                title_zh=hit.title_zh,
                title_en=hit.title_en,
                url=f"{base}/api/v1/{hit.kind}/{hit.id}",
                html=f"{base}/{hit.kind}/{hit.id}",
                snippet=hit.snippet,
                matched=hit.matched,
                score=hit.score,
                date=hit.date,
            ).model_dump(mode="json")
        )
    next_url = None
    if result.query.page < result.pages:
        args = {
            **result.query.args(),
            "page": str(result.query.page + 1),
            "limit": str(result.query.limit),
        }
        next_url = f"{base}/api/v1/search?{urlencode(args)}"
    facets = {
        name: [{"value": v, "count": c} for v, c in values]
        for name, values in result.facets.items()
    }
    return {
        "items": items,
        "total": result.total,
        "next": next_url,
        "facets": facets,
        "suggestion": result.suggestion,
        "any_word": result.any_word,
        "index_lag": result.behind,
        "notice": behind_notice(result.behind, lang),
    }


@bp.get(
    "/search",
    tags=[TAGS["records"]],
    summary="Search every record",
    description="Ranked hits across kinds in Chinese and English, with highlighted snippets, "
    "the fields that matched and facet counts. Takes the listings' filters. 503 while the "
    "index is being rebuilt.",
    responses={200: SearchPage, 503: problem_response("The search index is being rebuilt.")},
    openapi_extensions={"parameters": _parameters()},
)
def search() -> Response:
    """GET /api/v1/search."""
    refused = query_string_problem()
    if refused is not None:
        return refused
    lang = request.args.get("lang", "zh")
    if lang not in ("zh", "en"):
        return query_problem(bad_lang(), "'lang' must be zh or en.")
    try:
        query = parse_search(request.args, ignore=("lang",))
    except QueryError as exc:
        return query_problem(exc)
    try:
        result = service_of(current_app).search(query, lang=lang)
    except IndexUnavailable as exc:
        response = problem(
            503,
            f"Search is unavailable for a moment: {exc}. Retry shortly; "
            "the listings work meanwhile.",
        )
        response.headers["Retry-After"] = "30"
        return response
    except SearchTooSlow as exc:
        return query_problem(exc, exc.problems[0])
    base = base_url()
    response = json_response(_body(result, lang, base))
    rels: list[tuple[str, str, str | None]] = [
        (f"{base}/search?{urlencode(query.args())}", "alternate", "text/html")
    ]
    response.headers["Link"] = link_header(rels)
    return response
