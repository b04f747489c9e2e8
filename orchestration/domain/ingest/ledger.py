"""What the working database has ingested, kept as a small JSON file beside it.

The sensor may not open the working database (DuckDB admits no reader while a refresh writes it, and a
reader would make the next writer fail), yet it must know that a dump the command `make refresh` already
read needs no run of its own. The ingest step rewrites this ledger after every commit (atomically: a
temporary file renamed over it); a missing or unreadable ledger only costs a redundant run, which the
ingest step then skips as unchanged.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb

Seen = tuple[int, int]  # (size in bytes, mtime in microseconds since the epoch): what ingest compares


def ledger_path(work_db: Path) -> Path:
    return work_db.with_name(work_db.name + ".ingested.json")


def write_ledger(con: duckdb.DuckDBPyConnection, work_db: Path) -> Path:
    """Every dump recorded as read (an unreadable one is retried, so it is left out)."""
    rows = con.execute("select file_name, size_bytes, epoch_us(mtime) from ingest.dump_files "
                       "where status <> 'unreadable' order by file_name").fetchall()
    path = ledger_path(work_db)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps({name: [size, mtime] for name, size, mtime in rows}))
    os.replace(tmp, path)
    return path


def read_ledger(work_db: Path) -> dict[str, Seen]:
    try:
        data = json.loads(ledger_path(work_db).read_text())
        return {name: (int(v[0]), int(v[1])) for name, v in data.items()}
    except (OSError, ValueError, TypeError, IndexError, AttributeError):
        return {}
