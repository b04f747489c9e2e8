"""Publish cost at archive scale: time to copy schema `marts` of a synthetic 100k-document warehouse.

    python benchmarks/publish_cost.py [--documents 100000]

Prints the publish seconds, the published file size and, for comparison, the
time of a plain file copy of the whole working database.
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from orchestration.domain.publish import publish_marts


def build(work: Path, documents: int) -> None:
    con = duckdb.connect(str(work))
    con.execute("create schema marts; create schema ingest")
    con.execute(f"""create table ingest.documents as select md5(range::varchar) as document_id,
        array_to_string(list_transform(range(40), lambda x: md5((range * 40 + x)::varchar)), ' ') as body
        from range({documents})""")
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--documents", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work, target = Path(tmp) / "work.duckdb", Path(tmp) / "pub" / "w.duckdb"
        build(work, args.documents)
        first = publish_marts(work, target)
        second = publish_marts(work, target)
        started = time.perf_counter()
        shutil.copyfile(work, Path(tmp) / "copy.duckdb")
        copy_s = time.perf_counter() - started
        print(f"documents={args.documents} work_db_mb={work.stat().st_size / 1e6:.0f} "
              f"published_mb={second.size_bytes / 1e6:.0f} publish_s={first.seconds:.2f},{second.seconds:.2f} "
              f"full_file_copy_s={copy_s:.2f}")


if __name__ == "__main__":
    main()
