"""Reconciliation checks: every record read is accounted for."""

from pathlib import Path

import dagster as dg

from orchestration.domain.warehouse.config import marts_db_path

from .assets import ingested_dumps
from .resources import WarehouseResource


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


DIM_DOCUMENTS = dg.AssetKey(["marts", "dim_documents"])


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
