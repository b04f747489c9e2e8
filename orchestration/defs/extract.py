"""Extract: people, organizations, countries, events, pledges and agreements of every pending document."""

import dagster as dg

from ..domain.extract import store as extract_store
from ..domain.extract.pipeline import EXTRACTOR_VERSION
from ..resources import WarehouseResource
from .ingest import ingested_dumps


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


defs = dg.Definitions(assets=[extracted_facts])
