"""Publishing the marts to the file readers open, atomically.

Why a file swap: DuckDB allows one writing process or many reading
processes per file, never both, so readers (CLI, notebooks, BI tools) must
never hold a file the pipeline writes. dbt builds the marts in their own
DuckDB file beside the working database (`config.marts_db_path`, attached by
the dbt profile as `marts_db`; it holds schema `marts` and nothing else).
Publishing checkpoints that file (so everything is in the file, not in a
WAL), checks it holds only schema `marts`, copies it byte for byte to a
temporary beside the published file, syncs the copy, checks that it opens
with the same tables, and renames it over the published path. `rename(2)` is
atomic: a reader opening the path gets the old file or the new one, never a
mix, and readers that already hold the old file keep reading it (its inode
lives on) until they reconnect; the marts file dbt writes in place is never
the file readers hold. A crash at any point leaves either the old file (plus
a stale temporary, removed by the next publish) or the new one. The copy is also kept as a version
(`versions.py`: the last WAREHOUSE_KEEP_VERSIONS, for `python -m orchestration.rollback`).
See docs/publishing.md for the measurements behind this choice.
"""
from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.domain.warehouse import health, versions
from orchestration.domain.warehouse.config import marts_db_path, wal_path
from orchestration.domain.warehouse.storage import require_readers_version

TEMP_MARKER = versions.TEMP_MARKER


@dataclass
class PublishResult:
    path: Path
    tables: dict[str, int]
    seconds: float
    size_bytes: int
    version: int | None = None  # the kept version now in place (docs/operations.md)
    deleted_versions: list[int] | None = None  # versions beyond WAREHOUSE_KEEP_VERSIONS, deleted
    superseded_rollback: int | None = None  # a rollback to this version was in place until now


def _temp_files(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}{TEMP_MARKER}*"))


def _remove_database(path: Path) -> None:
    for part in (path, wal_path(path)):
        part.unlink(missing_ok=True)


def clean_stale_temporaries(target: Path) -> list[Path]:
    """Remove leftovers of publishes that were killed before their rename."""
    removed = _temp_files(target)
    for stale in removed:
        _remove_database(stale)
    return removed


def _objects(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(schema, name, kind) of every table and view the user made in the connection's database."""
    return con.execute(
        "select schema_name, table_name, 'table' from duckdb_tables() "
        "where database_name = current_database() and not internal and not temporary "
        "union all select schema_name, view_name, 'view' from duckdb_views() "
        "where database_name = current_database() and not internal and not temporary "
        "order by 1, 2"
    ).fetchall()


def _settle(marts_db: Path, schema: str) -> list[str]:
    """Checkpoint the marts file and check it holds tables of `schema` only; returns their names.

    Opening it read-write replays a WAL left by a dbt that was killed (the lock held by the caller
    guarantees no dbt is running), CHECKPOINT writes everything into the file itself.
    """
    con = duckdb.connect(str(marts_db))
    try:
        con.execute("checkpoint")
        objects = _objects(con)
    finally:
        con.close()
    if wal_path(marts_db).exists():
        raise RuntimeError(f"{marts_db} still has a WAL after a checkpoint: not publishing a file in flux")
    foreign = [f"{s}.{n} ({kind})" for s, n, kind in objects if s != schema or kind != "table"]
    if foreign:
        raise RuntimeError(f"{marts_db} holds more than the tables of schema {schema!r}: {', '.join(foreign)}; "
                           "only schema marts may be published (is a model outside models/marts configured "
                           "with database marts_db?)")
    tables = [n for _, n, _ in objects]
    if not tables:
        raise RuntimeError(f"no tables in schema {schema!r} of {marts_db}: nothing to publish")
    return tables


def _copy(source: Path, dest: Path) -> None:
    """Byte copy (in-kernel where the OS can) into a new file, synced to disk."""
    with open(source, "rb") as src, open(dest, "xb") as dst:
        if hasattr(os, "sendfile"):
            size, sent = os.fstat(src.fileno()).st_size, 0
            while sent < size:
                n = os.sendfile(dst.fileno(), src.fileno(), sent, size - sent)
                if n == 0:
                    raise OSError(f"short copy of {source}: {sent} of {size} bytes")
                sent += n
        else:
            shutil.copyfileobj(src, dst, 8 * 1024 * 1024)
        os.fsync(dst.fileno())


def _published_tables(path: Path, schema: str) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return health.table_row_counts(con, schema=schema)
    finally:
        con.close()


def publish_marts(work_db: Path, target: Path, schema: str = "marts", *, run_id: str | None = None,
                  extractor_version: str | None = None, keep: int | None = None) -> PublishResult:
    """Copy the marts file of the working database `work_db` over `target`, atomically, keeping the copy
    as a new version (the last `keep`, default WAREHOUSE_KEEP_VERSIONS, are kept for rollback)."""
    started = time.perf_counter()
    keep = versions.keep_versions() if keep is None else keep
    source = marts_db_path(work_db)
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_temporaries(target)
    if not source.exists():
        raise RuntimeError(f"no marts database {source} beside {work_db}: nothing to publish")
    expected = _settle(source, schema)
    require_readers_version(source)  # DuckDB 1.x readers must open the published copy
    temp = target.with_name(f".{target.name}{TEMP_MARKER}{os.getpid()}-{time.time_ns()}")
    try:
        _copy(source, temp)
        counts = _published_tables(temp, schema)
        if sorted(counts) != sorted(expected):
            raise RuntimeError(f"the copy of {source} holds {sorted(counts)}, not {sorted(expected)}")
        kept = versions.add_version(temp, target, tables=counts, run_id=run_id,
                                    extractor_version=extractor_version)
    except BaseException:
        _remove_database(temp)
        raise
    superseded = versions.last_rollback_in_place(versions.read_manifest(target))
    os.replace(temp, target)
    versions.fsync_dir(target.parent)
    deleted = versions.record_publish(target, kept, keep)
    return PublishResult(target, counts, time.perf_counter() - started, target.stat().st_size, kept.version,
                         deleted, superseded["version"] if superseded else None)
