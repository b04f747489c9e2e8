"""dbt project: builds the marts from hand-made staging rows and checks the contract.

Runs dbt in-process (dbtRunner) against a scratch DuckDB file created with
the pipeline's own DDL (staging.ensure_schema, extract_store.ensure_schema); the
marts land in the marts file beside it (config.marts_db_path). The helpers
`create_source_tables` and `load_fixture` are reusable by other tests.
"""
from __future__ import annotations

import gc
import hashlib
import os
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from orchestration.domain.warehouse.config import marts_db_path
from orchestration.domain.warehouse.storage import READERS_STORAGE_VERSION

ROOT = Path(__file__).resolve().parent.parent
DBT_DIR = ROOT / "dbt_project"

# Contract columns (CONTRACT.md), in order; extra columns may follow.
CONTRACT = {
    "dim_documents": [("document_key", "VARCHAR"), ("title", "VARCHAR"), ("published_date", "DATE"),
                      ("source_file", "VARCHAR"), ("body", "VARCHAR")],
    "dim_countries": [("country_key", "VARCHAR"), ("iso2", "VARCHAR"), ("name", "VARCHAR")],
    "dim_people": [("person_key", "VARCHAR"), ("full_name", "VARCHAR"), ("family_name", "VARCHAR"),
                   ("given_name", "VARCHAR"), ("aliases", "VARCHAR[]"), ("title", "VARCHAR"),
                   ("organization_key", "VARCHAR"), ("country_key", "VARCHAR")],
    "dim_organizations": [("organization_key", "VARCHAR"), ("name", "VARCHAR"), ("acronym", "VARCHAR"),
                          ("aliases", "VARCHAR[]"), ("organization_type", "VARCHAR"), ("country_key", "VARCHAR")],
    "fct_entity_mentions": [("document_key", "VARCHAR"), ("entity_type", "VARCHAR"), ("entity_key", "VARCHAR"),
                            ("mention_text", "VARCHAR"), ("char_start", "INTEGER"), ("char_end", "INTEGER")],
    "fct_events": [("event_key", "VARCHAR"), ("event_name", "VARCHAR"), ("event_type", "VARCHAR"),
                   ("start_date", "DATE"), ("date_precision", "VARCHAR"), ("city", "VARCHAR"),
                   ("country_key", "VARCHAR"), ("attendees", "INTEGER")],
    "bridge_event_documents": [("event_key", "VARCHAR"), ("document_key", "VARCHAR"), ("is_primary", "BOOLEAN"),
                               ("evidence", "VARCHAR")],
    "bridge_event_participants": [("event_key", "VARCHAR"), ("participant_type", "VARCHAR"),
                                  ("participant_key", "VARCHAR")],
    "fct_pledges": [("pledge_key", "VARCHAR"), ("document_key", "VARCHAR"), ("amount", "DOUBLE"),
                    ("currency", "VARCHAR"), ("amount_usd", "DOUBLE"), ("status", "VARCHAR"),
                    ("is_approximate", "BOOLEAN"), ("target_country_key", "VARCHAR"), ("purpose", "VARCHAR"),
                    ("pledge_date", "DATE"), ("evidence", "VARCHAR")],
    "bridge_pledge_parties": [("pledge_key", "VARCHAR"), ("party_type", "VARCHAR"), ("party_key", "VARCHAR"),
                              ("role", "VARCHAR")],
    "fct_agreements": [("agreement_key", "VARCHAR"), ("document_key", "VARCHAR"), ("agreement_type", "VARCHAR"),
                       ("signed_date", "DATE"), ("subject", "VARCHAR"), ("is_binding", "BOOLEAN"),
                       ("evidence", "VARCHAR")],
    "bridge_agreement_parties": [("agreement_key", "VARCHAR"), ("party_type", "VARCHAR"), ("party_key", "VARCHAR")],
    "bridge_pledge_documents": [("pledge_key", "VARCHAR"), ("document_key", "VARCHAR"), ("is_primary", "BOOLEAN"),
                                ("evidence", "VARCHAR")],
    "bridge_agreement_documents": [("agreement_key", "VARCHAR"), ("document_key", "VARCHAR"),
                                   ("is_primary", "BOOLEAN"), ("evidence", "VARCHAR")],
}


