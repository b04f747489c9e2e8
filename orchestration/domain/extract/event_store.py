"""Writes extract.event_clusters: one real-world event id per event mention, re-resolving only what new
documents can change.

Beside the clusters it keeps each mention's cluster head (`extract.event_heads`, the cluster's first
member) and the state the heads were resolved with (`extract.event_resolution_state`: resolver version,
the acronyms the archive's event names define). When new documents arrive, only the periods their dated
mentions fall in (`resolve.event_periods.redo_for`) and the undated mentions are re-resolved, from the
stored heads (a mention is searched again only where a cluster it can meet changed), and only the
mentions whose cluster changed are rewritten; every other mention keeps its cluster and key. Anything the
incremental path cannot trust (no state, another resolver version, a new acronym, which changes names
anywhere in the archive, rows the heads do not cover) makes it resolve everything, as a rebuild would.
"""
from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, NamedTuple

import duckdb
import pandas as pd
import pyarrow as pa

from orchestration.domain.extract import changes, frames
from orchestration.domain.resolve.event_periods import RESOLVER_VERSION, Redo, redo_for, resolve_periods
from orchestration.domain.resolve.events import Resolved, acronyms_of, resolve_all
from orchestration.domain.warehouse.memory import released, trim_heap

DDL = """
create table if not exists extract.event_heads (
    document_id varchar not null, local_id varchar not null, head_document_id varchar not null,
    head_local_id varchar not null);
create table if not exists extract.event_resolution_state (resolver_version varchar not null,
    acronyms varchar not null);
"""

_DATED = "e.date_precision in ('day', 'month', 'year') and e.start_date is not null"


class EventRecord(NamedTuple):
    """One extract.events row as the resolver reads it (a tuple: 60k of them stay small)."""

    document_id: str
    local_id: str
    event_name: str | None
    event_type: str | None
    start_date: object
    date_precision: str | None
    city: str | None
    country_code: str | None
    published_date: object
    participants: list[tuple[str, str]]


def _read(con: duckdb.DuckDBPyConnection, where: str, params: list[Any] | None = None,
          heads: bool = False) -> pa.Table:
    """The event mentions matching `where` (over `e` = extract.events), with participants and, when asked,
    their stored heads, as one Arrow table: the resolver's child turns it into records (`_records`), so
    this process never holds the records (a child that touches inherited objects copies their pages)."""
    head_cols = ", h.head_document_id, h.head_local_id" if heads else ""
    head_join = "left join extract.event_heads h using (document_id, local_id)" if heads else ""
    return con.sql(f"""
        with sel as (
            select e.document_id, e.local_id, e.event_name, e.event_type, e.start_date, e.date_precision, e.city,
                   e.country_code from extract.events e where {where}),
        parts as (
            select p.document_id, p.local_id, list(p.participant_type) as types, list(p.participant_id) as ids
            from extract.event_participants p semi join sel using (document_id, local_id) group by all)
        select sel.*, d.published_date, parts.types, parts.ids{head_cols}
        from sel join ingest.documents d using (document_id)
        left join parts using (document_id, local_id) {head_join}
        order by sel.document_id, sel.local_id""", params=params or None).to_arrow_table()


def _records(table: pa.Table) -> tuple[list[EventRecord], list[tuple[str, str] | None]]:
    """The mentions of a `_read` table as records, with their stored heads when it has them (same order;
    None for a mention without one). A few thousand participants recur across every mention: one tuple
    each, not one per mention (at 100k articles, 340k participant rows of 3.9k distinct ones)."""
    records: list[EventRecord] = []
    stored: list[tuple[str, str] | None] = []
    heads = "head_document_id" in table.column_names
    shared: dict[tuple[str, str], tuple[str, str]] = {}
    for batch in table.to_batches(max_chunksize=20_000):
        for r in zip(*(column.to_pylist() for column in batch.columns), strict=True):
            parts = [shared.setdefault(p, p) for p in zip(r[9] or [], r[10] or [], strict=True)]
            records.append(EventRecord(*r[:9], parts))
            if heads:
                stored.append((r[11], r[12]) if r[11] is not None else None)
    return records, stored


def _resolve_all(table: pa.Table, acronyms: dict[str, set[str]]) -> list[Resolved]:
    """In the child: resolve every mention of `table`."""
    records, _ = _records(table)
    return resolve_all(records, acronyms)


def _resolve_periods(dated: pa.Table, undated: pa.Table | None, redo: Redo, acronyms: dict[str, set[str]],
                     ) -> list[Resolved]:
    """In the child: re-resolve the periods of `redo` from the stored heads."""
    dated_records, heads = _records(dated)
    undated_records, undated_heads = _records(undated) if undated is not None else ([], [])
    return resolve_periods(dated_records, heads, undated_records, redo, acronyms, undated_heads)


