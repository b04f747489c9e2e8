"""Python assets: ingest dumps, extract facts, publish the marts."""

from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.domain.extract.pipeline import EXTRACTOR_VERSION
from orchestration.domain.warehouse.publish import publish_marts
from orchestration.domain.warehouse.quality import score_published

from .dbt_project import dbt_project, temporary_env
from .domain.extract import store as extract_store
from .domain.ingest import landing
from .domain.ingest import store as staging
from .resources import WarehouseResource

# One partition per dump file of the landing folder; the sensor adds keys as dumps land.
DUMPS = dg.DynamicPartitionsDefinition(name="dumps")


@dg.asset(group_name="ingest", kinds={"python", "duckdb"}, partitions_def=DUMPS,
          # A backfill of many dumps runs one dump per run: runs parse in parallel wherever the run launcher
          # puts them, and their DuckDB writes queue on the working DB's lock.
          backfill_policy=dg.BackfillPolicy.multi_run(max_partitions_per_run=1),
          description="The selected dumps of WAREHOUSE_RAW_DIR parsed into schema `ingest` of the working DB "
                      "(one partition per dump file; an unchanged dump is not read again).")
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
        totals = con.execute(
            "select (select count(*) from ingest.documents), (select count(*) from ingest.rejects), "
            "(select count(*) from ingest.dump_files)"
        ).fetchone()
    counted = ("records_read", "documents_new", "duplicates", "rejects")
    return dg.MaterializeResult(metadata={
        "dumps_selected": len(wanted),
        "dumps_read": len(per_file),
        **{key: sum(v[key] for v in per_file.values()) for key in counted},
        "documents_total": totals[0],
        "rejects_total": totals[1],
        "dumps_total": totals[2],
        "problem_files": dg.MetadataValue.json(problems),
        "per_dump": dg.MetadataValue.json(per_file),
    })


@dg.asset(group_name="extract", kinds={"python", "duckdb"}, deps=[ingested_dumps],
          description="People, organizations, countries, events, pledges and agreements read from every document "
                      "not yet processed by the current extractor version (schema `extract`).")
def extracted_facts(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.connect() as con:
        extract_store.ensure_schema(con)
        run = extract_store.run_extraction(con)
    for doc_id, error in run.failed[:20]:
        context.log.error(f"extraction failed for document {doc_id}: {error}")
    context.log.info(f"extracted {run.documents} documents in {run.seconds:.2f}s on {run.workers} workers "
                     f"({run.resolve_seconds:.2f}s of it resolving events across the archive)")
    return dg.MaterializeResult(metadata={
        "extractor_version": EXTRACTOR_VERSION,
        "documents_extracted": run.documents,
        "documents_failed": len(run.failed),
        "workers": run.workers,
        "seconds": round(run.seconds, 3),
        "resolve_events_seconds": round(run.resolve_seconds, 3),
        "events_resolved": run.events_resolved,
        **{f"rows_{name}": n for name, n in run.rows.items()},
    })


class WarehouseDbtTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props: dict) -> str | None:
        return "warehouse"


# Several staging tables feed dbt from one Python asset, hence duplicate source asset keys.
@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project,
            dagster_dbt_translator=WarehouseDbtTranslator(
                settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True)))
def warehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """dbt build (seeds, models, tests) on the working DB; tests show as asset checks."""
    with warehouse.locked(), temporary_env("WAREHOUSE_WORK_DB", warehouse.work_db):
        yield from dbt.cli(["build"], context=context).stream()


@dg.asset(group_name="publish", kinds={"duckdb"}, deps=[warehouse_dbt_models],
          description="The marts file dbt built (schema `marts` only) checkpointed, copied, fsynced and swapped "
                      "atomically onto WAREHOUSE_DB_PATH.")
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.locked():
        result = publish_marts(Path(warehouse.work_db), Path(warehouse.db_path))
    context.log.info(f"published {result.path} in {result.seconds:.2f}s")
    quality = score_published(result.path)
    if quality:
        context.log_event(dg.AssetObservation(
            asset_key=extracted_facts.key,
            metadata={f"seed_f1_{kind}": value for kind, value in quality.items()},
        ))
    return dg.MaterializeResult(metadata={
        "path": str(result.path),
        "publish_seconds": round(result.seconds, 3),
        "size_bytes": result.size_bytes,
        **{f"rows_{t}": n for t, n in result.tables.items()},
    })
