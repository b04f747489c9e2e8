"""Full rebuild from raw: forget the working database (and its marts file) so the next refresh re-reads
every dump.

The published warehouse stays readable until that refresh publishes the
rebuilt marts; keys are hashes of natural ids, so they come out the same.
"""
from __future__ import annotations

import sys

from orchestration.domain.ingest.ledger import ledger_path
from orchestration.domain.warehouse.config import load_config, wal_path
from orchestration.domain.warehouse.locking import exclusive_lock


def main() -> int:
    cfg = load_config()
    with exclusive_lock(cfg.lock_path):
        files = (cfg.work_db, cfg.marts_db)  # the working database and the marts dbt built beside it
        # the ledger beside it too: the sensor must see every dump as unread again
        for path in [*(f for db in files for f in (db, wal_path(db))), ledger_path(cfg.work_db)]:
            if path.exists():
                path.unlink()
                print(f"removed {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
