"""Stage one dump batch by batch in schema ``ingest_staging``, then merge it into ``ingest.*`` set-based.

Why: one transaction over the whole dump grew RSS with the dump (1.15 GB for 323 MB); each staged batch
commits on its own and only the merge is one (short) transaction, so ``ingest.*`` shows a whole dump or
none of it. Batches are Arrow tables (freed with the batch), never pandas frames of Python strings.
"""
from __future__ import annotations

import contextlib
from datetime import datetime

import duckdb
import pyarrow as pa

__all__ = ["DumpWriter"]

_BATCH_COLUMNS = [
    "document_id", "title", "body", "published_date", "is_truncated", "content_hash", "record_number", "byte_offset",
]
_REJECT_COLUMNS = ["record_number", "byte_offset", "reason", "excerpt"]
_REJECT_TYPES = [pa.int64(), pa.int64(), pa.string(), pa.string()]


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


class DumpWriter:
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
