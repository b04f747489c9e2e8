"""`make sql` (`python -m orchestration.sql`): a read-only SQL session on the published warehouse.

Why a command and not a bare `duckdb` line: it takes the path from the configuration (WAREHOUSE_DB_PATH),
says plainly when nothing is published yet or when the file is in a storage version the CLI cannot read
(instead of DuckDB's "version number" error), and always opens read-only, so a session never blocks a
refresh. The client is the DuckDB CLI of this environment (duckdb-cli, `.venv/bin/duckdb`); the process
becomes the CLI (exec), so the terminal, Ctrl-C and the exit status are the CLI's. With the environment
variable SQL set (`make sql SQL="select ..."`), it runs that and exits.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from .domain.warehouse.config import load_config
from .domain.warehouse.storage import READERS_STORAGE_VERSION, is_readers_version


def duckdb_cli() -> str | None:
    """The DuckDB CLI installed beside this interpreter (duckdb-cli), else one on PATH."""
    beside = Path(sys.executable).parent / "duckdb"
    return str(beside) if beside.exists() else shutil.which("duckdb")


def command(db_path: Path, cli: str, sql: str | None) -> list[str]:
    """The CLI's argument list: read-only on `db_path`, one statement when `sql` is given."""
    return [cli, "-readonly", str(db_path), *(["-c", sql] if sql else [])]


def main() -> int:
    db_path = load_config().db_path
    if not db_path.exists():
        print(f"no warehouse published at {db_path} yet: run `make refresh` first "
              "(or point WAREHOUSE_DB_PATH at a published warehouse)", file=sys.stderr)
        return 1
    if not is_readers_version(db_path):
        print(f"{db_path} is not in storage version {READERS_STORAGE_VERSION} (published by an older version of "
              "the pipeline?): run `make refresh` to republish it", file=sys.stderr)
        return 1
    cli = duckdb_cli()
    if cli is None:
        print("no DuckDB CLI found: run `make setup` (it installs duckdb-cli into .venv)", file=sys.stderr)
        return 1
    sys.stdout.flush()
    os.execv(cli, command(db_path, cli, os.environ.get("SQL") or None))
    return 0  # not reached: the process is the CLI now


if __name__ == "__main__":
    sys.exit(main())
