"""The `portal` command: set up the database, load and import records, generate data, serve."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy.exc import OperationalError

from portal.config import SETTINGS, ConfigError, load_settings
from portal.db import DatabaseUnavailable, check_connection, get_engine, is_migrated, redact
from portal.layout import CHECKOUT, DATA_DIR, STATE_DIR

F = TypeVar("F", bound=Callable[..., Any])
SAMPLE_DIR = DATA_DIR / "sample"
PROGRESS_OVER = 1 << 20  # show a progress bar for files over 1 MiB (a few thousand rows)


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def friendly(func: F) -> F:
    """Turn an unreachable database or a bad setting into one readable line and exit 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (DatabaseUnavailable, ConfigError) as exc:
            _fail(str(exc))
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            _fail(f"the database refused the operation: {reason}")

    return wrapper  # type: ignore[return-value]


def _engine() -> Any:
    settings = load_settings()
    engine = get_engine(settings.database_url)
    check_connection(engine)
    return engine


def _ready_engine() -> Any:
    engine = _engine()
    if not is_migrated(engine):
        _fail(f"the database at {redact(str(engine.url))} has no schema yet: run `portal init`")
    return engine


@click.group()
def main() -> None:
    """Clearwater: the open transparency portal of the recycled-metal industry."""


@main.command()
@friendly
def init() -> None:
    """Create the database schema, or upgrade it to the newest migration."""
    from portal.db import upgrade

    url = load_settings().database_url
    upgrade(url)
    click.echo(f"Database ready at {redact(url)}.")


def _search() -> Any:
    """This process's search service: commits below are indexed as they happen."""
    from portal.search import start

    settings = load_settings()
    return start(Path(settings.index_dir), settings.database_url, rebuild_if_missing=False)


def _report_index(service: Any) -> None:
    if not service.available():
        click.echo("No search index yet: run `portal reindex` to build it.")
        return
    behind = service.lag()
    if behind > 0:
        click.echo(f"The search index is {behind:,} revision(s) behind: run `portal reindex`.")


@main.command("load-sample")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has records.")
@friendly
def load_sample(if_empty: bool) -> None:
    """Load the sample records of data/sample/ (all files in one transaction)."""
    from portal.db import session_scope
    from portal.ingest import import_file
    from portal.records import empty
    from portal.records.write import now_utc

    engine = _ready_engine()
    service = _search()
    with session_scope(engine) as session:
        if if_empty and not empty(session):
            click.echo("The database already has records; sample not loaded.")
            return
        totals = {"new": 0, "corrected": 0, "unchanged": 0}
        # One transaction, one moment: every record is recorded at the time of the load, and
        # feeds list them by their own times of publication (decision 0029).
        moment = now_utc()
        for path in sorted(SAMPLE_DIR.glob("[0-9][0-9]-*.*")):
            result = import_file(
                session, path, as_publisher=None, now=moment, on_problem=_print_problem(path)
            )
            if not result.ok:
                session.rollback()
                _fail(f"{path.name}: {result.problem_count} problem(s); nothing was loaded")
            for key in totals:
                totals[key] += getattr(result, key)
            click.echo(f"{path.name}: {result.rows} {result.kind}")
    click.echo(f"Sample loaded: {totals['new']} new, {totals['unchanged']} already there.")
    _report_index(service)


def _print_problem(path: Path) -> Callable[[Any], None]:
    def show(problem: Any) -> None:
        click.echo(f"{path.name}: {problem}", err=True)

    return show


