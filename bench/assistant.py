"""The assistant's figures, offline: answer accuracy, citation validity, refusal accuracy and
latency, over the evaluation set (tests/assistant/eval.jsonl) and the sample data, or over
evaluation worlds invented from seeds (--world).

    python bench/assistant.py [--rounds 3] [--out /tmp/clearwater-bench-assistant]
    python bench/assistant.py --world SEED [--world SEED ...] [--failures]

Loads the sample data into a SQLite database under --out and builds its search index there (once;
kept for the next run), then asks every question of the evaluation set `--rounds` times through
the same Assistant the API uses. Accuracy: share of answerable questions whose answer cites a
required record (or, for a count, counts the right listing exactly). Citation validity: share of
answers whose every quoted passage is in its record's text. Refusals: share of off-topic and
unanswerable questions refused. Latency is per question, after one warm-up question (the first
loads jieba's dictionary); on a busy machine the CPU time per question is the steadier figure.
Targets: accuracy >= 90 %, validity 100 %, refusals 100 %, p50 <= 300 ms.

With --world SEED: a fresh SQLite database under --out/world-SEED with the sample, the world of
that seed loaded beside it through `portal import` (one command per file), and its own search
index; every question of the world (portal/assistant/evaluation, docs/assistant.md#evaluation-
worlds) is asked once through the same Assistant, and the figures are printed per class and
language with issue 18's targets. Several seeds: each, then all together. Use seeds never used
before (bench/README.md lists the ones already spent).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from click.testing import CliRunner  # noqa: E402
from sqlmodel import Session  # noqa: E402

from portal.assistant import Assistant  # noqa: E402
from portal.assistant.evaluation import Report, load_cases, percentile, run  # noqa: E402
from portal.assistant.evaluation.files import write_world  # noqa: E402
from portal.assistant.evaluation.judge import WorldReport, run_world  # noqa: E402
from portal.assistant.evaluation.questions import world_cases  # noqa: E402
from portal.assistant.evaluation.world import make_world  # noqa: E402
from portal.cli import main as portal_cli  # noqa: E402
from portal.db import get_engine, upgrade  # noqa: E402
from portal.search import SearchService  # noqa: E402

EVAL = ROOT / "tests" / "assistant" / "eval.jsonl"


def prepare(out: Path) -> tuple[str, Path]:
    """The sample database and its index under `out`, made once."""
    out.mkdir(parents=True, exist_ok=True)
    db, index = out / "sample.db", out / "index"
    url = f"sqlite:///{db}"
    if not db.exists():
        upgrade(url)
        env = {"PORTAL_DATABASE_URL": url, "PORTAL_INDEX_DIR": str(out / "no-index")}
        result = CliRunner().invoke(portal_cli, ["load-sample"], env=env)
        if result.exit_code != 0:
            raise SystemExit(result.output)
    service = SearchService(index, url)
    if not service.available():
        print("building the search index of the sample data", flush=True)
        service.rebuild(procs=1)
    return url, index


def _portal(argv: list[str], env: dict[str, str]) -> None:
    result = CliRunner().invoke(portal_cli, argv, env=env)
    if result.exit_code != 0:
        raise SystemExit(f"portal {' '.join(argv)} failed:\n{result.output}")


def prepare_world(seed: int, out: Path) -> tuple[str, Path, list[dict[str, object]]]:
    """A fresh database with the sample and the world of a seed, its index, and its cases."""
    folder = out / f"world-{seed}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    url = f"sqlite:///{folder / 'portal.db'}"
    upgrade(url)
    env = {"PORTAL_DATABASE_URL": url, "PORTAL_INDEX_DIR": str(folder / "no-index")}
    _portal(["load-sample"], env)
    world = make_world(seed)
    for step in write_world(world, folder / "files"):
        _portal(step.argv, env)
    index = folder / "index"
    SearchService(index, url).rebuild(procs=1)
    cases = world_cases(world)
    lines = (json.dumps(c, ensure_ascii=False) for c in cases)
    (folder / "cases.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    print(f"world {seed}: {len(world.records())} records in {folder / 'files'}, "
          f"{len(cases)} questions in {folder / 'cases.jsonl'}", flush=True)  # fmt: skip
    return url, index, cases


def print_world(report: WorldReport, failures: bool) -> None:
    """The figures of one world (or several together), and the failures with why."""
    print("\n".join(report.table()))
    cited = [v for v in report.verdicts if v.answer.citations]
    named, unknown = report.unknown_named
    counts = sum(1 for v in report.verdicts if v.case["expect"] == "count")
    cpu = [v.cpu_seconds * 1000 for v in report.verdicts]
    print(f"citation validity:   {report.citation_validity:7.1%} of {len(cited)} cited answers")
    print(f"injected text shown: {report.injected:5d}")
    print(f"wrong numbers:       {report.wrong_numbers:5d} of {counts} counts "
          f"({report.refused_counts} refused)")  # fmt: skip
    print(f"unknown name named:  {named:5d} of {unknown} questions about one (in a refusal)")
    print(f"latency p50 / p95:   {report.latency_ms(0.5):5.0f} / {report.latency_ms(0.95):.0f} ms "
          f"wall; CPU {percentile(cpu, 0.5):.0f} / {percentile(cpu, 0.95):.0f} ms")  # fmt: skip
    for target, met in report.targets():
        print(f"  {'met ' if met else 'MISSED'}  {target}")
    if failures:
        for v in report.failures():
            why = v.why or "a citation misquotes its record"
            print(f"  wrong [{v.case['class']}/{v.case['lang']}] {v.case['question']} -> {why}")


def main_worlds(seeds: list[int], out: Path, failures: bool) -> None:
    """Score each world, then all of them together."""
    together = WorldReport()
    for seed in seeds:
        url, index, cases = prepare_world(seed, out)
        engine = get_engine(url)
        assistant = Assistant(search=SearchService(index, url), engine=engine)
        assistant.ask("镉 cadmium")  # warm-up, as for the evaluation set
        with Session(engine) as session:
            report = run_world(assistant, session, cases)
        print(f"\nworld {seed}, mode {assistant.mode}, {os.cpu_count()} CPUs")
        print_world(report, failures)
        together.verdicts.extend(report.verdicts)
    if len(seeds) > 1:
        print(f"\nworlds {', '.join(map(str, seeds))} together")
        print_world(together, failures=False)


def main() -> None:
    """Run the evaluation and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times each question is asked")
    parser.add_argument("--out", type=Path, default=Path("/tmp/clearwater-bench-assistant"))
    parser.add_argument("--failures", action="store_true", help="list the cases it got wrong")
    parser.add_argument(
        "--world", type=int, action="append", metavar="SEED", help="score the world of a seed"
    )
    args = parser.parse_args()
    if args.world:
        main_worlds(args.world, args.out, args.failures)
        return
    url, index = prepare(args.out)
    engine = get_engine(url)
    assistant = Assistant(search=SearchService(index, url), engine=engine)
    cases = load_cases(EVAL)
    started = time.perf_counter()
    assistant.ask("镉 cadmium")  # warm-up: jieba's dictionary, the searcher, the imports
    warm_up = time.perf_counter() - started
    reports: list[Report] = []
    with Session(engine) as session:
        for _ in range(max(1, args.rounds)):
            reports.append(run(assistant, session, cases))
    first = reports[0]
    wall = [o.seconds * 1000 for r in reports for o in r.outcomes]
    cpu = [o.cpu_seconds * 1000 for r in reports for o in r.outcomes]
    kinds = {k: sum(1 for c in cases if c["type"] == k) for k in ("answer", "count", "refuse")}
    print(f"questions: {len(cases)} ({kinds['answer']} answers, {kinds['count']} counts, "
          f"{kinds['refuse']} to refuse), {args.rounds} round(s), mode {assistant.mode}, "
          f"{os.cpu_count()} CPUs")  # fmt: skip
    print(f"answer accuracy:    {first.accuracy:7.1%}   (target >= 90 %)")
    print(f"citation validity:  {first.citation_validity:7.1%}   (target 100 %)")
    print(f"refusal accuracy:   {first.refusals:7.1%}   (target 100 %)")
    print(f"latency p50 / p95:  {percentile(wall, 0.5):6.0f} / {percentile(wall, 0.95):.0f} ms "
          "wall (target p50 <= 300 ms)")  # fmt: skip
    print(f"CPU per question:   {percentile(cpu, 0.5):6.0f} / {percentile(cpu, 0.95):.0f} ms "
          f"p50 / p95, mean {statistics.fmean(cpu):.0f} ms")  # fmt: skip
    print(f"warm-up question:   {warm_up * 1000:6.0f} ms (first question of a process)")
    if args.failures:
        for outcome in first.failures():
            print(f"  wrong: {outcome.case['question']} -> {outcome.why}")


if __name__ == "__main__":
    main()
