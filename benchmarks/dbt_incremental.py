"""Cost of the dbt build and the publish of a refresh that adds one dump to a built warehouse.

    python benchmarks/dbt_incremental.py --work-db /path/to/work100k.duckdb [--dump NAME] [--repeat 3]

The working database given (read only, e.g. a 100k-document one from benchmarks/run.py) is copied
to --workdir; the documents of one dump (default: the last one ingested) are removed from its
`ingest` and `extract` tables and a full `dbt build` gives the warehouse as it was before that dump.
Then, --repeat times: from a copy of that state, the dump's rows are put back (extract.event_clusters
rewritten whole, as event resolution does), `dbt build` runs as the Dagster step runs it (a
subprocess, the project's profile, its own target path; wall seconds and peak RSS of the process
tree polled every 50 ms), and the marts are published. Prints one JSON line per run and the slowest
nodes of the last one (run_results.json).
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from orchestration.domain.warehouse.config import DBT_PROJECT_DIR, marts_db_path  # noqa: E402
from orchestration.domain.warehouse.publish import publish_marts  # noqa: E402


def _per_document_tables(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    rows = con.execute("select schema_name || '.' || table_name from duckdb_tables() where database_name = ? "
                       "and schema_name in ('ingest', 'extract') and table_name not in ('dump_files', 'rejects')",
                       [catalog]).fetchall()
    return [r[0] for r in rows]


def remove_dump(work: Path, dump: str) -> int:
    con = duckdb.connect(str(work))
    con.execute("create temp table gone as select document_id from ingest.documents where source_file = ?", [dump])
    n = con.execute("select count(*) from gone").fetchone()[0]
    for table in _per_document_tables(con, work.stem):
        con.execute(f"delete from {table} where document_id in (select document_id from gone)")
    con.execute("delete from ingest.dump_files where file_name = ?", [dump])
    con.execute("delete from ingest.rejects where file_name = ?", [dump])
    con.close()
    return n


def restore_dump(work: Path, source: Path, dump: str) -> None:
    con = duckdb.connect(str(work))
    con.execute("attach ? as src (read_only)", [str(source)])
    con.execute("create temp table back as select document_id from src.ingest.documents where source_file = ?",
                [dump])
    for table in _per_document_tables(con, work.stem):
        if table != "extract.event_clusters":
            con.execute(f"insert into {table} select * from src.{table} "
                        "where document_id in (select document_id from back)")
    con.execute("delete from extract.event_clusters")  # re-resolved over the whole archive on each refresh
    con.execute("insert into extract.event_clusters select * from src.extract.event_clusters")
    for table in ("dump_files", "rejects"):
        con.execute(f"insert into ingest.{table} select * from src.ingest.{table} where file_name = ?", [dump])
    con.execute("update extract.processed set processed_at = now() where document_id in (select document_id from back)")
    con.close()


def dbt_build(work: Path, target: Path) -> dict:
    import psutil

    env = dict(os.environ, WAREHOUSE_WORK_DB=str(work))
    cmd = [str(Path(sys.executable).parent / "dbt"), "build", "--project-dir", str(DBT_PROJECT_DIR),
           "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target), "--log-path", str(target), "--quiet"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=DBT_PROJECT_DIR)
    parent, peak = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(peak, sum(p.memory_info().rss for p in [parent, *parent.children(recursive=True)]))
        time.sleep(0.05)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"dbt build failed ({proc.returncode}); see {target}/dbt.log")
    results = json.loads((target / "run_results.json").read_text())
    return {"dbt_s": round(seconds, 2), "dbt_nodes_s": round(results["elapsed_time"], 2),
            "dbt_cpu_s": round(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2),
            "dbt_peak_rss_mb": round(peak / 2**20), "load1": round(os.getloadavg()[0], 2), "_results": results}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work-db", type=Path, required=True, help="a built working database (read only)")
    ap.add_argument("--dump", help="file name of the dump to add (default: the last one ingested)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/dbt_incremental"))
    args = ap.parse_args()
    source = args.work_db.resolve()
    with duckdb.connect(str(source), read_only=True) as con:
        dump = args.dump or con.execute("select file_name from ingest.dump_files "
                                        "order by last_ingested_at desc, file_name desc limit 1").fetchone()[0]
    shutil.rmtree(args.workdir, ignore_errors=True)
    args.workdir.mkdir(parents=True)
    before = args.workdir / "before.duckdb"
    shutil.copy(source, before)
    removed = remove_dump(before, dump)
    dbt_build(before, args.workdir / "target_before")
    print(json.dumps({"dump": dump, "documents_added": removed, "source": str(source)}))
    for i in range(args.repeat):
        work = args.workdir / "work.duckdb"
        for path in (work, marts_db_path(work)):
            path.unlink(missing_ok=True)
        shutil.copy(before, work)
        shutil.copy(marts_db_path(before), marts_db_path(work))
        restore_dump(work, source, dump)
        run = dbt_build(work, args.workdir / "target")
        published = publish_marts(work, args.workdir / "published" / "warehouse.duckdb")
        results = run.pop("_results")
        print(json.dumps({"run": i + 1, **run, "publish_s": round(published.seconds, 2),
                          "published_mb": round(published.size_bytes / 1e6)}))
    top = sorted(results["results"], key=lambda r: -r["execution_time"])[:12]
    for r in top:
        print(f"  {r['execution_time']:6.3f}s  {r['unique_id']}")


if __name__ == "__main__":
    main()
