"""The change log's head: versions handed to revisions in the order their transactions commit.

Revision ids come from a sequence, and on PostgreSQL a transaction can take a lower id and commit
after one that took a higher id; anything that read "the newest id" in between (the search
index catching up, a cache key) skipped the late one for good. So every transaction that adds
revisions first bumps a one-row counter, `UPDATE change_counter SET version = version + n
RETURNING version`, and stores the numbers it got on its revisions. The row lock it takes is held
until the transaction ends, so the next writer waits for this one's commit and its versions come
after them: version order is commit order, and `max(revision.version)` is a high-water mark no
later commit can go below. SQLite serialises writers anyway; the same statement works there.

Bump before writing anything else a concurrent writer could wait for (a record's row), so that
writers queue on the counter alone and never wait on each other in two places (a deadlock).
"""

from __future__ import annotations

from sqlalchemy import bindparam, update
from sqlmodel import Session, col

from portal.models.revision import ChangeCounter

_BUMP = (
    update(ChangeCounter)
    .where(col(ChangeCounter.id) == 1)
    .values(version=col(ChangeCounter.version) + bindparam("count"))
    .returning(col(ChangeCounter.version))
)


def take_versions(session: Session, count: int) -> range:
    """`count` consecutive change-log versions for this transaction's revisions, in order.

    Holds the counter's row lock until the transaction commits or rolls back."""
    top = session.connection().execute(_BUMP, {"count": count}).scalar_one_or_none()
    if top is None:
        raise RuntimeError("the database has no change counter: run `portal init` to upgrade it")
    return range(int(top) - count + 1, int(top) + 1)
