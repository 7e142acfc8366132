"""Checks a write must pass beyond its model: references exist, replies answer what names them,
credit codes are unique, and a writer credits only itself and the departments under it. Each
returns Problems rather than raising, so every one is reported."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import Enum
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from sqlmodel import Session, col, select

from portal.codes import CODES, Issue, Param, json_safe
from portal.models.department import Department
from portal.models.enterprise import Enterprise
from portal.models.incident import IncidentEnterprise
from portal.models.inspection import Inspection
from portal.records.kinds import Kind, kind_of_id
from portal.records.listing import department_subtree


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one item of a write: which item, which field, a sentence, and the
    sentence's code and parameters (portal/codes.py)."""

    index: int
    field: str
    message: str
    code: str
    params: Mapping[str, Param] = dataclass_field(default_factory=dict)

    def __post_init__(self) -> None:
        Issue(self.code, self.message, self.params)  # refuses a code CODES does not know

    @property
    def issue(self) -> Issue:
        """The problem without its place: what the pages translate."""
        return Issue(self.code, self.message, self.params)


def no_such_record(index: int, field: str, record_id: str) -> Problem:
    """A record named that is not published."""
    message = f"there is no record {record_id}"
    return Problem(index, field, message, "no_such_record", {"id": record_id})


def withdrawn(index: int, record_id: str) -> Problem:
    """A change to a withdrawn record."""
    message = f"{record_id} was withdrawn and cannot change"
    return Problem(index, "id", message, "withdrawn", {"id": record_id})


def reason_too_long() -> Problem:
    """A public reason over 2,000 characters."""
    message = "keep the reason under 2,000 characters"
    return Problem(0, "reason", message, "string_too_long", {"max_length": 2000})


class RecordError(ValueError):
    """A write that cannot be made as asked; `problems` says each reason."""

    def __init__(self, problems: list[Problem], status: str = "invalid") -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems
        self.status = status  # invalid, forbidden, not_found, conflict, gone


@dataclass(frozen=True)
class Writer:
    """Who writes, and the publishers it may act and speak for (`bounds`): itself and, for a
    department, every department under it."""

    publisher_id: str
    bounds: frozenset[str]


def writer_of(session: Session, publisher_id: str) -> Writer:
    """The writer a publisher is: a department's bounds hold its bureaus, an enterprise's itself."""
    if publisher_id.startswith("DEP-"):
        return Writer(publisher_id, frozenset(department_subtree(session, publisher_id)))
    return Writer(publisher_id, frozenset({publisher_id}))


# Where a record speaks in a department's name: a statement on an incident's timeline, and a
# designation that obliges an enterprise to disclose (docs/obligations.md).
CREDITS = {"incidents": "updates", "enterprises": "designations"}


def check_credits(
    kind: Kind, items: Sequence[Any], writer: Writer, published: Mapping[str, Mapping[str, Any]]
) -> list[Problem]:
    """Each department a record credits is the writer or under it, and what another department
    said stays as it said it.

    An entry the published record already carries, word for word, stays: a trusted load (the
    sample set) may have credited others, and correcting another field must not drop them. Nor
    may a correction drop or reword it: a statement on an incident's timeline is its
    department's, and only that department (or one above it) takes it back."""
    if kind.name == "departments":
        return _check_placement(items, writer, published)
    name = CREDITS.get(kind.name)
    if name is None:
        return []
    problems = []
    for index, item in enumerate(items):
        before = published.get(getattr(item, "id", None) or "", {}).get(name) or []
        known = {json.dumps(entry, sort_keys=True) for entry in before}
        entries = item.model_dump(mode="json", include={name})[name]
        for n, entry in enumerate(entries):
            credited = entry["department_id"]
            if credited in writer.bounds or json.dumps(entry, sort_keys=True) in known:
                continue
            who = writer.publisher_id
            problems.append(
                Problem(
                    index,
                    f"{name}.{n}.department_id",
                    f"{credited} is neither {who} nor a department under it; {who} may credit "
                    "only itself and the departments under it",
                    "credit_outside_bounds",
                    {"department": credited, "writer": who},
                )
            )
        now = {json.dumps(entry, sort_keys=True) for entry in entries}
        for entry in before:
            credited = entry.get("department_id")
            if credited in writer.bounds or json.dumps(entry, sort_keys=True) in now:
                continue
            who = writer.publisher_id
            problems.append(
                Problem(
                    index,
                    name,
                    f"the entry credited to {credited} is its own: {who} may not remove or "
                    f"change it; keep it as it is, and ask {credited} to correct it",
                    "credit_kept",
                    {"department": str(credited), "writer": who},
                )
            )
    return problems


