"""The enterprise compliance table: per enterprise, what the records say of its compliance.

One row per enterprise (like US EPA ECHO's facility search): inspections, violations found,
open rectification orders, the last inspection, penalties from every source (inspection fines
and the `penalties` of incidents and enterprises) with their totals per currency, the incidents
that hold it responsible, and its overdue disclosure obligations. Every figure but the last is
an aggregate in SQL (one GROUP BY subquery per figure, joined to the filtered enterprises), so a
page costs the same whatever the sort; the overdue obligations are derived by the rules of
portal/records/obligations.py (a working-day calendar), which the caller passes in, counted per
enterprise, and joined as a VALUES table.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import (
    Boolean,
    Integer,
    Select,
    String,
    case,
    cast,
    false,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Session, col

from portal.codes import Issue
from portal.models import OPEN_ORDER
from portal.models.enterprise import Enterprise
from portal.models.incident import Incident, IncidentEnterprise
from portal.models.inspection import Inspection, Outcome
from portal.models.penalty import Currency, Penalty
from portal.records.listing import filtered
from portal.records.query import MAX_LIMIT, QueryError, RecordQuery, bad, parse_value

FILTERS = ("province", "city", "sector", "park")
MAX_PAGE = 100_000  # beyond it, a page of 1,000 would skip more enterprises than any register


class Order(StrEnum):
    """Ascending or descending."""

    asc = "asc"
    desc = "desc"


class Fine(BaseModel):
    """A total of fines in one currency."""

    currency: Currency
    amount: int = Field(description="The sum of the fines in this currency that give an amount.")
    approximate: bool = Field(
        description="Some fine in the sum is given by its source as approximate ('about')."
    )


class ComplianceRow(BaseModel):
    """One enterprise's compliance figures."""

    enterprise_id: str
    name_zh: str
    name_en: str | None
    province: str = Field(description="GB/T 2260 code of the province.")
    city_zh: str | None
    city_en: str | None
    sector: str
    park_zh: str | None
    park_en: str | None
    inspections: int = Field(description="Inspections of it.")
    violations: int = Field(description="Inspections whose outcome is `violation`.")
    open_orders: int = Field(
        description="Inspections that ordered rectification (`rectification_ordered`) and have "
        "no follow-up published yet, past their deadline or not."
    )
    last_inspection: date | None = Field(description="The day of its latest inspection.")
    penalties: int = Field(
        description="Penalties from every source: inspections with a fine, and the penalties "
        "of incidents and of its own record."
    )
    fines_cny: int = Field(description="The total of those penalties stated in CNY (yuan).")
    fines: list[Fine] = Field(
        description="The totals per currency, CNY first, then by code; amounts in different "
        "currencies are never converted or added together."
    )
    incidents: int = Field(description="Incidents that hold it responsible.")
    overdue_disclosures: int = Field(
        description="Disclosure obligations overdue today (docs/obligations.md)."
    )


# Sortable columns: the name in the query string -> the column of the row select.
SORTS = (
    "name",
    "id",
    "province",
    "city",
    "sector",
    "park",
    "inspections",
    "violations",
    "open_orders",
    "last_inspection",
    "penalties",
    "fines_cny",
    "incidents",
    "overdue_disclosures",
)
_SORT_COLUMN = {"name": "name_zh", "id": "enterprise_id", "city": "city_zh", "park": "park_zh"}


@dataclass(frozen=True)
class ComplianceQuery:
    """Which enterprises, in which order, which page."""

    province: str | None = None
    city: str | None = None
    sector: str | None = None
    park: str | None = None
    sort: str = "name"
    order: Order = Order.asc
    page: int = 1
    limit: int = 50

    def filters(self) -> dict[str, str]:
        """The query's filters and order as query-string arguments (page aside)."""
        out = {n: getattr(self, n) for n in FILTERS if getattr(self, n)}
        if self.sort != "name" or self.order != Order.asc:
            out |= {"sort": self.sort, "order": self.order.value}
        return out


def _whole(name: str, raw: str, low: int, high: int) -> int:
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        message = f"'{name}' must be a whole number from {low:,} to {high:,}."
        raise bad("not_a_whole_number", message, name=name, low=low, high=high)
    return int(text)


