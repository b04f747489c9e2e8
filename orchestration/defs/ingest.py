"""Ingest: every dump file of the landing folder is a partition; its records go to schema `ingest`."""

import warnings
from pathlib import Path

import dagster as dg

from ..domain.ingest import landing, ledger
from ..domain.ingest import store as staging
from ..resources import WarehouseResource

# Set by the planner when nothing is new (domain/warehouse/freshness.py): the run selects this step alone.
NOTHING_NEW_TAG = "warehouse/nothing_new"

# One partition per dump file of the landing folder; the sensor adds keys as dumps land.
DUMPS = dg.DynamicPartitionsDefinition(name="dumps")


# A backfill of many dumps runs one dump per run: runs parse in parallel wherever the run launcher puts
# them, and their DuckDB writes queue on the working DB's lock. `backfill_policy` is a beta parameter of
# @asset (reviewed for this use); its BetaWarning would otherwise greet every command and test run.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", category=dg.BetaWarning, message="Parameter `backfill_policy`")
    ONE_DUMP_PER_RUN = dg.asset(
        group_name="ingest", kinds={"python", "duckdb"}, partitions_def=DUMPS,
        backfill_policy=dg.BackfillPolicy.multi_run(max_partitions_per_run=1),
        description="The selected dumps of WAREHOUSE_RAW_DIR parsed into schema `ingest` of the working DB "
                      "(one partition per dump file; an unchanged dump is not read again).")


@ONE_DUMP_PER_RUN
def ingested_dumps(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    raw_dir = Path(warehouse.raw_dir)
    files = {landing.partition_key(p.name): p for p in staging.list_dump_files(raw_dir)} if raw_dir.is_dir() else {}
    # A run without a partition (`dagster job execute`) selects every dump of the folder.
    partitioned = context.has_partition_key or context.has_partition_key_range
    wanted = list(context.partition_keys) if partitioned else list(files)
    per_file: dict[str, dict] = {}
    problems: dict[str, str] = {}
    with warehouse.connect() as con:
        staging.ensure_schema(con)
        for key in wanted:
            path = files.get(key)
            if path is None:
                problems[key] = "missing: not (or no longer) an ingestible file of the landing folder"
                context.log.warning(f"dump {key}: {problems[key]}")
                continue
            if not staging.needs_ingest(con, path):
                continue
            result = staging.ingest_dump(con, path)
            per_file[path.name] = {
                "status": result.status, "records_read": result.records_read,
                "documents_new": result.documents_new, "duplicates": result.duplicates, "rejects": result.rejects,
            }
            if result.status != "loaded":
                problems[path.name] = f"{result.status}: {result.message}"
                context.log.warning(f"dump {path.name}: {result.status}: {result.message}")
            else:
                context.log.info(f"dump {path.name}: {per_file[path.name]}")
        if per_file or not ledger.ledger_path(Path(warehouse.work_db)).exists():
            ledger.write_ledger(con, Path(warehouse.work_db))
        totals = con.execute(
            "select (select count(*) from ingest.documents), (select count(*) from ingest.rejects), "
            "(select count(*) from ingest.dump_files)"
        ).fetchone()
    counted = ("records_read", "documents_new", "duplicates", "rejects")
    skipped = {}
    if reason := context.run.tags.get(NOTHING_NEW_TAG):
        if per_file:  # a dump changed after the run was planned: the sensor or the next refresh takes it on
            context.log.warning("a dump changed after this run was planned as 'nothing new': its documents "
                                "are extracted, built and published by the next run")
        else:
            skipped = {"skipped_downstream": f"extract, dbt build and publish not run: {reason}"}
            context.log.info(skipped["skipped_downstream"])
    return dg.MaterializeResult(metadata={
        **skipped,
        "dumps_selected": len(wanted),
        "dumps_read": len(per_file),
        **{key: sum(v[key] for v in per_file.values()) for key in counted},
        "documents_total": totals[0],
        "rejects_total": totals[1],
        "dumps_total": totals[2],
        "problem_files": dg.MetadataValue.json(problems),
        "per_dump": dg.MetadataValue.json(per_file),
    })


@dg.asset_check(asset=ingested_dumps, blocking=True,
                description="records read = new documents + duplicates + rejects for every dump, and every "
                            "document marked present is sighted in some dump.")
def records_reconcile(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.read() as con:
        off = con.execute(
            "select file_name, records_read, documents_new, duplicates, rejects from ingest.dump_files "
            "where records_read <> documents_new + duplicates + rejects"
        ).fetchall()
        unsighted = con.execute(
            "select count(*) from ingest.documents d where d.still_present and not exists "
            "(select 1 from ingest.sightings s where s.document_id = d.document_id)"
        ).fetchone()[0]
    return dg.AssetCheckResult(
        passed=not off and unsighted == 0,
        metadata={"dumps_not_reconciled": dg.MetadataValue.json([list(r) for r in off]),
                  "documents_without_sighting": unsighted},
    )


defs = dg.Definitions(assets=[ingested_dumps], asset_checks=[records_reconcile])
