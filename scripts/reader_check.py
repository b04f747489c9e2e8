"""Check that a reader's environment opens the published warehouse: `python scripts/reader_check.py DB`.

Why: readers (BI tools, notebooks, the DuckDB CLI) embed their own DuckDB, often 1.x, and BI tools reach it
through SQLAlchemy (duckdb-engine), whose reflection breaks with some SQLAlchemy releases. Run this with the
reader's Python (Superset's virtualenv, a notebook kernel): it needs only `duckdb`, and for `--sqlalchemy`
also `duckdb-engine` and `sqlalchemy`, never this project. It opens DB read-only, runs every example query
of docs/marts.md, and with `--sqlalchemy` does what Superset's dataset editor does on every table of
schema `marts` (MetaData.reflect, get_columns, get_pk_constraint, a count). Prints one JSON document;
exits non-zero on the first failure. The tests run it under DuckDB 2.0.1 and DuckDB 1.4.4.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "marts.md"
QUERY_BLOCK = re.compile(r"```sql\n-- name: (\w+)\n(.*?)```", re.S)


def example_queries(doc: Path) -> dict[str, str]:
    """name -> SQL of every `-- name:` block of the doc (the same blocks tests/test_example_queries.py runs)."""
    return dict(QUERY_BLOCK.findall(doc.read_text(encoding="utf-8")))


def _jsonable(rows: list[tuple]) -> list[list]:
    return json.loads(json.dumps([list(r) for r in rows], default=str))


def run_queries(db: Path, queries: dict[str, str]) -> dict[str, list[list]]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {name: _jsonable(con.execute(sql).fetchall()) for name, sql in queries.items()}
    finally:
        con.close()


def reflect(db: Path, schema: str = "marts") -> dict[str, dict]:
    """What a BI tool asks SQLAlchemy for, per table of `schema`: columns, primary key, row count."""
    import sqlalchemy as sa

    engine = sa.create_engine(f"duckdb:///{db}", connect_args={"read_only": True})
    try:
        meta = sa.MetaData()
        meta.reflect(bind=engine, schema=schema)
        inspector = sa.inspect(engine)
        tables = {}
        with engine.connect() as conn:
            for name in sorted(inspector.get_table_names(schema=schema)):
                table = meta.tables[f"{schema}.{name}"]
                tables[name] = {
                    "columns": [[c["name"], str(c["type"])] for c in inspector.get_columns(name, schema=schema)],
                    "reflected_columns": [c.name for c in table.columns],
                    "primary_key": inspector.get_pk_constraint(name, schema=schema)["constrained_columns"],
                    "rows": conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one(),
                }
        return tables
    finally:
        engine.dispose()


def versions(with_sqlalchemy: bool) -> dict[str, str]:
    import duckdb

    found = {"duckdb": duckdb.__version__}
    if with_sqlalchemy:
        import duckdb_engine
        import sqlalchemy

        found |= {"sqlalchemy": sqlalchemy.__version__, "duckdb_engine": duckdb_engine.__version__}
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path, help="the published warehouse (WAREHOUSE_DB_PATH)")
    parser.add_argument("--doc", type=Path, default=DOC, help="where the example queries are (docs/marts.md)")
    parser.add_argument("--sqlalchemy", action="store_true", help="also reflect every mart through SQLAlchemy")
    args = parser.parse_args(argv)
    if not args.db.exists():
        print(f"no such file: {args.db}", file=sys.stderr)
        return 2
    report: dict = {"versions": versions(args.sqlalchemy), "queries": run_queries(args.db, example_queries(args.doc))}
    if args.sqlalchemy:
        report["tables"] = reflect(args.db)
    json.dump(report, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
