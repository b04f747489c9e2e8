"""Runs extraction over the documents that need it and stores the results in schema `extract`.

Only documents never processed with the current EXTRACTOR_VERSION are read,
so a refresh costs what its new documents cost; bumping the version
reprocesses everything on purpose. Extraction runs in worker processes; all
DuckDB writes stay in this process. Afterwards the new documents' reports are
resolved across documents: events by period (event_store.py), pledges and
agreements by component (fact_store.py), each re-resolving only what the new
documents can change and resolving everything when its stored state cannot be
trusted.
"""
from __future__ import annotations

import gc
import os
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import pandas as pd

from orchestration.domain.extract import changes, event_store, fact_store, frames
from orchestration.domain.extract.models import Document, DocumentExtraction
from orchestration.domain.extract.pipeline import extract_document
from orchestration.domain.extract.version import EXTRACTOR_VERSION, PENDING_SQL
from orchestration.domain.warehouse.memory import EXTRACT_MEMORY_LIMIT, RESOLVE_MEMORY_LIMIT, memory_limit

DDL = """
create schema if not exists extract;
create table if not exists extract.processed (
    document_id varchar primary key, extractor_version varchar not null, processed_at timestamp not null);
create table if not exists extract.mentions (
    document_id varchar not null, entity_type varchar not null, entity_id varchar not null,
    mention_text varchar, field varchar, char_start integer, char_end integer, evidence varchar);
create table if not exists extract.people (
    document_id varchar not null, person_id varchar not null, full_name varchar, family_name varchar,
    given_name varchar, aliases varchar[], title varchar, organization_id varchar, country_code varchar);
create table if not exists extract.organizations (
    document_id varchar not null, organization_id varchar not null, name varchar, acronym varchar,
    aliases varchar[], organization_type varchar, country_code varchar);
create table if not exists extract.events (
    document_id varchar not null, local_id varchar not null, event_name varchar, event_type varchar,
    start_date date, date_precision varchar, city varchar, country_code varchar, attendees integer,
    is_primary boolean, evidence varchar, field varchar, char_start integer, char_end integer);
create table if not exists extract.event_participants (
    document_id varchar not null, local_id varchar not null, participant_type varchar, participant_id varchar);
create table if not exists extract.event_clusters (
    document_id varchar not null, local_id varchar not null, event_id varchar not null);
create table if not exists extract.pledges (
    document_id varchar not null, local_id varchar not null, amount double, currency varchar,
    usd_amount_stated double, alt_amount double, alt_currency varchar, status varchar, is_approximate boolean,
    target_country_code varchar, purpose varchar, pledge_date date, evidence varchar, field varchar,
    char_start integer, char_end integer);
create table if not exists extract.pledge_parties (
    document_id varchar not null, local_id varchar not null, party_type varchar, party_id varchar, role varchar);
create table if not exists extract.agreements (
    document_id varchar not null, local_id varchar not null, agreement_type varchar, signed_date date,
    subject varchar, is_binding boolean, evidence varchar, field varchar, char_start integer, char_end integer);
create table if not exists extract.agreement_parties (
    document_id varchar not null, local_id varchar not null, party_type varchar, party_id varchar);
create table if not exists extract.pledge_clusters (
    document_id varchar not null, local_id varchar not null, pledge_id varchar not null);
create table if not exists extract.agreement_clusters (
    document_id varchar not null, local_id varchar not null, agreement_id varchar not null);
"""

# Column order of each per-document table, as in DDL.
COLUMNS: dict[str, list[str]] = {
    "mentions": ["document_id", "entity_type", "entity_id", "mention_text", "field", "char_start", "char_end",
                 "evidence"],
    "people": ["document_id", "person_id", "full_name", "family_name", "given_name", "aliases", "title",
               "organization_id", "country_code"],
    "organizations": ["document_id", "organization_id", "name", "acronym", "aliases", "organization_type",
                      "country_code"],
    "events": ["document_id", "local_id", "event_name", "event_type", "start_date", "date_precision", "city",
               "country_code", "attendees", "is_primary", "evidence", "field", "char_start", "char_end"],
    "event_participants": ["document_id", "local_id", "participant_type", "participant_id"],
    "pledges": ["document_id", "local_id", "amount", "currency", "usd_amount_stated", "alt_amount", "alt_currency",
                "status", "is_approximate", "target_country_code", "purpose", "pledge_date", "evidence", "field",
                "char_start", "char_end"],
    "pledge_parties": ["document_id", "local_id", "party_type", "party_id", "role"],
    "agreements": ["document_id", "local_id", "agreement_type", "signed_date", "subject", "is_binding", "evidence",
                   "field", "char_start", "char_end"],
    "agreement_parties": ["document_id", "local_id", "party_type", "party_id"],
}


