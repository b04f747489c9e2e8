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
