"""Questions answered by an order over the whole set: the largest fine in a city (single and in
all), the latest incident on a river, and "is it safe now?" (the latest dated evidence, and a
word that the records cannot tell the present)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from portal.assistant.evaluation.asking import most_inspected
from portal.assistant.evaluation.names import Pair
from portal.assistant.evaluation.questions import CAVEAT, Cases, began, names_of


def rivals(dates: list[date], top: date) -> list[dict[str, Any]]:
    """The other dates, each of which the true one must come before."""
    return [{"date": d.isoformat()} for d in dates if d != top]


def latest_inspection(c: Cases, enterprise: dict[str, Any]) -> dict[str, Any]:
    """The date of an enterprise's latest inspection, before its others: a fact."""
    theirs = [i for i in c.world.inspections if i["enterprise_id"] == enterprise["id"]]
    last = max(theirs, key=lambda i: i["inspected_on"])
    days = [date.fromisoformat(i["inspected_on"]) for i in theirs]
    return {
        "id": last["id"],
        "fact": {"date": last["inspected_on"], "rivals": rivals(days, max(days))},
    }


def superlatives(c: Cases) -> None:
    """The largest fine in a city (and the most in fines all told), and the latest incident on a
    river, over the whole set."""
    w = c.world
    home = w.cities[0]
    fined = [
        i
        for i in w.inspections
        if "penalty_yuan" in i and w.enterprise(i["enterprise_id"])["city_zh"] == home.name[0]
    ]
    top = max(fined, key=lambda i: i["penalty_yuan"])
    winner = w.enterprise(top["enterprise_id"])
    others = sorted({i["enterprise_id"] for i in fined} - {winner["id"]})
    totals: Counter[str] = Counter()
    for i in fined:
        totals[i["enterprise_id"]] += i["penalty_yuan"]
    # When another enterprise has more fines all told, the question says which "most" it means.
    plain = totals.most_common(1)[0][0] == winner["id"]
    city = c.rng.choice([home.name[0], home.core[0]])
    listing = {"kind": "inspections", "filters": {"city": home.name[0]}}
    c.ask(
        "superlative",
        "largest fine" if plain else "single largest fine",
        ({"c": city}, {"c": home.name[1]}),
        facts=[
            {
                "text": names_of(winner),
                "rivals": [{"text": names_of(w.enterprise(e))} for e in others],
            },
            {"number": top["penalty_yuan"]},
        ],
        cite=[top["id"], winner["id"]],
        top={**listing, "order": "penalty", "id": top["id"]},
    )
    ranked = totals.most_common()
    if len(ranked) > 1 and ranked[0][1] > ranked[1][1]:  # a ranking by a sum, without a tie
        most = w.enterprise(ranked[0][0])
        c.ask(
            "superlative",
            "most fined in total",
            ({"c": city}, {"c": home.name[1]}),
            facts=[
                {
                    "text": names_of(most),
                    "rivals": [{"text": names_of(w.enterprise(e))} for e, _ in ranked[1:]],
                },
                {"number": ranked[0][1], "computed": "the sum of its fines"},
            ],
            cite=[most["id"], *(i["id"] for i in fined if i["enterprise_id"] == most["id"])],
            top={**listing, "order": "total", "id": most["id"]},
        )
    river, latest, dates = latest_on(c, 0)
    c.ask(
        "superlative",
        "latest incident on a river",
        ({"r": river[0]}, {"r": river[1]}),
        facts=[{"date": began(latest).isoformat(), "rivals": rivals(dates, began(latest))}],
        cite=[latest["id"]],
        top={
            "kind": "incidents",
            "filters": {"river": river[0]},
            "order": "newest",
            "id": latest["id"],
        },
    )


def latest_on(c: Cases, index: int) -> tuple[Pair, dict[str, Any], list[date]]:
    """A river, its latest incident, and the days all its incidents began."""
    river = c.world.rivers[index]
    on = [i for i in c.world.incidents if i["river_zh"] == river[0]]
    return river, max(on, key=began), [began(i) for i in on]


def time_honesty(c: Cases) -> None:
    """Is a river's water safe now, is an enterprise compliant now: the latest dated evidence
    (the incident's start or a later update), and a word that records cannot tell now."""
    river, latest, dates = latest_on(c, 0)
    evidence = [began(latest).isoformat(), *(u["at"][:10] for u in latest["updates"])]
    c.ask(
        "time",
        "river safe now",
        ({"r": river[0]}, {"r": river[1]}),
        facts=[{"date": evidence, "rivals": rivals(dates, began(latest))}, CAVEAT],
        cite=[latest["id"]],
    )
    enterprise = most_inspected(c)
    last = latest_inspection(c, enterprise)
    zh, en = c.name(enterprise)
    c.ask(
        "time",
        "enterprise compliant now",
        ({"e": zh}, {"e": en}),
        facts=[last["fact"], CAVEAT],
        cite=[last["id"]],
    )
