"""Figures an operator reads in the UI without any gold file: how many rows each table holds and how much
the extraction found per document (a drop after a knowledge or extractor change shows as a dip in a plot)."""
from __future__ import annotations

import duckdb

# name -> SQL over schema `marts` of the published (or marts) file; each a single number.
HEALTH_SQL = {
    "documents": "select count(*) from marts.dim_documents",
    "events_per_document": "select count(*) / greatest((select count(*) from marts.dim_documents), 1) "
                           "from marts.bridge_event_documents",
    "share_documents_with_event": "select count(distinct document_key) / "
                                  "greatest((select count(*) from marts.dim_documents), 1) "
                                  "from marts.bridge_event_documents",
    "pledges_per_document": "select count(*) / greatest((select count(*) from marts.dim_documents), 1) "
                            "from marts.fct_pledges",
    "agreements_per_document": "select count(*) / greatest((select count(*) from marts.dim_documents), 1) "
                               "from marts.fct_agreements",
    "pledges_usd_million": "select coalesce(round(sum(amount_usd), 1), 0) from marts.fct_pledges",
    "organizations_without_country": "select count(*) from marts.dim_organizations where country_key is null",
    "organizations_type_other": "select count(*) from marts.dim_organizations where organization_type = 'other'",
    "people_without_organization": "select count(*) from marts.dim_people where organization_key is null",
}


def table_row_counts(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> dict[str, int]:
    """Rows of every base table of a database, by table name (names are unique across the layers:
    stg_/int_/fct_/dim_/bridge_ prefixes and seed names)."""
    where = "table_type = 'BASE TABLE'" + (" and table_catalog = ?" if catalog else "")
    tables = con.execute(f"select table_catalog, table_schema, table_name from information_schema.tables "
                         f"where {where}", [catalog] if catalog else []).fetchall()
    return {name: con.execute(f'select count(*) from "{db}"."{schema}"."{name}"').fetchone()[0]
            for db, schema, name in tables}


def health_figures(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """The figures of HEALTH_SQL on a connection that sees schema `marts`; a missing table gives no figure."""
    figures: dict[str, float] = {}
    for name, sql in HEALTH_SQL.items():
        try:
            value = con.execute(sql).fetchone()[0]
        except duckdb.CatalogException:
            continue
        figures[name] = round(float(value), 3) if isinstance(value, float) else int(value)
    return figures
