"""Storage version of the marts file: detected, retired when readers cannot open it, required by publishing."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.domain.warehouse.config import marts_db_path, wal_path
from orchestration.domain.warehouse.publish import publish_marts
from orchestration.domain.warehouse.storage import (
    READERS_STORAGE_VERSION,
    StorageVersionError,
    create_database,
    is_readers_version,
    retire_incompatible,
    storage_version,
)


def _marts(path: Path, rows: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute(f"create or replace table marts.t as select range as id from range({rows})")
    con.close()


def _default_format(path: Path) -> None:
    """A marts file as a build from before the storage setting wrote it: DuckDB 2.0's default format."""
    _marts(path, 3)


def test_new_files_keep_the_readers_version(tmp_path: Path):
    db = tmp_path / "m.duckdb"
    create_database(db)
    _marts(db, 10)  # reopened read-write, written, checkpointed on close: the version stays
    assert storage_version(db) == READERS_STORAGE_VERSION and is_readers_version(db)
    other = tmp_path / "default.duckdb"
    _default_format(other)
    assert storage_version(other) != READERS_STORAGE_VERSION and not is_readers_version(other)
    assert not is_readers_version(tmp_path / "missing.duckdb")


def test_storage_version_reads_a_file_a_reader_holds(tmp_path: Path):
    db = tmp_path / "m.duckdb"
    create_database(db)
    _marts(db, 1)
    reader = duckdb.connect(str(db), read_only=True)
    try:
        assert storage_version(db) == READERS_STORAGE_VERSION
        assert reader.execute("select count(*) from marts.t").fetchone() == (1,)
    finally:
        reader.close()


def test_retire_deletes_a_file_in_another_version_and_its_wal(tmp_path: Path):
    db = tmp_path / "w.marts.duckdb"
    _default_format(db)
    wal_path(db).write_bytes(b"")  # a WAL beside it goes too (it belongs to the retired file)
    retired = retire_incompatible(db)
    assert retired is not None and retired.path == db
    assert f"readers need {READERS_STORAGE_VERSION}" in retired.reason
    assert not db.exists() and not wal_path(db).exists()
    assert retire_incompatible(db) is None  # nothing left to retire


def test_retire_keeps_a_file_in_the_readers_version(tmp_path: Path):
    db = tmp_path / "w.marts.duckdb"
    create_database(db)
    _marts(db, 4)
    before = db.read_bytes()
    assert retire_incompatible(db) is None
    assert db.read_bytes() == before


def test_retire_removes_a_file_duckdb_cannot_open(tmp_path: Path):
    db = tmp_path / "w.marts.duckdb"
    db.write_bytes(b"not a database" * 500)
    retired = retire_incompatible(db)
    assert retired is not None and retired.reason.startswith("unreadable")
    assert not db.exists()


def test_publish_refuses_a_marts_file_readers_cannot_open(tmp_path: Path):
    work, target = tmp_path / "work.duckdb", tmp_path / "pub" / "w.duckdb"
    duckdb.connect(str(work)).close()
    create_database(marts_db_path(work))
    _marts(marts_db_path(work), 3)
    publish_marts(work, target)
    before = target.read_bytes()
    marts_db_path(work).unlink()
    _default_format(marts_db_path(work))
    with pytest.raises(StorageVersionError, match=f"not {READERS_STORAGE_VERSION}"):
        publish_marts(work, target)
    assert target.read_bytes() == before
    assert not list(target.parent.glob(".*publishing*"))