@dataclass
class ExtractionRun:
    documents: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (document_id, error)
    rows: dict[str, int] = field(default_factory=dict)
    events_resolved: int = 0
    pledges_resolved: int = 0  # real pledges / agreements after cross-document resolution
    agreements_resolved: int = 0
    seconds: float = 0.0
    resolve_seconds: float = 0.0  # of `seconds`, resolving events, pledges and agreements across documents
    workers: int = 1


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)
    changes.ensure(con)


def _pending_ids(con: duckdb.DuckDBPyConnection, version: str) -> list[str]:
    rows = con.execute(f"select d.document_id {PENDING_SQL} order by d.document_id", [version]).fetchall()
    return [r[0] for r in rows]


def _load_batch(con: duckdb.DuckDBPyConnection, ids: list[str]) -> list[Document]:
    rows = con.execute(
        "select document_id, title, body, published_date from ingest.documents "
        "where document_id in (select unnest(?::varchar[])) order by document_id",
        [ids],
    ).fetchall()
    return [Document(r[0], r[1], r[2], r[3]) for r in rows]


def extraction_rows(ex: DocumentExtraction) -> dict[str, list[tuple]]:
    """Flatten one document's extraction into rows per `extract` table."""
    d = ex.document_id
    ent, facts = ex.entities, ex.facts
    out: dict[str, list[tuple]] = {name: [] for name in COLUMNS}
    out["mentions"] = [(d, m.entity_type, m.entity_id, m.text, m.field, m.start, m.end, m.evidence)
                       for m in ent.mentions]
    out["people"] = [(d, p.person_id, p.full_name, p.family_name, p.given_name, list(p.aliases), p.title,
                      p.organization_id, p.country_code) for p in ent.people]
    out["organizations"] = [(d, o.organization_id, o.name, o.acronym, list(o.aliases), o.organization_type,
                             o.country_code) for o in ent.organizations]
    for e in facts.events:
        out["events"].append((d, e.local_id, e.name, e.event_type, e.start_date, e.date_precision, e.city,
                              e.country_code, e.attendees, e.is_primary, e.evidence, e.field, e.start, e.end))
        out["event_participants"] += [(d, e.local_id, t, i) for t, i in dict.fromkeys(e.participants)]
    for p in facts.pledges:
        out["pledges"].append((d, p.local_id, p.amount, p.currency, p.usd_amount_stated, p.alt_amount,
                               p.alt_currency, p.status, p.is_approximate, p.target_country_code, p.purpose,
                               p.pledge_date, p.evidence, p.field, p.start, p.end))
        out["pledge_parties"] += [(d, p.local_id, t, i, r) for t, i, r in dict.fromkeys(p.parties)]
    for a in facts.agreements:
        out["agreements"].append((d, a.local_id, a.agreement_type, a.signed_date, a.subject, a.is_binding,
                                  a.evidence, a.field, a.start, a.end))
        out["agreement_parties"] += [(d, a.local_id, t, i) for t, i in dict.fromkeys(a.parties)]
    return out


def _extract_batch(docs: list[Document]) -> tuple[dict[str, list[tuple]], list[str], list[tuple[str, str]]]:
    """Worker: extract a batch; a document that raises is reported, not fatal."""
    rows: dict[str, list[tuple]] = {name: [] for name in COLUMNS}
    done: list[str] = []
    failed: list[tuple[str, str]] = []
    for doc in docs:
        try:
            for name, part in extraction_rows(extract_document(doc)).items():
                rows[name].extend(part)
            done.append(doc.document_id)
        except Exception as exc:  # one bad document must not stop the archive
            failed.append((doc.document_id, f"{type(exc).__name__}: {exc}"))
    return rows, done, failed


def _forget_stale(con: duckdb.DuckDBPyConnection, version: str) -> None:
    """Drop every row of documents processed by another extractor version, in one pass per table.

    Afterwards a pending document has no rows at all, so storing a batch only inserts: deleting per
    batch scanned each growing table once per batch, quadratic over a full build.
    """
    stale = "select document_id from extract.processed where extractor_version <> ?"
    if not con.execute(f"select count(*) from ({stale})", [version]).fetchone()[0]:
        return
    with frames.transaction(con):
        for name in COLUMNS:
            con.execute(f"delete from extract.{name} where document_id in ({stale})", [version])
        con.execute("delete from extract.processed where extractor_version <> ?", [version])
        changes.log_all(con, f"documents re-extracted with extractor version {version}")


# People and organizations of the batch (_done_ids) that no other document names.
_NEW_ENTITIES = " union ".join(
    f"(select {col} from extract.{table} semi join _done_ids using (document_id) "
    f"except select {col} from extract.{table} anti join _done_ids using (document_id))"
    for table, col in (("people", "person_id"), ("organizations", "organization_id")))


