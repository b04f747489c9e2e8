"""Atomic publishing of the marts file."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.domain.warehouse import publish
from orchestration.domain.warehouse.config import marts_db_path
from orchestration.domain.warehouse.publish import clean_stale_temporaries, publish_marts
from orchestration.domain.warehouse.storage import create_database

REPO = Path(__file__).resolve().parents[1]


def _work_db(path: Path, rows: int) -> None:
    """A working database (internal schemas) and its marts file (schema marts), as dbt leaves them."""
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists ingest")
    con.execute("create or replace table ingest.secret as select 1 as x")
    con.close()
    if not marts_db_path(path).exists():
        create_database(marts_db_path(path))  # as the dbt profile attaches it: in the readers' storage version
    con = duckdb.connect(str(marts_db_path(path)))
    con.execute("create schema if not exists marts")
    con.execute(f"create or replace table marts.t as select range as id from range({rows})")
    con.close()


def _schemas(path: Path) -> set[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {r[0] for r in con.execute("select distinct table_schema from information_schema.tables").fetchall()}
    finally:
        con.close()


def test_publish_copies_only_marts_and_replaces(tmp_path: Path):
    work, target = tmp_path / "work.duckdb", tmp_path / "pub" / "w.duckdb"
    _work_db(work, 3)
    first = publish_marts(work, target)
    assert first.tables == {"t": 3}
    _work_db(work, 5)
    second = publish_marts(work, target)
    assert second.tables == {"t": 5} and second.size_bytes == target.stat().st_size
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("select count(*) from marts.t").fetchone()[0] == 5
    con.close()
    assert _schemas(target) == {"marts"}
    assert not list(target.parent.glob(".*publishing*"))
    assert not target.with_name(target.name + ".wal").exists()


def test_reader_holding_old_file_keeps_reading(tmp_path: Path):
    work, target = tmp_path / "work.duckdb", tmp_path / "w.duckdb"
    _work_db(work, 3)
    publish_marts(work, target)
    reader = duckdb.connect(str(target), read_only=True)
    _work_db(work, 7)
    publish_marts(work, target)
    assert reader.execute("select count(*) from marts.t").fetchone()[0] == 3
    reader.close()
    fresh = duckdb.connect(str(target), read_only=True)
    assert fresh.execute("select count(*) from marts.t").fetchone()[0] == 7
    fresh.close()


def test_marts_file_is_never_the_published_file(tmp_path: Path):
    """dbt rewrites the marts file in place: the published file is a copy (another inode)."""
    work, target = tmp_path / "work.duckdb", tmp_path / "w.duckdb"
    _work_db(work, 3)
    publish_marts(work, target)
    assert os.stat(target).st_ino != os.stat(marts_db_path(work)).st_ino
    con = duckdb.connect(str(marts_db_path(work)))
    con.execute("insert into marts.t values (99)")
    con.close()
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("select count(*) from marts.t").fetchone()[0] == 3
    con.close()


def test_failed_publish_leaves_published_file(tmp_path: Path):
    work, target = tmp_path / "work.duckdb", tmp_path / "w.duckdb"
    _work_db(work, 3)
    publish_marts(work, target)
    before = target.read_bytes()
    empty = tmp_path / "empty.duckdb"  # a working database without a marts file
    duckdb.connect(str(empty)).close()
    with pytest.raises(RuntimeError, match="nothing to publish"):
        publish_marts(empty, target)
    duckdb.connect(str(marts_db_path(empty))).close()  # a marts file without tables
    with pytest.raises(RuntimeError, match="nothing to publish"):
        publish_marts(empty, target)
    assert target.read_bytes() == before
    stale = target.with_name(f".{target.name}.publishing-123-456")
    stale.write_bytes(b"half written")
    assert clean_stale_temporaries(target) == [stale]
    assert not stale.exists()


def test_only_schema_marts_is_published(tmp_path: Path):
    """Anything else in the marts file (a model configured into it by mistake, a view) stops publishing."""
    work, target = tmp_path / "work.duckdb", tmp_path / "w.duckdb"
    _work_db(work, 3)
    publish_marts(work, target)
    before = target.read_bytes()
    for ddl, undo in [("create table main.internal as select 1 as x", "drop table main.internal"),
                      ("create view marts.v as select * from marts.t", "drop view marts.v")]:
        con = duckdb.connect(str(marts_db_path(work)))
        con.execute(ddl)
        con.close()
        with pytest.raises(RuntimeError, match="more than the tables of schema 'marts'"):
            publish_marts(work, target)
        assert target.read_bytes() == before
        con = duckdb.connect(str(marts_db_path(work)))
        con.execute(undo)
        con.close()
    assert not list(tmp_path.glob(".*publishing*"))


def test_failed_copy_removes_its_temporary(tmp_path: Path, monkeypatch):
    work, target = tmp_path / "work.duckdb", tmp_path / "w.duckdb"
    _work_db(work, 3)
    publish_marts(work, target)
    before = target.read_bytes()
    _work_db(work, 4)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish.os, "sendfile", full_disk)
    with pytest.raises(OSError, match="No space left"):
        publish_marts(work, target)
    assert target.read_bytes() == before
    assert not list(tmp_path.glob(".*publishing*"))


def test_wal_left_by_a_killed_dbt_is_published(tmp_path: Path):
    """A dbt killed after its last commit leaves the marts file with a WAL; publishing checkpoints it in."""
    work, target = tmp_path / "work.duckdb", tmp_path / "w.duckdb"
    _work_db(work, 3)
    code = ("import duckdb, os, sys\n"
            "con = duckdb.connect(sys.argv[1])\n"
            "con.execute('insert into marts.t select range from range(100, 110)')\n"
            "os._exit(0)\n")  # no close, no checkpoint
    subprocess.run([sys.executable, "-c", code, str(marts_db_path(work))], check=True, timeout=60, cwd=REPO)
    assert marts_db_path(work).with_name(marts_db_path(work).name + ".wal").exists()
    result = publish_marts(work, target)
    assert result.tables == {"t": 13}
    assert not marts_db_path(work).with_name(marts_db_path(work).name + ".wal").exists()
