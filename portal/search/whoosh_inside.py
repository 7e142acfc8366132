"""Every use of a Whoosh private name, in one place (checked against whoosh-reloaded 2.7.5).

The fast build (search/build.py) writes segments, and the fast search (search/evaluate.py)
reads them, below Whoosh's public API: a posting at a time through the public API is what made
both slow. No other module of the portal may reach a private Whoosh name
(tests/search/test_whoosh_fence.py parses them all); a new Whoosh release means re-reading
this file against its source, then changing CHECKED_WITH (the same test fails until then).
What this module does is checked against Whoosh's own answers: tests/search/test_rebuild.py
(segments written here, read by Whoosh) and tests/search/test_fast_path.py (the relevance set
ranked here and by Whoosh's own `Searcher.search`).

Private names used, and why:

Reading a segment (search/evaluate.py)
  SegmentReader._terms           its term table: `.matcher()` gives a term's raw leaf matcher,
                                 deleted documents included (`reader.postings()` wraps it in a
                                 filter that hides them, one Python call per posting).
  W3LeafMatcher._byteids         True when ids are not stored as a pickled block (then the
                                 matcher is walked a posting at a time, through public calls).
  W3LeafMatcher._data, ._read_data(), ._next_block()
                                 a block's (ids, weights, values) decoded whole, in C.
  SegmentReader._perdoc          the per-document reader holding lengths and columns.
  W3PerDocReader._cached_reader(), whoosh.codec.whoosh3._lenfield
                                 the column of a field's length bytes (BM25F's lengths).
  column reader ._dbfile, ._basepos, ._count, ._fixedlen, ._typecode, ._default
                                 a fixed-width column read as one byte string and unpacked in
                                 C, instead of a Python call per document.
  BM25F._field_B                 per-field B values: when there are some, scoring is left to
                                 Whoosh (the fast path only knows one B).

Writing a segment (search/build.py)
  W3FieldWriter._postwriter      the postings writer of the field being written.
  W3PostingsWriter._blocklimit, ._ids, ._weights, ._values, ._maxweight, ._minlength,
  ._maxlength, ._blockcount, ._postfile, ._terminfo, ._compression, ._mini_values(),
  ._new_block(), and its methods ._mini_ids, ._mini_weights, ._write_block replaced
                                 a block of postings handed over as arrays and written with
                                 Whoosh's own layout, instead of one add_posting() call each.

Cleaning up a failed writer (search/index.py)
  SegmentWriter._searcher, Searcher._orig_close
                                 the searcher a writer caches, closed when a commit failed
                                 half-way (a full disk) and left its files open.
  vars() of any Whoosh object    every attribute, private ones included, walked to close the
                                 files a failed write left open wherever Whoosh keeps them.
"""

from __future__ import annotations

import contextlib
import io
import pickle  # nosec B403  # only dumps ints and floats, in Whoosh's format
import struct
import zlib
from array import array
from collections.abc import Iterable
from itertools import accumulate
from operator import sub
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3LeafMatcher, _lenfield
from whoosh.scoring import BM25F, WeightingModel
from whoosh.util.numeric import byte_to_length, length_to_byte

CHECKED_WITH = "2.7.5"  # the whoosh-reloaded this module was read against (pyproject pins it)
SMALL_BLOCK = 64  # pickled bytes under which a block of postings is stored uncompressed
_INT = struct.Struct("!i")
_LENGTH = [byte_to_length(b) if b else 1 for b in range(256)]  # length byte -> length


# --- reading a segment ----------------------------------------------------------------------


def postings(reader: Any, field: str, btext: bytes) -> tuple[list[int], list[float], list[bytes]]:
    """A term's documents, weights and encoded values in one segment (deleted ones included),
    read a block at a time."""
    matcher = reader._terms.matcher(field, btext, reader.schema[field].format)
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    if isinstance(matcher, W3LeafMatcher) and not matcher._byteids:
        # Each block is a pickled (delta-coded ids, weights, values): decode it whole, in C,
        # rather than through the matcher's per-posting generators.
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            deltas, block_weights, block_values = matcher._data
            block = list(accumulate(deltas))
            if isinstance(block_values, tuple):
                values += block_values
            ids += block
            if block_weights is None:
                weights += [1.0] * len(block)
            elif isinstance(block_weights, float):
                weights += [block_weights] * len(block)
            else:
                weights += block_weights
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            values.append(matcher.value())
            matcher.next()
    return ids, weights, values


def _column_bytes(column: Any) -> tuple[bytes, int]:
    """The raw bytes of a fixed-width numeric column, and how many values they hold."""
    data = column._dbfile.get(column._basepos, column._count * column._fixedlen)
    return bytes(data), column._count


def field_lengths(reader: Any, field: str, doccount: int) -> list[int]:
    """Each document's length of `field` in one segment, as BM25F reads it (1 where none)."""
    column = reader._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return [1] * doccount
    data, count = _column_bytes(column)
    return list(map(_LENGTH.__getitem__, data)) + [1] * (doccount - count)


