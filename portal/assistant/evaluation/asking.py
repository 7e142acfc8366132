"""Questions whose answers are in a world's records: counts (each constraint named), facts that
live in fields alone, and figures stated in text. Each truth is read from the generated rows."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from portal.assistant.evaluation.names import Pair
from portal.assistant.evaluation.questions import (
    Cases,
    began,
    day_of,
    month_of,
    pollutant_names,
    province_names,
)
from portal.assistant.evaluation.world import SECTOR

OUTCOMES = {
    "rectification_ordered": ("被责令整改", "ended with an order to rectify"),
    "violation": ("发现违法", "found a violation"),
    "compliant": ("结论为合规", "found the enterprise compliant"),
}


def place_names(pair: Pair) -> list[str]:
    """A county's, park's or city's names, with and without 县, 市, County, Industrial Park."""
    zh, en = pair
    return [zh, en, zh[:2], en.split(" ")[0]]


def most_inspected(c: Cases) -> dict[str, Any]:
    """The enterprise of the world inspected most often."""
    by_count = Counter(i["enterprise_id"] for i in c.world.inspections)
    return c.world.enterprise(by_count.most_common(1)[0][0])


def counts(c: Cases) -> None:
    """Counting questions that name an enterprise, a city, a county, a park, a province, a
    pollutant, a year and an outcome."""
    w = c.world
    home, away = w.cities
    focus = most_inspected(c)
    zh, en = c.name(focus)
    c.count(
        "inspections",
        {"enterprise": focus["id"]},
        "inspections of an enterprise",
        ({"e": zh}, {"e": en}),
    )
    city_zh = c.rng.choice([home.name[0], home.core[0]])
    c.count(
        "inspections",
        {"city": home.name[0], "outcome": "violation"},
        "violations in a city",
        ({"c": city_zh}, {"c": home.name[1]}),
    )
    counties = Counter(e["county_zh"] for e in w.enterprises if "county_zh" in e)
    county = next(p for p in home.counties + away.counties if p[0] == counties.most_common(1)[0][0])
    c.count(
        "enterprises",
        {"county": county[0]},
        "enterprises in a county",
        ({"k": county[0]}, {"k": county[1]}),
    )
    parks = Counter(e["park_zh"] for e in w.enterprises if "park_zh" in e)
    park = next(city.park for city in w.cities if city.park[0] == parks.most_common(1)[0][0])
    c.count(
        "enterprises", {"park": park[0]}, "enterprises in a park", ({"p": park[0]}, {"p": park[1]})
    )
    pz, _, pe = province_names(home.province)
    c.count(
        "incidents", {"province": home.province}, "incidents in a province", ({"p": pz}, {"p": pe})
    )
    incident = c.rng.choice(w.incidents)
    code = incident["pollutants"][0]
    (qz, _, qe), (lz, le) = province_names(incident["province"]), pollutant_names(code)
    c.count(
        "incidents",
        {"province": incident["province"], "pollutant": code},
        "incidents of a pollutant in a province",
        ({"p": qz, "x": lz}, {"p": qe, "x": le}),
    )
    years = Counter(
        i["inspected_on"][:4]
        for i in w.inspections
        if w.enterprise(i["enterprise_id"])["city_zh"] == away.name[0]
    )
    year = c.rng.choice(sorted(years))
    c.count(
        "inspections",
        {"city": away.name[0], "year": year},
        "inspections in a city in a year",
        ({"c": away.name[0], "y": year}, {"c": away.name[1], "y": year}),
    )
    ordered = [i for i in w.inspections if i["outcome"] == "rectification_ordered"]
    chosen = c.rng.choice(ordered or w.inspections)
    province = w.enterprise(chosen["enterprise_id"])["province"]
    (pz, _, pe), year = province_names(province), chosen["inspected_on"][:4]
    words = OUTCOMES[chosen["outcome"]]
    c.count(
        "inspections",
        {"province": province, "outcome": chosen["outcome"], "year": year},
        "inspections with an outcome in a province in a year",
        ({"p": pz, "y": year, "o": words[0]}, {"p": pe, "y": year, "o": words[1]}),
    )