def _store(con: duckdb.DuckDBPyConnection, rows: dict[str, list[tuple]], done: list[str], version: str) -> None:
    """Insert one batch and mark it processed, atomically (its documents have no rows yet)."""
    if not done:
        return
    # DuckDB infers a frame column's type from its first `pandas_analyze_sample` rows: 1,000 people whose
    # alias lists are all empty make the column a list of NULL, and the first alias then fails the insert
    con.execute(f"set pandas_analyze_sample = {max(1000, *map(len, rows.values()))}")
    with frames.transaction(con, _done_ids=pd.DataFrame({"document_id": done})):
        for name, cols in COLUMNS.items():
            if rows[name]:
                frame = pd.DataFrame(rows[name], columns=cols)
                with frames.registered(con, _rows=frame):
                    con.execute(f"insert into extract.{name} ({', '.join(cols)}) select {', '.join(cols)} from _rows")
        con.execute(
            "insert into extract.processed select document_id, ?, ? from _done_ids",
            [version, datetime.now(UTC).replace(tzinfo=None)],
        )
        changes.log(con, "document", "select document_id from _done_ids")
        changes.log(con, "entity", _NEW_ENTITIES)


def run_extraction(con: duckdb.DuckDBPyConnection, version: str = EXTRACTOR_VERSION, workers: int | None = None,
                   batch: int = 200, progress: Callable[[int, int], None] | None = None) -> ExtractionRun:
    """Extract pending documents in batches; at most two batches per worker are in memory at once.

    `progress(done, total)` is called after each stored batch (a console bar, a log line). DuckDB's buffer
    pool is bounded meanwhile (warehouse/memory.py): the resolvers fork beside this process."""
    with memory_limit(con, EXTRACT_MEMORY_LIMIT):
        return _run_extraction(con, version, workers, batch, progress)


def _run_extraction(con: duckdb.DuckDBPyConnection, version: str, workers: int | None, batch: int,
                    progress: Callable[[int, int], None] | None) -> ExtractionRun:
    started = time.perf_counter()
    ensure_schema(con)
    result = ExtractionRun(rows={name: 0 for name in COLUMNS})
    _forget_stale(con, version)
    ids = _pending_ids(con, version)
    id_batches = [ids[i:i + batch] for i in range(0, len(ids), batch)]
    workers = max(1, min(workers or os.cpu_count() or 1, len(id_batches)))
    result.workers = workers

    def handle(out: tuple[dict[str, list[tuple]], list[str], list[tuple[str, str]]]) -> None:
        rows, done, failed = out
        _store(con, rows, done, version)
        result.documents += len(done)
        result.failed.extend(failed)
        for name, part in rows.items():
            result.rows[name] += len(part)
        if progress:
            progress(result.documents + len(result.failed), len(ids))

    if workers > 1:
        # The workers are forked from this process: frozen, its objects are never visited by a worker's
        # collector, whose visits would copy every page they sit on into each worker (Python's gc docs).
        gc.freeze()
        try:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                pending: deque[Future] = deque()
                for chunk in id_batches:
                    pending.append(pool.submit(_extract_batch, _load_batch(con, chunk)))
                    if len(pending) >= 2 * workers:
                        handle(pending.popleft().result())
                while pending:
                    handle(pending.popleft().result())
        finally:
            gc.unfreeze()
    else:
        for chunk in id_batches:
            handle(_extract_batch(_load_batch(con, chunk)))
    resolve_started = time.perf_counter()
    with memory_limit(con, RESOLVE_MEMORY_LIMIT):  # the resolvers read whole periods and components
        if pending_events := sorted({*ids, *event_store.unresolved_documents(con)}):
            result.events_resolved = refresh_event_clusters(con, new_document_ids=pending_events)
        if ids or not fact_clusters_current(con):
            result.pledges_resolved, result.agreements_resolved = refresh_fact_clusters(con, new_document_ids=ids)
    result.resolve_seconds = time.perf_counter() - resolve_started
    # The resolvers ran with the cyclic collector paused (resolve/collector.py); the cycles they left
    # (~70 MB at 100k articles) are freed now, not while dbt runs beside this process.
    gc.collect()
    result.seconds = time.perf_counter() - started
    return result


def refresh_event_clusters(con: duckdb.DuckDBPyConnection, new_document_ids: list[str] | None = None) -> int:
    """Resolve events into extract.event_clusters; returns the number of real-world events.

    With `new_document_ids` (the documents just extracted) only the periods their mentions fall in, and the
    undated mentions, are re-resolved; without, or when the stored state cannot be trusted, everything."""
    return event_store.refresh(con, new_document_ids)


def fact_clusters_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Every pledge and agreement has its cluster row (false in a working database from before resolution,
    which the next refresh then resolves even when no document is new)."""
    return fact_store.clusters_current(con)


def refresh_fact_clusters(con: duckdb.DuckDBPyConnection, new_document_ids: list[str] | None = None) -> tuple[int, int]:
    """Resolve pledges and agreements into extract.pledge_clusters / agreement_clusters (resolve/pledges.py,
    agreements.py); returns the number of real pledges and of real agreements.

    With `new_document_ids` (the documents just extracted or pending) only the components of the clustering
    their reports link to, and those that held reports of re-extracted documents, are re-resolved; without,
    or when the stored state cannot be trusted, everything (extract/fact_store.py)."""
    return fact_store.refresh(con, new_document_ids)
