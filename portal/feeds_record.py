"""One record's own feed: /feeds/records/<id>.atom and .rss, for every record with a page.

Where the other feeds hold one entry per record (a correction moves it), this one holds one
entry per event in the record's life, so that a reader following the Longjiang incident sees
each thing that happened to it: the publication, every correction (what changed and why), the
withdrawal, each department's timeline update (incidents) and each enterprise's reply. Entries
come newest first, `updated` the time the event happened. Their ids are tag URIs that never
change: `<record>/revisions/<n>`, `<record>/updates/<department>/<time>` and, for a reply, the
reply's own id (the same entry as in every other feed).

One address rule for every kind, `/feeds/records/<id>`: `/feeds/enterprises/<id>` and
`/feeds/departments/<id>` already follow everything about an enterprise or a department.

Its routes join `portal.feeds.bp`, so import this module before that blueprint is registered.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask import Response, abort, current_app, request
from sqlalchemy import select
from sqlmodel import Session

from portal import records
from portal.cache import remembered
from portal.catalogue import words
from portal.conditional import base_url, not_modified, stamp, validator
from portal.db import request_session
from portal.feeds import (
    FMT,
    FORMATS,
    MAX_AGE,
    TAG_DATE,
    Built,
    Entry,
    Feed,
    QueryRefused,
    bp,
    builds,
    correction_note,
    document,
    entry_id,
    entry_title,
    feed_args,
    headline,
    paragraph,
    record_entry,
    record_text,
    tag_authority,
    withdrawal_note,
)
from portal.models.common import RecordPublic, requested_id
from portal.models.revision import Action, RevisionPublic
from portal.records import PUBLIC_KINDS, QueryError, RecordQuery
from portal.records.listing import data_version

Names = Mapping[str, tuple[str, str | None]]


def _who(names: Names, record_id: str, lang: str) -> str:
    zh, en = names.get(record_id, (record_id, None))
    return (en or zh) if lang == "en" else zh


def _event(term: str, lang: str, base: str) -> tuple[str, str, str]:
    """The category saying what kind of event an entry is (scheme /feeds/records)."""
    say = words(lang)
    shown = {
        "publish": say.pgettext("feed event", "Published"),
        "correct": say.pgettext("feed event", "Corrected"),
        "withdraw": say.pgettext("feed event", "Withdrawn"),
        "update": say.pgettext("feed event", "Update"),
    }[term]
    return term, f"{base}/feeds/records", shown


def _who_url(record_id: str, base: str) -> str:
    try:
        return f"{base}/{records.kind_of_id(record_id).name}/{record_id}"
    except records.UnknownKind:
        return base


def revision_entry(
    item: RecordPublic, revision: RevisionPublic, names: Names, lang: str, base: str
) -> Entry:
    """The publication, a correction or the withdrawal, as the revision log holds it."""
    say, shown = words(lang), headline(item, names, lang)
    if revision.action == Action.withdraw:
        title = say.gettext("[Withdrawn] %(title)s", title=shown)
        summary = withdrawal_note(item, revision, names, lang)
    elif revision.action == Action.correct:
        title = say.gettext(
            "Corrected (revision %(number)d): %(title)s", number=revision.number, title=shown
        )
        summary = correction_note(revision, names, lang)
    else:
        title = say.gettext("Published: %(title)s", title=shown)
        summary = record_text(item, lang)
    return Entry(
        id=entry_id(f"{item.id}/revisions/{revision.number}"),
        title=title,
        link=f"{base}/{item.kind}/{item.id}",
        # When the event was published: a publication keeps the date its publisher gave, even
        # when the portal recorded it later (an import of old records); a revision from before
        # the portal kept that time says when it was recorded.
        published=revision.published_at or revision.at,
        updated=revision.published_at or revision.at,
        author=_who(names, revision.author_id, lang),
        author_url=_who_url(revision.author_id, base),
        summary=summary,
        categories=[_event(revision.action.value, lang, base)],
    )


def update_entries(item: RecordPublic, names: Names, lang: str, base: str) -> list[Entry]:
    """An incident's timeline: one entry per department's update, at the update's time. Its
    id is the department and the time, which a correction of other updates leaves alone."""
    out = []
    for update in getattr(item, "updates", None) or []:
        at = update.at.astimezone(UTC)
        who = _who(names, update.department_id, lang)
        text = (update.text_en or update.text_zh) if lang == "en" else update.text_zh
        english = update.text_en if lang != "en" else None
        summary = paragraph(text, lang) + (paragraph(english, "en") if english else "")
        out.append(
            Entry(
                id=entry_id(f"{item.id}/updates/{update.department_id}/{at:%Y%m%dT%H%M%SZ}"),
                title=words(lang).gettext("Update from %(who)s", who=who),
                link=f"{base}/{item.kind}/{item.id}",
                published=update.at,
                updated=update.at,
                author=who,
                author_url=_who_url(update.department_id, base),
                summary=summary,
                categories=[_event("update", lang, base)],
            )
        )
    return out


def events(session: Session, item: RecordPublic, lang: str, base: str) -> list[Entry]:
    """Every event of the record, newest first: revisions, timeline updates and the replies
    to it (withdrawn ones too: their entry says so)."""
    revisions = records.history(session, item.id)
    replies: list[RecordPublic] = []
    reply_revisions: dict[str, RevisionPublic] = {}
    if item.kind in ("incidents", "inspections"):
        query = RecordQuery(kind="responses", subject=item.id)
        changes = records.recent_changes(session, query, 1000)
        found = records.get_records(session, [c.id for c in changes])
        replies = [found[c.id] for c in changes if c.id in found]
        reply_revisions = records.latest_revisions(session, changes)
    wanted = {item.publisher_id, item.withdrawn_by or item.publisher_id}
    wanted |= {r.author_id for r in revisions} | {u.department_id for u in _updates(item)}
    wanted |= {r.publisher_id for r in replies}
    names = records.names(session, sorted(wanted))
    out = [revision_entry(item, r, names, lang, base) for r in revisions]
    out += update_entries(item, names, lang, base)
    out += [record_entry(r, reply_revisions.get(r.id), names, lang, base) for r in replies]
    out.sort(key=lambda e: (e.updated, e.id), reverse=True)
    return out


def _updates(item: RecordPublic) -> list[Any]:
    return list(getattr(item, "updates", None) or [])


def _exists(session: Session, record_id: str) -> str | None:
    """The record's kind when a record with a page has this id (one primary-key lookup)."""
    wanted = requested_id(record_id)
    if wanted is None:
        return None
    try:
        kind = records.kind_of_id(wanted)
    except records.UnknownKind:
        return None
    if kind.name not in PUBLIC_KINDS:
        return None
    found = session.execute(select(kind.table.id).where(kind.table.id == wanted)).first()
    return kind.name if found else None