def structured(c: Cases) -> None:
    """Facts that live in fields alone: credit code, permit, county, park, province, factor."""
    w = c.world
    picks = c.rng.sample(w.enterprises, 3)
    with_county = next(e for e in [*picks, *w.enterprises] if "county_zh" in e)
    with_park = next(e for e in [*picks[::-1], *w.enterprises] if "park_zh" in e)
    asks: list[tuple[dict[str, Any], dict[str, Any], str]] = [
        (picks[0], {"text": [picks[0]["credit_code"]]}, "credit code"),
        (picks[1], {"text": [picks[1]["permit_number"]]}, "permit number"),
        (
            with_county,
            {"text": place_names((with_county["county_zh"], with_county["county_en"]))},
            "county",
        ),
        (with_park, {"text": place_names((with_park["park_zh"], with_park["park_en"]))}, "park"),
        (picks[2], {"text": province_names(picks[2]["province"])}, "province"),
    ]
    for row, fact, question in asks:
        zh, en = c.name(row)
        c.ask("structured", question, ({"e": zh}, {"e": en}), facts=[fact], cite=[row["id"]])
    incident = c.rng.choice(w.incidents)
    note = w.notes[incident["id"]]
    (mz, me), (lz, le) = month_of(began(incident)), pollutant_names(note["pollutant"])
    c.ask(
        "structured",
        "exceedance factor",
        (
            {"r": incident["river_zh"], "s": note["site"][0], "m": mz, "x": lz},
            {"r": incident["river_en"], "s": note["site"][1], "m": me, "x": le},
        ),
        facts=[{"number": note["factor"]}],
        cite=[incident["id"]],
    )


def in_text(c: Cases) -> None:
    """Figures stated in summaries, findings, descriptions and disclosures, and one question
    across languages each way."""
    w = c.world
    injected = {i.record_id for i in w.injections}
    incidents = [i for i in w.incidents if i["id"] not in injected]
    for key, question in (
        ("km", "river length affected"),
        ("households", "households without water"),
    ):
        stating = [i for i in incidents if key in w.notes[i["id"]]]
        if not stating:
            continue
        incident = c.rng.choice(stating)
        (mz, me), (lz, le) = (
            month_of(began(incident)),
            pollutant_names(w.notes[incident["id"]]["pollutant"]),
        )
        c.ask(
            "text",
            question,
            (
                {"r": incident["river_zh"], "m": mz, "x": lz},
                {"r": incident["river_en"], "m": me, "x": le},
            ),
            facts=[{"number": w.notes[incident["id"]][key]}],
            cite=[incident["id"]],
        )
    bilingual = [i for i in w.inspections if "findings_en" in i and i["id"] not in injected]
    outlets(c, c.rng.choice(bilingual), "outlets sampled", "text", ("zh", "en"))
    zh_only = next(i for i in w.inspections if w.notes[i["id"]].get("zh_only"))
    outlets(c, zh_only, "outlets sampled", "text", ("en",))  # a Chinese-only record, in English
    annual = [d for d in w.disclosures if "tonnes" in w.notes[d["id"]]]
    for key, question in (
        ("tonnes", "tonnes processed"),
        ("invest_yuan", "environmental investment"),
    ):
        disclosure = c.rng.choice(annual)
        enterprise = w.enterprise(disclosure["enterprise_id"])
        material = SECTOR[enterprise["sector"]].material
        (zh, en), year = c.name(enterprise), w.notes[disclosure["id"]]["year"]
        c.ask(
            "text",
            question,
            ({"e": zh, "y": year, "q": material[0]}, {"e": en, "y": year, "q": material[1]}),
            facts=[{"number": w.notes[disclosure["id"]][key]}],
            cite=[disclosure["id"]],
        )
    enterprise = c.rng.choice(w.enterprises)
    zh, en = c.name(enterprise)
    c.ask(
        "text",
        "design capacity",
        ({"e": zh}, {"e": en}),
        facts=[{"number": w.notes[enterprise["id"]]["capacity_t"]}],
        cite=[enterprise["id"]],
    )
    carbon = next(d for d in w.disclosures if w.notes[d["id"]].get("en_only"))
    zh, _ = c.name(w.enterprise(carbon["enterprise_id"]))
    year = w.notes[carbon["id"]]["year"]
    # The figure is in the English text alone; the question is Chinese.
    c.ask(
        "text",
        "greenhouse gases",
        ({"e": zh, "y": year}, {}),
        ("zh",),
        facts=[{"number": w.notes[carbon["id"]]["co2"]}],
        cite=[carbon["id"]],
    )


def outlets(
    c: Cases, inspection: dict[str, Any], question: str, cls: str, langs: tuple[str, ...]
) -> None:
    """How many outlets an inspection sampled (stated in its findings)."""
    zh, en = c.name(c.world.enterprise(inspection["enterprise_id"]))
    dz, de = day_of(date.fromisoformat(inspection["inspected_on"]))
    c.ask(
        cls,
        question,
        ({"e": zh, "d": dz}, {"e": en, "d": de}),
        langs,
        facts=[{"number": c.world.notes[inspection["id"]]["outlets"]}],
        cite=[inspection["id"]],
    )
