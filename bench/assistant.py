"""The assistant's figures, offline: answer accuracy, citation validity, refusal accuracy and
latency, over the evaluation set (tests/assistant/eval.jsonl) and the sample data.

    python bench/assistant.py [--rounds 3] [--out /tmp/clearwater-bench-assistant]

Loads the sample data into a SQLite database under --out and builds its search index there (once;
kept for the next run), then asks every question of the evaluation set `--rounds` times through
the same Assistant the API uses. Accuracy: share of answerable questions whose answer cites a
required record (or, for a count, counts the right listing exactly). Citation validity: share of
answers whose every quoted passage is in its record's text. Refusals: share of off-topic and
unanswerable questions refused. Latency is per question, after one warm-up question (the first
loads jieba's dictionary); on a busy machine the CPU time per question is the steadier figure.
Targets: accuracy >= 90 %, validity 100 %, refusals 100 %, p50 <= 300 ms.
"""

from __future__ import annotations

import argparse
import os
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


def main() -> None:
    """Run the evaluation and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times each question is asked")
    parser.add_argument("--out", type=Path, default=Path("/tmp/clearwater-bench-assistant"))
    parser.add_argument("--failures", action="store_true", help="list the cases it got wrong")
    args = parser.parse_args()
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