@main.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--as",
    "as_publisher",
    metavar="PUBLISHER",
    help="Id of the department or enterprise publishing the file (DEP-MEE, ENT-0001).",
)
@click.option(
    "--as-recorded",
    is_flag=True,
    help="Operators only: keep each row's own publisher_id (mirrors, benchmark sets).",
)
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@click.option(
    "--kind",
    type=click.Choice(
        ["departments", "enterprises", "incidents", "inspections", "disclosures", "responses"]
    ),
    help="The kind of record in the file (default: from the first id's prefix).",
)
@click.option(
    "--reason",
    help="Publish rows that differ from the records as corrections, with this public reason.",
)
@friendly
def import_(
    file: Path,
    as_publisher: str | None,
    as_recorded: bool,
    dry_run: bool,
    kind: str | None,
    reason: str | None,
) -> None:
    """Import one file of records (CSV, JSON or NDJSON): all rows, or none."""
    from portal.db import session_scope
    from portal.ingest import import_file

    if bool(as_publisher) == as_recorded:
        _fail("say who publishes the file: --as PUBLISHER (or, for operators, --as-recorded)")
    if not file.exists():
        _fail(f"{file}: no such file")
    engine = _ready_engine()
    service = _search()
    size = file.stat().st_size
    bar: Any = None
    if size > PROGRESS_OVER:
        bar = click.progressbar(length=size, label=f"Reading {file.name}", file=sys.stderr)
    with session_scope(engine) as session:
        try:
            if bar is not None:
                bar.__enter__()
            result = import_file(
                session,
                file,
                as_publisher=as_publisher.upper() if as_publisher else None,
                kind_name=kind,
                reason=reason,
                on_problem=lambda p: click.echo(f"{file.name}: {p}", err=True),
                progress=bar.update if bar is not None else None,
            )
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
        summary = (
            f"{result.rows} row(s) of {result.kind or 'unknown kind'}: {result.new} new, "
            f"{result.corrected} corrected, {result.unchanged} unchanged"
        )
        if not result.ok:
            session.rollback()
            _fail(
                f"{result.problem_count} problem(s) in {file.name}; nothing was written. "
                f"Fix them and import again."
            )
        if dry_run:
            session.rollback()
            click.echo(f"Dry run: {summary}. Nothing was written.")
            return
        from portal.records.tokens import audit

        audit(
            session,
            action="import",
            status=200,
            via="cli",
            actor_id=as_publisher.upper() if as_publisher else None,
            detail=f"{file.name}: {summary}",
        )
    click.echo(f"Imported {summary}.")
    _report_index(service)


@main.group()
def token() -> None:
    """Publishing tokens: create (the secret is shown once), list, revoke, expire."""


@token.command("create")
@click.argument("publisher")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    help="A kind the token may write (repeat); default: all the publisher may hold.",
)
@click.option("--label", help="A note to tell tokens apart, such as a clerk's desk.")
@click.option("--days", type=int, help="Expire after this many days (default: never).")
@friendly
def token_create(
    publisher: str, scopes: tuple[str, ...], label: str | None, days: int | None
) -> None:
    """Make a token for a department or enterprise and print its secret once."""
    from portal.db import session_scope
    from portal.records.tokens import TokenError, create_token

    with session_scope(_ready_engine()) as session:
        try:
            secret, made = create_token(
                session, publisher.upper(), scopes=scopes, label=label, days=days
            )
        except TokenError as exc:
            session.rollback()
            _fail(str(exc))
            return
    expires = f", expires {made.expires_at:%Y-%m-%d}" if made.expires_at else ""
    click.echo(f"Token {made.id} for {made.publisher_id} ({', '.join(made.scopes)}{expires}):")
    click.echo(secret)
    click.echo("Keep it secret: it is shown only now. Send it as 'Authorization: Bearer <token>'.")


@token.command("list")
@click.option("--publisher", help="Only this publisher's tokens.")
@friendly
def token_list(publisher: str | None) -> None:
    """Every token, without secrets: id, publisher, scopes, state."""
    from datetime import UTC, datetime

    from portal.db import session_scope
    from portal.records.tokens import list_tokens

    with session_scope(_ready_engine()) as session:
        tokens = list_tokens(session, publisher.upper() if publisher else None)
    now = datetime.now(UTC)
    for t in tokens:
        if t.revoked_at:
            state = f"revoked {t.revoked_at:%Y-%m-%d}"
        elif t.expires_at and t.expires_at <= now:
            state = f"expired {t.expires_at:%Y-%m-%d}"
        else:
            state = "active" + (f" until {t.expires_at:%Y-%m-%d}" if t.expires_at else "")
        used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never used"
        label = f" {t.label!r}" if t.label else ""
        click.echo(
            f"{t.id:>5}  {t.publisher_id:<24} {t.hint}…  {','.join(t.scopes):<40} {state}; "
            f"{used}{label}"
        )
    if not tokens:
        click.echo("No tokens yet: `portal token create PUBLISHER` makes one.")


