"""Measuring the assistant: the fixed evaluation set over the sample data (`scoring`), and
evaluation worlds invented from a seed (`world`, written by `files`), with questions whose true
answers come from the invented records (`questions`) and a scorer that needs the fact and its
citation (`judge`). docs/assistant.md says how each is scored."""

from portal.assistant.evaluation.files import ImportStep, write_world
from portal.assistant.evaluation.judge import Verdict, WorldReport, judge, run_world
from portal.assistant.evaluation.questions import world_cases
from portal.assistant.evaluation.scoring import (
    Outcome,
    Report,
    citations_valid,
    load_cases,
    percentile,
    run,
)
from portal.assistant.evaluation.world import World, make_world

__all__ = [
    "ImportStep",
    "Outcome",
    "Report",
    "Verdict",
    "World",
    "WorldReport",
    "citations_valid",
    "judge",
    "load_cases",
    "make_world",
    "percentile",
    "run",
    "run_world",
    "world_cases",
    "write_world",
]
