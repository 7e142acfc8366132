"""Building the index from scratch fast: segments written straight through Whoosh's codec.

Whoosh's own writer spends several microseconds on each posting: every (field, term, document)
tuple goes through a sorting pool that spills to temporary files, is merged back, and each then
looks up its document's field length on disk. `MpWriter` adds pickling every posting to pass it
between processes. At 100,000 records (some 25 million postings) that was 200 records/s.

`SegmentBuilder` does the same work with plain dicts: it analyses a document's text once per
field (`analysis.zh_terms` / `en_terms`, which remember what each distinct word becomes), keeps
each term's postings in arrays in memory, and writes them sorted into a new segment, a block of
128 postings at a time, with the same codec, file format and statistics Whoosh writes. The
result is an ordinary Whoosh segment: readers, live updates and merges do not know the
difference (tests/search/test_rebuild.py compares its answers with those of an index that
Whoosh's writer made record by record). The blocks of postings are written through
search/whoosh_inside.py, the one module allowed to reach Whoosh's private names.

`build` runs it in N processes, each reading its own batches of records from the database and
writing its own segments into the new index folder; the parent only lists the ids, hands out
batches and commits the table of contents naming every segment. Nothing but ids, progress counts
and the finished segments' descriptions passes between processes.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import pickle  # nosec B403  # only dumps ints, in Whoosh's format
import queue
import traceback
from array import array
from collections.abc import Callable, Iterator, Sequence
from operator import sub
from pathlib import Path
from struct import Struct
from typing import Any

from sqlalchemy import Engine, select
from sqlmodel import Session
from whoosh import index as whoosh_index
from whoosh.codec import default_codec
from whoosh.codec.base import Segment
from whoosh.fields import TEXT, Schema
from whoosh.filedb.filestore import Storage
from whoosh.formats import Positions
from whoosh.index import Index
from whoosh.util.numeric import byte_to_length, length_to_byte

from portal.records.kinds import KINDS
from portal.search.analysis import (
    USER_WORDS,
    ChineseTokenizer,
    GramTokenizer,
    en_terms,
    english_analyzer,
    gram_terms,
    load_user_words,
    zh_terms,
)
from portal.search.documents import documents_or_skip
from portal.search.schema import SEARCHED_KINDS
from portal.search.whoosh_inside import BlockWriter

log = logging.getLogger(__name__)
CHUNK = 1000  # records read (and handed to a process) at a time
SEGMENT_POSTINGS = 30_000_000  # postings held (16 bytes each) before a segment is written
_UINT = Struct("!I")
_ONE_POSITION = [_UINT.pack(1) + pickle.dumps([p], 2) for p in range(4096)]
COMPACT_POSTINGS = 1_000_000  # raw postings held before they are packed into arrays


def _positions_bytes(positions: list[int]) -> bytes:
    """Positions.encode(positions): the count, then the pickled deltas."""
    if len(positions) == 1 and positions[0] < 4096:
        return _ONE_POSITION[positions[0]]
    deltas = list(map(sub, positions, [0, *positions[:-1]]))
    return _UINT.pack(len(deltas)) + pickle.dumps(deltas, 2)


class _Postings:
    """One term's postings in a segment being built, packed."""

    __slots__ = ("docs", "values", "weights")

    def __init__(self) -> None:
        self.docs = array("I")
        self.weights = array("f")
        self.values: list[bytes] = []

    def arrays(self) -> tuple[array[int], array[float], list[bytes]]:
        """Documents, weights and encoded values, as BlockWriter.term takes them."""
        return self.docs, self.weights, self.values


