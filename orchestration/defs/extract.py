"""Extract: people, organizations, countries, events, pledges and agreements of every pending document."""

import sys
import time

import dagster as dg
from tqdm import tqdm

from ..domain.extract.version import EXTRACTOR_VERSION
from ..resources import WarehouseResource
from .ingest import ingested_dumps


class ExtractionProgress:
    """Progress of a long extraction: a bar with rate and ETA on a terminal (tqdm), and a log line every
    tenth of the way for the UI and the log file."""

    def __init__(self, log: dg.DagsterLogManager) -> None:
        self.log, self.bar, self.logged = log, None, 0
        self.started = time.monotonic()

    def __enter__(self) -> "ExtractionProgress":
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = tqdm(total=total, unit="doc", desc="extract", leave=False, dynamic_ncols=True,
                            disable=not sys.stderr.isatty())
        self.bar.update(done - self.bar.n)
        if total and (done == total or done * 10 // total > self.logged):
            self.logged = done * 10 // total
            rate = done / max(time.monotonic() - self.started, 1e-9)
            self.log.info(f"extracted {done}/{total} documents ({rate:.0f}/s, about "
                          f"{(total - done) / rate if rate else 0:.0f}s left)")


@dg.asset(group_name="extract", kinds={"python", "duckdb"}, deps=[ingested_dumps],
          description="People, organizations, countries, events, pledges and agreements read from every document "
                      "not yet processed by the current extractor version (schema `extract`).")
def extracted_facts(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    # Loaded here, not on import: the extractors and their knowledge files cost a second that a run with
    # nothing to extract, the UI and the sensor's process need not pay.
    from ..domain.extract import store as extract_store

    with warehouse.connect() as con, ExtractionProgress(context.log) as progress:
        extract_store.ensure_schema(con)
        run = extract_store.run_extraction(con, progress=progress)
    for doc_id, error in run.failed[:20]:
        context.log.error(f"extraction failed for document {doc_id}: {error}")
    context.log.info(f"extracted {run.documents} documents in {run.seconds:.2f}s on {run.workers} workers "
                     f"({run.resolve_seconds:.2f}s of it resolving events, pledges and agreements across the archive)")
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
