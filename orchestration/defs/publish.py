"""Publish: the marts dbt built, swapped atomically onto the file readers open."""

from pathlib import Path

import dagster as dg
import duckdb

from ..domain.extract.version import EXTRACTOR_VERSION
from ..domain.warehouse import health, state
from ..domain.warehouse.publish import publish_marts
from ..domain.warehouse.quality import score_published
from ..resources import WarehouseResource
from .dbt import warehouse_dbt_models
from .extract import extracted_facts

# What is published: the marts alone (an incremental build leaves the views and seeds upstream unbuilt, and a
# step waiting on them would be skipped).
MARTS = [key for key in warehouse_dbt_models.keys if key.path[0] == "marts"]


@dg.asset(group_name="publish", kinds={"duckdb"}, deps=MARTS,
          description="The marts file dbt built (schema `marts` only) checkpointed, copied, fsynced and swapped "
                      "atomically onto WAREHOUSE_DB_PATH.")
def published_warehouse(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    with warehouse.locked():
        result = publish_marts(Path(warehouse.work_db), Path(warehouse.db_path), run_id=context.run_id,
                               extractor_version=str(EXTRACTOR_VERSION))
        with duckdb.connect(warehouse.work_db) as con:  # what the published file was built from
            state.record(con, "published", state.recorded(con, "built"), context.run_id)
    context.log.info(f"published {result.path} (version {result.version}) in {result.seconds:.2f}s")
    if result.superseded_rollback is not None:  # never silent: the operator rolled back for a reason
        context.log.warning(f"this publish replaces a rollback to version {result.superseded_rollback} "
                            "(its dbt build and tests passed; see docs/operations.md)")
    with duckdb.connect(str(result.path), read_only=True) as con:
        figures = health.health_figures(con)
    quality = score_published(result.path)  # only where an operator configured a gold file
    if quality:
        context.log_event(dg.AssetObservation(
            asset_key=extracted_facts.key,
            metadata={f"gold_f1_{kind}": value for kind, value in quality.items()},
        ))
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(result.path)),
        "publish_seconds": round(result.seconds, 3),
        "size_bytes": result.size_bytes,
        "version": result.version,
        "versions_deleted": ", ".join(map(str, result.deleted_versions or [])),
        **({"supersedes_rollback_to": result.superseded_rollback} if result.superseded_rollback else {}),
        **figures,
        **{f"rows_{t}": n for t, n in result.tables.items()},
    })


defs = dg.Definitions(assets=[published_warehouse])
