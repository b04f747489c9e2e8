"""`python -m orchestration.refresh [--dumps NAME ...] [--verbose]`: bring the warehouse up to date, now.

Without arguments: the run the daily schedule requests (every dump of the folder as a partition range;
unchanged dumps are not read again). With `--dumps`: the runs the sensor requests when those dumps land
(just their partitions). Runs execute in this process and are recorded in the Dagster instance of
DAGSTER_HOME, so they show in the UI next to sensor and scheduled runs.

The console gets one line per stage, a progress bar while extracting (on a terminal), warnings and errors,
and what the warehouse holds; the run's whole Dagster and dbt log goes to a file under DAGSTER_HOME/logs
whose path is printed (`--verbose` prints it all on the console instead). Exit status 0 only when every
run succeeded.
"""
from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from .deploy.instance import InstanceUnavailable, open_instance
from .domain.ingest.landing import partition_key
from .domain.warehouse.config import load_config
from .domain.warehouse.summary import summary_lines

QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


class _SkippedDbtChecks(logging.Filter):
    """Drops Dagster's note that dbt's blocking checks emitted no result when the dbt step built nothing on
    purpose (nothing new): the stage line says so."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "emitted no result in step 'warehouse_dbt_models'" not in record.getMessage()


def _metadata(event: dg.DagsterEvent) -> dict:
    data = event.step_materialization_data.materialization if event.is_step_materialization else (
        event.asset_observation_data.asset_observation)
    return {k: getattr(v, "value", v) for k, v in data.metadata.items()}


def stage_lines(events: list[dg.DagsterEvent], dbt_keys: set[dg.AssetKey]) -> list[str]:
    """One line per stage of a refresh run, from the events it recorded."""
    by_key: dict[str, dict] = {}
    dbt_built = checks_passed = checks_failed = 0
    skipped_reason = None
    failures = []
    for event in events:
        if event.is_step_materialization:
            key = event.asset_key
            if key in dbt_keys:
                dbt_built += 1
            else:
                by_key.setdefault(key.to_user_string(), _metadata(event))
        elif event.is_asset_observation:
            skipped_reason = _metadata(event).get("skipped", skipped_reason)
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            if event.event_specific_data.passed:
                checks_passed += 1
            else:
                checks_failed += 1
        elif event.is_step_failure:
            error = event.step_failure_data.error
            failures.append(f"{event.step_key}: {(error.message if error else 'failed').strip().splitlines()[0]}")
    lines = []
    ingest = by_key.get("ingested_dumps")
    if ingest is None:
        lines.append("ingest    no dump selected")
    elif ingest["dumps_read"] == 0:
        lines.append(f"ingest    nothing new: {ingest['dumps_selected']} dump(s) unchanged, "
                     f"{ingest['documents_total']} documents in the archive")
    else:
        lines.append(f"ingest    read {ingest['dumps_read']} dump(s): {ingest['records_read']} records -> "
                     f"{ingest['documents_new']} new documents, {ingest['duplicates']} duplicates, "
                     f"{ingest['rejects']} rejects ({ingest['documents_total']} documents in the archive)")
    if ingest is not None and ingest.get("skipped_downstream"):  # the planner selected the ingest step alone
        skipped_reason = skipped_reason or ingest["skipped_downstream"].split(": ", 1)[-1]
        lines.append("extract   no document awaiting extraction")
    extract = by_key.get("extracted_facts")
    if extract is not None:
        n, secs = extract["documents_extracted"], extract["seconds"]
        lines.append("extract   no document awaiting extraction" if n == 0 else
                     f"extract   {n} documents in {secs:.1f}s ({n / max(secs, 1e-9):.0f}/s), "
                     f"{extract['documents_failed']} failed, {extract['events_resolved']} event mentions resolved")
    if skipped_reason:
        lines.append(f"dbt       skipped: {skipped_reason}")
    elif dbt_built or checks_passed or checks_failed:
        lines.append(f"dbt       built {dbt_built} models and seeds, {checks_passed} tests passed"
                     + (f", {checks_failed} FAILED" if checks_failed else ""))
    publish = by_key.get("published_warehouse")
    if publish is not None:
        lines.append(f"publish   {publish['path']} ({publish['size_bytes'] / 1e6:.1f} MB) in "
                     f"{publish['publish_seconds']:.2f}s")
    else:
        lines.append("publish   skipped: the published warehouse is " + ("current" if skipped_reason else "unchanged"))
    lines.extend(f"FAILED    {f}" for f in failures)
    return lines


def _read_dumps(events: list[dg.DagsterEvent]) -> bool:
    return any(event.is_step_materialization and event.asset_key == dg.AssetKey("ingested_dumps")
               and _metadata(event).get("dumps_read") for event in events)


def write_log(instance: dg.DagsterInstance, run_id: str, folder: Path) -> Path:
    """The run's whole event log (Dagster and dbt, every level) as text."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"refresh-{datetime.now(UTC):%Y%m%dT%H%M%S}-{run_id[:8]}.log"
    with open(path, "w", encoding="utf-8") as out:
        for entry in instance.all_logs(run_id):
            when = datetime.fromtimestamp(entry.timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S")
            message = entry.user_message or (entry.dagster_event.message if entry.dagster_event else "")
            out.write(f"{when} {logging.getLevelName(entry.level):<7} {entry.step_key or '-'} | {message}\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.refresh", description=__doc__.split("\n")[0])
    parser.add_argument("--dumps", nargs="+", metavar="NAME", help="file names in the landing folder")
    parser.add_argument("--verbose", action="store_true", help="print the whole Dagster and dbt log")
    args = parser.parse_args(argv)
    try:
        instance = open_instance()  # first: a server that is down is reported before the code loads
    except InstanceUnavailable as exc:
        print(f"refresh FAILED: {exc}", file=sys.stderr)
        return 2

    from .definitions import defs
    from .defs.automation import plan_full_refresh, plans_for_dumps, register_dumps
    from .defs.dbt import warehouse_dbt_models

    if not args.verbose:
        logging.getLogger("dagster._core.execution.plan.active").addFilter(_SkippedDbtChecks())
    cfg = load_config()
    if args.dumps:
        keys = [partition_key(name) for name in args.dumps]
        plans = plans_for_dumps(register_dumps(instance, keys), keys)
    else:
        plans = [plan_full_refresh(instance, cfg)]
    job = defs.resolve_job_def("refresh_warehouse")
    print(f"refresh   {cfg.raw_dir} -> {cfg.db_path}", flush=True)
    logs = Path(instance.root_directory) / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    for plan in plans:
        # dagster-dbt echoes every dbt line on stdout: into a file of its own unless --verbose
        dbt_out = logs / f"dbt-{datetime.now(UTC):%Y%m%dT%H%M%S}.log"
        with open(dbt_out, "w", encoding="utf-8") as sink, \
                contextlib.redirect_stdout(sys.stdout if args.verbose else sink):
            result = job.execute_in_process(
                instance=instance, partition_key=plan.partition_key, asset_selection=plan.asset_selection,
                tags={**plan.tags, "warehouse/trigger": "command"}, raise_on_error=False,
                run_config=None if args.verbose else QUIET,
            )
        print("\n".join(stage_lines(result.all_events, set(warehouse_dbt_models.keys))), flush=True)
        print(f"log       {write_log(instance, result.run_id, logs)} (dbt output: {dbt_out})")
        if not result.success:
            print(f"refresh FAILED (run {result.run_id}): see the log above or the run in the Dagster UI")
            return 1
        if plan.nothing_new and _read_dumps(result.all_events):  # a dump changed between plan and run
            plans.append(plan_full_refresh(instance, cfg))
    print("\n".join(summary_lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
