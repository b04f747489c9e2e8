"""Reconciliation checks: every record read is accounted for."""

import dagster as dg
import duckdb

from .assets import ingested_dumps
from .resources import WarehouseResource


@dg.asset_check(asset=ingested_dumps, blocking=True,
                description="records read = new documents + duplicates + rejects for every dump, and every "
                            "staged document is sighted in some dump.")
def records_reconcile(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.locked():
        con = duckdb.connect(warehouse.work_db, read_only=True)
        try:
            off = con.execute(
                "select file_name, records_read, documents_new, duplicates, rejects from ingest.dump_files "
                "where records_read <> documents_new + duplicates + rejects"
            ).fetchall()
            unsighted = con.execute(
                "select count(*) from ingest.documents d where not exists "
                "(select 1 from ingest.sightings s where s.document_id = d.document_id)"
            ).fetchone()[0]
        finally:
            con.close()
    return dg.AssetCheckResult(
        passed=not off and unsighted == 0,
        metadata={"dumps_not_reconciled": dg.MetadataValue.json([list(r) for r in off]),
                  "documents_without_sighting": unsighted},
    )


DIM_DOCUMENTS = dg.AssetKey(["marts", "dim_documents"])


@dg.asset_check(asset=DIM_DOCUMENTS, blocking=True,
                description="Every staged document has its row in marts.dim_documents (checked before publishing).")
def documents_reach_marts(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    with warehouse.locked():
        con = duckdb.connect(warehouse.work_db, read_only=True)
        try:
            missing = con.execute(
                "select d.document_id from ingest.documents d where not exists "
                "(select 1 from marts.dim_documents m where m.document_id = d.document_id) order by 1 limit 20"
            ).fetchall()
            total = con.execute(
                "select count(*) from ingest.documents d where not exists "
                "(select 1 from marts.dim_documents m where m.document_id = d.document_id)"
            ).fetchone()[0]
        finally:
            con.close()
    return dg.AssetCheckResult(
        passed=total == 0,
        metadata={"documents_missing": total, "examples": dg.MetadataValue.json([r[0] for r in missing])},
    )