class SegmentBuilder:
    """Writes documents into new segments of an index (never touching its existing ones).

    Call `add` for each document (the same keyword dict `IndexWriter.add_document` takes), then
    `finish`, and commit the segments it returns (see `commit_segments`).

    A text field's postings are first kept as they come, `[doc, positions, doc, positions...]`
    per term, which costs one list operation per posting; every million postings they are packed
    into arrays of documents and weights and a list of encoded positions, with list
    comprehensions (16 bytes a posting, so a segment of 50,000 records fits in a few hundred
    MB); `_flush` writes the packed lists a block at a time."""

    def __init__(self, storage: Storage, schema: Schema, indexname: str = "MAIN") -> None:
        self.storage = storage
        self.schema = schema
        self.indexname = indexname
        # zlib level 1 instead of whoosh's 3: a fifth larger postings, a third less time to write
        self.codec = default_codec(compression=1)
        self._indexed: dict[tuple[str, Any], list[tuple[bytes, int, float, bytes]]] = {}
        self.segments: list[Segment] = []
        english = english_analyzer()
        # How each text field is analysed: our own loops where the field uses our analyzers,
        # whoosh's field.index() for anything else.
        self._text: dict[str, Callable[..., tuple[dict[str, list[int]], int]]] = {}
        for name, field in schema.items():
            if isinstance(field, TEXT) and isinstance(field.format, Positions):
                if isinstance(field.analyzer, ChineseTokenizer) and field.analyzer.normalize:
                    self._text[name] = zh_terms
                elif field.analyzer == english:
                    self._text[name] = en_terms
                elif isinstance(field.analyzer, GramTokenizer):
                    self._text[name] = gram_terms
        self._start()

    def _start(self) -> None:
        self.segment = self.codec.new_segment(self.storage, self.indexname)
        self.perdoc = self.codec.per_document_writer(self.storage, self.segment)
        self.docnum = 0
        self.count = 0  # postings in the segment
        self.raw_count = 0  # postings not yet packed
        self.raw: dict[str, dict[str, list[Any]]] = {}  # field -> term -> [doc, positions...]
        self.postings: dict[str, dict[str, _Postings]] = {}  # text field -> term -> packed
        self.other: dict[str, dict[bytes, _Postings]] = {}  # other fields -> term bytes -> packed
        self.boosts = array("f")  # each document's boost
        self.lengths: dict[str, array[int]] = {}  # field -> decoded length of each document
        self.spelling: dict[str, set[str]] = {}

    def add(self, fields: dict[str, Any]) -> None:
        """Add one document (as IndexWriter.add_document would)."""
        schema = self.schema
        docnum = self.docnum
        boost = float(fields.get("_boost", 1.0))
        self.boosts.append(boost)
        perdoc = self.perdoc
        perdoc.start_doc(docnum)
        for name in sorted(n for n in fields if not n.startswith("_")):
            value = fields[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                analyse = self._text.get(name)
                if analyse is not None:
                    if analyse is en_terms and field.separate_spelling():
                        spell = field.spelling_fieldname(name)
                        found, length = en_terms(value, self.spelling.setdefault(spell, set()))
                    else:
                        found, length = analyse(value)
                    raw = self.raw.get(name)
                    if raw is None:
                        raw = self.raw[name] = {}
                    for text, positions in found.items():
                        entry = raw.get(text)
                        if entry is None:
                            raw[text] = [docnum, positions]
                        else:
                            entry += (docnum, positions)
                    self.raw_count += len(found)
                    if not field.scorable:
                        length = 0
                else:
                    other = self.other.get(name)
                    if other is None:
                        other = self.other[name] = {}
                    scorable = field.scorable
                    cached = None if field.unique else self._indexed.get((name, value))
                    if cached is not None:  # the same values again and again (kinds, dates)
                        indexed = cached
                    else:
                        indexed = list(field.index(value))
                        if not field.unique:
                            if len(self._indexed) > 100_000:
                                self._indexed.clear()
                            self._indexed[name, value] = indexed
                    for key, freq, weight, vbytes in indexed:
                        packed = other.get(key)
                        if packed is None:
                            packed = other[key] = _Postings()
                        packed.docs.append(docnum)
                        packed.weights.append(weight * boost)
                        packed.values.append(vbytes)
                        self.count += 1
                        if scorable:
                            length += freq
                if length:
                    lengths = self.lengths.get(name)
                    if lengths is None:
                        lengths = self.lengths[name] = array("I")
                    if len(lengths) < docnum:
                        lengths.extend([0] * (docnum - len(lengths)))
                    lengths.append(byte_to_length(length_to_byte(length)))
            perdoc.add_field(name, field, value if field.stored else None, length)
            column = field.column_type
            if column is not None:
                perdoc.add_column_value(name, column, field.to_column_value(value))
        perdoc.finish_doc()
        self.docnum += 1
        if self.raw_count >= COMPACT_POSTINGS:
            self._pack()
            if self.count >= SEGMENT_POSTINGS:
                self._flush()

    def _pack(self) -> None:
        """Move the raw postings into the packed arrays."""
        boosts = self.boosts
        one, limit, encode = _ONE_POSITION, len(_ONE_POSITION), _positions_bytes
        for name, raw in self.raw.items():
            field_boost = self.schema[name].format.field_boost
            terms = self.postings.get(name)
            if terms is None:
                terms = self.postings[name] = {}
            for text, flat in raw.items():
                docs = flat[0::2]
                found = flat[1::2]
                packed = terms.get(text)
                if packed is None:
                    packed = terms[text] = _Postings()
                packed.docs.extend(docs)
                packed.weights.extend(
                    [len(p) * field_boost * boosts[d] for d, p in zip(docs, found, strict=True)]
                )
                packed.values += [
                    one[p[0]] if len(p) == 1 and p[0] < limit else encode(p) for p in found
                ]
        self.count += self.raw_count
        self.raw_count = 0
        self.raw = {}

    def finish(self) -> list[Segment]:
        """Write what is held and return every segment written."""
        if self.docnum:
            self._flush(restart=False)
        else:
            self.perdoc.close()  # leaves column files of no segment: the commit deletes them
        return self.segments

    def _flush(self, restart: bool = True) -> None:
        """Write the documents held as one segment, and (with `restart`) start another."""
        self._pack()
        self.perdoc.close()
        writer = self.codec.field_writer(self.storage, self.segment)
        spell_one = _Postings()
        spell_one.docs.append(0)
        spell_one.weights.append(1.0)
        spell_one.values.append(_UINT.pack(1))
        for name in sorted({*self.postings, *self.other, *self.spelling}):
            writer.start_field(name, self.schema[name])
            blocks = BlockWriter(writer)
            lengths = self.lengths.get(name)
            if name in self.spelling:  # words for "did you mean": whoosh only reads the terms
                for text in sorted(self.spelling[name]):
                    blocks.term(text.encode("utf-8"), *spell_one.arrays(), None)
            elif name in self.postings:
                terms = self.postings[name]
                # str order is UTF-8 byte order, the order whoosh's term table needs
                for text in sorted(terms):
                    blocks.term(text.encode("utf-8"), *terms[text].arrays(), lengths)
            else:
                other = self.other[name]
                for key in sorted(other):
                    blocks.term(key, *other[key].arrays(), lengths)
            writer.finish_field()
        writer.close()
        self.segment.set_doc_count(self.docnum)
        # Not assembled into one compound file, as whoosh's writer does: a reader opens a file
        # in a compound file by copying it into memory (BytesIO over the mmap), hundreds of MB
        # every time the index changes; plain files are read where they lie.
        self.segments.append(self.segment)
        if restart:
            self._start()


def commit_segments(ix: Index, segments: Sequence[Segment], last: dict[str, Any]) -> None:
    """Commit the built segments to the (new, empty) index, with one more document of its own
    (the state document), in a single table of contents."""
    writer = ix.writer()
    try:
        writer.add_document(**last)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=lambda _writer, existing: [*existing, *segments])


