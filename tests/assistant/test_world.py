"""Evaluation worlds: a seed always invents the same records and questions, the records import
beside the sample, their names are new, each question's truth agrees with the records once loaded,
and the scorer tells a right answer from a wrong one. Last, the world of a fixed seed asked of the
assistant, against issue 18's targets."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from sqlmodel import Session

from conftest import Databases, _app, _load_sample
from portal import records
from portal.assistant.answer import Answer, Citation, CountResult
from portal.assistant.evaluation.files import write_world
from portal.assistant.evaluation.judge import judge, run_world
from portal.assistant.evaluation.matching import stated
from portal.assistant.evaluation.questions import CAVEAT, day_of, province_names, world_cases
from portal.assistant.evaluation.world import World, make_world
from portal.assistant.inputs import Turn
from portal.assistant.service import assistant_of
from portal.cli import main as portal_cli
from portal.db import dispose_engine, get_engine
from portal.layout import DATA_DIR
from portal.search import SearchService, service_of

SEED = 20261207  # the suite's own world; figures reported elsewhere use other seeds


def _import(url: str, folder: Path, world: World) -> list[str]:
    """Import every file of the world with `portal import`; the output of each."""
    outputs = []
    env = {"PORTAL_DATABASE_URL": url, "PORTAL_INDEX_DIR": str(folder / "no-index")}
    for step in write_world(world, folder / "files"):
        result = CliRunner().invoke(portal_cli, step.argv, env=env)
        assert result.exit_code == 0, f"{step.path.name}: {result.output}"
        outputs.append(result.output)
    return outputs


@pytest.fixture(scope="module")
def loaded(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A database template holding the sample and the world of SEED, and its search index."""
    folder = tmp_path_factory.mktemp(f"world{SEED}")

    def fill(url: str) -> None:
        _load_sample(url)
        _import(url, folder, make_world(SEED))

    template = databases.template(f"world{SEED}", fill)
    index = databases.root / f"index-world{SEED}"
    if not (index / "userwords.txt").exists():
        SearchService(index, template).rebuild(procs=1)
        dispose_engine(template)
    return template, index


@pytest.fixture
def world_url(databases: Databases, loaded: tuple[str, Path], tmp_path: Path) -> Iterator[str]:
    """This test's copy of the loaded database."""
    url = databases.fresh(loaded[0], tmp_path)
    yield url
    databases.drop(url)


def test_a_seed_always_invents_the_same_world_and_another_seed_another(tmp_path: Path) -> None:
    first, again, other = make_world(5), make_world(5), make_world(6)
    files = [
        [p.read_bytes() for p in (s.path for s in write_world(w, tmp_path / name))]
        for name, w in (("first", first), ("again", again), ("other", other))
    ]
    assert files[0] == files[1]
    assert world_cases(first) == world_cases(again)
    assert files[0] != files[2]
    assert {c.name for c in first.cities}.isdisjoint({c.name for c in other.cities})
    assert 40 <= len(first.records()) <= 80


def _names(world: World) -> list[str]:
    rows = [r for r in world.records()]
    fields = ("name", "city", "county", "park", "river", "place", "title")
    found = [
        r[f"{f}_{lang}"]
        for r in rows
        for f in fields
        for lang in ("zh", "en")
        if r.get(f"{f}_{lang}")
    ]
    found += [r["credit_code"] for r in world.enterprises]
    return found + [n for pair in world.unknown.values() for n in pair]


def test_invented_names_never_occur_in_the_sample() -> None:
    sample = "\n".join(
        p.read_text("utf-8") for p in sorted((DATA_DIR / "sample").glob("[0-9][0-9]-*.*"))
    ).casefold()
    for seed in (11, 12, 13):
        world = make_world(seed)
        cores = [c.core for c in world.cities] + [r for r in world.rivers]
        assert len(set(cores)) == len(cores)
        for name in _names(world):
            assert name.casefold() not in sample, (seed, name)


def test_every_file_imports_beside_the_sample(sample_url: str, tmp_path: Path) -> None:
    world = make_world(SEED + 1)
    outputs = _import(sample_url, tmp_path, world)
    new = [re.search(r"(\d+) new, 0 corrected, 0 unchanged", o) for o in outputs]
    assert sum(int(m.group(1)) for m in new if m) == len(world.records()), outputs


def _public(session: Session, record_id: str) -> str:
    """A record as published, with the names of its province (stored as a code)."""
    record = records.get_record(session, record_id)
    assert record is not None, record_id
    code = getattr(record, "province", None)
    return record.model_dump_json() + ("\n".join(["", *province_names(code)]) if code else "")