def _archive_acronyms(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    # only a parenthesis defines an acronym (names.find_acronyms)
    names = [r[0] for r in con.execute(
        "select distinct event_name from extract.events where event_name like '%(%'").fetchall()]
    return acronyms_of(names)


def _acronyms_text(acronyms: dict[str, set[str]]) -> str:
    return json.dumps({k: sorted(v) for k, v in sorted(acronyms.items())})


_CHILD_CALL: tuple[Callable[..., list[Resolved]], tuple] | None = None  # what a forked child runs


def _run_child_call() -> list[Resolved]:
    assert _CHILD_CALL is not None
    fn, args = _CHILD_CALL
    return fn(*args)


def _in_child(fn: Callable[..., list[Resolved]], *args: Any) -> list[Resolved]:
    """Run the resolver in a forked child: its blocking index (~0.5 GB at 100k articles for a full
    resolution) is returned to the OS when the child exits, instead of staying in this process while dbt
    runs next to it. The arguments are inherited, not pickled."""
    global _CHILD_CALL
    _CHILD_CALL = (fn, args)
    trim_heap()
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
            return pool.submit(_run_child_call).result()
    finally:
        _CHILD_CALL = None


def _trusted(con: duckdb.DuckDBPyConnection, acronyms: str) -> bool:
    """The stored heads were resolved by this resolver, with these acronyms, and cover exactly the mentions
    of documents other than the new ones."""
    state = con.execute("select resolver_version, acronyms from extract.event_resolution_state").fetchall()
    if state != [(RESOLVER_VERSION, acronyms)]:
        return False
    heads, covered, old = con.execute("""
        select (select count(*) from extract.event_heads),
               (select count(*) from extract.event_heads h semi join extract.events e using (document_id, local_id)
                 anti join _new_docs n using (document_id)),
               (select count(*) from extract.events e anti join _new_docs n using (document_id))""").fetchall()[0]
    return heads == covered == old


def _incremental(con: duckdb.DuckDBPyConnection, acronyms: dict[str, set[str]]) -> list[Resolved] | None:
    """The re-resolved mentions whose cluster changed, or None when nothing new can change a cluster."""
    new_dated = con.execute(
        f"select distinct e.start_date, e.date_precision from extract.events e semi join _new_docs using "
        f"(document_id) where {_DATED}").fetchall()
    new_undated, any_undated = con.execute(
        f"select count(*) filter (where e.document_id in (select document_id from _new_docs)), count(*) "
        f"from extract.events e where not ({_DATED})").fetchall()[0]
    if not new_dated and not new_undated:
        return None
    years = {r[0] for r in con.execute(
        "select distinct strftime(start_date, '%Y') from extract.events where date_precision = 'year' "
        "and start_date is not null").fetchall()}
    months = {r[0] for r in con.execute(
        "select distinct strftime(start_date, '%Y-%m') from extract.events where date_precision = 'month' "
        "and start_date is not null").fetchall()}
    redo = redo_for(new_dated, bool(new_undated), years, months, bool(any_undated))
    if redo.undated:  # undated mentions may join any cluster: every dated mention is read (not re-resolved)
        dated = _read(con, _DATED, heads=True)
        undated = _read(con, f"not ({_DATED})", heads=True)
    else:
        dated = _read(con, f"{_DATED} and (strftime(e.start_date, '%Y-%m-%d') in (select unnest(?)) "
                           "or strftime(e.start_date, '%Y-%m') in (select unnest(?)) "
                           "or strftime(e.start_date, '%Y') in (select unnest(?)))",
                      [sorted(redo.days), sorted(redo.months), sorted(redo.years)], heads=True)
        undated = None
    with released(con):
        return _in_child(_resolve_periods, dated, undated, redo, acronyms)


def unresolved_documents(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Documents with an event mention that has no cluster: extracted by a run that stopped before their
    events were resolved (a failure, a kill). The next refresh resolves them with its new documents."""
    return [r[0] for r in con.execute(
        "select distinct document_id from extract.events e anti join extract.event_clusters c "
        "using (document_id, local_id) order by 1").fetchall()]


def refresh(con: duckdb.DuckDBPyConnection, new_document_ids: list[str] | None = None) -> int:
    """Bring extract.event_clusters up to date (see the module); returns the number of real-world events."""
    con.execute(DDL)
    acronyms = _archive_acronyms(con)
    state = _acronyms_text(acronyms)
    new_docs = pd.DataFrame({"document_id": pd.Series(new_document_ids or [], dtype="object")})
    resolved: list[Resolved] | None
    with frames.registered(con, _new_docs=new_docs):
        full = new_document_ids is None or not _trusted(con, state)
        if full:
            table = _read(con, "true")
            with released(con):
                resolved = _in_child(_resolve_all, table, acronyms)
            del table
        else:
            resolved = _incremental(con, acronyms)
    if resolved is not None:
        _write(con, resolved, full, state)
    return con.execute("select count(distinct event_id) from extract.event_clusters").fetchall()[0][0]


def _write(con: duckdb.DuckDBPyConnection, resolved: list[Resolved], full: bool, state: str) -> None:
    """Replace the re-resolved mentions' clusters and heads (all of them when `full`), in one transaction."""
    frame = pd.DataFrame(resolved, columns=["document_id", "local_id", "event_id", "head_document_id",
                                            "head_local_id"])
    with frames.transaction(con, _resolved=frame):
        changes.log_cluster_diff(con, "event", "extract.event_clusters", "event_id", "_resolved", whole=full)
        for table in ("event_clusters", "event_heads"):
            if full:
                con.execute(f"delete from extract.{table}")
            else:
                con.execute(f"delete from extract.{table} t using _resolved r "
                            "where t.document_id = r.document_id and t.local_id = r.local_id")
        con.execute("insert into extract.event_clusters select document_id, local_id, event_id from _resolved")
        con.execute("insert into extract.event_heads "
                    "select document_id, local_id, head_document_id, head_local_id from _resolved")
        con.execute("delete from extract.event_resolution_state")
        con.execute("insert into extract.event_resolution_state values (?, ?)", [RESOLVER_VERSION, state])