# --- building a whole index in several processes ------------------------------------------


def record_batches(session: Session) -> list[tuple[str, list[str]]]:
    """The ids of every published record to index, in batches of one kind."""
    batches = []
    for kind_name in SEARCHED_KINDS:
        table = KINDS[kind_name].table
        ids = list(
            session.scalars(select(table.id).where(table.withdrawn_at.is_(None)).order_by(table.id))
        )
        batches += [(kind_name, ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK)]
    return batches


def build_documents(
    path: Path,
    session: Session,
    batches: Iterator[list[str]],
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Segment], int]:
    """Analyse the records of each batch into new segments of the index at `path`."""
    ix = whoosh_index.open_dir(str(path))
    builder = SegmentBuilder(ix.storage, ix.schema, ix.indexname)
    count = 0
    # The builder holds millions of small lists that are never part of a cycle: without this
    # the cyclic collector walks all of them again and again (a third of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for ids in batches:
            docs, _, _ = documents_or_skip(session, ids)  # a record that fails is left out
            for doc in docs:
                builder.add(doc)
            count += len(docs)
            if progress:
                progress(len(ids))
        return builder.finish(), count
    finally:
        if collecting:
            gc.enable()


def _worker(path: str, url: str, tasks: Any, results: Any) -> None:
    """One process of a parallel build: batches from `tasks` until None, reports to `results`."""
    from portal.db import dispose_engine, get_engine

    try:
        load_user_words(Path(path) / USER_WORDS)

        def batches() -> Iterator[list[str]]:
            while (ids := tasks.get()) is not None:
                yield ids

        with Session(get_engine(url)) as session:
            segments, count = build_documents(
                Path(path), session, batches(), lambda n: results.put(("progress", n))
            )
        dispose_engine(url)
        results.put(("done", segments, count))
    except BaseException:
        results.put(("error", traceback.format_exc()))
        raise


def build(
    path: Path,
    engine: Engine,
    *,
    procs: int = 2,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Segment], int]:
    """Segments of every published record, written into the empty index at `path` by `procs`
    processes; and how many records they hold. Commit them with `commit_segments`."""
    with Session(engine) as session:
        batches = record_batches(session)
        if procs <= 1 or len(batches) <= 1:
            return build_documents(path, session, (ids for _, ids in batches), progress)
    context = multiprocessing.get_context("spawn")  # nothing inherited: no engine, no threads
    tasks = context.Queue()
    results = context.Queue()
    for _, ids in batches:
        tasks.put(ids)
    url = engine.url.render_as_string(hide_password=False)
    workers = [
        context.Process(
            target=_worker, args=(str(path), url, tasks, results), name=f"search-build-{n}"
        )
        for n in range(min(procs, len(batches)))
    ]
    for _ in workers:
        tasks.put(None)
    for worker in workers:
        worker.start()
    segments: list[Segment] = []
    count = 0
    done = 0
    try:
        while done < len(workers):
            try:
                message = results.get(timeout=1.0)
            except queue.Empty:
                if any(w.exitcode not in (None, 0) for w in workers):
                    raise RuntimeError("a search index build process died") from None
                continue
            if message[0] == "progress":
                if progress:
                    progress(message[1])
            elif message[0] == "done":
                segments += message[1]
                count += message[2]
                done += 1
            else:
                log.error("a search index build process failed:\n%s", message[1])
                lines = message[1].strip().splitlines()
                raise RuntimeError(lines[-1] if lines else "a search index build process failed")
    finally:
        for worker in workers:
            if done < len(workers) and worker.is_alive():
                worker.terminate()
            worker.join()
        tasks.close()
        results.close()
    return segments, count
