"""`python -m orchestration.deploy.share DEST`: copy the published warehouse to shared storage, atomically.

Readers on other machines open a copy on shared storage (NFS, SMB, an object-store mount), never the
pipeline's files: DuckDB's locks are unreliable over network file systems, and the pipeline's machine keeps
the one writer. The copy is read from one open handle of the published file (a refresh that swaps it
meanwhile does not mix two versions), written to a temporary beside DEST, synced, opened read-only to check
it holds the marts, then renamed over DEST, so a reader there sees the old copy or the new one, never half.
Run it after each refresh (cron, or the step after `make refresh` on the pipeline's machine).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

import duckdb

from ..domain.warehouse.config import load_config


def _tables(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select count(*) from information_schema.tables where table_schema = 'marts'"
                           ).fetchone()[0]
    finally:
        con.close()


def share(source: Path, dest: Path) -> int:
    """Copy `source` onto `dest` (a file path, or a folder to hold a file of the same name); returns the
    number of mart tables in the copy."""
    if dest.is_dir():
        dest = dest / source.name
    temporary = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        with open(source, "rb") as src, open(temporary, "wb") as out:
            shutil.copyfileobj(src, out, length=16 << 20)
            out.flush()
            os.fsync(out.fileno())
        tables = _tables(temporary)
        if tables == 0:
            raise ValueError(f"{source} holds no table of schema marts; not shared")
        os.replace(temporary, dest)
    finally:
        temporary.unlink(missing_ok=True)
    folder = os.open(dest.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
    return tables


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.deploy.share", description=__doc__.split("\n")[0])
    parser.add_argument("dest", type=Path, help="file or folder on shared storage")
    parser.add_argument("--source", type=Path, help="published file (default WAREHOUSE_DB_PATH)")
    args = parser.parse_args(argv)
    source = args.source or Path(load_config().db_path)
    try:
        tables = share(source, args.dest)
    except (OSError, ValueError, duckdb.Error) as exc:
        print(f"share FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"shared {source} -> {args.dest} ({tables} mart tables)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