def _check_placement(
    items: Sequence[Any], writer: Writer, published: Mapping[str, Mapping[str, Any]]
) -> list[Problem]:
    """A department writer places departments only under itself or its bureaus (or under none),
    and moves only those it already has there: placing one under itself widens its bounds (it
    could then correct everything that department published), so a department elsewhere stays
    where it is."""
    problems = []
    who = writer.publisher_id
    # A new department placed within the bounds by this same write is within them for the
    # rest: one file may hold a city bureau and the county bureau under it.
    bounds = set(writer.bounds)
    grew = True
    while grew:
        new = (i for i in items if i.id and i.id not in published)
        placed = {i.id for i in new if i.parent_id in bounds} - bounds
        bounds |= placed
        grew = bool(placed)
    for index, item in enumerate(items):
        parent = item.parent_id
        before = published.get(item.id or "", {}).get("parent_id") if item.id else None
        if parent is None or (item.id in published and parent == before):
            continue  # a department under none widens nobody's bounds
        if parent not in bounds:
            problems.append(
                Problem(
                    index,
                    "parent_id",
                    f"{who} may place a department only under itself or a department under it, "
                    f"not under {parent}",
                    "placement_outside_bounds",
                    {"parent": parent, "writer": who},
                )
            )
        elif item.id in published and before not in writer.bounds:
            problems.append(
                Problem(
                    index,
                    "parent_id",
                    f"{item.id} is under {before or 'no department'}, outside {who}'s; only "
                    f"{before or 'a trusted load'} may move it",
                    "placement_move",
                    {"id": item.id, "parent": before or "", "writer": who},
                )
            )
    return problems


def may_not_change(
    record_id: str, owner: str, named: str, writer: Writer | None, index: int = 0
) -> Problem | None:
    """The problem when this writer may not change the record as asked; else None.

    Checked before the reason: a writer that may not correct a record is not told that a
    reason would let it."""
    if writer is not None and owner not in writer.bounds:
        who = writer.publisher_id
        return Problem(
            index,
            "id",
            f"{record_id} was published by {owner}; {who} may correct only its own records and "
            "those of the departments under it. To point out an error, report it as a tip",
            "not_own_record",
            {"id": record_id, "owner": owner, "writer": who},
        )
    if named != owner:
        return Problem(
            index,
            "publisher_id",
            f"{record_id} was published by {owner}, and a correction never changes who "
            f"published a record: leave publisher_id out or give {owner}",
            "publisher_change",
            {"id": record_id, "owner": owner},
        )
    return None


def publishers_of(session: Session, kind: Kind, ids: Sequence[str]) -> dict[str, str]:
    """For each id already published: who published it."""
    table = kind.table
    out: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        rows = session.exec(select(table.id, table.publisher_id).where(table.id.in_(chunk)))
        out.update((record_id, publisher) for record_id, publisher in rows)
    return out


def _choices(model: Any, loc: Sequence[int | str]) -> list[str]:
    """The values a field of `model` takes (an enum's or a Literal's), found by the error's
    location: pydantic's context says them only in a sentence."""
    kind: Any = model
    for part in loc:
        kind = _unwrapped(kind)
        if isinstance(part, int):
            args = [a for a in get_args(kind) if a is not type(None)]
            kind = args[0] if args else None
        elif isinstance(kind, type) and issubclass(kind, BaseModel) and part in kind.model_fields:
            kind = kind.model_fields[part].annotation
        else:
            return []
    kind = _unwrapped(kind)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return [str(e.value) for e in kind]
    if get_origin(kind) is Literal:
        return [str(a) for a in get_args(kind)]
    return []


def _unwrapped(kind: Any) -> Any:
    """A field's type without Annotated and without None (an optional field's)."""
    while True:
        if get_origin(kind) is Annotated:
            kind = get_args(kind)[0]
        elif get_origin(kind) in (Union, UnionType):
            rest = [a for a in get_args(kind) if a is not type(None)]
            if len(rest) != 1:
                return kind
            kind = rest[0]
        else:
            return kind


def validation_problems(
    index: int, error: ValidationError, model: type[BaseModel] | None = None
) -> list[Problem]:
    """Turn pydantic's errors into Problems with dotted field paths and plain sentences; the
    code is pydantic's error type (or our validators' own), its parameters the error's context.
    A type CODES does not list is `invalid_value`, its sentence the rule it broke."""
    problems = []
    for err in error.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "record"
        message, code = err["msg"], err["type"]
        params = json_safe(err.get("ctx") or {})
        if code in ("enum", "literal_error"):
            params["choices"] = _choices(model, err["loc"]) if model is not None else []
        if code == "extra_forbidden":
            message = "is not a field of this kind of record; check the spelling"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        elif code == "missing":
            message = "is required"
        wanted = CODES.get(code)
        if wanted is None or not set(wanted[1]) <= set(params):
            problems.append(Problem(index, loc, message, "invalid_value"))
        else:
            params = {name: params[name] for name in wanted[1]}
            problems.append(Problem(index, loc, message, code, params))
    return problems


