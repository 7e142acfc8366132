"""The versioned API blueprint (/api/v1) and the responses every operation documents.

Routes attach to `bp` in the modules named by portal.api.ROUTE_MODULES; a new surface (search,
say) adds a module there. The OpenAPI document is collected from `bp` when it is registered.
"""

from __future__ import annotations

from typing import Any

from flask_openapi3 import APIBlueprint, Tag
from flask_openapi3.models import OPENAPI3_REF_TEMPLATE, Schema
from pydantic import BaseModel

from portal.api.problems import PROBLEM_JSON
from portal.api.schemas import Gone, Problem


def problem_response(description: str, model: type[BaseModel] = Problem) -> dict[str, Any]:
    """An OpenAPI response whose body is problem+json."""
    ref = {"$ref": OPENAPI3_REF_TEMPLATE.format(model=model.__name__)}
    return {"description": description, "content": {PROBLEM_JSON: {"schema": ref}}}


NOT_MODIFIED: dict[str, Any] = {
    "description": "Not Modified: your copy (If-None-Match / If-Modified-Since) is current."
}

bp = APIBlueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    abp_responses={
        400: problem_response("Bad Request: each problem with the query, in a sentence."),
        414: problem_response(
            "URI Too Long: the query string is over 8,000 bytes, or the address over 8,190."
        ),
        429: problem_response("Too Many Requests: wait for Retry-After seconds."),
        503: problem_response("Service Unavailable: the database is down; retry later."),
    },
)

TAGS = {
    "records": Tag(name="records", description="Listings, records and their history."),
    "downloads": Tag(name="downloads", description="Whole filtered sets as CSV or NDJSON."),
    "about": Tag(name="about", description="The API itself, the data package and snapshots."),
}


def component(model: type[BaseModel]) -> dict[str, str]:
    """Register a model (and the models it uses) in the document; return a $ref to it."""
    schema = model.model_json_schema(ref_template=OPENAPI3_REF_TEMPLATE)
    for name, definition in schema.pop("$defs", {}).items():
        bp.components_schemas[name] = Schema(**definition)
    bp.components_schemas[model.__name__] = Schema(**schema)
    return {"$ref": OPENAPI3_REF_TEMPLATE.format(model=model.__name__)}


for _model in (Problem, Gone):
    component(_model)