def _end_token(token_id: int, how: str) -> None:
    from portal.db import session_scope
    from portal.records.tokens import TokenError, end_token

    with session_scope(_ready_engine()) as session:
        try:
            ended = end_token(session, token_id, how=how)
        except TokenError as exc:
            session.rollback()
            _fail(str(exc))
            return
    click.echo(f"Token {ended.id} of {ended.publisher_id} {how}d: it can no longer write.")


@token.command("revoke")
@click.argument("token_id", type=int)
@friendly
def token_revoke(token_id: int) -> None:
    """Revoke a token at once (it was lost or its holder left)."""
    _end_token(token_id, "revoke")


@token.command("expire")
@click.argument("token_id", type=int)
@friendly
def token_expire(token_id: int) -> None:
    """Expire a token now (its planned end came early)."""
    _end_token(token_id, "expire")


@main.command()
@click.option("--publisher", help="Only writes by this publisher.")
@click.option("--record", "record_id", help="Only writes to this record.")
@click.option("--since", help="Only entries from this date or time (ISO 8601).")
@click.option("--limit", type=click.IntRange(1, 100_000), default=100, show_default=True)
@friendly
def audit(publisher: str | None, record_id: str | None, since: str | None, limit: int) -> None:
    """The audit log: every write and refused write, newest first (tab-separated)."""
    from datetime import UTC, datetime

    from portal.db import session_scope
    from portal.records.tokens import audit_entries

    moment = None
    if since:
        try:
            moment = datetime.fromisoformat(since.replace("Z", "+00:00"))
        except ValueError:
            _fail(f"--since must be a date or time in ISO 8601 (2026-03-01), not {since!r}")
            return
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
    with session_scope(_ready_engine()) as session:
        entries = audit_entries(
            session,
            actor_id=publisher.upper() if publisher else None,
            record_id=record_id.upper() if record_id else None,
            since=moment,
            limit=limit,
        )
    click.echo("at\tvia\tactor\ttoken\taction\trecord\trevision\tstatus\tclient\tdetail")
    for e in entries:
        fields = (
            e.at.isoformat(timespec="seconds"),
            e.via,
            e.actor_id or "-",
            str(e.token_id or "-"),
            e.action,
            e.record_id or "-",
            str(e.revision or "-"),
            str(e.status),
            e.client or "-",
            (e.detail or "").replace("\t", " ").replace("\n", " "),
        )
        click.echo("\t".join(fields))


@main.command()
@click.option("--if-missing", is_flag=True, help="Only build the index when there is none.")
@click.option(
    "--procs",
    type=click.IntRange(1, 8),
    default=2,
    show_default=True,
    help="Processes that analyse text (one per core).",
)
@friendly
def reindex(if_missing: bool, procs: int) -> None:
    """Rebuild the search index from the database (searches go on using the old one)."""
    from portal.search import IndexUnavailable

    _ready_engine()
    service = _search()
    if if_missing and service.available():
        click.echo("The search index is there; nothing to do.")
        return
    total = sum(_count_searchable(service.engine))
    try:
        with click.progressbar(length=total, label="Indexing", file=sys.stderr) as bar:
            count = service.rebuild(progress=bar.update, procs=procs)
    except IndexUnavailable as exc:
        _fail(str(exc))
    except OSError as exc:  # a full or read-only disk: the build beside the old index failed
        _fail(
            f"the search index could not be rebuilt ({exc.strerror or exc}); the index that was "
            "there is kept and searches go on using it. Free the space (or fix the folder's "
            "permissions) and run `portal reindex` again"
        )
    except RuntimeError as exc:  # a build process failed or died; the old index is kept
        _fail(f"the search index could not be rebuilt ({exc}); the index that was there is kept")
    click.echo(f"Indexed {count:,} records {service.where()}.")
    if count < total:
        click.echo(
            f"{total - count:,} record(s) could not be indexed and were left out: "
            "`portal check` names them and says why."
        )


def _count_searchable(engine: Any) -> list[int]:
    from sqlmodel import Session

    from portal.records import counts

    with Session(engine) as session:
        return list(counts(session).values())


