"""The landing-folder sensor: new dump → one request; same again → none; half-written → none; changed → one."""
from __future__ import annotations

import os
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.automation import DOWNSTREAM, RANGE_END, RANGE_START, daily_refresh, raw_dump_sensor
from orchestration.defs.ingest import DUMPS
from orchestration.domain.ingest.landing import contiguous_ranges, decide, partition_key

SEED = Path(__file__).resolve().parents[1] / "raw" / "000_d41fcb9709c6051a.txt"


def _age(path: Path, seconds: float = 60) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def _tick(raw: Path, cursor: str | None, monkeypatch, instance: dg.DagsterInstance | None = None) -> dg.SensorResult:
    """One sensor evaluation; the partitions it asks for are added, as the daemon would."""
    monkeypatch.setenv("WAREHOUSE_RAW_DIR", str(raw))
    monkeypatch.setenv("WAREHOUSE_WORK_DB", str(raw.parent / "work.duckdb"))  # its ledger: nothing ingested yet
    instance = instance or dg.DagsterInstance.ephemeral()
    result = raw_dump_sensor(dg.build_sensor_context(cursor=cursor, instance=instance))
    for request in result.dynamic_partitions_requests or []:
        instance.add_dynamic_partitions(request.partitions_def_name, list(request.partition_keys))
    return result


def _targets(result: dg.SensorResult) -> list[tuple[str, str]]:
    """(first, last) dump partition of each run request."""
    out = []
    for r in result.run_requests:
        if r.partition_key:
            out.append((r.partition_key, r.partition_key))
        else:
            out.append((r.tags[RANGE_START], r.tags[RANGE_END]))
    return out


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    d = tmp_path / "raw"
    d.mkdir()
    return d


def test_new_then_same_then_changed(raw: Path, monkeypatch):
    dump = raw / "001.txt"
    dump.write_bytes(SEED.read_bytes())
    _age(dump)
    instance = dg.DagsterInstance.ephemeral()
    first = _tick(raw, None, monkeypatch, instance)
    assert len(first.run_requests) == 1
    assert _targets(first) == [("001.txt", "001.txt")]  # the run selects that dump's partition
    assert instance.get_dynamic_partitions(DUMPS.name) == ["001.txt"]
    key = first.run_requests[0].run_key
    again = _tick(raw, first.cursor, monkeypatch, instance)
    assert not again.run_requests
    # the content changes (size and mtime): one new request with a new run key, for the same partition
    dump.write_bytes(SEED.read_bytes() + b"-\nAnother title\nBody text. date2024-07-01\n")
    _age(dump, 30)
    changed = _tick(raw, again.cursor, monkeypatch, instance)
    assert len(changed.run_requests) == 1
    assert changed.run_requests[0].run_key != key
    assert _targets(changed) == [("001.txt", "001.txt")]
    assert not changed.dynamic_partitions_requests
    assert instance.get_dynamic_partitions(DUMPS.name) == ["001.txt"]


def test_dumps_a_command_already_ingested_get_no_run(raw: Path, monkeypatch):
    """`make refresh` ingested the dump; the first tick of `make dev` afterwards (empty cursor) asks for nothing,
    and a later change of that dump is still seen."""
    import duckdb

    from orchestration.domain.ingest import ledger
    from orchestration.domain.ingest import store as staging

    dump = raw / "001.txt"
    dump.write_bytes(SEED.read_bytes())
    _age(dump)
    work_db = raw.parent / "work.duckdb"
    with duckdb.connect(str(work_db)) as con:
        staging.ensure_schema(con)
        staging.ingest_dump(con, dump)
        ledger.write_ledger(con, work_db)
    first = _tick(raw, None, monkeypatch)
    assert not first.run_requests and first.skip_reason
    dump.write_bytes(SEED.read_bytes() + b"-\nAnother title\nBody text. date2024-07-01\n")
    _age(dump, 30)
    changed = _tick(raw, first.cursor, monkeypatch)
    assert _targets(changed) == [("001.txt", "001.txt")]


def test_ledger_unreadable_means_no_filtering(tmp_path: Path):
    from orchestration.domain.ingest import ledger

    work_db = tmp_path / "w.duckdb"
    assert ledger.read_ledger(work_db) == {}
    ledger.ledger_path(work_db).write_text("{not json")
    assert ledger.read_ledger(work_db) == {}


