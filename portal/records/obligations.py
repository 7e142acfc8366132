"""Disclosure obligations, derived from the records: who must disclose, what is due, what is late.

Under the Measures for the Administration of Legal Disclosure of Enterprise Environmental
Information (MEE Order No. 24, in force 2022-02-08) and the Format Guidelines
(环办综合〔2021〕32号), as docs/obligations.md explains:

- an enterprise is obliged for a year when a department designated it a key pollutant-discharging
  unit or put it under mandatory cleaner-production audit for that year (`designations` on the
  enterprise), or when it is a listed company or bond issuer that an ecology and environment
  department punished the year before in one of the ways the rules list (a fine of ¥100,000 or
  more, or a sanction in `Inspection.sanctions`);
- an obliged enterprise owes the annual report for year Y by 15 March of Y+1, and a temporary
  report within 5 working days (China's official calendar, make-up working days included) of a
  penalty decision published as an inspection (`decided_on`, else `inspected_on`);
- each obligation is filed on time, filed late (by N calendar days), overdue, or not yet due,
  judged from the enterprise's disclosures (their `published_at`, China time) as of `today`.

The rules know nothing of Flask: the API, the page and the feed call `compute` (every
enterprise, kept in the shared cache of portal/cache.py under the data version and the day) and
`select_page`; an enterprise's page calls `for_enterprise`, which reads that enterprise's rows
only. Each takes a clock of its own, so tests can set the day.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

import chinese_calendar
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlmodel import Session, col

from portal.catalogue import words
from portal.codes import Issue
from portal.models.common import ID_RE, INVISIBLE, Source
from portal.models.department import Department
from portal.models.disclosure import Disclosure
from portal.models.enterprise import Designation, Enterprise, Sector
from portal.models.inspection import Inspection, Outcome, Sanction
from portal.models.times import AS_STORED, shown_in
from portal.records.query import (
    CHINA,
    MAX_LIMIT,
    MAX_TEXT,
    QueryError,
    bad,
    bad_cursor,
    control_character,
    not_one_of,
    parse_value,
    too_long,
)
from portal.records.read import names

RULES_IN_FORCE = date(2022, 2, 8)  # MEE Order No. 24
FIRST_YEAR = 2022  # the first reporting year the portal asks an annual report for
ANNUAL_DUE_MONTH, ANNUAL_DUE_DAY = 3, 15  # the annual report for Y by 15 March of Y+1
TEMPORARY_WORKING_DAYS = 5
FINE_THRESHOLD = 100_000  # yuan: a fine this large obliges a listed company or bond issuer
PUNISHING_FUNCTION = "environment"  # only ecology and environment departments' penalties count
CHUNK = 500


class ObligationType(StrEnum):
    """What is owed: the annual report, or a temporary report about one decision."""

    annual = "annual"
    temporary = "temporary"


class Status(StrEnum):
    """Where an obligation stands on the day asked about."""

    filed_on_time = "filed_on_time"
    filed_late = "filed_late"
    overdue = "overdue"
    not_yet_due = "not_yet_due"


class ReasonKind(StrEnum):
    """Why an enterprise must disclose in a year."""

    key_discharger = "key_discharger"
    cleaner_production_audit = "cleaner_production_audit"
    listed_company = "listed_company"
    bond_issuer = "bond_issuer"


# What made a punishment count for a listed company or bond issuer: a large fine or a sanction.
LARGE_FINE = "large_fine"

LABELS: dict[str, tuple[str, str]] = {
    "annual": ("年度报告", "annual report"),
    "temporary": ("临时报告", "temporary report"),
    "filed_on_time": ("按时披露", "filed on time"),
    "filed_late": ("逾期后披露", "filed late"),
    "overdue": ("逾期未披露", "overdue"),
    "not_yet_due": ("尚未到期", "not yet due"),
    "key_discharger": ("重点排污单位", "key pollutant-discharging unit"),
    "cleaner_production_audit": ("实施强制性清洁生产审核", "mandatory cleaner-production audit"),
    "listed_company": ("上一年度受到处罚的上市公司", "listed company punished the year before"),
    "bond_issuer": ("上一年度受到处罚的发债企业", "bond issuer punished the year before"),
    LARGE_FINE: ("罚款十万元以上", "fine of ¥100,000 or more"),
    "daily_penalty": ("按日连续处罚", "daily penalties"),
    "production_limit": ("限制生产", "production limited"),
    "production_suspension": ("停产整治", "production suspended"),
    "permit_revoked": ("吊销许可证件", "permit revoked"),
    "detention": ("相关人员被行政拘留", "managers or staff detained"),
    "criminal_liability": ("被追究刑事责任", "criminal liability"),
}


def obligation_label(value: str, lang: str) -> str:
    """A value of this module's vocabularies in Chinese or English (the value when unknown)."""
    pair = LABELS.get(value)
    if pair is None:
        return value
    return pair[1] if lang == "en" else pair[0]