def md5_key(kind: str, natural_id: str) -> str:
    return hashlib.md5(f"{kind}|{natural_id}".encode()).hexdigest()


# --------------------------------------------------------------------------- fixture helpers


def create_source_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the ingest.* and extract.* source tables with the pipeline's own DDL."""
    from orchestration.domain.extract import store as extract_store
    from orchestration.domain.ingest import store as staging

    staging.ensure_schema(con)
    extract_store.ensure_schema(con)


D1, D2 = "doc-0001", "doc-0002"
MOTIE = "ministry of trade industry and energy"
METI = "ministry of economy trade and industry"  # referenced by a person, never extracted as an org
SAMSUNG = "samsung electronics"
AHN = "ahn dukgeun"
MUTO = "muto yoji"
EVENT_ID = "evt-2024-06-korea-japan-business-forum"

D1_TITLE = "Korea-Japan Business Forum held in Seoul"
D1_BODY = (
    "Minister Ahn Duk-geun of the Ministry of Trade, Industry and Energy (MOTIE) opened the "
    "Korea-Japan Business Forum in Seoul on June 12, 2024. Japanese Minister Yoji Muto attended. "
    "About 200 business leaders from Korea and Japan took part."
)
D2_TITLE = "Samsung Electronics pledges KRW 1.38 trillion investment"
D2_BODY = (
    "Trade Minister Ahn Dukgeun said Samsung Electronics will invest KRW 1.38 trillion in Korea. "
    "Following the Korea-Japan business forum in June, MOTIE signed an MOU with Japan on battery "
    "supply chains. A further USD 500 million was pledged."
)


def _span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        con.executemany(f"insert into {table} values ({marks})", rows)