def parse_compliance_query(
    args: Mapping[str, str], *, default_limit: int = 50, ignore: Iterable[str] = ()
) -> ComplianceQuery:
    """The query string as a ComplianceQuery, or QueryError with a sentence per problem."""
    known = {*FILTERS, "sort", "order", "page", "limit", *ignore}
    usable = sorted(known - set(ignore))
    problems = [
        Issue(
            "unknown_parameter",
            f"Unknown parameter '{name}'; the compliance table takes {', '.join(usable)}.",
            {"name": name, "kind": "compliance", "usable": usable},
        )
        for name in args
        if name not in known
    ]
    found: dict[str, Any] = {"limit": default_limit}
    for name in FILTERS:
        raw = args.get(name, "")
        if raw.strip():
            try:
                found[name] = parse_value(None, name, raw)
            except QueryError as exc:
                problems.extend(exc.issues)
    sort = args.get("sort", "").strip()
    if sort:
        if sort not in SORTS:
            message = f"'sort' must be one of {', '.join(SORTS)}."
            problems.append(Issue("not_one_of", message, {"name": "sort", "choices": list(SORTS)}))
        else:
            found["sort"] = sort
    order = args.get("order", "").strip().lower()
    if order:
        if order not in Order.__members__:
            message = "'order' must be asc (smallest first) or desc (largest first)."
            choices = ["asc", "desc"]
            problems.append(Issue("not_one_of", message, {"name": "order", "choices": choices}))
        else:
            found["order"] = Order(order)
    for name, high in (("page", MAX_PAGE), ("limit", MAX_LIMIT)):
        raw = args.get(name, "")
        if raw.strip():
            try:
                found[name] = _whole(name, raw, 1, high)
            except QueryError as exc:
                problems.extend(exc.issues)
    if problems:
        raise QueryError(problems)
    return ComplianceQuery(**found)


def _overdue_table(session: Session, overdue: Mapping[str, int]) -> Any:
    """The overdue obligations per enterprise as a table the query can join: a JSON object in
    one bound parameter, read by the database's own JSON table function (thousands of rows
    stay clear of the limits on bound parameters, and no value is written into the SQL)."""
    if not overdue:
        return select(
            literal("", String).label("enterprise_id"), literal(0, Integer).label("n")
        ).where(false())
    document = literal(json.dumps(dict(overdue), separators=(",", ":")), String)
    if session.get_bind().dialect.name == "postgresql":
        pairs = func.jsonb_each_text(cast(document, JSONB)).table_valued("key", "value")
    else:
        pairs = func.json_each(document).table_valued("key", "value")
    return select(pairs.c.key.label("enterprise_id"), cast(pairs.c.value, Integer).label("n"))


def _gone() -> Any:
    """The ids of withdrawn incidents and enterprises: their penalties no longer count."""
    return union_all(
        select(col(Incident.id)).where(col(Incident.withdrawn_at).is_not(None)),
        select(col(Enterprise.id)).where(col(Enterprise.withdrawn_at).is_not(None)),
    )


def _fines() -> Any:
    """Every penalty of a live record: an inspection's fine (CNY), and the penalties listed on
    incidents and enterprises, as (enterprise_id, currency, amount, approximate)."""
    gone = _gone()
    return union_all(
        select(
            col(Inspection.enterprise_id).label("enterprise_id"),
            literal(Currency.CNY.value, String).label("currency"),
            col(Inspection.penalty_yuan).label("amount"),
            literal(False, Boolean).label("approximate"),
        ).where(col(Inspection.withdrawn_at).is_(None), col(Inspection.penalty_yuan) > 0),
        select(
            col(Penalty.enterprise_id),
            col(Penalty.currency),
            col(Penalty.amount),
            col(Penalty.approximate),
        ).where(col(Penalty.record_id).not_in(gone)),
    ).subquery("fines")


