"""The evaluation set (eval.jsonl), answered offline over the sample data, meets its targets:
at least 90 % of answerable questions cite a required record (or count the right listing),
every quoted passage is its record's own words, and every off-topic or unanswerable question
is refused."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlmodel import Session

from portal.assistant.evaluation import load_cases, run
from portal.assistant.service import assistant_of
from portal.db import get_engine
from portal.search import service_of

EVAL = Path(__file__).with_name("eval.jsonl")


def test_the_evaluation_set_covers_both_languages_and_refusals() -> None:
    cases = load_cases(EVAL)
    answerable = [c for c in cases if c["type"] in ("answer", "count")]
    refused = [c for c in cases if c["type"] == "refuse"]
    chinese = [c for c in answerable if any("\u4e00" <= ch <= "\u9fff" for ch in c["question"])]
    assert len(answerable) >= 40 and len(refused) >= 10
    assert 10 <= len(chinese) <= len(answerable) - 10  # both languages, well represented
    assert all(c["cite"] for c in cases if c["type"] == "answer")


def test_offline_answers_meet_the_targets(sample_app: Flask, sample_url: str) -> None:
    assistant = assistant_of(sample_app)
    assert assistant.mode == "extractive"
    try:
        with Session(get_engine(sample_url)) as session:
            report = run(assistant, session, load_cases(EVAL))
    finally:
        service_of(sample_app).close()
    failures = "\n".join(
        f"{o.case['question']} -> {o.why or 'invalid citation'}: {o.answer.answer[:200]}"
        for o in report.failures()
    )
    assert report.accuracy >= 0.9, failures
    assert report.citation_validity == 1.0, failures
    assert report.refusals == 1.0, failures
