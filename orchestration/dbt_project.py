"""The dbt project as Dagster sees it, built once.

The manifest Dagster reads is made at setup (`make setup` runs `dagster-dbt project prepare-and-package
--file orchestration/dbt_project.py`, i.e. `dbt parse`), never on import: importing the code location only
checks that the manifest is there and not older than the project's files, and says what to run when it is
not.
"""
from __future__ import annotations

import shutil
import sys
from functools import cache
from pathlib import Path

from dagster_dbt import DbtProject

# absolute imports: prepare-and-package loads this file alone
from orchestration.domain.warehouse.config import DBT_PROJECT_DIR
from orchestration.domain.warehouse.state import project_files

SETUP_HINT = "run `make setup` (it runs `dagster-dbt project prepare-and-package --file orchestration/dbt_project.py`)"


class ManifestNotReady(RuntimeError):
    """The dbt manifest is missing or older than the dbt project."""


def dbt_executable() -> str:
    """The dbt of this interpreter's environment, even when its bin/ is not on PATH."""
    local = Path(sys.executable).parent / "dbt"
    return str(local) if local.exists() else (shutil.which("dbt") or "dbt")


def newest_source_mtime(project_dir: Path = DBT_PROJECT_DIR) -> float:
    return max((f.stat().st_mtime for f in project_files(project_dir)), default=0.0)


@cache
def warehouse_dbt_project() -> DbtProject:
    """The one DbtProject of the code location (cached: every module gets the same object)."""
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=Path("target"))


def checked_manifest(project: DbtProject | None = None) -> Path:
    """The manifest path, or a clear error when setup has not made it or the project changed since."""
    project = project or warehouse_dbt_project()
    manifest = Path(project.manifest_path)
    if not manifest.exists():
        raise ManifestNotReady(f"no dbt manifest at {manifest}: {SETUP_HINT}")
    if manifest.stat().st_mtime < newest_source_mtime(Path(project.project_dir)):
        raise ManifestNotReady(f"the dbt project changed after {manifest} was built: {SETUP_HINT}")
    return manifest


# At module level so that `dagster-dbt project prepare-and-package --file orchestration/dbt_project.py` finds it.
DBT_PROJECT = warehouse_dbt_project()