# -- the official calendar ------------------------------------------------------------------------
def is_working_day(day: date) -> tuple[bool, bool]:
    """Whether a day is a working day in China's official calendar (holidays off, make-up
    working days on), and True as the second value when the calendar of that year is not known
    yet (`chinesecalendar` holds the State Council's notices; a year it lacks counts Monday to
    Friday)."""
    try:
        return bool(chinese_calendar.is_workday(day)), False
    except NotImplementedError:
        return day.weekday() < 5, True


def add_working_days(start: date, count: int) -> tuple[date, bool]:
    """The day `count` working days after `start` (the start day itself is not counted), and
    True when a day on the way fell in a year whose official calendar is not known yet."""
    day, done, estimated = start, 0, False
    while done < count:
        day += timedelta(days=1)
        working, unknown = is_working_day(day)
        estimated = estimated or unknown
        if working:
            done += 1
    return day, estimated


def annual_due(year: int) -> date:
    """The annual report for `year` is due by 15 March of the next year."""
    return date(year + 1, ANNUAL_DUE_MONTH, ANNUAL_DUE_DAY)


def today_in_china() -> date:
    """The day it is in China now."""
    return datetime.now(UTC).astimezone(CHINA).date()


def clock(configured: object = None) -> date:
    """The day obligations are judged on: a configured day (a date or YYYY-MM-DD, for tests
    and for looking back), else today in China."""
    if isinstance(configured, datetime):
        return configured.astimezone(CHINA).date()
    if isinstance(configured, date):
        return configured
    if isinstance(configured, str) and configured.strip():
        return date.fromisoformat(configured.strip())
    return today_in_china()


# -- what the public sees -------------------------------------------------------------------------
class Decision(BaseModel):
    """A penalty decision, published as an inspection by an ecology and environment department."""

    inspection_id: str
    decided_on: date = Field(description="decided_on of the inspection, else its inspected_on.")
    department_id: str = Field(description="The department that published the inspection.")
    penalty_yuan: int | None = None
    sanctions: list[str] = Field(default_factory=list)
    grounds: list[str] = Field(
        default_factory=list,
        description="Which of the punishments the rules list it is: large_fine (¥100,000 or "
        "more) and its sanctions. Empty when it obliges no listed company or bond issuer.",
    )


class Reason(BaseModel):
    """Why the enterprise is obliged in the year: a designation, or a punishment the year before."""

    kind: ReasonKind
    department_id: str | None = Field(default=None, description="The designating department.")
    department_name_zh: str | None = None
    department_name_en: str | None = None
    from_year: int | None = None
    to_year: int | None = None
    source: Source | None = Field(default=None, description="Where the designation was published.")
    decisions: list[Decision] = Field(
        default_factory=list,
        description="For listed companies and bond issuers: the punishments of the year before.",
    )


class Obligation(BaseModel):
    """One thing an enterprise owed the public under the disclosure rules, and whether it did."""

    id: str = Field(description="Stable: ENT-…/annual/YEAR or ENT-…/temporary/INS-….")
    type: ObligationType
    year: int = Field(description="The reporting year (for a temporary report, its decision's).")
    enterprise_id: str
    enterprise_name_zh: str
    enterprise_name_en: str | None = None
    province: str
    sector: Sector
    sample: bool = Field(description="True when the enterprise is an illustrative record.")
    reasons: list[Reason]
    decision: Decision | None = Field(
        default=None, description="The decision a temporary report is for."
    )
    due: date = Field(description="The last day to file, China time.")
    due_estimated: bool = Field(
        False,
        description="True when the official calendar of a year on the way is not known yet, so "
        "the working days were counted Monday to Friday.",
    )
    status: Status
    filed_on: date | None = Field(
        default=None, description="When the disclosure was published (China)."
    )
    days_late: int | None = Field(default=None, description="Calendar days after the due day.")
    overdue_since: date | None = Field(
        None, description="The day after the due day, when it was not filed by then."
    )
    disclosure_id: str | None = Field(default=None, description="The disclosure that met it.")


