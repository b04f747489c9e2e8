"""Write parsed dumps into the working database, schema ``ingest``.

Accounting per dump (``IngestResult`` and ``ingest.dump_files``)::

    records_read = documents_new + duplicates + rejects

* ``documents_new``: records that created a document;
* ``duplicates``: records whose document already existed (in the database
  before this dump, or earlier in this same dump);
* ``documents_existing``: distinct documents of this dump that already existed
  in the database before this dump (a subset view of ``duplicates``).

``ingest.documents.content_hash`` is the sha256 of the exact ``title + "\\n" +
body`` text of the first sighting (whitespace variants share a document_id
but not a content_hash).

Batches are staged in ``ingest_staging`` (committed one by one, so memory stays bounded),
then merged in one DuckDB transaction per dump: a crash mid-dump leaves the previous state.
File names and text are always passed as parameters, never formatted into SQL.
All ``*_at`` timestamps are naive UTC ``TIMESTAMP``.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa

from orchestration.domain.ingest.dumps import DumpReader, ParsedRecord, ParseLimits, RejectedRecord
from orchestration.domain.ingest.ids import content_hash

__all__ = ["IngestResult", "ensure_schema", "ingest_dump", "list_dump_files", "needs_ingest"]

BATCH_SIZE = 5000
BATCH_BYTES = 16 * 1024 * 1024  # a batch is also flushed at this much text (a few huge records)
_EPOCH = datetime(1970, 1, 1)
# DuckDB's buffer pool while a dump is ingested (its default is 80 % of RAM): past this, blocks of the
# staged dump and of the merge are evicted or spilled to ``<work db>.tmp``. Env WAREHOUSE_INGEST_MEMORY_LIMIT.
INGEST_MEMORY_LIMIT = os.environ.get("WAREHOUSE_INGEST_MEMORY_LIMIT", "128MB")
# The largest record ingest keeps (bytes, env WAREHOUSE_MAX_RECORD_BYTES); a larger one is a reject
# ("record too large", file, record number, byte offset), skipped while read, never held whole. Why 16 MB
# and not the parser's 64 MB: DuckDB holds one string as one block and copies it on insert, commit, merge
# and checkpoint (a 60 MB body cost ~300 MB of RSS); 16 MB is far above any press release.
MAX_RECORD_BYTES = int(os.environ.get("WAREHOUSE_MAX_RECORD_BYTES", str(16 * 1024 * 1024)))

_DDL = [
    "CREATE SCHEMA IF NOT EXISTS ingest",
    """CREATE TABLE IF NOT EXISTS ingest.dump_files (
        file_name VARCHAR PRIMARY KEY,
        file_path VARCHAR,
        size_bytes BIGINT,
        mtime TIMESTAMP,
        content_sha256 VARCHAR,
        status VARCHAR,
        message VARCHAR,
        records_read BIGINT,
        documents_new BIGINT,
        documents_existing BIGINT,
        duplicates BIGINT,
        rejects BIGINT,
        first_ingested_at TIMESTAMP,
        last_ingested_at TIMESTAMP
    )""",
    # No PRIMARY KEY on document_id: DuckDB keeps a transaction's new index entries in memory (~70 bytes a
    # key, not spillable), so a 10 GB dump's 9 M documents overflowed any bounded memory limit. The merge
    # inserts only ids not yet present, one row per id; dbt's unique test on stg_documents checks it.
    """CREATE TABLE IF NOT EXISTS ingest.documents (
        document_id VARCHAR,
        title VARCHAR,
        body VARCHAR,
        published_date DATE,
        is_truncated BOOLEAN,
        content_hash VARCHAR,
        source_file VARCHAR,
        record_number BIGINT,
        byte_offset BIGINT,
        first_seen_at TIMESTAMP,
        last_seen_at TIMESTAMP,
        still_present BOOLEAN
    )""",
    """CREATE TABLE IF NOT EXISTS ingest.sightings (
        document_id VARCHAR,
        file_name VARCHAR,
        content_sha256 VARCHAR,
        record_number BIGINT,
        byte_offset BIGINT,
        seen_at TIMESTAMP
    )""",
    """CREATE TABLE IF NOT EXISTS ingest.rejects (
        file_name VARCHAR,
        content_sha256 VARCHAR,
        record_number BIGINT,
        byte_offset BIGINT,
        reason VARCHAR,
        excerpt VARCHAR,
        seen_at TIMESTAMP
    )""",
]

_BATCH_COLUMNS = [
    "document_id", "title", "body", "published_date", "is_truncated", "content_hash", "record_number", "byte_offset",
]
_REJECT_COLUMNS = ["record_number", "byte_offset", "reason", "excerpt"]
_REJECT_TYPES = [pa.int64(), pa.int64(), pa.string(), pa.string()]


@dataclass(frozen=True)
class IngestResult:
    file_name: str
    status: str  # loaded | empty | unreadable | not_text | too_large (file status)
    message: str | None
    skipped: bool  # True: unchanged since the last ingest, nothing was read or written
    content_sha256: str | None
    records_read: int
    documents_new: int
    documents_existing: int
    duplicates: int
    rejects: int


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in _DDL:
        con.execute(ddl)
    _drop_documents_key(con)


def _drop_documents_key(con: duckdb.DuckDBPyConnection) -> None:
    """A working database made before the key was dropped: ``ingest.documents`` rebuilt without it, once."""
    keyed = con.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE database_name = current_database() AND "
        "schema_name = 'ingest' AND table_name = 'documents' AND constraint_type = 'PRIMARY KEY'"
    ).fetchone()[0]
    if not keyed:
        return
    try:
        con.begin()
    except duckdb.TransactionException:  # the caller's transaction: the rebuild is part of it
        own = False
    else:
        own = True
    try:
        con.execute("CREATE TABLE ingest.documents_unkeyed AS SELECT * FROM ingest.documents")
        con.execute("DROP TABLE ingest.documents")
        con.execute("ALTER TABLE ingest.documents_unkeyed RENAME TO documents")
        if own:
            con.commit()
    except BaseException:
        if own:
            with contextlib.suppress(duckdb.Error):
                con.rollback()
        raise


def _utc_naive(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC).replace(tzinfo=None)
    if now.tzinfo is not None:
        return now.astimezone(UTC).replace(tzinfo=None)
    return now


def _mtime(st: os.stat_result) -> datetime:
    """File mtime as naive UTC, microsecond precision (what a DuckDB TIMESTAMP holds)."""
    return _EPOCH + timedelta(microseconds=st.st_mtime_ns // 1000)


def _file_sha256(path: Path) -> str | None:
    sha = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                sha.update(chunk)
    except OSError:
        return None
    return sha.hexdigest()


def needs_ingest(
    con: duckdb.DuckDBPyConnection, path: str | Path, file_name: str | None = None, *, verify_hash: bool = False
) -> bool:
    """False when the file is recorded with the same size and mtime (and, if verify_hash, the same sha256).

    Files whose last ingest was ``unreadable`` are always retried (permissions
    fixed, copy finished...).
    """
    path = Path(path)
    name = file_name or path.name
    ensure_schema(con)
    row = con.execute(
        "SELECT size_bytes, mtime, content_sha256, status FROM ingest.dump_files WHERE file_name = ?", [name]
    ).fetchone()
    if row is None:
        return True
    size, mtime, sha, status = row
    if status == "unreadable":
        return True
    try:
        st = path.stat()
    except OSError:
        return True
    if size != st.st_size or mtime != _mtime(st):
        return True
    return verify_hash and _file_sha256(path) != sha


def _skipped_result(con: duckdb.DuckDBPyConnection, name: str) -> IngestResult:
    row = con.execute(
        "SELECT status, message, content_sha256, records_read, documents_new, documents_existing, duplicates, rejects "
        "FROM ingest.dump_files WHERE file_name = ?",
        [name],
    ).fetchone()
    assert row is not None
    return IngestResult(name, row[0], row[1], True, row[2], *(int(v or 0) for v in row[3:]))


_BATCH_TYPES = [pa.string(), pa.string(), pa.string(), pa.string(), pa.bool_(), pa.string(), pa.int64(),
                pa.int64()]


def _arrow_batch(rows: list[tuple]) -> pa.Table:
    """The batch as an Arrow table: its strings are copied into Arrow buffers freed with the batch.

    A pandas frame of Python strings is scanned zero-copy, and DuckDB keeps those string objects alive
    until the transaction ends: a 10 GB dump (one transaction) then held every body in Python's heap.
    """
    columns = list(zip(*rows, strict=True))
    arrays = [pa.array(col, type=t) for col, t in zip(columns, _BATCH_TYPES, strict=True)]
    arrays[3] = arrays[3].cast(pa.date32())  # published_date, ISO text
    return pa.table(arrays, names=_BATCH_COLUMNS)


_STAGE_DDL = [
    "CREATE SCHEMA IF NOT EXISTS ingest_staging",
    """CREATE TABLE IF NOT EXISTS ingest_staging.staged_documents (
        file_name VARCHAR, document_id VARCHAR, title VARCHAR, body VARCHAR, published_date DATE,
        is_truncated BOOLEAN, content_hash VARCHAR, record_number BIGINT, byte_offset BIGINT
    )""",
    """CREATE TABLE IF NOT EXISTS ingest_staging.staged_rejects (
        file_name VARCHAR, record_number BIGINT, byte_offset BIGINT, reason VARCHAR, excerpt VARCHAR
    )""",
]


class _DumpWriter:
    """Stage one dump batch by batch (each batch committed), then merge it into ``ingest.*`` in one transaction.

    Why: one transaction over the whole dump grew RSS with the dump (1.15 GB for 323 MB). Staged rows
    live in ``ingest_staging`` keyed by file name, which nothing reads; rows left by a killed ingest are
    cleared by the next ingest of that file, so ``ingest.*`` only ever shows a whole dump or none of it.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, name: str, now: datetime) -> None:
        self.con, self.name, self.now = con, name, now
        self.documents_new = 0
        self.documents_existing = 0
        self.parsed = 0
        self.rejected = 0
        for ddl in _STAGE_DDL:
            con.execute(ddl)
        self.clear()

    def clear(self) -> None:
        """Drop this file's staged rows (left by a killed ingest, or merged already)."""
        for table in ("ingest_staging.staged_documents", "ingest_staging.staged_rejects"):
            self.con.execute(f"DELETE FROM {table} WHERE file_name = ?", [self.name])  # constant names only
        with contextlib.suppress(duckdb.Error):  # best effort: another writer may hold the database
            self.con.execute("CHECKPOINT")  # give the deleted rows' blocks back before the next dump grows the file

    def write_documents(self, rows: list[tuple]) -> None:
        if not rows:
            return
        con = self.con
        count = len(rows)
        con.register("_ingest_batch", _arrow_batch(rows))
        rows.clear()  # the caller's list: its Python strings go now, the Arrow copy is what DuckDB reads
        try:
            con.execute(
                "INSERT INTO ingest_staging.staged_documents SELECT ?, document_id, title, body, published_date, "
                "is_truncated, content_hash, record_number, byte_offset FROM _ingest_batch",
                [self.name],
            )
        finally:
            con.unregister("_ingest_batch")
        # Arrow's allocator keeps freed batches for reuse; handing them back keeps RSS at one batch.
        pa.default_memory_pool().release_unused()
        self.parsed += count

    def write_rejects(self, rows: list[tuple]) -> None:
        if not rows:
            return
        columns = list(zip(*rows, strict=True))
        table = pa.table([pa.array(col, type=t) for col, t in zip(columns, _REJECT_TYPES, strict=True)],
                         names=_REJECT_COLUMNS)  # Arrow, not pandas: the ingest process never imports pandas
        self.con.register("_ingest_rejects", table)
        try:
            self.con.execute(
                "INSERT INTO ingest_staging.staged_rejects SELECT ?, record_number, byte_offset, reason, excerpt "
                "FROM _ingest_rejects",
                [self.name],
            )
        finally:
            self.con.unregister("_ingest_rejects")
        self.rejected += len(rows)

    def merge(self, sha: str | None) -> None:
        """Set-based merge of the staged dump; the caller holds the one transaction around it."""
        con, name, now = self.con, self.name, self.now
        # Documents this file showed last time: their still_present flag is re-checked at the end.
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _ingest_old AS "
            "SELECT DISTINCT document_id FROM ingest.sightings WHERE file_name = ?",
            [name],
        )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _ingest_seen AS SELECT document_id, min(record_number) AS first_record "
            "FROM ingest_staging.staged_documents WHERE file_name = ? GROUP BY document_id",
            [name],
        )
        con.execute("DELETE FROM ingest.sightings WHERE file_name = ?", [name])
        con.execute("DELETE FROM ingest.rejects WHERE file_name = ?", [name])
        self.documents_existing = con.execute(
            "SELECT count(*) FROM _ingest_seen WHERE document_id IN (SELECT document_id FROM ingest.documents)"
        ).fetchone()[0]
        con.execute(
            "UPDATE ingest.documents SET last_seen_at = ?, still_present = TRUE "
            "WHERE document_id IN (SELECT document_id FROM _ingest_seen)",
            [now],
        )
        # The new documents' first records, found on ids and numbers only: the join that picks them never
        # carries a body (a 60 MB one in a hash table needed a 256 MB memory limit).
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _ingest_new AS SELECT first_record FROM _ingest_seen "
            "WHERE document_id NOT IN (SELECT document_id FROM ingest.documents)"
        )
        self.documents_new = con.execute("SELECT count(*) FROM _ingest_new").fetchone()[0]
        con.execute(
            "INSERT INTO ingest.documents "
            "SELECT s.document_id, s.title, s.body, s.published_date, s.is_truncated, s.content_hash, ?, "
            "s.record_number, s.byte_offset, ?, ?, TRUE FROM ingest_staging.staged_documents s "
            "WHERE s.file_name = ? AND s.record_number IN (SELECT first_record FROM _ingest_new)",
            [name, now, now, name],
        )
        con.execute(
            "INSERT INTO ingest.sightings SELECT document_id, file_name, ?, record_number, byte_offset, ? "
            "FROM ingest_staging.staged_documents WHERE file_name = ?",
            [sha, now, name],
        )
        con.execute(
            "INSERT INTO ingest.rejects SELECT file_name, ?, record_number, byte_offset, reason, excerpt, ? "
            "FROM ingest_staging.staged_rejects WHERE file_name = ?",
            [sha, now, name],
        )
        # Documents this file no longer holds: present only if another file still shows them. Never deleted.
        con.execute(
            "UPDATE ingest.documents d SET still_present = EXISTS "
            "(SELECT 1 FROM ingest.sightings s WHERE s.document_id = d.document_id) "
            "WHERE d.document_id IN (SELECT document_id FROM _ingest_old) "
            "AND d.document_id NOT IN (SELECT document_id FROM _ingest_seen)"
        )
        for table in ("_ingest_seen", "_ingest_old", "_ingest_new"):
            con.execute(f"DROP TABLE IF EXISTS {table}")  # constant names only


