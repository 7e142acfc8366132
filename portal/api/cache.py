"""The JSON of records, remembered by id and revision in each worker.

A record's JSON depends only on its own revision (parts change only with a new revision), the
standards it is judged against and the portal's address; all three are in the key, so a
remembered answer is never stale. Building an incident's public model means judging each of
its readings against its standard; a listing of 50 incidents holds thousands of readings.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

from cachetools import LRUCache

MAX_BYTES = 32 * 1024 * 1024  # per worker
V = TypeVar("V")


class ByteCache(Generic[V]):
    """A least-recently-used map of keys to values, bounded by the bytes the values hold
    (`weigh`: their length by default, for bytes)."""

    def __init__(self, max_bytes: int = MAX_BYTES, weigh: Callable[[Any], int] = len) -> None:
        self._weigh = weigh
        self._items: LRUCache[Hashable, V] = LRUCache(maxsize=max_bytes, getsizeof=weigh)
        self._lock = threading.Lock()  # cachetools' caches are not safe across threads

    @property
    def max_bytes(self) -> int:
        """The bound on the bytes the values hold together."""
        return int(self._items.maxsize)

    @property
    def size(self) -> int:
        """The bytes the values kept hold together."""
        return int(self._items.currsize)

    def get(self, key: Hashable) -> V | None:
        """The value kept for a key, or None."""
        with self._lock:
            return self._items.get(key)

    def put(self, key: Hashable, value: V) -> None:
        """Keep a value for a key, forgetting the least recently used beyond the bound."""
        if self._weigh(value) > self.max_bytes // 8:
            return  # one huge value must not flush everything else
        with self._lock:
            self._items[key] = value

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


RECORDS: ByteCache[bytes] = ByteCache()


def records_json(
    rows: Sequence[Any],
    key: Callable[[Any], Hashable],
    build: Callable[[Sequence[Any]], list[bytes]],
) -> list[bytes]:
    """The JSON of each row, in order: remembered ones as they are, the rest built together."""
    out: list[bytes | None] = [RECORDS.get(key(row)) for row in rows]
    missing = [row for row, value in zip(rows, out, strict=True) if value is None]
    if missing:
        built = iter(build(missing))
        for i, value in enumerate(out):
            if value is None:
                fresh = next(built)
                RECORDS.put(key(rows[i]), fresh)
                out[i] = fresh
    return [value for value in out if value is not None]