def load_fixture(con: duckdb.DuckDBPyConnection, *, with_extract: bool = True) -> None:
    """Two documents; with_extract=True adds people (one with two spellings), organizations,
    mentions, one event reported in both documents, pledges (KRW, USD, EUR with stated USD)
    and an agreement."""
    now = datetime(2024, 6, 21, 8, 0, 0)
    _insert(con, "ingest.dump_files", [
        ("dump_2024_06.jsonl", "/raw/dump_2024_06.jsonl", 2048, datetime(2024, 6, 21, 8, 0, 0), "sha-a", "loaded", None,
         2, 2, 0, 0, 0, now, now),
    ])
    _insert(con, "ingest.documents", [
        (D1, D1_TITLE, D1_BODY, date(2024, 6, 12), False, "h1", "dump_2024_06.jsonl", 1, 0, now, now, True),
        (D2, D2_TITLE, D2_BODY, date(2024, 6, 20), False, "h2", "dump_2024_06.jsonl", 2, 900, now, now, True),
    ])
    _insert(con, "ingest.sightings", [
        (D1, "dump_2024_06.jsonl", "sha-a", 1, 0, now),
        (D2, "dump_2024_06.jsonl", "sha-a", 2, 900, now),
    ])
    _insert(con, "ingest.rejects", [("dump_2024_06.jsonl", "sha-a", 3, 1800, "no title", "{...", now)])
    if not with_extract:
        return

    _insert(con, "extract.processed", [(D1, "1", now), (D2, "1", now)])

    s1 = D1_BODY.split(". ")[0] + "."
    s2 = D2_BODY.split(". ")[0] + "."
    mentions = []
    for doc, body, etype, eid, text in [
        (D1, D1_BODY, "person", AHN, "Ahn Duk-geun"),
        (D1, D1_BODY, "organization", MOTIE, "Ministry of Trade, Industry and Energy"),
        (D1, D1_BODY, "person", MUTO, "Yoji Muto"),
        (D1, D1_BODY, "country", "KOR", "Korea"),
        (D1, D1_BODY, "country", "JPN", "Japan"),
        (D2, D2_BODY, "person", AHN, "Ahn Dukgeun"),
        (D2, D2_BODY, "organization", SAMSUNG, "Samsung Electronics"),
        (D2, D2_BODY, "organization", MOTIE, "MOTIE"),
        (D2, D2_BODY, "country", "XKX", "Kosovo"),  # not ISO 3166-1: dropped from the mart
    ]:
        if text in body:
            start, end = _span(body, text)
        else:
            start, end = 0, len(text)
        mentions.append((doc, etype, eid, text, "body", start, end, s1 if doc == D1 else s2))
    _insert(con, "extract.mentions", mentions)

    _insert(con, "extract.people", [
        (D1, AHN, "Ahn Duk-geun", "Ahn", "Duk-geun", [], "Minister of Trade, Industry and Energy", MOTIE, "KOR"),
        (D2, AHN, "Ahn Dukgeun", "Ahn", "Dukgeun", ["Minister Ahn"], "Trade Minister", None, None),
        (D1, MUTO, "Yoji Muto", "Muto", "Yoji", [], "Minister of Economy, Trade and Industry", METI, "JPN"),
    ])
    _insert(con, "extract.organizations", [
        (D1, MOTIE, "Ministry of Trade, Industry and Energy", "MOTIE", [], "government", "KOR"),
        (D2, MOTIE, "Ministry of Trade, Industry and Energy", None, ["MOTIE", "Ministry of Trade, Industry & Energy"],
         "other", "KOR"),
        (D2, SAMSUNG, "Samsung Electronics", None, [], "company", "KOR"),
    ])
    _insert(con, "extract.events", [
        (D1, "e1", "Korea-Japan Business Forum", "forum", date(2024, 6, 12), "day", "Seoul", "KOR", 200, True,
         s1, "body", *_span(D1_BODY, "Korea-Japan Business Forum")),
        (D2, "e1", "Korea-Japan business forum", "other", date(2024, 6, 1), "month", None, None, None, False,
         "Following the Korea-Japan business forum in June, MOTIE signed an MOU with Japan on battery supply chains.",
         "body", *_span(D2_BODY, "Korea-Japan business forum")),
    ])
    _insert(con, "extract.event_participants", [
        (D1, "e1", "person", AHN),
        (D1, "e1", "person", MUTO),
        (D1, "e1", "country", "KOR"),
        (D1, "e1", "country", "JPN"),
        (D2, "e1", "organization", MOTIE),
        (D2, "e1", "person", AHN),  # same participant reported twice: one bridge row
        (D2, "e1", "organization", "unknown org"),  # not in dim_organizations: dropped
    ])
    _insert(con, "extract.event_clusters", [(D1, "e1", EVENT_ID), (D2, "e1", EVENT_ID)])
    _insert(con, "extract.pledges", [
        (D2, "p1", 1.38e12, "KRW", None, None, None, "pledged", False, "KOR", "investment", date(2024, 6, 20),
         s2, "body", *_span(D2_BODY, "KRW 1.38 trillion")),
        (D2, "p2", 5.0e8, "USD", None, None, None, "pledged", False, "KOR", None, None,
         "A further USD 500 million was pledged.", "body", *_span(D2_BODY, "USD 500 million")),
        (D2, "p3", 1.0e6, "EUR", 1.1e6, None, None, "realized", True, "ZZZ", None, date(2031, 1, 5),
         s2, "body", 0, 5),
        (D2, "p4", 2.0e6, "KRW", None, None, None, "pledged", False, None, None, date(2001, 3, 1),
         s2, "body", 0, 5),
        (D2, "p5", 1.0e9, "JPY", None, None, None, "pledged", False, None, None, date(2031, 2, 1),
         s2, "body", 0, 5),
    ])
    _insert(con, "extract.pledge_parties", [
        (D2, "p1", "organization", SAMSUNG, "pledger"),
        (D2, "p1", "country", "KOR", "recipient"),
    ])
    _insert(con, "extract.agreements", [
        (D2, "a1", "mou", date(2024, 6, 20), "battery supply chains", False,
         "Following the Korea-Japan business forum in June, MOTIE signed an MOU with Japan on battery supply chains.",
         "body", *_span(D2_BODY, "MOU")),
    ])
    _insert(con, "extract.agreement_parties", [
        (D2, "a1", "organization", MOTIE),
        (D2, "a1", "country", "JPN"),
    ])