def rows_select(
    session: Session,
    query: ComplianceQuery,
    overdue: Mapping[str, int],
    only: str | None = None,
) -> Select[Any]:
    """The compliance rows of the filtered enterprises (or of the one `only`), in no order."""
    listing = RecordQuery(
        kind="enterprises",
        province=query.province,
        city=query.city,
        sector=query.sector,
        park=query.park,
    )
    chosen = filtered(session, listing, walk=False)
    if only is not None:
        chosen = chosen.where(col(Enterprise.id) == only)
    ents = chosen.with_only_columns(
        col(Enterprise.id),
        col(Enterprise.name_zh),
        col(Enterprise.name_en),
        col(Enterprise.province),
        col(Enterprise.city_zh),
        col(Enterprise.city_en),
        col(Enterprise.sector),
        col(Enterprise.park_zh),
        col(Enterprise.park_en),
    ).subquery("e")
    # Each figure reads an index only (models/__init__.py, migration 0012): the rows of an
    # inspection hold its findings, and reading 45,000 of them took 0.7 s at 100,000 records.
    ins = (
        select(
            col(Inspection.enterprise_id).label("enterprise_id"),
            func.count().label("n"),
            func.sum(case((col(Inspection.outcome) == Outcome.violation.value, 1), else_=0)).label(
                "violations"
            ),
            func.max(col(Inspection.inspected_on)).label("last"),
            func.sum(case((col(Inspection.penalty_yuan) > 0, 1), else_=0)).label("fined"),
            func.sum(col(Inspection.penalty_yuan)).label("yuan"),
        )
        .where(col(Inspection.withdrawn_at).is_(None))
        .group_by(col(Inspection.enterprise_id))
        .subquery("ins")
    )
    orders = (
        select(col(Inspection.enterprise_id).label("enterprise_id"), func.count().label("n"))
        .where(*OPEN_ORDER)
        .group_by(col(Inspection.enterprise_id))
        .subquery("orders")
    )
    # The inspections' fines are counted above; the penalty table's (incidents', enterprises')
    # here, then added: the same sums as fines_of() over _fines(), in one pass of each.
    pen = (
        select(
            col(Penalty.enterprise_id).label("enterprise_id"),
            func.count().label("n"),
            func.sum(
                case((col(Penalty.currency) == Currency.CNY.value, col(Penalty.amount)), else_=0)
            ).label("cny"),
        )
        .where(col(Penalty.record_id).not_in(_gone()))
        .group_by(col(Penalty.enterprise_id))
        .subquery("pen")
    )
    inc = (
        select(
            col(IncidentEnterprise.enterprise_id).label("enterprise_id"),
            func.count().label("n"),
        )
        .join(Incident, col(Incident.id) == col(IncidentEnterprise.incident_id))
        .where(col(Incident.withdrawn_at).is_(None))
        .group_by(col(IncidentEnterprise.enterprise_id))
        .subquery("inc")
    )
    late = _overdue_table(session, overdue).subquery("late")
    return (
        select(
            ents.c.id.label("enterprise_id"),
            ents.c.name_zh,
            ents.c.name_en,
            ents.c.province,
            ents.c.city_zh,
            ents.c.city_en,
            ents.c.sector,
            ents.c.park_zh,
            ents.c.park_en,
            func.coalesce(ins.c.n, 0).label("inspections"),
            func.coalesce(ins.c.violations, 0).label("violations"),
            func.coalesce(orders.c.n, 0).label("open_orders"),
            ins.c.last.label("last_inspection"),
            (func.coalesce(ins.c.fined, 0) + func.coalesce(pen.c.n, 0)).label("penalties"),
            (func.coalesce(ins.c.yuan, 0) + func.coalesce(pen.c.cny, 0)).label("fines_cny"),
            func.coalesce(inc.c.n, 0).label("incidents"),
            func.coalesce(late.c.n, 0).label("overdue_disclosures"),
        )
        .select_from(ents)
        .outerjoin(ins, ins.c.enterprise_id == ents.c.id)
        .outerjoin(orders, orders.c.enterprise_id == ents.c.id)
        .outerjoin(pen, pen.c.enterprise_id == ents.c.id)
        .outerjoin(inc, inc.c.enterprise_id == ents.c.id)
        .outerjoin(late, late.c.enterprise_id == ents.c.id)
    )


def _ordered(rows: Any, query: ComplianceQuery) -> list[Any]:
    """ORDER BY the sort column in the query's direction (empty values last either way), then
    the enterprise id, ascending, so that equal rows keep one order on every page."""
    key = rows.c[_SORT_COLUMN.get(query.sort, query.sort)]
    direction = key.desc() if query.order == Order.desc else key.asc()
    return [key.is_(None), direction, rows.c.enterprise_id.asc()]


@dataclass(frozen=True)
class CompliancePage:
    """One page of the table, the number of rows across pages and the last page's number."""

    rows: list[ComplianceRow]
    total: int
    pages: int


