"""dbt: seeds, staging, intermediate and marts models built by `dbt build`; dbt tests are asset checks."""

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ..dbt_project import checked_manifest, warehouse_dbt_project
from ..domain.warehouse import freshness, health, state, storage
from ..domain.warehouse.config import DBT_PROJECT_DIR, dbt_target_path, marts_db_path
from ..resources import WarehouseResource, temporary_env

LAYERS = ("staging", "intermediate", "marts")


class LayerTranslator(DagsterDbtTranslator):
    """Each model in the group of its layer (the folder under models/); seeds are inputs: staging.
    A dbt test's own `description:` (dbt 1.11) is its asset check's description: dagster-dbt 0.29 reads
    only `meta.description`, which would say it twice in every YAML file."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        parts = Path(dbt_resource_props.get("original_file_path", "")).parts
        if dbt_resource_props.get("resource_type") == "model" and len(parts) > 1 and parts[1] in LAYERS:
            return parts[1]
        return "staging"

    def get_asset_check_spec(self, asset_spec: dg.AssetSpec, manifest: Mapping[str, Any], unique_id: str,
                             project: Any) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        described = (manifest.get("nodes", {}).get(unique_id) or {}).get("description")
        if spec is None or spec.description or not described:
            return spec
        return spec._replace(description=described)


# Several staging tables feed dbt from one Python asset, hence duplicate source asset keys.
@dbt_assets(manifest=checked_manifest(), project=warehouse_dbt_project(),
            dagster_dbt_translator=LayerTranslator(
                settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True)))
def warehouse_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """dbt build (seeds, models, tests) on the working DB; tests show as asset checks. Incremental: the models
    that grow with the archive recompute only what extraction logged as changed (dbt_project/macros/
    incremental.sql); whole (`--full-refresh`) when the project changed or no complete build is recorded.

    Skipped, with its reason, when the inputs (dumps, extracted documents, dbt project) are those the
    published warehouse was built from: nothing is built, so publishing is skipped too."""
    whole = context.selected_asset_keys == set(warehouse_dbt_models.keys)  # a subset says nothing of the whole
    with warehouse.locked(), temporary_env("WAREHOUSE_WORK_DB", warehouse.work_db):
        with duckdb.connect(warehouse.work_db) as con:
            project = state.project_fingerprint(DBT_PROJECT_DIR)  # every project file read once per step
            fingerprint = state.build_fingerprint(con, project)
            if whole and freshness.is_published(con, fingerprint, Path(warehouse.db_path)):
                reason = freshness.NOTHING_NEW
                context.log.info(f"dbt build skipped ({reason}); the published warehouse is current")
                context.log_event(dg.AssetObservation(asset_key=DIM_DOCUMENTS, metadata={
                    "skipped": reason, "fingerprint": fingerprint[:16]}))
                return
            plan = state.build_plan(con, project)
            state.begin_build(con, context.run_id)  # the marts file is about to change
        marts_db = marts_db_path(Path(warehouse.work_db))
        # A full build of the whole project replaces every mart: into a new file, so the published copy does not
        # carry the free blocks of the tables it replaced (a 20k warehouse: 56 MB built afresh, 80 MB rebuilt).
        retired = (storage.retire(marts_db, FULL_BUILD) if whole and plan.full_refresh
                   else storage.retire_incompatible(marts_db))
        if retired:
            context.log.info(f"retired {retired.path} ({retired.reason}): dbt recreates it and builds every mart")
        leave_unchanged = whole and not plan.full_refresh
        args = ["build", "--full-refresh"] if plan.full_refresh else ["build"]
        if leave_unchanged:
            args += UNCHANGED_SKIPPED
        context.log.info(f"dbt build: {plan.mode}" + ("; views and seeds left as built" if leave_unchanged else ""))
        target = fresh_target(Path(warehouse.work_db))
        yield from with_row_counts(context, dbt.cli(args, context=context, target_path=target).stream(), warehouse)
        if whole:
            with duckdb.connect(warehouse.work_db) as con:
                state.finish_build(con, plan, fingerprint, context.run_id)


DIM_DOCUMENTS = dg.AssetKey(["marts", "dim_documents"])
FULL_BUILD = "a full build: every mart is built afresh"
# What an incremental build of the whole project leaves alone: the views (a view is its definition, not rows)
# and the seeds' rows are the project's, which the last complete build built and which is unchanged since
# (else the build is full). Every test still runs, those on views and seeds included: with `empty` indirect
# selection an excluded node keeps its tests, and the data under the views did change.
UNCHANGED_SKIPPED = ["--indirect-selection", "empty",
                     "--exclude", "config.materialized:view,resource_type:model resource_type:seed"]


def fresh_target(work_db: Path) -> Path:
    """The working database's own dbt target folder (config.dbt_target_path), kept between builds for dbt's
    partial parse; its dbt.log is started afresh, so it holds the last build's log and does not grow."""
    target = dbt_target_path(work_db)
    (target / "dbt.log").unlink(missing_ok=True)
    return target


def with_row_counts(context: dg.AssetExecutionContext, events: Iterator[Any],
                    warehouse: WarehouseResource) -> Iterator[Any]:
    """dbt's events, each materialization with the row count of its table (`dagster/row_count`, shown on the
    asset page and plotted over runs).

    DuckDB admits no second process while dbt writes, so the events are held until dbt exits (a build takes
    seconds) and the tables counted then, in one pass over both files; a failing build still reports what it
    built before the error."""
    held: list[Any] = []
    try:
        for event in events:
            held.append(event)
    finally:
        counts = _row_counts(warehouse)
        for event in held:
            if isinstance(event, dg.Output):
                name = context.asset_key_for_output(event.output_name).path[-1]
                if name in counts:
                    event = event.with_metadata({**event.metadata, "dagster/row_count": counts[name]})
            yield event


def _row_counts(warehouse: WarehouseResource) -> dict[str, int]:
    marts_db = marts_db_path(Path(warehouse.work_db))
    try:
        with duckdb.connect(warehouse.work_db, read_only=True) as con:
            counts = health.table_row_counts(con)
            if marts_db.exists():
                con.execute("attach ? as built_marts (read_only)", [str(marts_db)])
                counts.update(health.table_row_counts(con, "built_marts"))
    except duckdb.Error:  # counts are a courtesy: never the reason a build fails
        return {}
    return counts


@dg.asset_check(asset=DIM_DOCUMENTS, blocking=True,
                description="Every staged document has its row in marts.dim_documents (checked before publishing).")
def documents_reach_marts(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    marts_db = marts_db_path(Path(warehouse.work_db))  # dbt builds the marts in their own file
    missing_sql = ("from ingest.documents d where not exists "
                   "(select 1 from built_marts.marts.dim_documents m where m.document_id = d.document_id)")
    with warehouse.read() as con:
        if not marts_db.exists():
            total = con.execute("select count(*) from ingest.documents").fetchone()[0]
            return dg.AssetCheckResult(passed=False, metadata={"documents_missing": total,
                                                               "marts_database_missing": str(marts_db)})
        con.execute("attach ? as built_marts (read_only)", [str(marts_db)])
        missing = con.execute(f"select d.document_id {missing_sql} order by 1 limit 20").fetchall()
        total = con.execute(f"select count(*) {missing_sql}").fetchone()[0]
    return dg.AssetCheckResult(
        passed=total == 0,
        metadata={"documents_missing": total, "examples": dg.MetadataValue.json([r[0] for r in missing])},
    )


defs = dg.Definitions(assets=[warehouse_dbt_models], asset_checks=[documents_reach_marts])
