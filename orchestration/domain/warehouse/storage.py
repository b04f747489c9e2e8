"""The storage version of the marts file and of the published warehouse: one that DuckDB 1.x readers open.

Why: the pipeline writes with DuckDB 2.0, whose default storage format DuckDB 1.x (what most BI drivers,
the DuckDB CLI on PyPI and many notebooks embed) refuses to open. dbt attaches the marts file with
`STORAGE_VERSION` = `READERS_STORAGE_VERSION` (dbt_project/profiles.yml, `attach: options:`), and the
published file is a byte copy of it, so readers get that version. DuckDB keeps a file's storage version
when it is reopened, but cannot lower it: a marts file written in another version (by a build from
before this setting, or by hand) is *retired* before `dbt build` (deleted with its WAL, under the writer
lock), so dbt recreates it in the readers' version and builds every mart in full; publishing refuses a
marts file in any other version. See docs/publishing.md (Connecting).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.domain.warehouse.config import wal_path

# Keep equal to `options: storage_version` of marts_db in dbt_project/profiles.yml (tests/test_dbt_project.py).
READERS_STORAGE_VERSION = "v1.2.0"


class StorageVersionError(RuntimeError):
    """A database file is not in the storage version readers open."""


@dataclass(frozen=True)
class Retired:
    path: Path
    reason: str


def storage_version(path: Path) -> str:
    """The storage version `path` is written in, as DuckDB names it (`v1.2.0`, `v2.0.0`, ...).

    Attached read-only to an in-memory database, so it never writes the file and works while readers
    (in this process too) hold it; raises duckdb.Error when this DuckDB cannot open the file at all."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach ? as probed (read_only)", [str(path)])
        tags = con.execute("select tags from duckdb_databases() where database_name = 'probed'").fetchone()[0]
    finally:
        con.close()
    return str(tags.get("storage_version", "unknown")).rstrip("+")  # DuckDB tags it "v1.2.0+": readable from


def is_readers_version(path: Path) -> bool:
    """True when `path` exists and is written in the readers' storage version."""
    if not path.exists():
        return False
    try:
        return storage_version(path) == READERS_STORAGE_VERSION
    except duckdb.Error:
        return False


def create_database(path: Path) -> None:
    """Create an empty DuckDB file in the readers' storage version (it keeps it when reopened)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach ? as created (storage_version '{READERS_STORAGE_VERSION}')", [str(path)])
    finally:
        con.close()


def retire_incompatible(marts_db: Path) -> Retired | None:
    """Delete the marts file (and its WAL) unless it is in the readers' storage version; returns why.

    The caller holds the writer lock and runs `dbt build` next, which recreates the file in the readers'
    version (the profile's attach) and builds the marts in full. A file this DuckDB cannot open at all is
    retired too: dbt could not build into it either, and deleting the marts file is always safe."""
    if not marts_db.exists():
        return None
    try:
        version = storage_version(marts_db)
    except duckdb.Error as exc:
        reason = f"unreadable ({type(exc).__name__}: {str(exc).splitlines()[0]})"
    else:
        if version == READERS_STORAGE_VERSION:
            return None
        reason = f"storage version {version}, readers need {READERS_STORAGE_VERSION}"
    return retire(marts_db, reason)


def retire(marts_db: Path, reason: str) -> Retired | None:
    """Delete the marts file and its WAL (the caller holds the writer lock; the next `dbt build` recreates it)."""
    if not marts_db.exists():
        return None
    for part in (marts_db, wal_path(marts_db)):
        part.unlink(missing_ok=True)
    return Retired(marts_db, reason)


def require_readers_version(path: Path) -> None:
    """Raise StorageVersionError unless `path` is in the readers' storage version (checked before publishing)."""
    try:
        version = storage_version(path)
    except duckdb.Error as exc:
        raise StorageVersionError(f"{path} does not open: {exc}") from exc
    if version != READERS_STORAGE_VERSION:
        raise StorageVersionError(
            f"{path} is in storage version {version}, not {READERS_STORAGE_VERSION} (what DuckDB 1.x readers "
            "open): not publishing it; the next dbt step retires it and rebuilds the marts")
