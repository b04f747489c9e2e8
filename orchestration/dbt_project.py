"""The dbt project as Dagster sees it; the manifest is prepared on demand.

`dagster dev`, `dagster job execute` and `dagster asset materialize` all
import this module, so a missing or stale manifest (any dbt file newer than
it) is rebuilt here with an in-process `dbt parse`: a fresh clone needs no
manual step.
"""
from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from orchestration.domain.warehouse.config import DBT_PROJECT_DIR, load_config
from orchestration.domain.warehouse.locking import exclusive_lock

TARGET_DIR = DBT_PROJECT_DIR / "target"
MANIFEST = TARGET_DIR / "manifest.json"
_SOURCES = ("models", "seeds", "macros", "tests", "snapshots")


def dbt_executable() -> str:
    """The dbt of this interpreter's environment, even when its bin/ is not on PATH."""
    local = Path(sys.executable).parent / "dbt"
    return str(local) if local.exists() else (shutil.which("dbt") or "dbt")


def _newest_source_mtime() -> float:
    newest = max((DBT_PROJECT_DIR / f).stat().st_mtime for f in ("dbt_project.yml", "profiles.yml"))
    for folder in _SOURCES:
        for path in (DBT_PROJECT_DIR / folder).rglob("*"):
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


# The working database the last parse rendered the profile with. dbt keeps its partial-parse state only
# while the rendered profile is unchanged, so a parse for another path makes every build re-parse (~1.6 s).
PARSED_FOR = TARGET_DIR / ".parsed_for_work_db"


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


def manifest_is_current() -> bool:
    return (MANIFEST.exists() and MANIFEST.stat().st_mtime >= _newest_source_mtime()
            and PARSED_FOR.exists() and PARSED_FOR.read_text() == str(load_config().work_db))


def prepare_manifest() -> Path:
    """Run `dbt parse` in-process if the manifest is missing, older than the project, or parsed for
    another working database."""
    if manifest_is_current():
        return MANIFEST
    from dbt.cli.main import dbtRunner

    TARGET_DIR.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(TARGET_DIR / ".parse.lock"):
        if not manifest_is_current():
            work_db = str(load_config().work_db)
            with temporary_env("WAREHOUSE_WORK_DB", work_db):  # the path the builds render the profile with
                result = dbtRunner().invoke([
                    "parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
                    "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(TARGET_DIR),
                ])
            if not result.success:
                raise RuntimeError(f"dbt parse failed: {result.exception}")
            os.utime(MANIFEST)
            PARSED_FOR.write_text(work_db)
    return MANIFEST


class LocalDbtCliResource(DbtCliResource):
    """dbt from this environment: its version is the installed dbt-core's.

    The stock resource asks `dbt --version` in a subprocess on every run, which
    costs a dbt start-up (3-4 s) on each refresh.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        from dbt.version import __version__

        return version.parse(__version__)


prepare_manifest()
dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR, target_path=Path("target"))
dbt_resource = LocalDbtCliResource(project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR),
                              dbt_executable=dbt_executable())
