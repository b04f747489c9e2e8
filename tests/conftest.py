"""Shared fixtures: a warehouse built from the seed dump through the real Dagster assets, once per session."""
from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED_DUMP = REPO / "raw" / "000_d41fcb9709c6051a.txt"
SHARED = REPO.parent / "shared"
GOLD = SHARED / "gold" / "seed_gold.json"
SCORER = SHARED / "tools" / "score_warehouse.py"


@dataclass
class BuiltWarehouse:
    raw_dir: Path
    db_path: Path
    work_db: Path
    result: object  # dagster ExecuteInProcessResult of the build


def materialize_all(raw_dir: Path, db_path: Path, work_db: Path, raise_on_error: bool = True):
    """Run every asset of the code location, as the refresh job does, on the given paths."""
    import dagster as dg

    from orchestration.definitions import location
    from orchestration.defs.automation import plan_full_refresh
    from orchestration.domain.warehouse.config import WarehouseConfig
    from orchestration.resources import WarehouseResource

    warehouse = WarehouseResource(raw_dir=str(raw_dir), db_path=str(db_path), work_db=str(work_db))
    instance = dg.DagsterInstance.ephemeral()
    plan = plan_full_refresh(instance, WarehouseConfig(Path(raw_dir), Path(db_path), Path(work_db)))  # as the command
    job = location(warehouse).resolve_job_def("refresh_warehouse")
    return job.execute_in_process(
        instance=instance, partition_key=plan.partition_key, asset_selection=plan.asset_selection,
        tags=plan.tags, raise_on_error=raise_on_error,
    )


def build_warehouse(root: Path, dumps: list[Path]) -> BuiltWarehouse:
    raw = root / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for dump in dumps:
        shutil.copy(dump, raw / dump.name)
    db = root / "out" / "warehouse.duckdb"
    work = root / "work" / "work.duckdb"
    return BuiltWarehouse(raw, db, work, materialize_all(raw, db, work))


def copy_warehouse(built: BuiltWarehouse, root: Path) -> BuiltWarehouse:
    """A copy of a built warehouse (dumps with their mtimes, working and marts databases, published file) to
    refresh on without building it again."""
    from orchestration.domain.warehouse.config import marts_db_path

    raw, db, work = root / "raw", root / "out" / built.db_path.name, root / "work" / built.work_db.name
    shutil.copytree(built.raw_dir, raw)  # copy2: mtimes kept, so ingested dumps stay ingested
    for source, target in ((built.db_path, db), (built.work_db, work),
                           (marts_db_path(built.work_db), marts_db_path(work))):
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    return BuiltWarehouse(raw, db, work, built.result)


@pytest.fixture(scope="session")
def seed_warehouse(tmp_path_factory) -> BuiltWarehouse:
    return build_warehouse(tmp_path_factory.mktemp("seed"), [SEED_DUMP])
