"""The short summary the main README command ends with: what the published warehouse holds."""
from __future__ import annotations

import sys

import duckdb

from orchestration.domain.warehouse.config import load_config
from orchestration.domain.warehouse.locking import exclusive_lock

ROWS = [
    ("documents", "marts.dim_documents"),
    ("people", "marts.dim_people"),
    ("organizations", "marts.dim_organizations"),
    ("countries mentioned", "(select distinct entity_key from marts.fct_entity_mentions "
                            "where entity_type = 'country')"),
    ("events", "marts.fct_events"),
    ("pledges", "marts.fct_pledges"),
    ("agreements", "marts.fct_agreements"),
]


def summary_lines() -> list[str]:
    cfg = load_config()
    if not cfg.db_path.exists():
        return [f"no published warehouse at {cfg.db_path}"]
    con = duckdb.connect(str(cfg.db_path), read_only=True)
    try:
        lines = [f"{label:<20}{con.execute(f'select count(*) from {rel}').fetchone()[0]:>8}" for label, rel in ROWS]
    finally:
        con.close()
    if cfg.work_db.exists():
        # DuckDB refuses a reader while another process writes the file (and a writer while this reads):
        # read under the writer lock
        with exclusive_lock(cfg.lock_path):
            work = duckdb.connect(str(cfg.work_db), read_only=True)
            try:
                rejects = work.execute("select count(*) from ingest.rejects").fetchone()[0]
                dumps = work.execute("select count(*), count(*) filter (where status <> 'loaded') "
                                     "from ingest.dump_files").fetchone()
            finally:
                work.close()
        lines.insert(1, f"{'rejects':<20}{rejects:>8}")
        lines.insert(0, f"{'dumps (problem)':<20}{dumps[0]:>8} ({dumps[1]})")
    lines.append(f"warehouse: {cfg.db_path}")
    return lines


def main() -> int:
    print("\n".join(summary_lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
