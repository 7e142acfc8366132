"""Measuring the assistant: the fixed evaluation set over the sample data (`scoring`), and
evaluation worlds invented from a seed, with questions whose answers come from the invented
records (`world`, `questions`, `judge`)."""

from portal.assistant.evaluation.scoring import (
    Outcome,
    Report,
    citations_valid,
    load_cases,
    percentile,
    run,
)

__all__ = ["Outcome", "Report", "citations_valid", "load_cases", "percentile", "run"]
