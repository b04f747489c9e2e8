"""What the last published warehouse was built from, so that a refresh with nothing new builds nothing.

A build's fingerprint covers its inputs: the dumps as ingested (name, content hash, size, mtime, status),
the documents and what the extractor made of them (counts, versions, last processing time), and every file
of the dbt project (models, macros, seeds, configuration). The dbt step records the fingerprint it built
from, publishing records it as published; the next refresh compares. The fingerprint lives in schema
`pipeline` of the working database, so `make rebuild` (which drops that database) forgets it too.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.domain.extract import changes
from orchestration.domain.extract.changes import TABLE as CHANGE_LOG

DDL = ("create schema if not exists pipeline; "
       "create table if not exists pipeline.build_state (stage varchar primary key, fingerprint varchar, "
       "run_id varchar, recorded_at timestamp default current_timestamp)")
PROJECT_PARTS = ("dbt_project.yml", "profiles.yml", "models", "macros", "seeds", "tests", "snapshots")
_DATA_QUERIES = (
    "select file_name, content_sha256, size_bytes, mtime, status, last_ingested_at from ingest.dump_files "
    "order by file_name",
    "select count(*), count(*) filter (where still_present), max(last_seen_at) from ingest.documents",
    "select extractor_version, count(*), max(processed_at) from extract.processed group by 1 order by 1",
)


def project_files(project_dir: Path) -> list[Path]:
    """Every file of the dbt project that changes what a build (or its manifest) makes."""
    files: list[Path] = []
    for part in PROJECT_PARTS:
        root = project_dir / part
        if root.is_file():
            files.append(root)
        elif root.is_dir():
            files += sorted(p for p in root.rglob("*") if p.is_file())
    return files


def project_fingerprint(project_dir: Path) -> str:
    """Hash of the dbt project's files (names and contents)."""
    digest = hashlib.sha256()
    for path in project_files(project_dir):
        digest.update(str(path.relative_to(project_dir)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def data_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """Hash of what the working database holds for dbt to read (cheap: aggregates and the dump list). The
    change log is left out: it follows the other tables, and the dbt step prunes it after a build."""
    digest = hashlib.sha256()
    tables = con.execute("select schema_name, table_name from duckdb_tables() where database_name = "
                         "current_database() and schema_name in ('ingest', 'extract') "
                         "and schema_name || '.' || table_name <> ? order by 1, 2", [CHANGE_LOG]).fetchall()
    counts = [f'select count(*) from "{schema}"."{table}"' for schema, table in tables]  # any row written
    for sql in (*_DATA_QUERIES, *counts):
        try:
            rows = con.execute(sql).fetchall()
        except duckdb.CatalogException:  # a fresh database: the table does not exist yet
            rows = "missing"
        digest.update(repr(rows).encode() + b"\0")
    return digest.hexdigest()


def build_fingerprint(con: duckdb.DuckDBPyConnection, project: str) -> str:
    """The data fingerprint combined with the dbt project's (`project_fingerprint`, computed once per step)."""
    return hashlib.sha256(f"{data_fingerprint(con)}|{project}".encode()).hexdigest()


def recorded(con: duckdb.DuckDBPyConnection, stage: str) -> str | None:
    """The fingerprint last recorded for `stage` ('built' or 'published'), if any."""
    try:
        row = con.execute("select fingerprint from pipeline.build_state where stage = ?", [stage]).fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def record(con: duckdb.DuckDBPyConnection, stage: str, fingerprint: str | None, run_id: str) -> None:
    con.execute(DDL)
    con.execute("insert or replace into pipeline.build_state (stage, fingerprint, run_id, recorded_at) "
                "values (?, ?, ?, current_timestamp)", [stage, fingerprint, run_id])


@dataclass(frozen=True)
class BuildPlan:
    """How the dbt step builds: incrementally from the change log (extract/changes.py) up to `changes_upto`,
    or whole (`full_refresh`, with the reason) when the incremental models cannot be trusted to be current."""

    full_refresh: bool
    reason: str
    changes_upto: int | None
    project: str

    @property
    def mode(self) -> str:
        return f"full ({self.reason})" if self.full_refresh else "incremental"


def build_plan(con: duckdb.DuckDBPyConnection, project: str) -> BuildPlan:
    """Incremental when the last build completed (it recorded the project and the changes it applied), the
    dbt project (`project_fingerprint`) is the one it built with, and no logged change needs a full build."""
    upto = changes.watermark(con)
    applied = recorded(con, "changes_applied")
    if applied is None:
        reason = "no complete incremental build recorded"
    elif recorded(con, "built_project") != project:
        reason = "dbt project changed"
    elif changes.needs_full_build(con, int(applied)):
        reason = "rows removed that only a full build repairs (another extractor version)"
    else:
        return BuildPlan(False, "incremental", upto, project)
    return BuildPlan(True, reason, upto, project)


def begin_build(con: duckdb.DuckDBPyConnection, run_id: str) -> None:
    """The marts are about to change: until `finish_build`, neither they nor the incremental state are current."""
    record(con, "built", None, run_id)
    record(con, "changes_applied", None, run_id)


def finish_build(con: duckdb.DuckDBPyConnection, plan: BuildPlan, fingerprint: str, run_id: str) -> None:
    """A complete build: forget the changes it applied and remember what it built from."""
    applied = plan.changes_upto if plan.changes_upto is not None else -1
    changes.prune(con, applied)
    record(con, "changes_applied", str(applied), run_id)
    record(con, "built_project", plan.project, run_id)
    record(con, "build_mode", plan.mode, run_id)
    record(con, "built", fingerprint, run_id)