def ingest_dump(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    file_name: str | None = None,
    now: datetime | None = None,
    *,
    force: bool = False,
    limits: ParseLimits | None = None,
    batch_size: int = BATCH_SIZE,
) -> IngestResult:
    """Parse one dump and merge it into ``ingest.*`` in one transaction.

    Skips (``skipped=True``) a file recorded with the same size and mtime unless
    ``force``.  Must be called outside an open transaction on ``con``.
    """
    path = Path(path)
    name = file_name or path.name
    now_ts = _utc_naive(now)
    ensure_schema(con)
    if not force and not needs_ingest(con, path, name):
        return _skipped_result(con, name)
    try:
        st = path.stat()
        size, mtime = st.st_size, _mtime(st)
    except OSError:
        size, mtime = None, None

    with _memory_limit(con, INGEST_MEMORY_LIMIT):
        reader = DumpReader(path, limits or ParseLimits(max_record_bytes=MAX_RECORD_BYTES))
        return _ingest(con, path, name, now_ts, size, mtime, reader, batch_size)


@contextlib.contextmanager
def _memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """DuckDB's memory_limit set to ``limit`` for the ingest, the caller's own limit restored after."""
    previous = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    con.execute(f"SET memory_limit = '{_checked_size(limit)}'")  # checked: digits and a unit only
    try:
        yield
    finally:
        with contextlib.suppress(duckdb.Error):
            con.execute(f"SET memory_limit = '{_checked_size(previous)}'")


