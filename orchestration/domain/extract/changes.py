"""The change log dbt's incremental models read: what extraction changed since the last build.

Each row names one thing whose facts may differ from what the marts hold: a document newly extracted
(`document`), a person or organization such a document makes known for the first time (`entity`: facts
elsewhere that name it as a party now show it), a real-world event, pledge or agreement whose members
changed (`event`, `pledge`, `agreement`: the id it had and the id it has, so a cluster that vanished in a
merge is deleted from the marts too), or `all` when rows were removed in a way only a full build repairs
(another extractor version). The incremental models (dbt_project/macros/incremental.sql) recompute what
the log names; after a complete build the dbt step prunes it up to the last row that build saw
(`watermark`), so the log always holds exactly what the marts do not reflect yet. It is derived from the
other extract tables, so the build fingerprint (warehouse/state.py) leaves it out.
"""
from __future__ import annotations

import duckdb

TABLE = "extract.changes"
DDL = f"""
create schema if not exists extract;
create sequence if not exists extract.change_seq;
create table if not exists {TABLE} (seq bigint not null, kind varchar not null, id varchar not null);
"""


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


def log(con: duckdb.DuckDBPyConnection, kind: str, ids_sql: str, params: list | None = None) -> None:
    """Log every distinct non-null id the query `ids_sql` (one column) returns, as changes of `kind` (the
    kinds stg_changes accepts, dbt_project/models/staging/extract/_extract__models.yml)."""
    ensure(con)
    con.execute(f"insert into {TABLE} select nextval('extract.change_seq'), ?, id "
                f"from (select distinct id from ({ids_sql}) q(id) where id is not null)", [kind, *(params or [])])


def log_cluster_diff(con: duckdb.DuckDBPyConnection, kind: str, table: str, id_column: str, new_view: str,
                     whole: bool) -> None:
    """Before `table` (document_id, local_id, <id_column>) is rewritten from `new_view`: log the old and the
    new id of every member whose id changes, appears or (when `whole`, the table being replaced entirely)
    disappears. Call it inside the transaction that rewrites the table."""
    scope = "" if whole else f"semi join {new_view} using (document_id, local_id)"
    log(con, kind, f"""
        select o.{id_column} from (select * from {table} {scope}) o
        left join {new_view} n using (document_id, local_id)
        where n.{id_column} is distinct from o.{id_column}
        union all
        select n.{id_column} from {new_view} n left join {table} o using (document_id, local_id)
        where n.{id_column} is distinct from o.{id_column}""")


def log_all(con: duckdb.DuckDBPyConnection, reason: str) -> None:
    """Only a full build repairs this change (the reason is kept as the row's id)."""
    log(con, "all", "select ?", [reason])


def watermark(con: duckdb.DuckDBPyConnection) -> int | None:
    """The number of the last change logged (None when nothing is logged)."""
    ensure(con)
    return con.execute(f"select max(seq) from {TABLE}").fetchone()[0]


def needs_full_build(con: duckdb.DuckDBPyConnection, after: int) -> bool:
    """A change after `after` that only a full build repairs."""
    ensure(con)
    return con.execute(f"select count(*) from {TABLE} where kind = 'all' and seq > ?", [after]).fetchone()[0] > 0


def prune(con: duckdb.DuckDBPyConnection, upto: int) -> None:
    """Forget the changes a successful build has applied."""
    ensure(con)
    con.execute(f"delete from {TABLE} where seq <= ?", [upto])
