"""The example queries of docs/marts.md run against the seed warehouse and return rows; on a warehouse
that also holds every seed release re-sent under a changed title they return the same rows, and their
totals are sums over distinct facts."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from conftest import REPO, SEED_DUMP, build_warehouse

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


def resend_with_changed_titles(dump: Path, out: Path) -> Path:
    """The records of `dump` again, each title changed (new documents with the same bodies and dates)."""
    records = [r.strip("\n") for r in dump.read_text(encoding="utf-8").split("\n-\n")]
    with out.open("w", encoding="utf-8") as f:
        for rec in filter(None, (r.lstrip("-\n") for r in records)):
            title, _, body = rec.partition("\n")
            f.write(f"-\nRe-issued: {title}\n{body}\n")
    return out


@pytest.fixture(scope="module")
def resent_warehouse(tmp_path_factory):
    root = tmp_path_factory.mktemp("resent")
    again = resend_with_changed_titles(SEED_DUMP, root / "001_resent.txt")
    built = build_warehouse(root, [SEED_DUMP, again])
    assert built.result.success
    return built


def _rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _one(db: Path, sql: str):
    return _rows(db, sql)[0][0]


FACT_TABLES = ("fct_pledges", "fct_agreements", "fct_events")


def test_resent_releases_add_documents_not_facts(seed_warehouse, resent_warehouse):
    assert _one(resent_warehouse.db_path, "select count(*) from marts.dim_documents") == 16
    for table in FACT_TABLES:
        assert _one(resent_warehouse.db_path, f"select count(*) from marts.{table}") == \
            _one(seed_warehouse.db_path, f"select count(*) from marts.{table}"), table
    assert _one(seed_warehouse.db_path, "select count(*) from marts.fct_pledges") == 5


@pytest.mark.parametrize("kind", ["pledge", "agreement"])
def test_bridges_list_both_reports_one_primary(resent_warehouse, kind):
    """Every pledge / agreement is reported by the original release and its re-sent copy (same body,
    changed title); the primary report is the document fct_ names."""
    db = resent_warehouse.db_path
    rows = _rows(db, f"""
        select f.{kind}_key, f.document_key, f.document_count, count(*), count(distinct d.body),
               list(b.document_key) filter (where b.is_primary), bool_and(b.evidence is not null)
        from marts.fct_{kind}s f
        join marts.bridge_{kind}_documents b using ({kind}_key)
        join marts.dim_documents d on d.document_key = b.document_key
        group by all""")
    assert len(rows) == _one(db, f"select count(*) from marts.fct_{kind}s") > 0
    for key, document, document_count, reports, bodies, primaries, evidenced in rows:
        assert (document_count, reports, bodies) == (2, 2, 1), key
        assert primaries == [document] and evidenced, key


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_example_query_unchanged_by_resent_releases(seed_warehouse, resent_warehouse, name):
    seed_rows = _rows(seed_warehouse.db_path, QUERIES[name])
    resent_rows = _rows(resent_warehouse.db_path, QUERIES[name])
    if name == "one_person":  # the documents part lists the re-sent copies too; the facts are the same
        seed_rows = [r for r in seed_rows if r[0] != "document"]
        resent_rows = [r for r in resent_rows if r[0] != "document"]
    if name == "events_per_month":  # column 4 counts the reports: each release came twice
        assert [r[4] for r in sorted(resent_rows, key=repr)] == [2 * r[4] for r in sorted(seed_rows, key=repr)]
        seed_rows = [r[:4] + r[5:] for r in seed_rows]
        resent_rows = [r[:4] + r[5:] for r in resent_rows]
    assert sorted(map(repr, resent_rows)) == sorted(map(repr, seed_rows))


@pytest.mark.parametrize("which", ["seed", "resent"])
def test_example_query_totals_are_sums_over_distinct_facts(seed_warehouse, resent_warehouse, which):
    db = (seed_warehouse if which == "seed" else resent_warehouse).db_path
    pledges = _rows(db, QUERIES["pledges_by_country_year"])
    n, usd = _rows(db, "select count(*), sum(amount_usd) / 1e6 from marts.fct_pledges")[0]
    assert sum(r[2] for r in pledges) == n
    assert sum(r[3] or 0 for r in pledges) == pytest.approx(usd, abs=0.05 * len(pledges))
    by_country = {r[0]: r[3] for r in pledges}
    assert by_country["USA"] == 9900.0  # two pledges, 600 + 9,300 (once each, not once per pledger)

    events = _rows(db, QUERIES["events_per_month"])
    assert len(events) == _one(db, "select count(*) from marts.fct_events where start_date is not null")

    per_party = _rows(db, QUERIES["agreements_by_party"])
    assert sum(r[2] for r in per_party) == _one(db, "select count(*) from marts.bridge_agreement_parties")
    assert sum(r[2] for r in per_party if r[0] == "U.S. Department of Commerce") == _one(db, """
        select count(distinct agreement_key) from marts.bridge_agreement_parties b
        join marts.dim_organizations o on b.party_type = 'organization' and o.organization_key = b.party_key
        where o.name = 'U.S. Department of Commerce'""")

    person = _rows(db, QUERIES["one_person"])
    facts = [r for r in person if r[0] == "event"]
    assert len(facts) == _one(db, """
        with p as (select entity_key from marts.fct_entity_mentions where entity_type = 'person'
                   group by 1 order by count(*) desc, 1 limit 1)
        select count(distinct event_key) from marts.bridge_event_participants join p
        on participant_key = p.entity_key""")
