"""Whether a refresh has anything to do, asked before any step is selected.

A refresh that finds nothing new should cost what a look costs: the planner asks here, and when nothing
is new it selects only the ingest step (which checks again, under the lock, and says why the rest did not
run) instead of extraction, the dbt build with its tests, and publishing, each of which would find
nothing to do at the price of its own start-up and events.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from ..extract.version import pending_documents
from ..ingest.store import all_ingested, list_dump_files
from . import state, storage
from .config import DBT_PROJECT_DIR, WarehouseConfig

NOTHING_NEW = "nothing new: no dump new or changed, no document awaiting extraction, dbt project unchanged"


def nothing_new(config: WarehouseConfig, project_dir: Path = DBT_PROJECT_DIR) -> str | None:
    """The reason a refresh would change nothing, or None when it has work (or cannot tell).

    Nothing is new when every dump of the landing folder is ingested and unchanged, every document is
    extracted by the current extractor version, the dbt project and the working database are those the
    published warehouse was built from, and the published file is in the readers' storage version: the
    test the dbt step makes before it builds, made before the run instead."""
    if not config.work_db.exists():
        return None
    try:
        con = duckdb.connect(str(config.work_db), read_only=True)
    except duckdb.Error:  # a run is writing it right now: whatever it does, the full plan is right
        return None
    try:
        if not all_ingested(con, list_dump_files(config.raw_dir)) or pending_documents(con):
            return None
        current = state.build_fingerprint(con, state.project_fingerprint(project_dir))
        return NOTHING_NEW if is_published(con, current, config.db_path) else None
    except duckdb.Error:  # a database from before some table existed: let the steps sort it out
        return None
    finally:
        con.close()


def is_published(con: duckdb.DuckDBPyConnection, fingerprint: str, db_path: Path) -> bool:
    """True when the published file at `db_path` was built from `fingerprint` (`state.build_fingerprint`) and
    readers can open it: nothing to build or publish. The planner and the dbt step both ask this."""
    return state.recorded(con, "published") == fingerprint and storage.is_readers_version(db_path)
