"""How the API fuzzers get generated writes past the door to the logic behind it.

A generated write names a random publisher (403) and a random record (404). Steered, part of
them write as the token's own publisher, part of them as a valid record of that publisher
carrying generated text, and part of the record ids in paths become records it holds, so that
validation, conflicts, corrections and withdrawals are reached. A case generated invalid is
never steered into a valid one: only its publisher and record id change, and only when they
were valid ids already (the invalid part is elsewhere, and stays). The suite
(tests/api/test_api_schemathesis.py) and the nightly run (bench/fuzz_api.sh) steer alike.
"""

from __future__ import annotations

from typing import Any

import factories
from portal.models.common import ID_MAX, ID_RE

TEXT_FIELDS = ("name_en", "title_en", "summary_en", "findings_en", "text_en", "river_en")


def valid_body(kind: str, publisher: str) -> dict[str, Any] | None:
    """A record the publisher may publish, for generated text to ride in."""
    if kind == "enterprises":
        return factories.enterprise(publisher_id=publisher)
    if kind == "incidents":
        return factories.incident(publisher_id=publisher)
    if kind == "inspections":
        return factories.inspection("ENT-0011", publisher_id=publisher)
    if kind == "disclosures" and publisher.startswith("ENT-"):
        return factories.disclosure(publisher)
    return None


def _an_id(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= ID_MAX and bool(ID_RE.match(value))


def steer(
    case: Any, publisher: str, owned: list[str], own: int, pick: int, *, positive: bool
) -> Any:
    """With own > 0, write as the token's publisher: a valid body with generated text (own 2,
    valid cases only), or the generated body under its name; and at one of its own records."""
    kind = case.path.removeprefix("/api/v1/").split("/")[0]
    publishing = case.method.upper() == "POST" and not case.path.endswith(("/withdraw", "/ask"))
    if own and publishing and isinstance(case.body, dict):
        valid = valid_body(kind, publisher) if own == 2 and positive else None
        if valid is not None:
            generated = [v for v in case.body.values() if isinstance(v, str)]
            for name, text in zip((f for f in TEXT_FIELDS if f in valid), generated, strict=False):
                valid[name] = text
            case.body = valid
        else:
            body = dict(case.body)
            if positive or _an_id(body.get("publisher_id")):
                body["publisher_id"] = publisher
            enterprise = body.get("enterprise_id")
            if publisher.startswith("ENT-") and "enterprise_id" in body:
                body["enterprise_id"] = publisher if positive or _an_id(enterprise) else enterprise
            case.body = body
    params = case.path_parameters
    if own and owned and params and (positive or _an_id(params.get("record_id"))):
        case.path_parameters = {**params, "record_id": owned[pick % len(owned)]}
    return case