def fines_of(session: Session, enterprise_ids: Sequence[str]) -> dict[str, list[Fine]]:
    """Totals of fines per enterprise, per currency (CNY first), for the enterprises given."""
    if not enterprise_ids:
        return {}
    fines = _fines()
    cny_first = case((fines.c.currency == Currency.CNY.value, 0), else_=1)
    out: dict[str, list[Fine]] = defaultdict(list)
    for enterprise_id, currency, amount, approximate in session.execute(
        select(
            fines.c.enterprise_id,
            fines.c.currency,
            func.coalesce(func.sum(fines.c.amount), 0),
            func.max(case((fines.c.approximate, 1), else_=0)),
        )
        .where(fines.c.enterprise_id.in_(list(enterprise_ids)))
        .group_by(fines.c.enterprise_id, fines.c.currency)
        .order_by(fines.c.enterprise_id, cny_first, fines.c.currency)
    ):
        out[enterprise_id].append(
            Fine(currency=currency, amount=int(amount), approximate=bool(approximate))
        )
    return out


class PenaltyEntry(BaseModel):
    """One penalty of an enterprise, from whichever record carries it."""

    record_id: str = Field(description="The inspection, incident or enterprise that lists it.")
    amount: int | None
    currency: Currency
    approximate: bool
    authority_zh: str | None = Field(description="Who imposed it; null for an inspection's fine.")
    authority_en: str | None
    department_id: str | None = Field(description="The department, when it is one on the portal.")
    decided_on: date | None
    source: dict[str, Any] | None


def penalties_of(session: Session, enterprise_id: str) -> list[PenaltyEntry]:
    """Every penalty of one enterprise from every live record, the latest first (those of
    unknown date last), then by the record that carries it."""
    gone = _gone()
    found = [
        PenaltyEntry(
            record_id=r.id,
            amount=r.penalty_yuan,
            currency=Currency.CNY,
            approximate=False,
            authority_zh=None,
            authority_en=None,
            department_id=r.publisher_id,
            decided_on=r.decided_on or r.inspected_on,
            source=None,
        )
        for r in session.execute(
            select(Inspection).where(
                col(Inspection.enterprise_id) == enterprise_id,
                col(Inspection.withdrawn_at).is_(None),
                col(Inspection.penalty_yuan) > 0,
            )
        ).scalars()
    ]
    found += [
        PenaltyEntry.model_validate(p.model_dump())
        for p in session.execute(
            select(Penalty)
            .where(col(Penalty.enterprise_id) == enterprise_id, col(Penalty.record_id).not_in(gone))
            .order_by(col(Penalty.id))
        ).scalars()
    ]
    found.sort(key=lambda e: e.record_id)
    found.sort(key=lambda e: e.decided_on or date.min, reverse=True)
    return found


class PageOutOfRange(QueryError):
    """A page past the last one."""


def compliance_page(
    session: Session, query: ComplianceQuery, overdue: Mapping[str, int]
) -> CompliancePage:
    """One page of the compliance table, or PageOutOfRange when the page is past the last."""
    rows = rows_select(session, query, overdue).subquery("rows")
    found = session.execute(
        select(rows, func.count().over().label("total"))
        .order_by(*_ordered(rows, query))
        .offset((query.page - 1) * query.limit)
        .limit(query.limit)
    ).all()
    if found:  # the total over every row comes with each row of the page: one pass
        total = found[0].total
    else:
        total = session.execute(select(func.count()).select_from(rows)).scalar_one()
    pages = max(1, -(-total // query.limit))
    if query.page > pages:
        message = (
            f"Page {query.page:,} is past the last page ({pages:,}) of {total:,} "
            f"enterprises at {query.limit:,} a page."
        )
        params = {"page": query.page, "pages": pages, "total": total, "limit": query.limit}
        raise PageOutOfRange([Issue("page_past_last", message, params)])
    return CompliancePage(_complete(session, found), total, pages)


def all_rows(
    session: Session, query: ComplianceQuery, overdue: Mapping[str, int], size: int = 1000
) -> Any:
    """Every row of the table in the query's order, a batch at a time (for downloads)."""
    rows = rows_select(session, query, overdue).subquery("rows")
    result = session.execute(select(rows).order_by(*_ordered(rows, query)))
    while batch := result.fetchmany(size):
        yield _complete(session, batch)


def _complete(session: Session, found: Sequence[Any]) -> list[ComplianceRow]:
    totals = fines_of(session, [r.enterprise_id for r in found])
    return [ComplianceRow(**dict(r._mapping), fines=totals.get(r.enterprise_id, [])) for r in found]


def for_enterprise(session: Session, enterprise_id: str, overdue: int = 0) -> ComplianceRow | None:
    """One enterprise's row (its page's summary), whatever its filters."""
    late = {enterprise_id: overdue} if overdue else {}
    found = session.execute(rows_select(session, ComplianceQuery(), late, enterprise_id)).all()
    return _complete(session, found)[0] if found else None
