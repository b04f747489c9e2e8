"""The extractor's version and the documents it has still to read.

Bump EXTRACTOR_VERSION whenever extraction rules or knowledge files change in a way that should reprocess
the archive: documents are re-extracted only when their recorded version differs. Kept apart from the
extractors so that a planner asks what is pending without loading them (and their knowledge files).
"""
from __future__ import annotations

import duckdb

EXTRACTOR_VERSION = "7"

# Documents not yet processed by the given extractor version.
PENDING_SQL = ("from ingest.documents d left join extract.processed p using (document_id) "
               "where p.extractor_version is distinct from ?")


def pending_documents(con: duckdb.DuckDBPyConnection, version: str = EXTRACTOR_VERSION) -> int:
    return con.execute(f"select count(*) {PENDING_SQL}", [version]).fetchone()[0]
