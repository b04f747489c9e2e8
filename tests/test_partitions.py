"""Dumps are partitions: a run ingests exactly the dumps it selects, any file name is a valid key, and a
backfill of many dumps is one dump per run."""
from __future__ import annotations

import dagster as dg
import duckdb
from test_hostile_input import HOSTILE_NAMES, write_hostile_dumps

from orchestration.defs.automation import plan_full_refresh
from orchestration.defs.ingest import DUMPS, ingested_dumps
from orchestration.domain.ingest.landing import partition_key
from orchestration.domain.warehouse.config import WarehouseConfig
from orchestration.resources import WarehouseResource


def _ingest_only(tmp_path, instance, **selection):
    warehouse = WarehouseResource(raw_dir=str(tmp_path / "raw"), db_path=str(tmp_path / "w.duckdb"),
                                  work_db=str(tmp_path / "work.duckdb"))
    return dg.materialize([ingested_dumps], resources={"warehouse": warehouse}, instance=instance, **selection)


def _ingested(tmp_path) -> list[str]:
    con = duckdb.connect(str(tmp_path / "work.duckdb"), read_only=True)
    try:
        return sorted(r[0] for r in con.execute("select file_name from ingest.dump_files").fetchall())
    finally:
        con.close()


def _materialized_partitions(result) -> list[str]:
    return sorted(e.event_specific_data.materialization.partition for e in result.all_events
                  if e.event_type_value == "ASSET_MATERIALIZATION"
                  and e.event_specific_data.materialization.asset_key == ingested_dumps.key)


def test_hostile_file_names_are_partitions_and_ingest(tmp_path):
    raw = tmp_path / "raw"
    write_hostile_dumps(raw)
    instance = dg.DagsterInstance.ephemeral()
    plan = plan_full_refresh(instance, WarehouseConfig(raw, tmp_path / 'w.duckdb', tmp_path / 'work.duckdb'))
    assert sorted(instance.get_dynamic_partitions(DUMPS.name)) == sorted(partition_key(n) for n in HOSTILE_NAMES)
    result = _ingest_only(tmp_path, instance, tags=plan.tags)
    assert result.success
    assert _ingested(tmp_path) == sorted(HOSTILE_NAMES)
    assert _materialized_partitions(result) == sorted(partition_key(n) for n in HOSTILE_NAMES)


def test_a_run_ingests_only_its_dump(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    for i, name in enumerate(("a.txt", "b.txt", "c.txt")):
        (raw / name).write_text(f"-\nRelease {name}\nBody {i}. date2024-03-0{i + 1}\n")
    instance = dg.DagsterInstance.ephemeral()
    plan_full_refresh(instance, WarehouseConfig(raw, tmp_path / 'w.duckdb', tmp_path / 'work.duckdb'))
    result = _ingest_only(tmp_path, instance, partition_key="b.txt")
    assert result.success and _ingested(tmp_path) == ["b.txt"]
    assert _materialized_partitions(result) == ["b.txt"]
    # a partition whose file is gone is reported, not fatal
    (raw / "c.txt").unlink()
    gone = _ingest_only(tmp_path, instance, partition_key="c.txt")
    assert gone.success and _ingested(tmp_path) == ["b.txt"]
    meta = gone.asset_materializations_for_node("ingested_dumps")[0].metadata
    assert "c.txt" in meta["problem_files"].value


def test_backfills_run_one_dump_per_run():
    policy = ingested_dumps.backfill_policy
    assert policy is not None and policy.max_partitions_per_run == 1
    assert ingested_dumps.partitions_def == DUMPS


def test_a_run_without_a_partition_ingests_every_dump(tmp_path):
    """`dagster job execute -j refresh_warehouse` (no partition) keeps working: every dump of the folder."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for i, name in enumerate(("a.txt", "b.txt")):
        (raw / name).write_text(f"-\nRelease {name}\nBody {i}. date2024-03-0{i + 1}\n")
    result = _ingest_only(tmp_path, dg.DagsterInstance.ephemeral())
    assert result.success and _ingested(tmp_path) == ["a.txt", "b.txt"]