def test_each_truth_agrees_with_the_records_once_loaded(world_url: str) -> None:
    world = make_world(SEED)
    cases = world_cases(world)
    with Session(get_engine(world_url)) as session:
        for case in cases:
            if "count" in case:
                spec = case["count"]
                query = records.parse_query(spec["kind"], spec["filters"])
                listed = records.run(session, query, with_total=True).total
                assert listed == spec["total"], case["question"]
            for fact in case["facts"]:
                if fact is CAVEAT or "computed" in fact or not case["cite"]:
                    continue
                bare = {k: v for k, v in fact.items() if k != "rivals"}
                held = "\n".join(_public(session, i) for i in case["cite"])
                assert stated(bare, held), (case["question"], fact)
            if "top" in case:
                top = case["top"]
                query = records.parse_query(top["kind"], {**top["filters"], "limit": "1000"})
                _, rows = records.list_records(session, query)
                fines: Counter[str] = Counter()
                for row in rows:
                    fines[getattr(row, "enterprise_id", "")] += getattr(row, "penalty_yuan", 0) or 0
                best = {
                    "penalty": lambda: (
                        max(rows, key=lambda r: getattr(r, "penalty_yuan", 0) or 0).id
                    ),
                    "total": lambda: fines.most_common(1)[0][0],
                    "newest": lambda: rows[0].id,  # listings are newest first
                }[top["order"]]()
                assert best == top["id"], case["question"]
        for kind, filters in (
            ("enterprises", {"text": world.unknown["enterprise"][0]}),
            ("incidents", {"river": world.unknown["river"][0]}),
            ("enterprises", {"park": world.unknown["park"][0]}),
        ):
            assert (
                records.run(session, records.parse_query(kind, filters), with_total=True).total == 0
            )
        for injection in world.injections:
            assert injection.url in _public(session, injection.record_id)


def _answer(
    text: str,
    *,
    cites: tuple[str, ...] = (),
    counts: list[CountResult] | None = None,
    grounded: bool = True,
) -> Answer:
    citations = [
        Citation(
            n=n,
            id=i,
            kind=records.kind_of_id(i).name,
            title="t",
            url="/",
            html="/",
            passage="p",
            date=None,
            publisher="DEP-MEE",
        )
        for n, i in enumerate(cites, 1)
    ]
    return Answer(
        question="q",
        standalone="q",
        answer=text,
        citations=citations,
        grounded=grounded,
        mode="count" if counts else "extractive",
        data_as_of=None,
        lang="en",
        counts=counts or [],
    )


def _case(cases: list[dict[str, Any]], cls: str, **where: Any) -> dict[str, Any]:
    return next(
        c for c in cases if c["class"] == cls and all(c.get(k) == v for k, v in where.items())
    )


def test_the_scorer_tells_right_answers_from_wrong_ones() -> None:
    world = make_world(SEED)
    cases = world_cases(world)
    count = next(c for c in cases if c["expect"] == "count" and 1 < c["count"]["total"] < 10)
    total, spec = count["count"]["total"], count["count"]
    result = CountResult(kind=spec["kind"], total=total, filters={}, listing="/", api="/")
    assert judge(count, _answer(f"There are {total} of them [1].", counts=[result])).correct
    assert judge(count, _answer("None found.", grounded=False)).correct  # refused: not wrong
    dropped = max(spec["dropped"].values())
    wrong = judge(
        count,
        _answer(
            f"There are {dropped} of them.", counts=[result.model_copy(update={"total": dropped})]
        ),
    )
    assert not wrong.correct and wrong.wrong_number and "the total without" in wrong.why
    unbacked = judge(count, _answer(f"There are {total} of them."))
    assert not unbacked.correct and unbacked.wrong_number
    in_a_date = judge(count, _answer(f"Inspected on 2023-0{total}-0{total} [1].", counts=[result]))
    in_a_marker = judge(count, _answer(f"See the listing [{total}].", counts=[result]))
    assert not in_a_date.correct and not in_a_marker.correct

    code = _case(cases, "structured", lang="en")
    fact, holder = code["facts"][0]["text"][0], code["cite"][0]
    assert judge(code, _answer(f"It is {fact} [1].", cites=(holder,))).correct
    assert not judge(code, _answer(f"It is {fact}.")).correct  # no citation
    assert not judge(code, _answer(f"It is {fact} [1].", cites=("INC-2012-0001",))).correct
    assert not judge(code, _answer("It is 91000000MA0000000X [1].", cites=(holder,))).correct
    url = world.injections[0].url
    leaked = judge(code, _answer(f"It is {fact} [1]. See {url}", cites=(holder,)))
    assert not leaked.correct and leaked.injected

    latest = _case(cases, "superlative", lang="en")
    if "date" in latest["facts"][0]:
        truth, rival = latest["facts"][0]["date"], latest["facts"][0]["rivals"][0]["date"]
        assert judge(
            latest, _answer(f"On {truth} [1]; before that {rival}.", cites=tuple(latest["cite"]))
        ).correct
        assert not judge(
            latest, _answer(f"On {rival}; later {truth} [1].", cites=tuple(latest["cite"]))
        ).correct

    unknown = _case(cases, "unanswerable", lang="en", expect="refuse")
    refusal = judge(unknown, _answer(f"No record names {unknown['unknown'][1]}.", grounded=False))
    assert refusal.correct and refusal.named_unknown
    assert not judge(unknown, _answer("It is 123 [1].", cites=(holder,))).correct