def make_scratch_db(path: Path, *, with_extract: bool = True) -> Path:
    con = duckdb.connect(str(path))
    try:
        create_source_tables(con)
        load_fixture(con, with_extract=with_extract)
    finally:
        con.close()
    return path


def run_dbt(db_path: Path, work_dir: Path, *args: str, project: Path = DBT_DIR):
    """Run dbt in-process against db_path; returns the dbtRunnerResult.

    dbt-duckdb keeps its database open in the process after the run (with its own configuration and
    the marts file attached); it is released afterwards so that tests can open both files themselves."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    old = os.environ.get("WAREHOUSE_WORK_DB")
    os.environ["WAREHOUSE_WORK_DB"] = str(db_path)
    try:
        return dbtRunner().invoke([
            *args,
            "--project-dir", str(project),
            "--profiles-dir", str(project),
            "--target-path", str(work_dir / "target"),
            "--log-path", str(work_dir / "logs"),
            "--no-use-colors",
            "--quiet",
        ])
    finally:
        DuckDBConnectionManager.close_all_connections()
        gc.collect()
        if old is None:
            os.environ.pop("WAREHOUSE_WORK_DB", None)
        else:
            os.environ["WAREHOUSE_WORK_DB"] = old


def _failures(res) -> list[str]:
    out = []
    if res.exception is not None:
        out.append(repr(res.exception))
    for r in getattr(res.result, "results", None) or []:
        if str(r.status) not in ("success", "pass"):
            out.append(f"{r.node.unique_id}: {r.status} {r.message}")
    return out


# --------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def built_db(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("dbt_full")
    db = make_scratch_db(work / "work.duckdb")
    res = run_dbt(db, work, "build")
    assert res.success, _failures(res)
    return db


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("dbt_empty")
    db = make_scratch_db(work / "work.duckdb", with_extract=False)
    res = run_dbt(db, work, "build")
    assert res.success, _failures(res)
    return db


def _q(db: Path, sql: str, *params):
    """Query the working database `db` with its marts file attached: `marts.<table>` reads the marts file."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("attach ? as built_marts (read_only)", [str(marts_db_path(db))])
        return con.execute(re.sub(r"\bmarts\.", "built_marts.marts.", sql), params).fetchall()
    finally:
        con.close()