def existing_ids(session: Session, table: Any, ids: Iterable[str]) -> set[str]:
    wanted = sorted(set(ids))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(session.exec(select(table.id).where(table.id.in_(chunk))))
    return found


def check_references(session: Session, kind: Kind, items: Sequence[Any]) -> list[Problem]:
    """Every id a record names must exist (in the database or earlier in the same write)."""
    own_ids = {getattr(i, "id", None) for i in items}
    wants: dict[str, list[tuple[int, str, str]]] = defaultdict(list)  # table -> (index, field, id)
    for index, item in enumerate(items):
        publisher = item.publisher_id
        wants["DEP" if publisher.startswith("DEP-") else "ENT"].append(
            (index, "publisher_id", publisher)
        )
        if kind.name == "departments" and item.parent_id:
            wants["DEP"].append((index, "parent_id", item.parent_id))
        if hasattr(item, "enterprise_id"):
            wants["ENT"].append((index, "enterprise_id", item.enterprise_id))
        for n, r in enumerate(getattr(item, "responsible", None) or []):
            wants["ENT"].append((index, f"responsible.{n}.enterprise_id", r.enterprise_id))
        for n, u in enumerate(getattr(item, "updates", None) or []):
            wants["DEP"].append((index, f"updates.{n}.department_id", u.department_id))
        for n, p in enumerate(getattr(item, "penalties", None) or []):
            if p.enterprise_id is not None:
                wants["ENT"].append((index, f"penalties.{n}.enterprise_id", p.enterprise_id))
            if p.department_id is not None:
                wants["DEP"].append((index, f"penalties.{n}.department_id", p.department_id))
    problems = []
    for prefix, table in (("DEP", Department), ("ENT", Enterprise)):
        found = existing_ids(session, table, (ref for _, _, ref in wants[prefix]))
        for index, field, ref in wants[prefix]:
            if ref in found or ref in own_ids:
                continue
            what = "department" if prefix == "DEP" else "enterprise"
            if field == "publisher_id" and not ref.startswith(("DEP-", "ENT-")):
                message = f"{ref} is not a publisher: a publisher is a department or an enterprise"
                problems.append(Problem(index, field, message, "not_a_publisher", {"id": ref}))
            else:
                message = f"there is no {what} {ref}; publish it first"
                params = {"what": what, "id": ref}
                problems.append(Problem(index, field, message, "missing_reference", params))
    if kind.name == "inspections":
        for index, item in enumerate(items):
            if not item.publisher_id.startswith("DEP-"):
                problems.append(
                    Problem(
                        index,
                        "publisher_id",
                        "inspections are published by a department",
                        "inspection_publisher",
                    )
                )
    if kind.name == "responses":
        problems.extend(_check_subjects(session, items))
    if kind.name == "enterprises":
        problems.extend(_check_credit_codes(session, items))
    return problems


def _check_subjects(session: Session, items: Sequence[Any]) -> list[Problem]:
    """A response answers an incident or inspection that names its enterprise."""
    problems = []
    for index, item in enumerate(items):
        subject, enterprise = item.subject_id, item.enterprise_id
        if subject.startswith("INS-"):
            named = session.exec(
                select(Inspection.enterprise_id).where(col(Inspection.id) == subject)
            ).one_or_none()
            ok, exists_ = named == enterprise, named is not None
        else:
            names = set(
                session.exec(
                    select(IncidentEnterprise.enterprise_id).where(
                        col(IncidentEnterprise.incident_id) == subject
                    )
                )
            )
            exists_ = bool(existing_ids(session, kind_of_id(subject).table, [subject]))
            ok = enterprise in names
        if not exists_:
            problems.append(no_such_record(index, "subject_id", subject))
        elif not ok:
            problems.append(
                Problem(
                    index,
                    "subject_id",
                    f"{subject} does not name {enterprise}; "
                    "an enterprise replies only to records that name it",
                    "subject_not_naming",
                    {"subject": subject, "enterprise": enterprise},
                )
            )
    return problems


def _check_credit_codes(session: Session, items: Sequence[Any]) -> list[Problem]:
    """A credit code belongs to one enterprise only."""
    problems = []
    seen: dict[str, str] = {}
    codes = {i.credit_code: i.id for i in items if i.credit_code}
    owners: dict[str, str] = {}
    chunk = sorted(codes)
    for start in range(0, len(chunk), 500):
        rows = session.exec(
            select(Enterprise.credit_code, Enterprise.id).where(
                col(Enterprise.credit_code).in_(chunk[start : start + 500])
            )
        )
        owners.update({code: owner for code, owner in rows if code})
    for index, item in enumerate(items):
        code, own = item.credit_code, item.id
        if not code:
            continue
        other = owners.get(code) or seen.get(code)
        if other and other != own:
            message = f"{code} already belongs to {other}"
            params = {"credit_code": code, "owner": other}
            problems.append(Problem(index, "credit_code", message, "credit_code_taken", params))
        seen[code] = own
    return problems
