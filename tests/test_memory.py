"""Memory where the refresh process works beside its children: DuckDB bounded (warehouse/memory.py), the
extraction workers forked from a frozen heap (extract/store.py)."""
from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

import duckdb

from orchestration.domain.extract import event_store
from orchestration.domain.extract import store as extract_store
from orchestration.domain.warehouse import memory

_EXTRACT_BATCH = extract_store._extract_batch


def _probe(batch):
    """In a worker: how many objects of the refresh process the worker's collector will never visit."""
    Path(os.environ["FREEZE_PROBE"]).write_text(str(gc.get_freeze_count()))
    return _EXTRACT_BATCH(batch)


def _limit(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("select current_setting('memory_limit')").fetchone()[0]


def test_released_lowers_the_limit_while_waiting_and_restores_it():
    con = duckdb.connect()
    con.execute("set memory_limit = '1GiB'")
    before = _limit(con)
    with memory.released(con):
        inside = _limit(con)
    assert inside != before and "MiB" in inside and float(inside.split()[0]) <= 16
    assert _limit(con) == before


def test_released_restores_the_limit_when_the_wait_fails():
    con = duckdb.connect()
    con.execute("set memory_limit = '1GiB'")
    before = _limit(con)
    try:
        with memory.released(con):
            raise RuntimeError("the child failed")
    except RuntimeError:
        pass
    assert _limit(con) == before


def test_extraction_runs_under_its_memory_limit(monkeypatch, tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("set memory_limit = '1GiB'")
    before, seen = _limit(con), []
    monkeypatch.setattr(extract_store, "_run_extraction", lambda c, *a: seen.append(_limit(c)))
    extract_store.run_extraction(con)
    with duckdb.connect() as other:
        other.execute(f"set memory_limit = '{memory.EXTRACT_MEMORY_LIMIT}'")
        assert seen == [_limit(other)]
    assert _limit(con) == before


def test_recurring_participants_are_one_object(seed_warehouse, tmp_path):
    work = tmp_path / "w.duckdb"
    shutil.copy(seed_warehouse.work_db, work)
    with duckdb.connect(str(work), read_only=True) as con:
        records, heads = event_store._records(event_store._read(con, "true"))
        assert len(records) == con.execute("select count(*) from extract.events").fetchone()[0]
    assert heads == []
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    recurring = 0
    for record in records:
        for part in record.participants:
            if part in seen:
                recurring += 1
                assert seen[part] is part
            seen[part] = part
    assert recurring > 0


def test_extraction_workers_never_collect_what_they_inherited(seed_warehouse, tmp_path, monkeypatch):
    work, probe = tmp_path / "w.duckdb", tmp_path / "frozen"
    shutil.copy(seed_warehouse.work_db, work)
    monkeypatch.setenv("FREEZE_PROBE", str(probe))
    monkeypatch.setattr(extract_store, "_extract_batch", _probe)
    with duckdb.connect(str(work)) as con:  # another version: every document again, two batches, two workers
        run = extract_store.run_extraction(con, version="probe", workers=2, batch=4)
    assert run.workers == 2 and run.documents == 8 and not run.failed
    assert int(probe.read_text()) > 10_000  # the worker inherited them frozen
    assert gc.get_freeze_count() == 0  # and this process collects its own again


def test_the_heap_is_trimmed_before_the_resolver_forks(monkeypatch):
    """Freed C-heap pages stay resident (and are inherited by a forked child) until malloc_trim hands them
    back: 100 MB freed under a live block on top of the heap leave RSS as it was; trim_heap returns them.
    The resolver's fork (event_store._in_child) trims first."""
    import psutil

    def rss() -> int:
        return psutil.Process().memory_info().rss

    blocks = [bytearray(2000) for _ in range(50_000)]  # > 512 bytes each: malloc, not Python's small-object pool
    pin = bytearray(2000)  # allocated last: the heap cannot shrink from its top
    del blocks
    freed = rss()
    assert memory.trim_heap()
    assert freed - rss() > 50 * 2**20
    del pin

    calls = []
    monkeypatch.setattr(event_store, "trim_heap", lambda: calls.append(1))
    assert event_store._in_child(lambda: ["resolved"]) == ["resolved"]
    assert calls == [1]
