"""The JSON of records, remembered by id and revision in each worker.

A record's JSON depends only on its own revision (parts change only with a new revision), the
standards it is judged against and the portal's address; all three are in the key, so a
remembered answer is never stale. Building an incident's public model means judging each of
its readings against its standard; a listing of 50 incidents holds thousands of readings.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

MAX_BYTES = 32 * 1024 * 1024  # per worker
V = TypeVar("V")


class ByteCache(Generic[V]):
    """A least-recently-used map of keys to values, bounded by the bytes the values hold
    (`weigh`: their length by default, for bytes)."""

    def __init__(self, max_bytes: int = MAX_BYTES, weigh: Callable[[Any], int] = len) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._weigh = weigh
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The value kept for a key, or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        """Keep a value for a key, forgetting the least recently used beyond the bound."""
        weight = self._weigh(value)
        if weight > self.max_bytes // 8:
            return  # one huge value must not flush everything else
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size -= self._weigh(old)
            self._items[key] = value
            self.size += weight
            while self.size > self.max_bytes:
                _, dropped = self._items.popitem(last=False)
                self.size -= self._weigh(dropped)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()
            self.size = 0

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
