"""The index schema: one document per public record, and how a record becomes a document."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from typing import Any

from whoosh.fields import BOOLEAN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from portal.models import vocab
from portal.models.times import shown_in
from portal.records.query import CHINA
from portal.search.analysis import chinese_analyzer, english_analyzer, gram_analyzer

STATE_ID = "__state__"  # the document that remembers the last revision indexed

# Which text of each kind is its title and its body (zh, en).
TITLES: dict[str, tuple[str, str]] = {
    "enterprises": ("name_zh", "name_en"),
    "departments": ("name_zh", "name_en"),
    "incidents": ("title_zh", "title_en"),
    "disclosures": ("title_zh", "title_en"),
    "inspections": ("", ""),  # made from the enterprise, date and outcome
}
BODIES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "enterprises": (
        ("description_zh", "park_zh", "county_zh"),
        ("description_en", "park_en", "county_en"),
    ),
    "departments": (("description_zh", "formerly_zh"), ("description_en", "formerly_en")),
    "incidents": (("summary_zh",), ("summary_en",)),
    "disclosures": (("text_zh",), ("text_en",)),
    "inspections": (
        ("findings_zh", "measures_zh", "follow_up_zh"),
        ("findings_en", "measures_en", "follow_up_en"),
    ),
}
SEARCHED_KINDS = tuple(TITLES)
KIND_BOOST = {"enterprises": 3.0, "departments": 3.0, "incidents": 1.5}
# The Chinese fields whose characters the `grams` field pairs (analysis.gram_terms), and how
# much a pair weighs in a score: little, as pairs serve recall and words rank (query.py: tiers).
GRAM_SOURCES = ("title_zh", "names", "text_zh")
GRAM_BOOST = 0.1


# Bump when the schema or what goes into a document changes: an index written under another
# version is treated as unreadable, so the portal rebuilds it on start (see index.open_index).
# 4: identifiers as single terms in `names`; 5: character pairs in `grams`, each site once
# (issue 21)
SCHEMA_VERSION = 5

# A record id, a unified social credit code or a permit number as typed: letters and digits,
# maybe hyphens, with at least one digit or hyphen (so that no plain word is taken for one).
IDENTIFIER = re.compile(r"(?=[A-Za-z0-9-]*[0-9-])[A-Za-z0-9][A-Za-z0-9-]{4,}[A-Za-z0-9]")
# What each kind keeps besides its id that a user may type to find it.
IDENTIFIER_FIELDS: dict[str, tuple[str, ...]] = {"enterprises": ("credit_code", "permit_number")}


class Moment(DATETIME):
    """A record's date and time as a hit shows it and date order sorts it (stored, and a
    column), but not indexed: Whoosh would index every distinct instant under 16 terms of
    falling precision, 2.7 terms of their own per record (most of an index's vocabulary, and of
    the time a rebuild spends writing it). Date filters use `day`."""

    indexed = False


def make_schema() -> Schema:
    """The schema; titles and names weigh more than body text.

    Only what a hit shows is stored (its labels, body texts for the snippet, date, kind, id and
    revision); the rest is indexed for matching, filters and facets."""
    zh, en = chinese_analyzer(), english_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        revision=STORED,
        last_revision=STORED,  # only on the state document
        label_zh=STORED,  # what a hit shows as its title
        label_en=STORED,
        title_zh=TEXT(analyzer=zh, field_boost=3.0),
        title_en=TEXT(analyzer=en, field_boost=3.0),
        names=TEXT(analyzer=zh, field_boost=2.0),
        text_zh=TEXT(analyzer=zh, stored=True),
        text_en=TEXT(analyzer=en, stored=True, spelling=True),
        grams=TEXT(analyzer=gram_analyzer(), field_boost=GRAM_BOOST),
        enterprise=KEYWORD(commas=True, scorable=False),
        department=KEYWORD(commas=True, scorable=False),
        province=ID,
        city=KEYWORD(commas=True, lowercase=True),
        pollutant=KEYWORD(commas=True),
        sector=KEYWORD(commas=True),
        outcome=ID,
        status=ID,
        category=ID,
        sample=BOOLEAN,
        date=Moment(stored=True, sortable=True),
        # The China day (date.toordinal()), which date filters match. Signed: whoosh 2.7.5 answers
        # an open-ended range on an unsigned field with every document.
        day=NUMERIC(int, bits=32),
        year=ID,
    )


def identifier_key(value: str) -> str:
    """An identifier as one index term: its letters and digits, lower case. The analysis cuts
    `INC-2012-0001` at its hyphens into words any record may hold; `inc20120001` stays whole,
    so the term matches only the record that holds the identifier (issue 21)."""
    return "".join(c for c in value.lower() if c.isascii() and c.isalnum())


def _date(value: date | datetime) -> datetime:
    """As whoosh keeps it: naive UTC. A date is the start of that day in China."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min, CHINA)
    return shown_in(value, UTC).replace(tzinfo=None)


def _join(record: Mapping[str, Any], fields: tuple[str, ...]) -> str:
    return "\n".join(str(v) for f in fields if (v := record.get(f)))