# -- gathering the facts --------------------------------------------------------------------------
@dataclass
class _Facts:
    """What one enterprise's obligations are computed from."""

    row: Any
    designations: list[Designation]
    decisions: list[Decision] = field(default_factory=list)
    annual: list[tuple[date, date, date, str]] = field(
        default_factory=list
    )  # start, end, filed, id
    temporary: list[tuple[date, date, date, str]] = field(default_factory=list)


def _china_day(moment: datetime) -> date:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return shown_in(moment, CHINA).date()


def _chunks(ids: Sequence[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


_SANCTIONS = tuple(s.value for s in Sanction)  # in the order the rules list them


def _grounds(penalty_yuan: int | None, sanctions: Sequence[str]) -> list[str]:
    found = [LARGE_FINE] if (penalty_yuan or 0) >= FINE_THRESHOLD else []
    return found + [s for s in _SANCTIONS if s in sanctions]


def _gather(session: Session, enterprise_id: str | None = None) -> dict[str, _Facts]:
    """Enterprises that may be obliged, with their penalty decisions and disclosures: every
    enterprise, or only `enterprise_id` (then every query reads that enterprise's rows only)."""
    facts: dict[str, _Facts] = {}
    conn = session.connection()  # plain rows: no ORM loading for thousands of them
    enterprises = select(
        col(Enterprise.id),
        col(Enterprise.name_zh),
        col(Enterprise.name_en),
        col(Enterprise.province),
        col(Enterprise.sector),
        col(Enterprise.sample),
        col(Enterprise.listed_company),
        col(Enterprise.bond_issuer),
        col(Enterprise.designations),
    ).where(col(Enterprise.withdrawn_at).is_(None))
    if enterprise_id is not None:
        enterprises = enterprises.where(col(Enterprise.id) == enterprise_id)
    for row in conn.execute(enterprises):
        designations = [
            Designation.model_validate(d, context=AS_STORED) for d in row.designations or []
        ]
        if designations or row.listed_company or row.bond_issuer:
            facts[row.id] = _Facts(row, designations)
    ids = sorted(facts)
    for chunk in _chunks(ids):
        for ins in conn.execute(
            select(
                col(Inspection.id),
                col(Inspection.enterprise_id),
                col(Inspection.inspected_on),
                col(Inspection.decided_on),
                col(Inspection.publisher_id),
                col(Inspection.penalty_yuan),
                col(Inspection.sanctions),
            )
            .join(Department, col(Department.id) == col(Inspection.publisher_id))
            .where(
                col(Inspection.enterprise_id).in_(chunk),
                col(Inspection.withdrawn_at).is_(None),
                col(Inspection.outcome) != Outcome.compliant.value,
                col(Department.function) == PUNISHING_FUNCTION,
            )
        ):
            sanctions = sorted(ins.sanctions or [])
            if not (ins.penalty_yuan or sanctions):
                continue  # no penalty decision: an order to rectify, say
            facts[ins.enterprise_id].decisions.append(
                Decision(
                    inspection_id=ins.id,
                    decided_on=ins.decided_on or ins.inspected_on,
                    department_id=ins.publisher_id,
                    penalty_yuan=ins.penalty_yuan,
                    sanctions=sanctions,
                    grounds=_grounds(ins.penalty_yuan, sanctions),
                )
            )
        for dis in conn.execute(
            select(
                col(Disclosure.id),
                col(Disclosure.enterprise_id),
                col(Disclosure.report_type),
                col(Disclosure.period_start),
                col(Disclosure.period_end),
                col(Disclosure.published_at),
            ).where(
                col(Disclosure.enterprise_id).in_(chunk), col(Disclosure.withdrawn_at).is_(None)
            )
        ):
            filed = (dis.period_start, dis.period_end, _china_day(dis.published_at), dis.id)
            target = facts[dis.enterprise_id]
            (target.annual if dis.report_type == "annual" else target.temporary).append(filed)
    for f in facts.values():
        f.decisions.sort(key=lambda d: (d.decided_on, d.inspection_id))
        f.annual.sort(key=lambda x: (x[2], x[3]))
        f.temporary.sort(key=lambda x: (x[2], x[3]))
    return facts


# -- the rules ------------------------------------------------------------------------------------
def _designated(
    f: _Facts, departments: Mapping[str, tuple[str, str | None]]
) -> list[tuple[Designation, Reason]]:
    """Each designation of the enterprise with the reason it gives (made once, shared by years)."""
    out = []
    for d in f.designations:
        zh, en = departments.get(d.department_id, (None, None))
        reason = Reason(
            kind=ReasonKind(d.kind.value),
            department_id=d.department_id,
            department_name_zh=zh,
            department_name_en=en,
            from_year=d.from_year,
            to_year=d.to_year,
            source=d.source,
        )
        out.append((d, reason))
    return out


def _reasons(
    f: _Facts, year: int, today: date, designated: Sequence[tuple[Designation, Reason]]
) -> list[Reason]:
    """Why the enterprise is obliged in `year` (empty: it is not, as far as the records show)."""
    out = [reason for d, reason in designated if d.applies_in(year)]
    if f.row.listed_company or f.row.bond_issuer:
        punished = [
            d
            for d in f.decisions
            if d.grounds and d.decided_on.year == year - 1 and d.decided_on <= today
        ]
        if punished:
            if f.row.listed_company:
                out.append(Reason(kind=ReasonKind.listed_company, decisions=punished))
            if f.row.bond_issuer:
                out.append(Reason(kind=ReasonKind.bond_issuer, decisions=punished))
    return out


def _judge(due: date, filed: tuple[date, str] | None, today: date) -> dict[str, Any]:
    """Status, filing day, lateness and the disclosure, for a due day and the first filing."""
    if filed is not None:
        day, disclosure_id = filed
        late = (day - due).days
        return {
            "status": Status.filed_on_time if late <= 0 else Status.filed_late,
            "filed_on": day,
            "days_late": late if late > 0 else None,
            "overdue_since": due + timedelta(days=1) if late > 0 else None,
            "disclosure_id": disclosure_id,
        }
    if today > due:
        return {"status": Status.overdue, "overdue_since": due + timedelta(days=1)}
    return {"status": Status.not_yet_due}


def _first_filing(
    filings: Sequence[tuple[date, date, date, str]], start: date, end: date, today: date
) -> tuple[date, str] | None:
    """The first disclosure (filed by `today`) whose period overlaps start..end."""
    for period_start, period_end, filed, disclosure_id in filings:
        if filed <= today and period_start <= end and period_end >= start:
            return filed, disclosure_id
    return None


def _obligations_of(
    f: _Facts, today: date, departments: Mapping[str, tuple[str, str | None]]
) -> list[Obligation]:
    row = f.row
    common = {
        "enterprise_id": row.id,
        "enterprise_name_zh": row.name_zh,
        "enterprise_name_en": row.name_en,
        "province": row.province,
        "sector": row.sector,
        "sample": row.sample,
    }
    out = []
    designated = _designated(f, departments)
    reasons_by_year = {
        year: _reasons(f, year, today, designated) for year in range(FIRST_YEAR, today.year + 1)
    }
    for year, reasons in reasons_by_year.items():
        if not reasons:
            continue
        due = annual_due(year)
        filed = _first_filing(f.annual, date(year, 1, 1), date(year, 12, 31), today)
        out.append(
            Obligation(
                id=f"{row.id}/annual/{year}",
                type=ObligationType.annual,
                year=year,
                reasons=reasons,
                due=due,
                **common,
                **_judge(due, filed, today),
            )
        )
    for decision in f.decisions:
        day = decision.decided_on
        if day < RULES_IN_FORCE or day > today or not reasons_by_year.get(day.year):
            continue
        due, estimated = add_working_days(day, TEMPORARY_WORKING_DAYS)
        filed = _first_filing(f.temporary, day, day, today)
        out.append(
            Obligation(
                id=f"{row.id}/temporary/{decision.inspection_id}",
                type=ObligationType.temporary,
                year=day.year,
                reasons=reasons_by_year[day.year],
                decision=decision,
                due=due,
                due_estimated=estimated,
                **common,
                **_judge(due, filed, today),
            )
        )
    return out


def _sort_key(o: Obligation) -> tuple[str, str]:
    return (o.due.isoformat(), o.id)


def _compute(session: Session, today: date, enterprise_id: str | None = None) -> list[Obligation]:
    facts = _gather(session, enterprise_id)
    wanted = {d.department_id for f in facts.values() for d in f.designations}
    departments = names(session, sorted(wanted))
    out = [o for f in facts.values() for o in _obligations_of(f, today, departments)]
    out.sort(key=_sort_key, reverse=True)  # the latest due first
    return out


def compute(session: Session, today: date) -> list[Obligation]:
    """Every obligation from 2022 to `today`'s year, judged as of `today`, the latest due first
    (the surfaces share it through `portal.cache.all_obligations`)."""
    return _compute(session, today)


def for_enterprise(session: Session, enterprise_id: str, today: date) -> list[Obligation]:
    """One enterprise's obligations, the latest due first (for its page): the same as its slice
    of `compute`, from its own designations, inspections and disclosures only."""
    return _compute(session, today, enterprise_id)


# -- the query ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ObligationCursor:
    """Where the next page starts: the last row's due day and id."""

    due: str
    id: str

    def encode(self) -> str:
        """Opaque, URL-safe form."""
        raw = json.dumps([self.due, self.id], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> ObligationCursor:
        """Parse an encoded cursor, or raise ValueError."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            due, obligation_id = json.loads(raw)
            date.fromisoformat(due)
        except (binascii.Error, ValueError, TypeError) as exc:
            raise ValueError("not a cursor of this portal") from exc
        if not (isinstance(obligation_id, str) and ID_RE.match(obligation_id.split("/", 1)[0])):
            raise ValueError("not a cursor of this portal")
        return cls(due, obligation_id)


class ObligationQueryError(QueryError):
    """A query a person must fix; `before_rules` names a year asked for before the rules."""

    def __init__(self, issues: list[Issue], before_rules: int | None = None) -> None:
        super().__init__(issues)
        self.before_rules = before_rules


FILTERS = ("year", "province", "sector", "status", "type", "enterprise")
PAGE_PARAMS = ("limit", "cursor")


@dataclass(frozen=True)
class ObligationQuery:
    """Which obligations: the filters, and a page."""

    year: int | None = None
    province: str | None = None
    sector: str | None = None
    status: str | None = None
    type: str | None = None
    enterprise: str | None = None
    limit: int = 50
    cursor: ObligationCursor | None = None

    def filters(self) -> dict[str, str]:
        """The filters as query-string values (for links), without the page."""
        return {n: str(getattr(self, n)) for n in FILTERS if getattr(self, n) is not None}


def before_rules_sentence(year: int, lang: str = "en") -> str:
    """What the portal says when asked about a year before the rules (the API in English, the
    obligations page in its language)."""
    return words(lang).gettext(
        "There are no disclosure obligations for %(year)d: the rules (Measures for the "
        "Administration of Legal Disclosure of Enterprise Environmental Information, MEE Order "
        "No. 24) are in force from %(in_force)s, and the first year they ask a report for is "
        "%(first)d (due by 15 March %(due)d). Ask for a year from %(first)d on.",
        year=year,
        in_force=RULES_IN_FORCE.isoformat(),
        first=FIRST_YEAR,
        due=FIRST_YEAR + 1,
    )


def _parse_year(raw: str, today: date) -> int:
    try:
        year = int(raw)
    except ValueError:
        example = today.year - 1
        message = f"'year' must be a year such as {example}, not '{raw}'."
        raise bad("not_a_year", message, name="year", value=raw, example=example) from None
    if year < FIRST_YEAR:
        issue = Issue(
            "before_rules",
            before_rules_sentence(year),
            {
                "year": year,
                "in_force": RULES_IN_FORCE.isoformat(),
                "first": FIRST_YEAR,
                "due": FIRST_YEAR + 1,
            },
        )
        raise ObligationQueryError([issue], before_rules=year)
    if year > today.year:
        raise bad(
            "year_not_known",
            f"Obligations for {year} are not known yet: the portal shows the years "
            f"{FIRST_YEAR} to {today.year}.",
            year=year,
            first=FIRST_YEAR,
            last=today.year,
        )
    return year


def _choice(name: str, raw: str, enum: type[StrEnum]) -> str:
    try:
        return enum(raw.lower()).value
    except ValueError:
        raise not_one_of(name, [e.value for e in enum]) from None


def parse_obligation_query(
    args: Mapping[str, str],
    today: date,
    *,
    default_limit: int = 50,
    ignore: tuple[str, ...] = (),
    fixed: tuple[str, ...] = (),
) -> ObligationQuery:
    """Query-string arguments as an ObligationQuery, or ObligationQueryError listing every problem.

    `ignore` names parameters another layer handles (`lang`); `fixed` names filters the surface
    decides itself (the overdue feed fixes `status`), which are refused when given."""
    problems: list[Issue] = []
    before: int | None = None
    allowed = (set(FILTERS) | set(PAGE_PARAMS)) - set(fixed)
    for name in args:
        if name in ignore or name in allowed:
            continue
        if name in fixed:
            message = f"This address already fixes '{name}'; remove it."
            problems.append(Issue("filter_fixed", message, {"name": name}))
        else:
            usable = sorted(allowed | set(ignore))
            problems.append(
                Issue(
                    "unknown_parameter",
                    f"Unknown parameter '{name[:40]}'; obligations take {', '.join(usable)}.",
                    {"name": name[:40], "kind": "obligations", "usable": usable},
                )
            )
    values: dict[str, Any] = {"limit": default_limit}
    for name in sorted(allowed):
        given = args.get(name) or ""
        raw = given.strip()
        if not raw:
            continue
        try:
            if len(given) > MAX_TEXT:  # as given, spaces too (as the API document counts it)
                raise too_long(name, MAX_TEXT)
            if INVISIBLE.search(given):
                raise control_character(name)
            if name == "year":
                values[name] = _parse_year(raw, today)
            elif name == "status":
                values[name] = _choice(name, raw, Status)
            elif name == "type":
                values[name] = _choice(name, raw, ObligationType)
            elif name == "cursor":
                try:
                    values[name] = ObligationCursor.decode(raw)
                except ValueError:
                    raise bad_cursor("cursor") from None
            elif name == "limit":
                values[name] = parse_value(None, "limit", raw)
            else:  # province, sector, enterprise: as every listing reads them
                values[name] = parse_value(None, name, raw)
        except ObligationQueryError as exc:
            problems.extend(exc.issues)
            before = exc.before_rules
        except QueryError as exc:
            problems.extend(exc.issues)
    if problems:
        raise ObligationQueryError(problems, before_rules=before)
    return ObligationQuery(**values)


def matches(o: Obligation, q: ObligationQuery, *, with_status: bool = True) -> bool:
    """True when the obligation passes the query's filters."""
    return (
        (q.year is None or o.year == q.year)
        and (q.province is None or o.province == q.province)
        and (q.sector is None or o.sector == q.sector)
        and (q.type is None or o.type == q.type)
        and (q.enterprise is None or o.enterprise_id == q.enterprise)
        and (not with_status or q.status is None or o.status == q.status)
    )


@dataclass(frozen=True)
class ObligationPage:
    """A page of obligations, how many match, the counts by status and the next cursor."""

    items: list[Obligation]
    total: int
    counts: dict[str, int]
    next_cursor: ObligationCursor | None


def select_page(obligations: Sequence[Obligation], q: ObligationQuery) -> ObligationPage:
    """Filter, count and page computed obligations (latest due first).

    `counts` are by status under the other filters, so a status filter still shows the rest."""
    counts = {s.value: 0 for s in Status}
    chosen = []
    for o in obligations:
        if matches(o, q, with_status=False):
            counts[o.status] += 1
            if q.status is None or o.status == q.status:
                chosen.append(o)
    start = 0
    if q.cursor is not None:
        after = (q.cursor.due, q.cursor.id)
        start = next((i for i, o in enumerate(chosen) if _sort_key(o) < after), len(chosen))
    page = chosen[start : start + q.limit]
    more = start + q.limit < len(chosen)
    next_cursor = ObligationCursor(page[-1].due.isoformat(), page[-1].id) if more else None
    return ObligationPage(page, len(chosen), counts, next_cursor)


def became_overdue(obligations: Iterable[Obligation], q: ObligationQuery) -> list[Obligation]:
    """Obligations that passed their due day unfiled (overdue now, or filed late since), the
    most recent first: what the overdue feed lists."""
    found = [o for o in obligations if o.overdue_since is not None and matches(o, q)]
    found.sort(key=lambda o: (o.overdue_since or o.due, o.id), reverse=True)
    return found


__all__ = [
    "FIRST_YEAR",
    "LABELS",
    "MAX_LIMIT",
    "RULES_IN_FORCE",
    "Decision",
    "Obligation",
    "ObligationCursor",
    "ObligationPage",
    "ObligationQuery",
    "ObligationQueryError",
    "ObligationType",
    "Reason",
    "ReasonKind",
    "Status",
    "add_working_days",
    "annual_due",
    "became_overdue",
    "clock",
    "compute",
    "for_enterprise",
    "is_working_day",
    "obligation_label",
    "parse_obligation_query",
    "select_page",
]