def _report_instructions(engine: Any) -> None:
    """List the records whose text carries an instruction to an AI or its reader, for the
    moderators: the assistant never quotes those sentences, but a person should look."""
    from sqlmodel import Session

    from portal.assistant.injection import scan

    with Session(engine) as session:
        found = scan(session)
    if not found:
        return
    records = sorted({f.record_id for f in found})
    click.echo(
        f"{len(records):,} record(s) carry text addressed to an AI or telling readers what to do "
        "(the assistant never quotes it; a moderator should read it):"
    )
    for finding in found[:50]:
        click.echo(f"  {finding.record_id} {finding.field}: {finding.sentence[:200]}")
    if len(found) > 50:
        click.echo(f"  and {len(found) - 50:,} more sentence(s)")


@main.command()
@friendly
def check() -> None:
    """Report records missing from or stale in the search index; exit 1 if they differ."""
    from portal.search import IndexUnavailable

    _ready_engine()
    service = _search()
    try:
        report = service.check()
    except IndexUnavailable as exc:
        _fail(f"{exc}: run `portal reindex`")
    click.echo(f"Database: {report.records:,} searchable records. Index: {report.indexed:,}.")
    for label, ids in (
        ("missing from the index", report.missing),
        ("stale in the index", report.stale),
        ("in the index but not published", report.extra),
    ):
        if ids:
            shown = ", ".join(ids[:10]) + (f" and {len(ids) - 10:,} more" if len(ids) > 10 else "")
            click.echo(f"{len(ids):,} {label}: {shown}")
    if report.behind:
        click.echo(f"{report.behind:,} revision(s) not yet absorbed by the index.")
    for record_id, why in report.unindexable.items():
        click.echo(f"{record_id} cannot be indexed ({why}): correct it, and the index takes it")
    _report_instructions(_ready_engine())
    strays = _stray_dates(_ready_engine())
    if not report.ok:
        _fail("the index and the database disagree: run `portal reindex`")
    click.echo("The index and the database agree.")
    if strays:
        _fail(
            f"{strays:,} stored date(s) lie outside the range the portal keeps: their "
            "publishers correct them (PATCH /api/v1/<kind>/<id>, or `portal import --reason`)"
        )


def _stray_dates(engine: Any) -> int:
    """List stored dates outside the range (rows written before it existed); return how many."""
    from sqlmodel import Session

    from portal.models.times import EARLIEST, LATEST
    from portal.records.dates import stray_dates

    with Session(engine) as session:
        strays = stray_dates(session)
    for stray in strays[:20]:
        click.echo(
            f"{stray.record_id}: {stray.field} {stray.value.isoformat()} is outside "
            f"{EARLIEST.isoformat()} to {LATEST.isoformat()}"
        )
    if len(strays) > 20:
        click.echo(f"... and {len(strays) - 20:,} more stored date(s) outside that range.")
    return len(strays)


def load_generator(root: Path) -> Callable[[Path, int, int], dict[str, int]]:
    """The load-test generator of the checkout at `root` (bench/generator), or exit 1 saying
    where it is: it ships with the source checkout, not in the wheel."""
    if not (root / "bench" / "generator" / "__init__.py").is_file():
        _fail(
            "`portal generate` needs the source checkout: the load-test generator "
            "(bench/generator/) ships with it, not with the installed package. Clone the "
            "repository and run `portal generate` in it (bench/README.md)."
        )
    if str(root) not in sys.path:
        sys.path.append(str(root))
    from bench.generator import generate as make

    return make


@main.command()
@click.option(
    "--records",
    type=click.IntRange(1, 50_000_000),
    required=True,
    help="How many records to make in all.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=STATE_DIR / "generated",
    show_default=True,
    help="Folder for the NDJSON files.",
)
@click.option("--seed", type=int, default=2012, show_default=True)
def generate(records: int, out: Path, seed: int) -> None:
    """Write a deterministic synthetic data set (NDJSON, in import order) for benchmarks.

    The generator is bench/generator of the source checkout: not in an installed portal.
    """
    make = load_generator(CHECKOUT)
    counts = make(out, records, seed)
    for name, count in counts.items():
        click.echo(f"{out / name}: {count}")
    click.echo("Import them in name order: `portal import FILE --as-recorded` for each file.")