def column_numbers(reader: Any, field: str, doccount: int) -> list[int]:
    """Each document's value in the numeric column of a sortable `field`, in one segment."""
    if not reader.has_column(field):
        return [0] * doccount
    column = reader._perdoc.column_reader(field, reader.schema[field].column_type)
    data, count = _column_bytes(column)
    values = list(struct.unpack(f"!{count}{column._typecode}", data)) if count else []
    return values + [column._default] * (doccount - count)


def bm25_parameters(weighting: WeightingModel) -> tuple[float, float] | None:
    """(B, K1) of a plain BM25F (one B for every field); None for any other scoring."""
    if type(weighting) is BM25F and not weighting._field_B:
        return weighting.B, weighting.K1
    return None


# --- writing a segment ----------------------------------------------------------------------


class BlockWriter:
    """Writes a term's postings, given as arrays, through the field writer's W3PostingsWriter a
    block at a time, exactly as add_posting() one by one would, the per-posting work in C."""

    def __init__(self, writer: Any) -> None:
        self.writer = writer
        self.postings = writer._postwriter  # whoosh.codec.whoosh3.W3PostingsWriter
        self.limit = self.postings._blocklimit
        # The block's ids delta-encoded and its weights minified, without whoosh's generators.
        self.postings._mini_ids = self._mini_ids
        self.postings._mini_weights = self._mini_weights
        self.postings._write_block = self._write_block

    def _mini_ids(self) -> tuple[int, ...]:
        ids = self.postings._ids
        return tuple(map(sub, ids, [0, *ids[:-1]]))

    def _mini_weights(self) -> float | tuple[float, ...] | None:
        weights = self.postings._weights
        if weights.count(1.0) == len(weights):
            return None
        if weights.count(weights[0]) == len(weights):
            return float(weights[0])
        return tuple(weights)

    def _write_block(self, last: bool = False) -> None:
        """W3PostingsWriter._write_block: the same bytes, except that a block whose pickle is
        under SMALL_BLOCK bytes is stored uncompressed. Each block's header names its
        compression and readers follow it; whoosh means to skip small blocks too, but the line
        after its check sets the level again. Most blocks hold one posting (a record's id, a
        rare word), which zlib only lengthens, at a third of the time a segment takes to write.
        """
        postings = self.postings
        if not postings._blockcount:
            postings._postfile.write(WHOOSH3_HEADER_MAGIC)
        postings._terminfo.add_block(postings)
        data = pickle.dumps((self._mini_ids(), self._mini_weights(), postings._mini_values()), 2)
        level = postings._compression if len(data) >= SMALL_BLOCK else 0
        if level:
            data = zlib.compress(data, level)
        ids = postings._ids
        info = pickle.dumps(
            (
                len(ids),
                ids[-1],
                postings._maxweight,
                level,
                length_to_byte(postings._minlength),
                length_to_byte(postings._maxlength),
            ),
            2,
        )
        size = len(info) + len(data)
        postings._postfile.write(_INT.pack(-size if last else size) + info + data)
        postings._blockcount += 1
        postings._new_block()

    def term(
        self,
        key: bytes,
        docs: array[int],
        weights: array[float],
        values: list[bytes],
        lengths: array[int] | None,
    ) -> None:
        """Write one term: its documents (ascending), weights and encoded values; `lengths`
        are the field's length of each document of the segment (for the blocks' bounds)."""
        self.writer.start_term(key)
        postings = self.postings
        limit = self.limit
        total = len(docs)
        size = len(lengths) if lengths is not None else 0
        for start in range(0, total, limit):
            end = min(total, start + limit)
            block_docs = docs[start:end]
            block_weights = weights[start:end]
            postings._ids = block_docs
            postings._weights = block_weights
            postings._values = values[start:end]
            postings._maxweight = max(0.0, max(block_weights))
            found = [lengths[d] for d in block_docs if d < size] if lengths is not None else []
            found = [n for n in found if n]
            postings._minlength = min(found) if found else None
            postings._maxlength = max(found) if found else 0
            if end < total:
                postings._write_block()
        self.writer.finish_term()  # writes the last block


# --- a failed writer ------------------------------------------------------------------------


def close_writer_searcher(writer: Any) -> None:
    """Close the searcher a writer keeps (Whoosh closes it only when the writer finishes)."""
    searcher = getattr(writer, "_searcher", None)
    if searcher is not None:
        with contextlib.suppress(Exception):
            getattr(searcher, "_orig_close", searcher.close)()


def close_files(roots: list[Any], depth: int = 12) -> None:
    """Close the open files reachable from Whoosh objects in roots (a bounded walk through
    their attributes, private ones included: where a failed write keeps its files)."""
    seen: set[int] = set()
    stack = [(root, 0) for root in roots]
    while stack:
        obj, level = stack.pop()
        if id(obj) in seen or level > depth:
            continue
        seen.add(id(obj))
        if isinstance(obj, io.IOBase):
            with contextlib.suppress(Exception):
                obj.close()
            continue
        children: Iterable[Any] = ()
        if isinstance(obj, list | tuple | set):
            children = obj
        elif isinstance(obj, dict):
            children = obj.values()
        elif type(obj).__module__.startswith("whoosh") and hasattr(obj, "__dict__"):
            children = vars(obj).values()
        stack.extend((child, level + 1) for child in children)
