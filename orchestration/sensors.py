"""Refresh when a dump lands (sensor) and once a day (schedule)."""

import os
from pathlib import Path

import dagster as dg

from .domain.config import load_config
from .domain.landing import decide

REFRESH_TAG = "warehouse/refresh"

refresh_warehouse = dg.define_asset_job(
    "refresh_warehouse",
    selection=dg.AssetSelection.all(),
    description="Bring the warehouse up to date with WAREHOUSE_RAW_DIR: ingest, extract, dbt build, publish.",
    tags={REFRESH_TAG: "true"},
    # The steps form one chain, so a process per step buys nothing and costs seconds of start-up each;
    # extraction still uses every core through its own process pool.
    executor_def=dg.in_process_executor,
)


@dg.sensor(job=refresh_warehouse, minimum_interval_seconds=10, default_status=dg.DefaultSensorStatus.RUNNING,
           description="Requests a refresh when a dump in WAREHOUSE_RAW_DIR is added or changed and has settled.")
def raw_dump_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    raw_dir = Path(load_config().raw_dir)
    settle = float(os.environ.get("WAREHOUSE_SENSOR_SETTLE_SECONDS", "5"))
    decision = decide(raw_dir, context.cursor, settle_seconds=settle)
    if decision.run_key is None:
        reason = f"still being written: {', '.join(decision.waiting)}" if decision.waiting else "no new dumps"
        return dg.SensorResult(skip_reason=reason, cursor=decision.cursor)
    changed = ", ".join(sorted(decision.ready_changes))
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=decision.run_key, tags={"warehouse/dumps": changed[:200]})],
        cursor=decision.cursor,
    )


daily_refresh = dg.ScheduleDefinition(
    name="daily_refresh", job=refresh_warehouse, cron_schedule="0 6 * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="A daily refresh, so missed sensor ticks and knowledge updates still land.",
)