@main.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder that holds the dated snapshots (default: PORTAL_SNAPSHOT_DIR).",
)
@click.option(
    "--if-none",
    is_flag=True,
    help="Do nothing when a snapshot exists: the first snapshot, at the first start.",
)
@friendly
def snapshot(out: Path | None, if_none: bool) -> None:
    """Write today's dated, immutable snapshot of every download, with checksums and changes."""
    from portal.api.snapshot import SnapshotExists, snapshot_dates, write_snapshot

    engine = _ready_engine()
    root = out or Path(load_settings().snapshot_dir)
    if if_none and snapshot_dates(root):
        click.echo(f"A snapshot exists ({snapshot_dates(root)[0]}); none written.")
        return
    try:
        folder = write_snapshot(engine, root)
    except SnapshotExists as exc:
        _fail(str(exc))
    for path in sorted(folder.iterdir()):
        click.echo(f"{path}: {path.stat().st_size:,} bytes")
    click.echo(f"Snapshot written to {folder}; check it with `sha256sum -c SHA256SUMS` there.")


@main.group()
def alerts() -> None:
    """Email alerts: send what changed to the confirmed subscribers (docs/alerts.md)."""


def _alerts_app() -> Any:
    from portal import create_app

    _ready_engine()
    return create_app({"SEARCH_REBUILD_ON_START": False})


@alerts.command("send")
@click.option("--daily", is_flag=True, help="Send the daily summaries (run once a day).")
@friendly
def alerts_send(daily: bool) -> None:
    """Mail each confirmed subscriber what changed since their last mail (immediate alerts; the
    daily summaries with --daily). For cron: each record revision is mailed once."""
    from portal.alerts.mail import RelayError
    from portal.alerts.sender import AlertsOff, send_due

    try:
        tally = send_due(_alerts_app(), daily=daily)
    except (AlertsOff, RelayError) as exc:
        _fail(str(exc))
    click.echo(
        f"Alerts: {tally.mails} mail(s) with {tally.records} record(s) sent, {tally.failed} "
        f"refused by the relay, {tally.unfollowable} feed(s) that cannot be followed now, "
        f"{tally.expired} unconfirmed request(s) deleted."
    )
    if tally.failed:
        sys.exit(1)


@alerts.command("worker")
@friendly
def alerts_worker() -> None:
    """Send immediate alerts as records are published: woken through Redis when
    PORTAL_REDIS_URL is set, else every PORTAL_ALERT_POLL_SECONDS. Stop it with Ctrl-C."""
    import logging

    from portal.alerts import worker
    from portal.alerts.sender import AlertsOff, check_settings

    app = _alerts_app()
    try:
        check_settings(app)
    except AlertsOff as exc:
        _fail(str(exc))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    how = "woken through Redis" if app.config.get("REDIS_URL") else "polling"
    click.echo(f"Alerts worker started ({how}, every {app.config['ALERT_POLL_SECONDS']:g} s).")
    try:
        worker.run(app)
    except KeyboardInterrupt:
        click.echo("Alerts worker stopped.")


@main.command("config")
@friendly
def config_() -> None:
    """Print every setting in effect, from PORTAL_* variables or the defaults (keys hidden).

    A wrong value is an error naming the variable, as when the portal starts."""
    values = load_settings().app_config()
    for setting in SETTINGS:
        value = values[setting.key]
        if setting.secret:
            shown = "<set, not shown>" if value else ""
        elif isinstance(value, bool):
            shown = "true" if value else "false"
        elif isinstance(value, float):
            shown = f"{value:g}"
        else:
            shown = redact("" if value is None else str(value))
        where = "  # from the environment" if os.environ.get(setting.name) else ""
        click.echo(f"{setting.name}={shown}{where}")
    known = {s.name for s in SETTINGS}
    for name in sorted(n for n in os.environ if n.startswith("PORTAL_") and n not in known):
        click.echo(f"note: {name} is set but the portal has no such setting", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--port",
    type=int,
    default=lambda: int(os.environ.get("PORT", "5000")),
    help="Port to serve on (default: $PORT or 5000).",
)
@friendly
def run(host: str, port: int) -> None:
    """Serve the portal (development server; use gunicorn with wsgi:app in production)."""
    from portal import create_app

    _ready_engine()
    app = create_app()
    click.echo(f"Clearwater on http://{host}:{port}/")
    app.run(host=host, port=port, debug=False, use_reloader=False, threaded=True)
