"""A Frictionless Data Package describing every download: fields, types, units, licence, sources.

The field list comes from the same public models as the downloads (portal.api.export.columns),
so the description cannot drift from the files.
"""

from __future__ import annotations

from typing import Any

from portal.api.export import NAME_COLUMNS, Column, columns
from portal.api.table import table_fields
from portal.models.incident import ReadingRow
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
    "penalties": "Penalties outside inspections (a court's fine, a customs penalty): JSON list of "
    "{enterprise_id, amount, currency, approximate, authority_zh, authority_en, department_id, "
    "decided_on, source}; amount in whole units of its ISO 4217 currency, never converted.",
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
        if name in NAME_COLUMNS:
            out.append(_name_field(name))
            continue
        prop = schema["properties"][name]
        option = _plain(prop, defs)
        field: dict[str, Any] = {"name": name}
        if how is Column.joined:
            field.update(type="list", delimiter=";", itemType="string")
            if fmt == "ndjson":
                field = {"name": name, "type": "array"}
            elif fmt == "parquet":
                # A Parquet list of strings. Table Schema's `array` means JSON arrays, and
                # frictionless reads Parquet through pandas, which gives numpy arrays that
                # neither `array` nor `list` accepts (decision 0024).
                field = {"name": name, "type": "any"}
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
            if fmt == "parquet" and field["type"] == "integer" and _nullable(prop):
                # pandas reads a Parquet integer column with gaps as floats, its gaps as NaN:
                # frictionless (through pandas) must take that NaN for the empty cell it is.
                field["missingValues"] = ["", "nan"]
        description = (
            NOTES.get(name)
            or option.get("description")
            or prop_description(schema["properties"][name])
        )
        if how is Column.joined and fmt == "parquet":
            description = f"{description or ''} A Parquet list of strings.".strip()
        if name in UNITS:
            field["unit"] = UNITS[name]
            description = (
                f"{description} In {UNITS[name]}." if description else f"In {UNITS[name]}."
            )
        if description:
            field["description"] = description
        out.append(field)
    return out


def _name_field(name: str) -> dict[str, Any]:
    """The descriptor of a name written beside a code (portal.api.export.NAMED)."""
    language = "Chinese" if name.endswith("_zh") else "English"
    named = {"province": "province's", "enterprise_id": "enterprise's"}[NAME_COLUMNS[name]]
    return {
        "name": name,
        "type": "string",
        "description": f"The {named} name in {language}, beside its {NAME_COLUMNS[name]}; "
        "empty when it has none in that language.",
    }


def _nullable(prop: dict[str, Any]) -> bool:
    """Whether a property may be null."""
    return any(o.get("type") == "null" for o in prop.get("anyOf", []))


def prop_description(prop: dict[str, Any]) -> str | None:
    """A property's own description, if the model gave one."""
    value = prop.get("description")
    return str(value) if value else None


# Ids that name a record of another kind (or the same), by kind: the column and the kind it
# names. Where the kind is one publisher (departments publish incidents, inspections,
# enterprises and departments; enterprises publish disclosures and responses), publisher_id too.
# A response's subject is an incident or an inspection: no one resource, so no key.
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "departments": (("publisher_id", "departments"), ("parent_id", "departments")),
    "enterprises": (("publisher_id", "departments"),),
    "incidents": (("publisher_id", "departments"),),
    "inspections": (("publisher_id", "departments"), ("enterprise_id", "enterprises")),
    "disclosures": (("publisher_id", "enterprises"), ("enterprise_id", "enterprises")),
    "responses": (("publisher_id", "enterprises"), ("enterprise_id", "enterprises")),
}


def foreign_keys(kind_name: str, fmt: str) -> list[dict[str, Any]]:
    """Table Schema foreignKeys of one download: each id column and the resource of the same
    format it names ("" for the resource itself)."""
    own = f"{kind_name}-{fmt}"
    return [
        {
            "fields": [column],
            "reference": {
                "resource": "" if f"{other}-{fmt}" == own else f"{other}-{fmt}",
                "fields": ["id"],
            },
        }
        for column, other in REFERENCES.get(kind_name, ())
    ]


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
        "schema": {
            "fields": field_descriptors(kind_name, fmt),
            "primaryKey": ["id"],
            "foreignKeys": foreign_keys(kind_name, fmt),
        },
    }


def readings_resource(fmt: str) -> dict[str, Any]:
    """The Data Package resource of the readings table in one format."""
    return {
        "name": f"readings-{fmt}",
        "path": f"readings.{fmt}",
        "format": fmt,
        "mediatype": MEDIA_TYPES[fmt],
        **({} if fmt == "parquet" else {"encoding": "utf-8"}),
        "title": f"Readings ({fmt.upper()})",
        "description": " ".join((ReadingRow.__doc__ or "").split()),
        "schema": {
            "fields": table_fields(ReadingRow),
            # No key of its own: a correction of an incident publishes its readings again.
            "foreignKeys": [
                {
                    "fields": ["incident_id"],
                    "reference": {"resource": f"incidents-{fmt}", "fields": ["id"]},
                }
            ],
        },
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
        "resources": [
            *(resource(kind, fmt) for kind in LISTED_KINDS for fmt in formats),
            *(readings_resource(fmt) for fmt in formats),
        ],
        **(extra or {}),
    }
