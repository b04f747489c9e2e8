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

Batches are staged in ``ingest_staging`` (committed one by one, so memory stays bounded; ``batches.py``),
then merged in one DuckDB transaction per dump: a crash mid-dump leaves the previous state.
File names and text are always passed as parameters, never formatted into SQL.
All ``*_at`` timestamps are naive UTC ``TIMESTAMP``.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from orchestration.domain.ingest.batches import DumpWriter
from orchestration.domain.ingest.dumps import DumpReader, ParsedRecord, ParseLimits, RejectedRecord
from orchestration.domain.ingest.ids import content_hash
from orchestration.domain.warehouse.memory import INGEST_MEMORY_LIMIT, memory_limit

__all__ = ["IngestResult", "ensure_schema", "ingest_dump", "list_dump_files", "needs_ingest"]

BATCH_SIZE = 5000
BATCH_BYTES = 16 * 1024 * 1024  # a batch is also flushed at this much text (a few huge records)
_EPOCH = datetime(1970, 1, 1)
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
    ensure_schema(con)
    row = con.execute(
        "SELECT size_bytes, mtime, content_sha256, status FROM ingest.dump_files WHERE file_name = ?",
        [file_name or path.name],
    ).fetchone()
    return _changed(row, path, verify_hash)


def all_ingested(con: duckdb.DuckDBPyConnection, paths: list[Path]) -> bool:
    """True when every one of `paths` is recorded and unchanged (size and mtime): an ingest would read none.
    Reads only, so a planner may ask on a read-only connection before it selects any step."""
    try:
        rows = con.execute("SELECT file_name, size_bytes, mtime, content_sha256, status FROM ingest.dump_files"
                           ).fetchall()
    except duckdb.CatalogException:  # nothing ingested yet
        return not paths
    recorded = {row[0]: row[1:] for row in rows}
    return not any(_changed(recorded.get(path.name), path, False) for path in paths)


def _changed(row: tuple | None, path: Path, verify_hash: bool) -> bool:
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
    ``force``.  Must be called outside an open transaction on ``con``.  Without ``limits``, records over
    ``MAX_RECORD_BYTES`` are rejects ("record too large"): that bound keeps a dump's ingest in bounded memory.
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

    with memory_limit(con, INGEST_MEMORY_LIMIT):
        reader = DumpReader(path, limits or ParseLimits(max_record_bytes=MAX_RECORD_BYTES))
        return _ingest(con, path, name, now_ts, size, mtime, reader, batch_size)


def _ingest(con: duckdb.DuckDBPyConnection, path: Path, name: str, now_ts: datetime, size: int | None,
            mtime: datetime | None, reader: DumpReader, batch_size: int) -> IngestResult:
    writer = DumpWriter(con, name, now_ts)  # staging: each batch commits on its own (autocommit)
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
