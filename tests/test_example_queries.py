"""The example queries of docs/marts.md run against the seed warehouse and return rows."""
from __future__ import annotations

import re

import duckdb
import pytest
from conftest import REPO

QUERIES = dict(re.findall(r"```sql\n-- name: (\w+)\n(.*?)```", (REPO / "docs" / "marts.md").read_text(), re.S))


def test_docs_hold_the_four_queries():
    assert set(QUERIES) == {"pledges_by_country_year", "events_per_month", "agreements_by_party", "one_person"}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_example_query_returns_rows(seed_warehouse, name):
    con = duckdb.connect(str(seed_warehouse.db_path), read_only=True)
    try:
        rows = con.execute(QUERIES[name]).fetchall()
    finally:
        con.close()
    assert rows, name


def test_sqlalchemy_connection_lists_marts(seed_warehouse):
    """BI tools (Superset, …) connect through SQLAlchemy with duckdb-engine, read-only."""
    sqlalchemy = pytest.importorskip("sqlalchemy")
    engine = sqlalchemy.create_engine(f"duckdb:///{seed_warehouse.db_path}",
                                      connect_args={"read_only": True})
    with engine.connect() as conn:
        tables = set(sqlalchemy.inspect(conn).get_table_names(schema="marts"))
        assert {"dim_documents", "fct_events", "fct_pledges", "dim_people"} <= tables
        n = conn.execute(sqlalchemy.text("select count(*) from marts.dim_documents")).scalar()
        assert n == 8
    engine.dispose()
