"""A Frictionless Data Package describing every download: fields, types, units, licence, sources.

The field list comes from the same public models as the downloads (portal.api.export.columns),
so the description cannot drift from the files.
"""

from __future__ import annotations

from typing import Any

from portal.api.export import Column, columns
from portal.records import KINDS, LISTED_KINDS

LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
SOURCES = [
    {
        "title": "The departments and enterprises that publish on Clearwater; each record names "
        "its publisher (publisher_id) and its own sources (sources)",
    },
    {
        "title": "Limits of GB 3838-2002, GB 5749-2006 and GB 8978-1996 behind every exceedance "
        "factor (the portal's /standards page)",
    },
]
MEDIA_TYPES = {
    "csv": "text/csv",
    "ndjson": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}
FORMATS = tuple(MEDIA_TYPES)

# Units of the fields that have one; measurements carry their own unit beside each value.
UNITS = {
    "latitude": "decimal degrees",
    "longitude": "decimal degrees",
    "penalty_yuan": "CNY (yuan)",
}
MEASUREMENTS = (
    "Measurements as JSON objects: pollutant (code), value in `unit`, the standard and class "
    "judged against, its `limit` in `limit_unit` (mg/L after converting µg/L), and "
    "exceedance_factor = value / limit (dimensionless; null when no limit is on file)."
)
FIGURES = (
    "A disclosure's figures as JSON objects: what each counts (item_zh, item_en; a pollutant "
    "code when it is one), value in `unit` (a code of data/units.csv: t, m³, MWh, t CO2e, 万元, "
    "persons, mg/L, ...), value_in_base in base_unit (万元 as CNY, kWh as MWh), the site, and for "
    "a pollutant the standard and class judged against, its `limit` in `limit_unit` and "
    "exceedance_factor = value / limit (dimensionless; null when no limit is on file or the "
    "figure is not a pollutant)."
)
NOTES = {
    "sources": "Publications the record rests on: JSON list of {title, url, published_on}.",
    "pollutants": "Pollutant codes (Cd, Pb, As, ...).",
    "readings": MEASUREMENTS,
    "figures": FIGURES,
    "responsible": "Enterprises held responsible: JSON list of {enterprise_id, role_zh, role_en}.",
    "updates": "The timeline: JSON list of {department_id, at, text_zh, text_en}.",
    "began_at": "When the incident began (UTC); empty when nobody knows yet. Listings date "
    "such an incident by found_at, or else published_at.",
    "revision": "How many revisions the record has had (1 when never corrected).",
    "updated_at": "When the record last really changed (UTC): its publication, or its last "
    "correction or withdrawal; an imported record keeps its publication time.",
    "recorded_at": "When this portal last recorded the record (UTC): the import, the load or "
    "the API request. `updated_since` reads it.",
    "entered_by": "Who entered the record here: publisher (its own clerk) or editor (compiled "
    "from the public sources it names).",
}


def _plain(prop: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """The non-null alternative of a property, with a $ref to an enum resolved."""
    options = [o for o in prop.get("anyOf", [prop]) if o.get("type") != "null"]
    option = options[0] if options else {}
    if "$ref" in option:
        option = defs[option["$ref"].rsplit("/", 1)[1]]
    return option


def field_descriptors(kind_name: str, fmt: str) -> list[dict[str, Any]]:
    """Table Schema fields of one download (CSV flattens lists; NDJSON keeps them as JSON;
    Parquet keeps lists of codes as lists and writes nested parts as JSON text)."""
    schema = KINDS[kind_name].public.model_json_schema(mode="serialization")
    defs = schema.get("$defs", {})
    out = []
    for name, how in columns(kind_name):
        option = _plain(schema["properties"][name], defs)
        field: dict[str, Any] = {"name": name}
        if how is Column.joined:
            field.update(type="list", delimiter=";", itemType="string")
            if fmt in ("ndjson", "parquet"):
                field = {"name": name, "type": "array"}
        elif how is Column.json and fmt == "parquet":
            field["type"] = "string"  # JSON text, as in the CSV
        elif how is Column.json:
            field["type"] = "object" if option.get("type") == "object" else "array"
        elif option.get("type") == "string":
            formats = {"date": "date", "date-time": "datetime"}
            field["type"] = formats.get(option.get("format", ""), "string")
            if "enum" in option:
                field["constraints"] = {"enum": option["enum"]}
        else:
            field["type"] = option.get("type", "any")
        description = (
            NOTES.get(name)
            or option.get("description")
            or prop_description(schema["properties"][name])
        )
        if name in UNITS:
            field["unit"] = UNITS[name]
            description = (
                f"{description} In {UNITS[name]}." if description else f"In {UNITS[name]}."
            )
        if description:
            field["description"] = description
        out.append(field)
    return out


def prop_description(prop: dict[str, Any]) -> str | None:
    """A property's own description, if the model gave one."""
    value = prop.get("description")
    return str(value) if value else None


def resource(kind_name: str, fmt: str) -> dict[str, Any]:
    """The Data Package resource of one download file."""
    return {
        "name": f"{kind_name}-{fmt}",
        "path": f"{kind_name}.{fmt}",
        "format": fmt,
        "mediatype": MEDIA_TYPES[fmt],
        **({} if fmt == "parquet" else {"encoding": "utf-8"}),  # Parquet is binary
        "title": f"{kind_name.capitalize()} ({fmt.upper()})",
        "description": (KINDS[kind_name].public.__doc__ or "").strip(),
        "schema": {"fields": field_descriptors(kind_name, fmt), "primaryKey": ["id"]},
    }


def package(
    extra: dict[str, Any] | None = None, formats: tuple[str, ...] = FORMATS
) -> dict[str, Any]:
    """The data package: every kind in each format, paths relative to this descriptor."""
    return {
        "name": "clearwater",
        "title": "Clearwater: records of China's recycled non-ferrous metal industry",
        "description": "Enterprises, pollution incidents, inspections, legal disclosures and the "
        "departments that publish them. Withdrawn records are left out of the default sets; "
        "every record's history is in the API.",
        "licenses": [LICENCE],
        "sources": SOURCES,
        "resources": [resource(kind, fmt) for kind in LISTED_KINDS for fmt in formats],
        **(extra or {}),
    }
