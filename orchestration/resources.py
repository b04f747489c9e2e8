"""The warehouse resource: paths from the environment, a locked connection to the working DB."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.domain.warehouse.config import load_config
from orchestration.domain.warehouse.locking import exclusive_lock, work_db_lock


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