def _followed_kind(session: Session, record_id: str, args: Mapping[str, str]) -> str:
    """The kind of the record whose feed is asked for; 400 for filters, 404 for no record."""
    if args:
        names = ", ".join(sorted(n[:40] for n in args))
        abort(400, description=f"One record's feed takes only lang and limit, not {names}.")
    kind = _exists(session, record_id)
    if kind is None:
        abort(
            404,
            description=f"There is no record {record_id[:60]!r} with a page of its own; a "
            "response is in the feed of the incident or inspection it answers.",
        )
    return kind


@builds("feeds.record_feed")
def _record_follow(args: dict[str, str], lang: str, limit: int, record_id: str) -> Built:
    """What an email alert on one record follows: the record's revisions (a publication,
    correction, withdrawal or timeline update each makes one) and the replies to it."""
    session = request_session(current_app)
    kind = _followed_kind(session, record_id, args)
    item = records.get_record(session, requested_id(record_id) or record_id)
    assert item is not None  # _followed_kind found it, in this transaction
    names = records.names(session, [getattr(item, "enterprise_id", None) or item.id])
    title = entry_title(item, names, lang)
    replies = [RecordQuery(kind="responses", subject=item.id)]
    feed = Feed(
        f"records/{item.id}",
        title,
        f"{base_url()}/{kind}/{item.id}" + ("?lang=en" if lang == "en" else ""),
        queries=replies if kind in ("incidents", "inspections") else [],
        pinned=[item],
    )
    return feed, None


@bp.get(f"/records/<record_id>.{FMT}")
def record_feed(record_id: str, fmt: str) -> Any:
    """One record's life: publication, corrections, withdrawal, timeline updates, replies."""
    try:
        args, lang, limit = feed_args(request.args)
    except QueryError as exc:
        raise QueryRefused(exc) from None
    session = request_session(current_app)
    kind = _followed_kind(session, record_id, args)
    wanted = requested_id(record_id) or record_id
    base = base_url()

    def rendered() -> tuple[str, datetime | None, bytes]:
        item = records.get_record(session, wanted)
        assert item is not None  # _exists found it, in this request's transaction
        entries = events(session, item, lang, base)[:limit]
        tag = validator("record-feed", request.full_path, fmt, lang, base, tag_authority())
        tag = validator(tag, *((e.id, e.updated.isoformat()) for e in entries))
        last = max((e.updated for e in entries), default=None)
        names = records.names(session, [getattr(item, "enterprise_id", None) or item.id])
        say = words(lang)
        title = f"{say.gettext('Clearwater')} · {entry_title(item, names, lang)}"
        page = f"{base}/{kind}/{item.id}" + ("?lang=en" if lang == "en" else "")
        body = document(
            entries,
            feed_id=f"tag:{tag_authority()},{TAG_DATE}:feeds/records/{item.id}",
            title=title,
            subtitle=say.gettext(
                "This record's publication, corrections, withdrawal, updates and replies, "
                "newest first."
            ),
            pages=(base + request.full_path.rstrip("?"), page),
            fmt=fmt,
            lang=lang,
            base=base,
        )
        return tag, last, body

    # Kept rendered under the data version (portal/cache.py), as the listing feeds are: any
    # write moves it, so a 304 or a repeat costs one indexed lookup and a cache read.
    version, _ = data_version(session)
    tag, last_modified, body = remembered(
        "record-feed", version, (request.full_path, fmt, lang, base, tag_authority()), rendered
    )
    cached = not_modified(tag, last_modified, max_age=MAX_AGE)
    if cached is not None:
        return cached
    response = Response(body, content_type=f"{FORMATS[fmt]}; charset=utf-8")
    return stamp(response, tag, last_modified, max_age=MAX_AGE)
