"""The words every node shares: names jieba is taught, and English words to suggest.

jieba cuts a name it was taught (台州澄川再生铜业) as one word, and a process that was not taught it
cuts the same text otherwise; query and index must agree, on every node. Whoosh keeps the names
in a file beside its index; here they are rows of `search_word`, each with the change-log
version of the transaction that added it. Versions follow commit order (records/changelog.py),
so a process that has read every word up to version v only ever needs the words after v: one
indexed `max(version)` per search tells it whether there are any.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col
from whoosh.spelling import ListCorrector

from portal.models.revision import ChangeCounter
from portal.search.analysis import teach
from portal.search.pg.tables import NAME, SPELLING, search_word


def wanted_names(names: Iterable[str]) -> set[str]:
    """The names worth teaching jieba (as the Whoosh engine's user dictionary keeps them)."""
    return {n.strip() for n in names if n and len(n.strip()) >= 2 and not n.isascii()}


class Vocabulary:
    """What one process has read of one database's shared words."""

    def __init__(self) -> None:
        self.version = 0
        self.known: dict[str, set[str]] = {NAME: set(), SPELLING: set()}
        self._lock = threading.Lock()
        self._corrector: ListCorrector | None = None

    def refresh(self, conn: Connection) -> None:
        """Read the words added since this process last looked, and teach jieba the names."""
        top = int(conn.execute(select(func.max(search_word.c.version))).scalar_one() or 0)
        if top <= self.version:
            return
        rows = conn.execute(
            select(search_word.c.role, search_word.c.word, search_word.c.version).where(
                search_word.c.version > self.version
            )
        ).all()
        self._absorb(rows, top)

    def _absorb(self, rows: Iterable[Any], top: int) -> None:
        # In one order everywhere: jieba's frequency for a new name depends on what it knew.
        teach(sorted(word for role, word, _ in rows if role == NAME))
        with self._lock:
            for role, word, _ in rows:
                self.known.setdefault(role, set()).add(word)
            self._corrector = None
            self.version = max(self.version, top)

    def add(self, conn: Connection, names: Iterable[str], spelling: Iterable[str]) -> None:
        """Save the words this process has not seen (in the caller's transaction, with its
        change-log version), and teach jieba the names before anything is analysed."""
        new = {
            NAME: wanted_names(names) - self.known[NAME],
            SPELLING: set(spelling) - self.known[SPELLING],
        }
        if not (new[NAME] or new[SPELLING]):
            return
        version = conn.execute(
            select(col(ChangeCounter.version)).where(col(ChangeCounter.id) == 1)
        ).scalar_one()
        rows = [
            {"role": role, "word": word, "version": version}
            for role in (NAME, SPELLING)
            for word in sorted(new[role])  # one order for every writer: no deadlock
        ]
        for start in range(0, len(rows), 5000):
            conn.execute(insert(search_word).on_conflict_do_nothing(), rows[start : start + 5000])
        # Not marked known here: if this transaction rolls back, the next one saves them again.
        # `refresh` takes them in once they are committed.
        teach(sorted(new[NAME]))

    def corrector(self) -> ListCorrector | None:
        """A corrector over the English words of every record's English text; None while there
        are none (Whoosh's ListCorrector fails on an empty list with an IndexError)."""
        with self._lock:
            if self._corrector is None and self.known[SPELLING]:
                self._corrector = ListCorrector(sorted(self.known[SPELLING]))
            return self._corrector


_VOCABULARIES: dict[str, Vocabulary] = {}
_LOCK = threading.Lock()


def vocabulary_of(url: str) -> Vocabulary:
    """This process's vocabulary of the database at `url`."""
    with _LOCK:
        found = _VOCABULARIES.get(url)
        if found is None:
            found = _VOCABULARIES[url] = Vocabulary()
        return found