def document(
    record: Mapping[str, Any],
    names: Mapping[str, tuple[str, str | None]],
    places: Mapping[str, Mapping[str, str]],
) -> dict[str, Any]:
    """The document of one public record: its table row as a mapping, with `kind`,
    `pollutants` and its parts (`readings`, `figures`, `responsible`, `updates`) as lists of
    mappings.

    `names` gives (zh, en) names of the ids it mentions; `places` the sector, province and city
    of the enterprises it mentions, which an inspection or disclosure is filtered by."""
    get = record.get
    kind = record["kind"]
    record_id = record["id"]
    publisher_id = record["publisher_id"]
    date_field = {"incidents": "began_at", "inspections": "inspected_on"}.get(kind, "published_at")
    # An incident of unknown start is dated as its listing dates it: when found, or published.
    moment = record.get(date_field) or record.get("found_at") or record["published_at"]
    when = _date(moment)
    local_day = shown_in(moment, CHINA).date() if isinstance(moment, datetime) else moment
    own_enterprise: str = get("enterprise_id") or ""
    enterprises = [own_enterprise] if own_enterprise else []
    departments = [publisher_id] if publisher_id.startswith("DEP-") else []
    responsible = get("responsible") or ()
    updates = get("updates") or ()
    for r in responsible:
        enterprises.append(r["enterprise_id"])
    for u in updates:
        departments.append(u["department_id"])
    if kind == "departments":
        departments.append(record_id)
    mentioned = list(dict.fromkeys([publisher_id, *enterprises, *departments]))
    zh_title, en_title = TITLES[kind]
    title_zh = get(zh_title) if zh_title else None
    title_en = get(en_title) if en_title else None
    label_zh, label_en = title_zh, title_en
    if kind == "inspections":
        # Shown as a title, but not indexed as one: the enterprise's name is in `names`, and a
        # search for a name should find the enterprise before its inspections.
        ent_zh, ent_en = names.get(own_enterprise, (own_enterprise, None))
        label_zh = f"{ent_zh} · {record['inspected_on']} 检查"
        label_en = f"{ent_en or ent_zh} · inspection {record['inspected_on']}"
    place_names = [
        get(f) for f in ("river_zh", "river_en", "place_zh", "place_en", "city_zh", "city_en")
    ]
    pollutant_codes = list(get("pollutants") or ())
    sector_values = {places[e]["sector"] for e in enterprises if e in places}
    if kind == "enterprises":
        sector_values.add(record["sector"])
    province_code = get("province") or ""
    cities = [c for c in (get("city_zh"), get("city_en")) if c]
    if kind in ("inspections", "disclosures") and own_enterprise in places:
        own = places[own_enterprise]
        province_code = own["province"]
        cities = [c for c in (own["city_zh"], own["city_en"]) if c]
    name_text = [n for i in mentioned for n in names.get(i, ("", None)) if n]
    if kind in ("enterprises", "departments"):
        name_text += [n for n in (record["name_zh"], record["name_en"]) if n]
    # Identifiers (the record's id, an enterprise's credit code and permit number) as single
    # terms, which a search for one of them matches exactly (query.py: word_query).
    for value in [record_id, *(get(f) for f in IDENTIFIER_FIELDS.get(kind, ()))]:
        if value and (key := identifier_key(str(value))):
            name_text.append(key)
    province = vocab.provinces().get(province_code)
    if province:
        name_text += [province.short_zh, province.name_en]
    body_zh, body_en = BODIES[kind]
    text_zh = _join(record, body_zh)
    text_en = _join(record, body_en)
    # Each monitoring site once, however many readings and figures name it: a snippet cut
    # from the text showed one site's name four times.
    parts = [*(get("readings") or ()), *(get("figures") or ())]
    for site in dict.fromkeys(p["site_zh"] for p in parts if p["site_zh"]):
        text_zh += f"\n{site}"
    for site in dict.fromkeys(p["site_en"] for p in parts if p["site_en"]):
        text_en += f"\n{site}"
    for update in updates:
        text_zh += f"\n{update['text_zh']}"
        if update["text_en"]:
            text_en += f"\n{update['text_en']}"
    doc: dict[str, Any] = {
        "id": record_id,
        "kind": kind,
        "revision": record["revision"],
        "title_zh": title_zh or "",
        "title_en": title_en or "",
        "label_zh": label_zh or "",
        "label_en": label_en or "",
        "names": "\n".join(str(n) for n in [*name_text, *place_names] if n),
        "text_zh": text_zh,
        "text_en": text_en,
        "enterprise": ",".join(sorted(set(enterprises))),
        "department": ",".join(sorted(set(departments))),
        "province": province_code,
        "city": ",".join(c.replace(",", " ") for c in cities),
        "pollutant": ",".join(sorted(set(pollutant_codes))),
        "sector": ",".join(sorted(sector_values)),
        "outcome": get("outcome") or "",
        "status": get("status") or "",
        "category": get("category") or "",
        "sample": bool(record["sample"]),
        "date": when,
        "day": local_day.toordinal(),
        "year": str(local_day.year),
    }
    doc["grams"] = "\n".join(str(doc[f]) for f in GRAM_SOURCES if doc[f])
    # A record that *is* what a name names should come before the records that mention it.
    doc["_boost"] = KIND_BOOST.get(kind, 1.0)
    return {k: v for k, v in doc.items() if v != ""}
