"""Publish cost at archive scale.

    python benchmarks/publish_cost.py [--documents 100000]
    python benchmarks/publish_cost.py --work-db /path/to/work.duckdb   # a real working database

Publishes the marts file of a working database twice (orchestration.domain.warehouse.publish: checkpoint the
marts file, byte copy to a temporary, fsync, rename) and, for comparison, times the previous method:
`CREATE TABLE ... AS SELECT` of every marts table into a new file, checkpoint, fsync. Without
--work-db it first builds a synthetic 100k-document marts file (2 KB of incompressible body per
document, 3 M mentions, 200 k events). Prints one line of figures.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import duckdb

from orchestration.domain.warehouse.config import marts_db_path
from orchestration.domain.warehouse.publish import mart_tables, publish_marts
from orchestration.domain.warehouse.storage import create_database


def build(work: Path, documents: int) -> None:
    duckdb.connect(str(work)).close()
    create_database(marts_db_path(work))  # as dbt's attach makes it: the storage version readers open
    con = duckdb.connect(str(marts_db_path(work)))
    con.execute("create schema marts")
    con.execute(f"""create table marts.dim_documents as select md5('document|' || range) as document_key,
        'Title ' || range as title, date '2024-01-01' + (range % 900)::int as published_date,
        'dump_' || (range // 1000) || '.txt' as source_file,
        array_to_string(list_transform(range(40), lambda x: md5((range * 40 + x)::varchar)), ' ') as body
        from range({documents})""")
    con.execute(f"""create table marts.fct_entity_mentions as select md5('document|' || (range // 30)) as document_key,
        'organization' as entity_type, md5('org|' || (range % 5000)) as entity_key, 'Some Org' as mention_text,
        range % 2000 as char_start, range % 2000 + 8 as char_end from range({documents * 30})""")
    con.execute(f"""create table marts.fct_events as select md5('event|' || range) as event_key,
        'Event ' || range as event_name from range({documents * 2})""")
    con.close()


def ctas_publish(marts_db: Path, target: Path) -> float:
    """The previous method: copy every marts table with CREATE TABLE AS into a new file, checkpoint, fsync."""
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute("attach ? as src (read_only)", [str(marts_db)])
    con.execute("attach ? as pub", [str(target)])
    con.execute("use src")
    tables = mart_tables(con)
    con.execute("create schema pub.marts")
    for table in tables:
        con.execute(f'create table pub.marts."{table}" as select * from src.marts."{table}"')
    con.execute("checkpoint pub")
    con.execute("detach pub")
    con.close()
    fd = os.open(target, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=100_000)
    ap.add_argument("--work-db", type=Path, help="publish the marts of this working database instead")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work_db or Path(tmp) / "work.duckdb"
        if args.work_db is None:
            build(work, args.documents)
        target = Path(tmp) / "pub" / "w.duckdb"
        first = publish_marts(work, target)
        second = publish_marts(work, target)
        ctas_s = ctas_publish(marts_db_path(work), Path(tmp) / "ctas.duckdb")
        rows = sum(second.tables.values())
        ctas_mb = (Path(tmp) / "ctas.duckdb").stat().st_size / 1e6
        print(f"marts_file={marts_db_path(work)} marts_file_mb={marts_db_path(work).stat().st_size / 1e6:.0f} "
              f"rows={rows} published_mb={second.size_bytes / 1e6:.0f} "
              f"publish_s={first.seconds:.2f},{second.seconds:.2f} "
              f"previous_ctas_publish_s={ctas_s:.2f} ctas_file_mb={ctas_mb:.0f}")


if __name__ == "__main__":
    main()