@pytest.fixture
def world_app(world_url: str, loaded: tuple[str, Path], index_dir: Path) -> Iterator[Flask]:
    """The portal on this test's copy of the loaded world, with its index."""
    shutil.copytree(loaded[1], index_dir)
    app = _app(world_url, index_dir)
    yield app
    service_of(app).close()


def test_the_assistant_meets_the_targets_on_a_world_it_never_saw(
    world_app: Flask, world_url: str
) -> None:
    cases = world_cases(make_world(SEED), phrasings=1)  # one phrasing each keeps it under a minute
    with Session(get_engine(world_url)) as session:
        report = run_world(assistant_of(world_app), session, cases)
    # Latency is the bench's figure (bench/assistant.py --world): a shared CI machine would
    # make it flaky here.
    missed = [name for name, met in report.targets() if not met and not name.startswith("p50")]
    failures = "\n".join(f"{v.case['question']} -> {v.why}" for v in report.failures())
    assert not missed, "\n".join([*missed, *report.table(), failures])


def test_a_follow_up_keeps_the_day_of_the_inspection_asked_about(
    world_app: Flask, world_url: str
) -> None:
    """ "How much was the fine?" after a question about one day's inspection is about that
    inspection, not any of the enterprise's that year (a day was carried over as its year)."""
    world = make_world(SEED)
    fined: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in world.inspections:
        if "penalty_yuan" in row:
            fined.setdefault((row["enterprise_id"], row["inspected_on"][:4]), []).append(row)
    pair = next(rows for rows in fined.values() if len(rows) > 1)
    asked, other = sorted(pair, key=lambda r: r["inspected_on"])[:2]
    enterprise = world.enterprise(asked["enterprise_id"])
    zh_day, en_day = day_of(date.fromisoformat(asked["inspected_on"]))
    assistant = assistant_of(world_app)
    for first, question in (
        (f"{zh_day}对{enterprise['name_zh']}的检查发现了什么？", "罚了多少钱？"),
        (f"What did the inspection of {enterprise['name_en']} on {en_day} find?", "How much?"),
    ):
        history = [Turn(role="user", content=first), Turn(role="assistant", content="…")]
        answer = assistant.ask(question, history)
        cited = {c.id for c in answer.citations}
        assert asked["id"] in cited and other["id"] not in cited, answer.answer
        assert stated({"number": asked["penalty_yuan"]}, answer.answer), answer.answer


def test_a_report_is_of_the_year_it_covers_not_the_year_it_was_published(
    world_app: Flask, world_url: str
) -> None:
    """ "How much did it invest in 2024?" is the 2024 report's figure: the 2023 report, published
    in 2024, was quoted first with its own (another year's) amount."""
    world = make_world(SEED)
    annual = [d for d in world.disclosures if "invest_yuan" in world.notes[d["id"]]]
    later = max(annual, key=lambda d: world.notes[d["id"]]["year"])
    year = world.notes[later["id"]]["year"]
    earlier = [
        d["id"]
        for d in annual
        if d["enterprise_id"] == later["enterprise_id"] and world.notes[d["id"]]["year"] < year
    ]
    assert earlier, "the world gives each reporting enterprise two annual reports"
    enterprise = world.enterprise(later["enterprise_id"])
    assistant = assistant_of(world_app)
    for question in (
        f"{enterprise['name_zh']}{year}年环保设施投入了多少钱？",
        f"How much did {enterprise['name_en']} invest in environmental facilities in {year}?",
    ):
        answer = assistant.ask(question)
        cited = [c.id for c in answer.citations]
        assert cited and cited[0] == later["id"] and not set(earlier) & set(cited), answer.answer
        assert stated({"number": world.notes[later["id"]]["invest_yuan"]}, answer.answer)


def test_what_an_enterprise_can_do_in_a_year_is_its_capacity_not_one_years_report(
    world_app: Flask, world_url: str
) -> None:
    """ "How much can it process in a year?" asks for the design capacity its record states, not
    the tonnes one annual report says it processed."""
    world = make_world(SEED)
    reporting = {d["enterprise_id"] for d in world.disclosures if "tonnes" in world.notes[d["id"]]}
    enterprise = world.enterprise(sorted(reporting)[0])
    capacity = world.notes[enterprise["id"]]["capacity_t"]
    assistant = assistant_of(world_app)
    for question in (
        f"{enterprise['name_zh']}一年可以加工多少吨？",
        f"How many tonnes is {enterprise['name_en']} able to process in a year?",
    ):
        answer = assistant.ask(question)
        assert answer.citations and answer.citations[0].id == enterprise["id"], answer.answer
        assert stated({"number": capacity}, answer.answer), answer.answer
