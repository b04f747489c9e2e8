"""Publishing the marts to the file readers open, atomically.

Why a file swap: DuckDB allows one writing process or many reading
processes per file, never both, so readers (CLI, notebooks, BI tools) must
never hold the file the pipeline writes. The pipeline builds in its own
working database; publishing copies only schema `marts` into a new file next
to the published one, syncs it to disk, and renames it over the published
path. `rename(2)` is atomic: a reader opening the path gets the old file or
the new one, never a mix, and readers that already hold the old file keep
reading it until they reconnect. A crash at any point leaves either the old
file (plus a stale temporary, removed by the next publish) or the new one.
See docs/publishing.md for the measurements behind this choice.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

TEMP_MARKER = ".publishing-"


@dataclass
class PublishResult:
    path: Path
    tables: dict[str, int]
    seconds: float
    size_bytes: int


def _temp_files(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}{TEMP_MARKER}*"))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_database(path: Path) -> None:
    for part in (path, path.with_name(path.name + ".wal")):
        part.unlink(missing_ok=True)


def clean_stale_temporaries(target: Path) -> list[Path]:
    """Remove leftovers of publishes that were killed before their rename."""
    removed = _temp_files(target)
    for stale in removed:
        _remove_database(stale)
    return removed


def mart_tables(con: duckdb.DuckDBPyConnection, schema: str = "marts") -> list[str]:
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = ? and table_catalog = current_database() and table_type = 'BASE TABLE' "
        "order by table_name",
        [schema],
    ).fetchall()
    return [r[0] for r in rows]


def publish_marts(work_db: Path, target: Path, schema: str = "marts") -> PublishResult:
    """Copy `schema` of the working database into a new file and swap it in."""
    started = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale_temporaries(target)
    temp = target.with_name(f".{target.name}{TEMP_MARKER}{os.getpid()}-{time.time_ns()}")
    counts: dict[str, int] = {}
    con = duckdb.connect(str(work_db))
    try:
        tables = mart_tables(con, schema)
        if not tables:
            raise RuntimeError(f"no tables in schema {schema!r} of {work_db}: nothing to publish")
        con.execute("attach ? as pub", [str(temp)])
        con.execute(f'create schema pub."{schema}"')
        for table in tables:
            con.execute(f'create table pub."{schema}"."{table}" as select * from "{schema}"."{table}"')
            counts[table] = con.execute(f'select count(*) from pub."{schema}"."{table}"').fetchone()[0]
        con.execute("checkpoint pub")
        con.execute("detach pub")
    except BaseException:
        con.close()
        _remove_database(temp)
        raise
    con.close()
    _fsync(temp)
    os.replace(temp, target)
    _fsync(target.parent)
    return PublishResult(target, counts, time.perf_counter() - started, target.stat().st_size)
