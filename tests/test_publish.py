"""Atomic publishing of the marts."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.domain.publish import clean_stale_temporaries, publish_marts


def _work_db(path: Path, rows: int) -> None:
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute("create schema if not exists ingest")
    con.execute("create or replace table ingest.secret as select 1 as x")
    con.execute(f"create or replace table marts.t as select range as id from range({rows})")
    con.close()


def test_publish_copies_only_marts_and_replaces(tmp_path: Path):
    work, target = tmp_path / "work.duckdb", tmp_path / "pub" / "w.duckdb"
    _work_db(work, 3)
    first = publish_marts(work, target)
    assert first.tables == {"t": 3}
    _work_db(work, 5)
    publish_marts(work, target)
    con = duckdb.connect(str(target), read_only=True)
    assert con.execute("select count(*) from marts.t").fetchone()[0] == 5
    schemas = {r[0] for r in con.execute("select schema_name from information_schema.schemata").fetchall()}
    assert "ingest" not in schemas
    con.close()
    assert not list(target.parent.glob(".*publishing*"))


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


def test_failed_publish_leaves_published_file(tmp_path: Path):
    work, target = tmp_path / "work.duckdb", tmp_path / "w.duckdb"
    _work_db(work, 3)
    publish_marts(work, target)
    before = target.read_bytes()
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(RuntimeError):
        publish_marts(empty, target)
    assert target.read_bytes() == before
    stale = target.with_name(f".{target.name}.publishing-123-456")
    stale.write_bytes(b"half written")
    assert clean_stale_temporaries(target) == [stale]
    assert not stale.exists()
