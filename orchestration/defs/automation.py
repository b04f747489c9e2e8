"""Refresh when a dump lands (sensor), once a day (schedule) or on demand (`python -m orchestration.refresh`).

Every dump file is a partition of `dumps`. The sensor asks for the dumps that changed only; the schedule and
the command ask for every dump in the folder (the ingest asset skips those it has already read), so a missed
sensor tick still lands. A run that selects no dump still extracts, builds and publishes whatever is pending
(an extractor version bump, new knowledge).
"""

import os
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from ..domain.ingest.landing import contiguous_ranges, decide, partition_key
from ..domain.ingest.ledger import read_ledger
from ..domain.ingest.store import list_dump_files
from ..domain.warehouse.config import WarehouseConfig, load_config
from ..domain.warehouse.freshness import nothing_new
from ..domain.warehouse.locking import exclusive_lock
from .dbt import warehouse_dbt_models
from .extract import extracted_facts
from .ingest import DUMPS, NOTHING_NEW_TAG, ingested_dumps
from .publish import published_warehouse

REFRESH_TAG = "warehouse/refresh"
# The tags with which Dagster runs a range of partitions in one run (as a single-run backfill does).
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"
# Everything downstream of the dumps: what a run without a dump selects.
DOWNSTREAM = [extracted_facts.key, *warehouse_dbt_models.keys, published_warehouse.key]

refresh_warehouse = dg.define_asset_job(
    "refresh_warehouse",
    selection=dg.AssetSelection.all(),
    description="Bring the warehouse up to date with WAREHOUSE_RAW_DIR: ingest the selected dumps (partitions), "
                "extract, dbt build, publish.",
    tags={REFRESH_TAG: "true"},
    # The steps form one chain, so a process per step buys nothing and costs seconds of start-up each;
    # extraction still uses every core through its own process pool.
    executor_def=dg.in_process_executor,
)


@dataclass
class RunPlan:
    """What one refresh run targets: a partition, a range of partitions, or no dump at all; `nothing_new`
    says why a run that selects only the ingest step needs no more."""

    partition_key: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    asset_selection: list[dg.AssetKey] | None = None
    nothing_new: str | None = None

    def run_request(self, run_key: str | None = None, extra_tags: dict[str, str] | None = None) -> dg.RunRequest:
        return dg.RunRequest(run_key=run_key, partition_key=self.partition_key,
                             tags={**self.tags, **(extra_tags or {})}, asset_selection=self.asset_selection)


def plan_for(first: str, last: str) -> RunPlan:
    if first == last:
        return RunPlan(partition_key=first)
    return RunPlan(tags={RANGE_START: first, RANGE_END: last})


def unregistered(existing: list[str], keys: list[str]) -> list[str]:
    """The keys of `keys` that are not partitions of `dumps` yet, in their order."""
    known = set(existing)
    return [k for k in keys if k not in known]


def register_dumps(instance: dg.DagsterInstance, keys: list[str]) -> list[str]:
    """Add the partitions not known yet; returns every key of `dumps` in partition order.

    Two refresh commands started together must not both add a key, hence a lock in the instance's folder."""
    root = getattr(instance, "root_directory", None)
    with exclusive_lock(Path(root) / ".dump-partitions.lock") if root else nullcontext():
        existing = instance.get_dynamic_partitions(DUMPS.name)
        new = unregistered(existing, keys)
        if new:
            instance.add_dynamic_partitions(DUMPS.name, new)
    return [*existing, *new]


def plans_for_dumps(order: list[str], keys: list[str]) -> list[RunPlan]:
    """The runs for just these dumps (what the sensor requests): one per run of adjacent partitions."""
    return [plan_for(first, last) for first, last in contiguous_ranges(order, keys)]


def plan_full_refresh(instance: dg.DagsterInstance, config: WarehouseConfig) -> RunPlan:
    """One run over every dump of the folder (registering new ones), or a run of the downstream assets.

    When nothing is new (`freshness.nothing_new`) the run selects the ingest step alone: it looks at the
    dumps again under the lock and records why extraction, dbt and publishing did not run."""
    keys = [partition_key(p.name) for p in list_dump_files(config.raw_dir)]
    order = register_dumps(instance, keys)
    ranges = contiguous_ranges(order, keys)
    if not ranges:
        return RunPlan(asset_selection=DOWNSTREAM)
    # One run: from the first to the last dump present (a dump removed in between is reported as missing).
    plan = plan_for(ranges[0][0], ranges[-1][1])
    if reason := nothing_new(config):
        plan.asset_selection, plan.nothing_new = [ingested_dumps.key], reason
        plan.tags[NOTHING_NEW_TAG] = reason
    return plan


@dg.sensor(job=refresh_warehouse, minimum_interval_seconds=5, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Requests a refresh of the dumps of WAREHOUSE_RAW_DIR that were added or changed and have "
                       "settled.")
def raw_dump_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    config = load_config()
    settle = float(os.environ.get("WAREHOUSE_SENSOR_SETTLE_SECONDS", "5"))
    decision = decide(Path(config.raw_dir), context.cursor, settle_seconds=settle,
                      ingested=read_ledger(Path(config.work_db)))
    if decision.run_key is None:
        reason = f"still being written: {', '.join(decision.waiting)}" if decision.waiting else "no new dumps"
        return dg.SensorResult(skip_reason=reason, cursor=decision.cursor)
    keys = [partition_key(name) for name in sorted(decision.ready_changes)]
    existing = context.instance.get_dynamic_partitions(DUMPS.name)
    new = unregistered(existing, keys)
    requests = [
        plan.run_request(run_key=f"{decision.run_key}-{i}", extra_tags={"warehouse/dumps": ", ".join(keys)[:200]})
        for i, plan in enumerate(plans_for_dumps([*existing, *new], keys))
    ]
    return dg.SensorResult(
        run_requests=requests, cursor=decision.cursor,
        dynamic_partitions_requests=[DUMPS.build_add_request(new)] if new else [],
    )


@dg.schedule(job=refresh_warehouse, cron_schedule="0 6 * * *", default_status=dg.DefaultScheduleStatus.RUNNING,
             description="A daily refresh over every dump, so missed sensor ticks and knowledge updates still land.")
def daily_refresh(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    plan = plan_full_refresh(context.instance, load_config())
    return plan.run_request(extra_tags={"warehouse/trigger": "schedule"})


defs = dg.Definitions(jobs=[refresh_warehouse], sensors=[raw_dump_sensor], schedules=[daily_refresh])