def _schemas(path: Path) -> dict[str, set[str]]:
    """Tables per schema of one DuckDB file."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out: dict[str, set[str]] = {}
        for schema, table in con.execute("select schema_name, table_name from duckdb_tables() "
                                         "where database_name = current_database()").fetchall():
            out.setdefault(schema, set()).add(table)
        return out
    finally:
        con.close()


def test_source_ddl_is_idempotent(tmp_path):
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    create_source_tables(con)
    create_source_tables(con)
    tables = con.execute(
        "select table_schema || '.' || table_name from information_schema.tables "
        "where table_schema in ('ingest', 'extract') order by 1").fetchall()
    con.close()
    assert len(tables) == 18  # 4 ingest + 14 extract tables (incl. pledge_clusters, agreement_clusters, changes)


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_mart_columns_follow_contract(built_db, table):
    cols = _q(built_db,
              "select column_name, data_type from information_schema.columns "
              "where table_schema = 'marts' and table_name = ? order by ordinal_position", table)
    expected = CONTRACT[table]
    assert cols[: len(expected)] == expected


def test_only_contract_tables_in_marts(built_db):
    tables = {r[0] for r in _q(built_db, "select table_name from information_schema.tables "
                                         "where table_schema = 'marts'")}
    assert tables == set(CONTRACT)


def test_marts_have_their_own_file(built_db):
    """The marts file holds schema marts and nothing else (it is published as is); the working
    database holds everything else and no marts."""
    assert _schemas(marts_db_path(built_db)) == {"marts": set(CONTRACT)}
    work = _schemas(built_db)
    assert "marts" not in work
    assert {"ingest", "extract", "intermediate", "seeds"} <= set(work)  # staging holds views


def test_profile_and_config_agree_on_the_marts_file(tmp_path, monkeypatch):
    """profiles.yml (read by dbt) and config.marts_db_path (read by publishing and the checks) derive the
    same marts file from WAREHOUSE_WORK_DB; dbt creates it in the storage version publishing requires."""
    from dbt.config.profile import read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt_common.context import set_invocation_context

    raw = read_profile(str(DBT_DIR))["trade_news"]["outputs"]["dev"]
    for name in ("w.duckdb", "work.db", "a.b.duckdb"):
        work = tmp_path / name
        monkeypatch.setenv("WAREHOUSE_WORK_DB", str(work))
        set_invocation_context(dict(os.environ))
        rendered = ProfileRenderer({}).render_data(raw)
        assert rendered["path"] == str(work)
        assert rendered["attach"] == [{"path": str(marts_db_path(work)), "alias": "marts_db",
                                       "options": {"storage_version": READERS_STORAGE_VERSION}}]
        assert marts_db_path(work) != work


def test_dim_countries(built_db):
    assert _q(built_db, "select count(*) from marts.dim_countries") == [(249,)]
    assert _q(built_db, "select iso2, name from marts.dim_countries where country_key = 'KOR'") == [
        ("KR", "South Korea")]
    # 'NA' must not be read as null by the seed loader
    assert _q(built_db, "select iso2 from marts.dim_countries where country_key = 'NAM'") == [("NA",)]


def test_keys_are_md5_of_natural_ids(built_db):
    assert {r[0] for r in _q(built_db, "select document_key from marts.dim_documents")} == {
        md5_key("document", D1), md5_key("document", D2)}
    assert _q(built_db, "select event_key from marts.fct_events") == [(md5_key("event", EVENT_ID),)]
    assert (md5_key("pledge", f"{D2}|p1"),) in _q(built_db, "select pledge_key from marts.fct_pledges")
    assert _q(built_db, "select agreement_key from marts.fct_agreements") == [(md5_key("agreement", f"{D2}|a1"),)]


def test_person_with_two_spellings_is_one_row(built_db):
    rows = _q(built_db, "select person_key, full_name, aliases, title, organization_key, country_key "
                        "from marts.dim_people where person_key = ?", md5_key("person", AHN))
    assert rows == [(md5_key("person", AHN), "Ahn Duk-geun", ["Ahn Dukgeun", "Minister Ahn"], "Trade Minister",
                     md5_key("organization", MOTIE), "KOR")]
    # organization never extracted as an organization -> FK stays null
    assert _q(built_db, "select organization_key, country_key from marts.dim_people where person_key = ?",
              md5_key("person", MUTO)) == [(None, "JPN")]


def test_organizations_merged(built_db):
    rows = _q(built_db, "select name, acronym, aliases, organization_type, country_key "
                        "from marts.dim_organizations where organization_key = ?", md5_key("organization", MOTIE))
    assert rows == [("Ministry of Trade, Industry and Energy", "MOTIE",
                     ["MOTIE", "Ministry of Trade, Industry & Energy"], "government", "KOR")]
    assert _q(built_db, "select count(*) from marts.dim_organizations") == [(2,)]


def test_event_merged_across_documents(built_db):
    assert _q(built_db, "select event_name, event_type, start_date, date_precision, city, country_key, attendees "
                        "from marts.fct_events") == [
        ("Korea-Japan Business Forum", "forum", date(2024, 6, 12), "day", "Seoul", "KOR", 200)]
    assert _q(built_db, "select document_key, is_primary from marts.bridge_event_documents order by is_primary") == [
        (md5_key("document", D2), False), (md5_key("document", D1), True)]
    parts = _q(built_db, "select participant_type, participant_key from marts.bridge_event_participants order by 1, 2")
    assert sorted(parts) == sorted([
        ("country", "JPN"), ("country", "KOR"),
        ("organization", md5_key("organization", MOTIE)),
        ("person", md5_key("person", AHN)), ("person", md5_key("person", MUTO)),
    ])


def test_pledge_amount_usd(built_db):
    rows = dict(
        (k, (amt, cur, usd, tgt))
        for k, amt, cur, usd, tgt in _q(built_db, "select pledge_key, amount, currency, amount_usd, "
                                                  "target_country_key from marts.fct_pledges"))
    p1 = rows[md5_key("pledge", f"{D2}|p1")]
    assert p1[1] == "KRW" and p1[3] == "KOR"
    assert p1[2] == pytest.approx(1.38e12 / 1380)  # June 2024 KRW rate in the seed
    assert rows[md5_key("pledge", f"{D2}|p2")][2] == 5.0e8  # USD keeps amount
    p3 = rows[md5_key("pledge", f"{D2}|p3")]
    assert p3[2] == 1.1e6 and p3[3] is None  # stated USD figure wins; invalid ISO code -> null
    # before the seed's first month: earliest rate of the currency
    earliest = _q(built_db, "select units_per_usd from seeds.fx_rates_monthly where currency = 'KRW' "
                            "order by month limit 1")[0][0]
    assert rows[md5_key("pledge", f"{D2}|p4")][2] == pytest.approx(2.0e6 / earliest)
    # after the seed's last month: latest rate of the currency
    latest = _q(built_db, "select units_per_usd from seeds.fx_rates_monthly where currency = 'JPY' "
                          "order by month desc limit 1")[0][0]
    assert rows[md5_key("pledge", f"{D2}|p5")][2] == pytest.approx(1.0e9 / latest)
    assert sorted(_q(built_db, "select party_type, party_key, role from marts.bridge_pledge_parties")) == [
        ("country", "KOR", "recipient"), ("organization", md5_key("organization", SAMSUNG), "pledger")]


def test_fx_seed_covers_every_month():
    import csv

    with (DBT_DIR / "seeds" / "fx_rates_monthly.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    by_cur: dict[str, int] = {}
    for r in rows:
        by_cur[r["currency"]] = by_cur.get(r["currency"], 0) + 1
    months = (2026 - 2015) * 12 + 10
    monthly = ("CNY", "EUR", "JPY", "KRW", "USD")
    assert {c: by_cur[c] for c in monthly} == {c: months for c in monthly}
    # every other currency the extractor reads: annual anchors from 2008 (tests/test_money.py checks coverage)
    assert all(n >= 7 for c, n in by_cur.items() if c not in monthly)


def test_mentions_resolve_to_dimensions(built_db):
    assert _q(built_db, "select entity_type, count(*) from marts.fct_entity_mentions group by 1 order by 1") == [
        ("country", 2), ("organization", 3), ("person", 3)]  # XKX dropped
    start, end = _span(D1_BODY, "Ahn Duk-geun")
    assert _q(built_db,
              "select substr(d.body, m.char_start + 1, m.char_end - m.char_start) from marts.fct_entity_mentions m "
              "join marts.dim_documents d using (document_key) where m.mention_text = 'Ahn Duk-geun'") == [
        ("Ahn Duk-geun",)]
    assert end - start == len("Ahn Duk-geun")


def test_agreement(built_db):
    assert _q(built_db, "select agreement_type, signed_date, is_binding from marts.fct_agreements") == [
        ("mou", date(2024, 6, 20), False)]
    assert sorted(_q(built_db, "select party_type, party_key from marts.bridge_agreement_parties")) == [
        ("country", "JPN"), ("organization", md5_key("organization", MOTIE))]


def test_build_with_empty_extract_tables(empty_db):
    assert _q(empty_db, "select count(*) from marts.dim_documents") == [(2,)]
    assert _q(empty_db, "select count(*) from marts.dim_countries") == [(249,)]
    for table in CONTRACT:
        if table not in ("dim_documents", "dim_countries"):
            assert _q(empty_db, f"select count(*) from marts.{table}") == [(0,)], table


def test_marts_left_in_the_working_database_are_dropped(tmp_path):
    """A working database from before the marts had their own file: its schema marts is dropped."""
    db = make_scratch_db(tmp_path / "work.duckdb", with_extract=False)
    con = duckdb.connect(str(db))
    con.execute("create schema marts")
    con.execute("create table marts.dim_documents as select 'old' as document_key")
    con.close()
    res = run_dbt(db, tmp_path, "build")
    assert res.success, _failures(res)
    assert "marts" not in _schemas(db)
    assert _q(db, "select count(*) from marts.dim_documents") == [(2,)]


def test_marts_file_of_another_working_database_is_rebuilt(built_db, tmp_path):
    """A new working database (e.g. after `make rebuild`) next to an old marts file: the incremental
    marts are rebuilt from the new working database, not updated, so nothing stale survives."""
    db = make_scratch_db(tmp_path / "work.duckdb")
    con = duckdb.connect(str(db))
    for table in ("ingest.documents", "ingest.sightings", *(f"extract.{t}" for t in (
            "processed", "mentions", "people", "organizations", "events", "event_participants", "event_clusters",
            "pledges", "pledge_parties", "agreements", "agreement_parties"))):
        con.execute(f"delete from {table} where document_id = ?", [D2])
    con.close()
    shutil.copy(marts_db_path(built_db), marts_db_path(db))  # holds D1 and D2
    res = run_dbt(db, tmp_path, "build")
    assert res.success, _failures(res)
    assert _q(db, "select document_key from marts.dim_documents") == [(md5_key("document", D1),)]
    assert {r[0] for r in _q(db, "select distinct document_key from marts.fct_entity_mentions")} == {
        md5_key("document", D1)}


def _build_dim_countries_with(tmp_path: Path, column_sql: str, broken_sql: str):
    """`dbt build --select +dim_countries` on a copy of the project whose dim_countries selects `broken_sql`
    instead of `column_sql`."""
    project = tmp_path / "project"
    shutil.copytree(DBT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    model = project / "models" / "marts" / "dim_countries.sql"
    text = model.read_text()
    assert column_sql in text
    model.write_text(text.replace(column_sql, broken_sql))
    db = make_scratch_db(tmp_path / "work.duckdb")
    return run_dbt(db, tmp_path, "build", "--select", "+dim_countries", project=project)


def test_contract_violation_fails_the_build(tmp_path):
    """A mart whose SQL breaks its contract fails the build (dbt-duckdb enforces model contracts)."""
    res = _build_dim_countries_with(tmp_path, "cast(iso2 as varchar)", "cast(length(iso2) as integer)")
    assert not res.success
    assert any("dim_countries" in f and "contract" in f.lower() for f in _failures(res)), _failures(res)


def test_a_null_in_a_required_mart_column_fails_the_build(tmp_path):
    """Required non-key mart columns are NOT NULL in the table itself (contract constraints, enforced by DuckDB on
    every insert, incremental ones included) instead of a not_null test per column: a null fails the build."""
    res = _build_dim_countries_with(tmp_path, "cast(name as varchar)", "cast(nullif(name, 'Japan') as varchar)")
    assert not res.success
    assert any("dim_countries" in f and "not null" in f.lower() for f in _failures(res)), _failures(res)


def test_every_dbt_check_says_what_it_checks():
    """Each dbt data test has a description (dbt 1.11 `description:` on the test), and the Dagster UI shows
    it on the asset check (orchestration/defs/dbt.py LayerTranslator), instead of "No description provided"."""
    import json

    from orchestration.dbt_project import checked_manifest
    from orchestration.definitions import defs

    manifest = json.loads(Path(checked_manifest()).read_text())
    tests = [n for n in manifest["nodes"].values() if n["resource_type"] == "test"]
    assert len(tests) > 100
    assert [t["unique_id"] for t in tests if len((t.get("description") or "").split()) < 5] == []
    graph = defs.resolve_asset_graph()
    described = {key.name: graph.get_check_spec(key).description for key in graph.asset_check_keys}
    assert {t["name"] for t in tests} <= set(described)
    assert [name for name, text in described.items() if not (text or "").strip()] == []
