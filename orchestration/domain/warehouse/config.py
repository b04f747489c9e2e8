"""Where things live, from the environment (documented in the README).

Relative paths in the environment are taken relative to the current
directory; the defaults are relative to the repository root so that the
README commands work from a fresh clone.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from orchestration.domain.warehouse.locking import work_db_lock

REPO_ROOT = Path(__file__).resolve().parents[3]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
DEFAULT_RAW_DIR = REPO_ROOT / "raw"
DEFAULT_DB_PATH = REPO_ROOT / "warehouse" / "warehouse.duckdb"


def wal_path(db: Path) -> Path:
    """DuckDB's write-ahead log of the database file `db`."""
    return db.with_name(db.name + ".wal")


def marts_db_path(work_db: Path) -> Path:
    """The DuckDB file dbt builds the marts in, beside the working database: `<name>.marts.duckdb`
    (`<name>` = the working database's file name without `.duckdb`). dbt_project/profiles.yml derives
    the same path from WAREHOUSE_WORK_DB and attaches it as `marts_db`; publishing copies this file."""
    return work_db.with_name(f"{_stem(work_db)}.marts.duckdb")


def dbt_target_path(work_db: Path) -> Path:
    """dbt's target folder for builds of this working database, `<name>.dbt-target/` beside it. It outlives
    a build so that the next one keeps dbt's partial parse: dbt re-parses the whole project (~4 s) when the
    profile differs from the one its saved parse state was made with, and the profile holds the path."""
    return work_db.with_name(f"{_stem(work_db)}.dbt-target")


def _stem(work_db: Path) -> str:
    """The working database's file name without `.duckdb`."""
    name = work_db.name
    return name[: -len(".duckdb")] if name.endswith(".duckdb") else name


@dataclass(frozen=True)
class WarehouseConfig:
    raw_dir: Path
    db_path: Path  # the published warehouse readers open
    work_db: Path  # the database the pipeline builds in

    @property
    def marts_db(self) -> Path:  # the marts, built by dbt beside the working database
        return marts_db_path(self.work_db)

    @property
    def lock_path(self) -> Path:
        return work_db_lock(self.work_db)


def _path(var: str, default: Path) -> Path:
    value = os.environ.get(var, "").strip()
    return Path(value).expanduser().resolve() if value else default


def load_config() -> WarehouseConfig:
    raw_dir = _path("WAREHOUSE_RAW_DIR", DEFAULT_RAW_DIR)
    db_path = _path("WAREHOUSE_DB_PATH", DEFAULT_DB_PATH)
    work_db = _path("WAREHOUSE_WORK_DB", db_path.parent / ".work" / (db_path.stem + ".work.duckdb"))
    return WarehouseConfig(raw_dir=raw_dir, db_path=db_path, work_db=work_db)
