"""Resources: where the warehouse lives (a locked connection to the working DB) and the dbt CLI."""

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from importlib.metadata import version
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource
from packaging.version import Version

from .dbt_project import dbt_executable, warehouse_dbt_project
from .domain.warehouse.config import DBT_PROJECT_DIR, load_config
from .domain.warehouse.locking import exclusive_lock, work_db_lock


class WarehouseResource(dg.ConfigurableResource):
    """Where the raw dumps, the working database and the published warehouse live."""

    raw_dir: str
    db_path: str
    work_db: str

    @classmethod
    def from_env(cls) -> "WarehouseResource":
        cfg = load_config()
        return cls(raw_dir=str(cfg.raw_dir), db_path=str(cfg.db_path), work_db=str(cfg.work_db))

    @property
    def lock_path(self) -> Path:
        return work_db_lock(Path(self.work_db))

    @contextmanager
    def locked(self) -> Iterator[float]:
        """Exclusive use of the working database; yields seconds waited."""
        with exclusive_lock(self.lock_path) as waited:
            yield waited

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        Path(self.work_db).parent.mkdir(parents=True, exist_ok=True)
        with self.locked():
            con = duckdb.connect(self.work_db)
            try:
                yield con
            finally:
                con.close()

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection to the working database, taken while no step writes it."""
        with self.locked():
            con = duckdb.connect(self.work_db, read_only=True)
            try:
                yield con
            finally:
                con.close()


class WarehouseDbtCli(DbtCliResource):
    """dagster-dbt's dbt CLI resource without two start-up costs of its own. It is told dbt's version instead
    of asking: dagster-dbt runs `dbt --version` (a whole dbt start-up, ~2.7 s) once per run only to tell
    dbt-core from dbt Fusion, and the dbt here is the dbt-core installed beside this code (`dbt_executable`),
    so its package version is the answer. And it builds no adapter handle (below)."""

    @cached_property
    def _cli_version(self) -> Version:
        return Version(version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        """No in-process adapter handle: dagster-dbt loads dbt's project, profile and adapter in this process
        before each build (~2 s) only for `fetch_column_metadata` / `fetch_row_counts`, which this project
        does not call (row counts: defs/dbt.py `with_row_counts`). dagster-dbt runs without one when it
        cannot build it, as here."""
        return None


def dbt_cli() -> DbtCliResource:
    """dbt of this environment on the project's one DbtProject."""
    return WarehouseDbtCli(project_dir=warehouse_dbt_project(), profiles_dir=str(DBT_PROJECT_DIR),
                          dbt_executable=dbt_executable())


@contextmanager
def temporary_env(name: str, value: str) -> Iterator[None]:
    """Set an environment variable for what runs inside (dbt reads the profile's path from it), restoring
    the caller's value afterwards."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before