def test_dumps_landing_together_are_one_run_over_their_range(raw: Path, monkeypatch):
    instance = dg.DagsterInstance.ephemeral()
    for name in ("a.txt", "b.txt", "c.txt"):
        (raw / name).write_bytes(SEED.read_bytes())
        _age(raw / name)
    first = _tick(raw, None, monkeypatch, instance)
    assert _targets(first) == [("a.txt", "c.txt")]
    assert instance.get_dynamic_partitions(DUMPS.name) == ["a.txt", "b.txt", "c.txt"]
    # an old dump changes while a new one lands: they are not adjacent partitions, so two runs
    (raw / "a.txt").write_bytes(SEED.read_bytes() + b"-\nAnother title\nBody text. date2024-07-01\n")
    (raw / "d.txt").write_bytes(SEED.read_bytes())
    _age(raw / "a.txt", 30)
    _age(raw / "d.txt", 30)
    second = _tick(raw, first.cursor, monkeypatch, instance)
    assert sorted(_targets(second)) == [("a.txt", "a.txt"), ("d.txt", "d.txt")]
    assert len({r.run_key for r in second.run_requests}) == 2
    assert instance.get_dynamic_partitions(DUMPS.name) == ["a.txt", "b.txt", "c.txt", "d.txt"]


def test_schedule_covers_every_dump_or_runs_downstream_only(raw: Path, monkeypatch):
    monkeypatch.setenv("WAREHOUSE_RAW_DIR", str(raw))
    with dg.instance_for_test() as instance:
        empty = daily_refresh(dg.build_schedule_context(instance=instance))
        assert empty.asset_selection == DOWNSTREAM and not empty.partition_key  # extraction, dbt, publish only
        for name in ("x.txt", "y.txt"):
            (raw / name).write_bytes(SEED.read_bytes())
        request = daily_refresh(dg.build_schedule_context(instance=instance))
        assert (request.tags[RANGE_START], request.tags[RANGE_END]) == ("x.txt", "y.txt")
        assert instance.get_dynamic_partitions(DUMPS.name) == ["x.txt", "y.txt"]


def test_partition_keys_and_ranges():
    assert partition_key("003_dump.txt") == "003_dump.txt"
    odd = ["a\nb.txt", "wait....txt", "100%.txt", "tab\tname.txt"]
    keys = [partition_key(n) for n in odd]
    assert len(set(keys)) == len(odd)
    for k in keys:  # Dagster accepts them
        assert "\n" not in k and "..." not in k and "\t" not in k
    dg.DynamicPartitionsDefinition(name="t").build_add_request(keys)
    assert contiguous_ranges(["a", "b", "c", "d", "e"], {"b", "c", "e"}) == [("b", "c"), ("e", "e")]
    assert contiguous_ranges(["a", "b"], set()) == []


def test_half_written_files_are_ignored(raw: Path, monkeypatch):
    (raw / ".hidden.txt").write_bytes(SEED.read_bytes())
    (raw / "upload.txt.part").write_bytes(SEED.read_bytes())
    (raw / "upload.tmp").write_bytes(SEED.read_bytes())
    for p in raw.iterdir():
        _age(p)
    assert not _tick(raw, None, monkeypatch).run_requests
    # a file written just now and still growing: nothing until its size holds for a tick
    growing = raw / "002.txt"
    growing.write_bytes(SEED.read_bytes()[:1000])
    first = _tick(raw, None, monkeypatch)
    assert not first.run_requests
    growing.write_bytes(SEED.read_bytes()[:5000])
    second = _tick(raw, first.cursor, monkeypatch)
    assert not second.run_requests
    third = _tick(raw, second.cursor, monkeypatch)  # unchanged since the last tick: settled
    assert len(third.run_requests) == 1


def test_deleted_dump_forgotten_and_readded(raw: Path):
    dump = raw / "001.txt"
    dump.write_bytes(SEED.read_bytes())
    _age(dump)
    d1 = decide(raw, None)
    assert d1.run_key
    dump.unlink()
    d2 = decide(raw, d1.cursor)
    assert d2.run_key is None
    dump.write_bytes(SEED.read_bytes())
    _age(dump)
    assert decide(raw, d2.cursor).run_key


def test_symlink_outside_is_not_followed(raw: Path, tmp_path: Path):
    outside = tmp_path / "secret.txt"
    outside.write_bytes(SEED.read_bytes())
    (raw / "link.txt").symlink_to(outside)
    _age(outside)
    assert decide(raw, None).run_key is None
