"""Figures an operator reads in the UI without any gold file: how many rows each table holds and how much
the extraction found per document (a drop after a knowledge or extractor change shows as a dip in a plot)."""
from __future__ import annotations

import duckdb

# name -> SQL over schema `marts` of the published (or marts) file; each a single number.
COUNT_SQL = {
    "documents": "select count(*) from marts.dim_documents",
    "event_reports": "select count(*) from marts.bridge_event_documents",
    "documents_with_event": "select count(distinct document_key) from marts.bridge_event_documents",
    "pledges": "select count(*) from marts.fct_pledges",
    "agreements": "select count(*) from marts.fct_agreements",
    "pledges_usd_million": "select coalesce(round(sum(amount_usd) / 1e6, 1), 0) from marts.fct_pledges",
    "organizations_without_country": "select count(*) from marts.dim_organizations where country_key is null",
    "organizations_type_other": "select count(*) from marts.dim_organizations where organization_type = 'other'",
    "people_without_organization": "select count(*) from marts.dim_people where organization_key is null",
}
# figure -> the count it divides by the documents
PER_DOCUMENT = {
    "events_per_document": "event_reports",
    "share_documents_with_event": "documents_with_event",
    "pledges_per_document": "pledges",
    "agreements_per_document": "agreements",
}
# what the UI shows as is (the other counts only feed the ratios)
SHOWN = ("documents", "pledges_usd_million", "organizations_without_country", "organizations_type_other",
         "people_without_organization")


def table_row_counts(con: duckdb.DuckDBPyConnection, catalog: str | None = None,
                     schema: str | None = None) -> dict[str, int]:
    """Rows of every base table of a database (or of one schema of it), by table name (names are unique
    across the layers: stg_/int_/fct_/dim_/bridge_ prefixes and seed names)."""
    where, params = ["table_type = 'BASE TABLE'"], []
    for column, value in (("table_catalog", catalog), ("table_schema", schema)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    tables = con.execute(f"select table_catalog, table_schema, table_name from information_schema.tables "
                         f"where {' and '.join(where)} order by table_name", params).fetchall()
    return {name: con.execute(f'select count(*) from "{db}"."{owner}"."{name}"').fetchone()[0]
            for db, owner, name in tables}


def health_figures(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """The figures on a connection that sees schema `marts`; a figure whose table is missing is left out."""
    counts: dict[str, float] = {}
    for name, sql in COUNT_SQL.items():
        try:
            counts[name] = con.execute(sql).fetchone()[0]
        except duckdb.CatalogException:
            continue
    figures: dict[str, float] = {name: _shown(counts[name]) for name in SHOWN if name in counts}
    if "documents" in counts:
        documents = max(counts["documents"], 1)
        figures.update({name: round(counts[count] / documents, 3)
                        for name, count in PER_DOCUMENT.items() if count in counts})
    return figures


def _shown(value: float) -> float:
    return round(float(value), 3) if isinstance(value, float) else int(value)