def _checked_size(text: str) -> str:
    """A DuckDB size such as ``256MB`` or ``1.5 GiB`` (formatted into SET, so nothing else may pass)."""
    if not re.fullmatch(r"\s*\d+(\.\d+)?\s*[A-Za-z]{0,3}\s*", text):
        raise ValueError(f"not a memory size: {text!r}")
    return text.strip()


def _ingest(con: duckdb.DuckDBPyConnection, path: Path, name: str, now_ts: datetime, size: int | None,
            mtime: datetime | None, reader: DumpReader, batch_size: int) -> IngestResult:
    writer = _DumpWriter(con, name, now_ts)  # staging: each batch commits on its own (autocommit)
    try:
        docs: list[tuple] = []
        docs_chars = 0
        rejects: list[tuple] = []
        for item in reader:
            if isinstance(item, ParsedRecord):
                chars = len(item.title) + len(item.body)
                if docs and docs_chars + chars > BATCH_BYTES:  # a big record never joins a full batch
                    writer.write_documents(docs)
                    docs, docs_chars = [], 0
                docs.append((
                    item.document_id, item.title, item.body, item.published_date.isoformat(), item.is_truncated,
                    content_hash(item.title, item.body),
                    item.record_number, item.byte_offset,
                ))
                docs_chars += chars
                if len(docs) >= batch_size or docs_chars >= BATCH_BYTES:
                    del item  # the batch's rows are the only reference left to a huge body: freed with them
                    writer.write_documents(docs)
                    docs, docs_chars = [], 0
            elif isinstance(item, RejectedRecord):
                rejects.append((item.record_number, item.byte_offset, item.reason, item.excerpt))
                if len(rejects) >= batch_size:
                    writer.write_rejects(rejects)
                    rejects = []
        writer.write_documents(docs)
        writer.write_rejects(rejects)
        report = reader.report
        con.begin()  # the one short transaction that makes the dump visible
        writer.merge(report.content_sha256)
        duplicates = writer.parsed - writer.documents_new
        if writer.parsed + writer.rejected != report.records_read:  # pragma: no cover - parser invariant
            raise RuntimeError(f"accounting mismatch for {name!r}: {writer.parsed}+{writer.rejected} "
                               f"!= {report.records_read}")
        values = [
            str(path.absolute()), size, mtime, report.content_sha256, report.status, report.message,
            report.records_read, writer.documents_new, writer.documents_existing, duplicates, writer.rejected, now_ts,
        ]
        exists = con.execute("SELECT 1 FROM ingest.dump_files WHERE file_name = ?", [name]).fetchone()
        if exists:
            con.execute(
                "UPDATE ingest.dump_files SET file_path = ?, size_bytes = ?, mtime = ?, content_sha256 = ?, "
                "status = ?, message = ?, records_read = ?, documents_new = ?, documents_existing = ?, "
                "duplicates = ?, rejects = ?, last_ingested_at = ? WHERE file_name = ?",
                [*values, name],
            )
        else:
            con.execute(
                "INSERT INTO ingest.dump_files (file_path, size_bytes, mtime, content_sha256, status, message, "
                "records_read, documents_new, documents_existing, duplicates, rejects, last_ingested_at, "
                "first_ingested_at, file_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [*values, now_ts, name],
            )
        con.commit()
    except BaseException:
        # A failed COMMIT (disk full, I/O error) has already ended the transaction: rolling back then raises
        # "no transaction is active" and would hide the real error, so only the original one propagates.
        with contextlib.suppress(duckdb.Error):
            con.rollback()
        with contextlib.suppress(duckdb.Error):
            writer.clear()
        raise
    writer.clear()
    return IngestResult(
        file_name=name,
        status=report.status,
        message=report.message,
        skipped=False,
        content_sha256=report.content_sha256,
        records_read=report.records_read,
        documents_new=writer.documents_new,
        documents_existing=writer.documents_existing,
        duplicates=duplicates,
        rejects=writer.rejected,
    )


def list_dump_files(raw_dir: str | Path) -> list[Path]:
    """Ingestible files of the landing folder, sorted by name.

    Regular files only (no directories, devices, fifos), not hidden, not
    ``*.part`` / ``*.tmp`` (copies in progress); symlinks are followed only when
    they resolve inside ``raw_dir``.
    """
    root = Path(raw_dir)
    try:
        root_resolved = root.resolve(strict=True)
        entries = list(root.iterdir())
    except OSError:
        return []
    found: list[Path] = []
    for entry in entries:
        name = entry.name
        if name.startswith(".") or name.lower().endswith((".part", ".tmp")):
            continue
        try:
            if entry.is_symlink():
                target = entry.resolve(strict=True)
                if not target.is_relative_to(root_resolved):
                    continue
            if not entry.is_file():
                continue
        except (OSError, RuntimeError):
            continue
        found.append(entry)
    return sorted(found, key=lambda p: p.name)
