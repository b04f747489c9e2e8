"""Incremental pledge and agreement resolution (extract/fact_store.py) equals resolution from scratch: the
same ids, the same stored components and blocks, and the change log names exactly the ids that changed."""
from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestration.domain.extract import fact_store
from orchestration.domain.extract import store as extract_store
from orchestration.domain.resolve.agreements import resolve_agreements
from orchestration.domain.resolve.pledges import resolve_pledges

ORGS = [("organization", "corning"), ("organization", "samsung electronics"), ("country", "KOR"),
        ("organization", "semiconductor industry association")]
DAY0 = date(2024, 1, 1)
OFFSETS = [0, 3, 20, 31, 33, 60, 64, 95, 200]  # across the 31-day window and the 32-day spans
PLEDGE_COLS = ["document_id", "local_id", "amount", "currency", "alt_amount", "alt_currency", "status",
               "target_country_code", "pledge_date"]
AGREEMENT_COLS = ["document_id", "local_id", "agreement_type", "signed_date"]
day = st.one_of(st.none(), st.sampled_from(OFFSETS).map(lambda d: DAY0 + timedelta(days=d)))


@st.composite
def pledge(draw, i: int) -> dict:
    alt = draw(st.booleans())
    return dict(local_id=f"p{i}", amount=draw(st.sampled_from([6e8, 6.001e8, 7e8])),
                currency=draw(st.sampled_from(["USD", "KRW"])), alt_amount=8.5e11 if alt else None,
                alt_currency="KRW" if alt else None, status=draw(st.sampled_from(["pledged", "pledged", "realized"])),
                target_country_code=draw(st.sampled_from([None, None, "KOR", "USA"])),
                pledge_date=draw(st.one_of(st.none(), day)),
                parties=[(t, i, "pledger") for t, i in draw(st.lists(st.sampled_from(ORGS), max_size=2, unique=True))])


@st.composite
def agreement(draw, i: int) -> dict:
    return dict(local_id=f"a{i}", agreement_type=draw(st.sampled_from(["mou", "mou", "joint_statement"])),
                signed_date=draw(st.one_of(st.none(), st.none(), day)),
                parties=draw(st.lists(st.sampled_from(ORGS), max_size=3, unique=True)))


@st.composite
def archive(draw):
    """Documents with pledges and agreements, the batches they arrive in, and after some batches documents
    re-extracted with fewer reports (they count as new in the next refresh)."""
    docs = [f"d{i:02d}" for i in range(draw(st.integers(2, 9)))]
    published = {d: draw(day) for d in docs}
    reports = {d: {"pledges": [draw(pledge(n)) for n in range(draw(st.integers(0, 3)))],
                   "agreements": [draw(agreement(n)) for n in range(draw(st.integers(0, 2)))]} for d in docs}
    order = draw(st.permutations(docs))
    cuts = sorted(draw(st.sets(st.integers(1, len(docs) - 1), max_size=4)))
    batches = [list(order[a:b]) for a, b in zip([0, *cuts], [*cuts, len(docs)], strict=True)]
    redo = [draw(st.lists(st.sampled_from(docs), max_size=2, unique=True)) for _ in batches]
    keep = draw(st.integers(0, 2))  # a re-extracted document keeps its first `keep` reports of each kind
    return published, reports, batches, redo, keep


def _warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema ingest; create table ingest.documents (document_id varchar, published_date date)")
    extract_store.ensure_schema(con)
    return con


def _insert(con, table: str, rows: list[tuple], cols: list[str]) -> None:
    if rows:
        con.register("_f", pd.DataFrame(rows, columns=cols, dtype="object"))
        con.execute(f"insert into {table} ({', '.join(cols)}) select {', '.join(cols)} from _f")
        con.unregister("_f")


def _land(con, doc: str, facts: dict) -> None:
    """What extraction stores for one document's facts."""
    p, a = facts["pledges"], facts["agreements"]
    _insert(con, "extract.pledges", [(doc, *(r[c] for c in PLEDGE_COLS[1:])) for r in p], PLEDGE_COLS)
    _insert(con, "extract.pledge_parties", [(doc, r["local_id"], *party) for r in p for party in r["parties"]],
            ["document_id", "local_id", "party_type", "party_id", "role"])
    _insert(con, "extract.agreements", [(doc, *(r[c] for c in AGREEMENT_COLS[1:])) for r in a], AGREEMENT_COLS)
    _insert(con, "extract.agreement_parties", [(doc, r["local_id"], *party) for r in a for party in r["parties"]],
            ["document_id", "local_id", "party_type", "party_id"])


def _forget(con, doc: str) -> None:
    """What `_forget_stale` does to a document re-extracted under another extractor version."""
    for table in ("pledges", "pledge_parties", "agreements", "agreement_parties"):
        con.execute(f"delete from extract.{table} where document_id = ?", [doc])


def _expected(current: dict, published: dict) -> dict[str, dict]:
    rows = {kind: [dict(r, document_id=d, published_date=published[d]) for d, facts in current.items()
                   for r in facts[kind]] for kind in ("pledges", "agreements")}
    return {"pledge": resolve_pledges(rows["pledges"]), "agreement": resolve_agreements(rows["agreements"])}


def _mapping(con, kind: str) -> dict:
    return {(d, loc): i for d, loc, i in con.execute(f"select * from extract.{kind}_clusters").fetchall()}


def _state(con, kind: str) -> tuple[set, set]:
    return (set(con.execute(f"select * from extract.{kind}_components").fetchall()),
            set(con.execute(f"select * from extract.{kind}_blocks").fetchall()))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(archive())
def test_documents_in_batches_give_the_ids_state_and_change_log_of_one_resolution(case):
    published, reports, batches, redo, keep = case
    con = _warehouse()
    current: dict[str, dict] = {}
    for batch, again in zip(batches, redo, strict=True):
        before = {kind: _mapping(con, kind) for kind in ("pledge", "agreement")}
        seq = con.execute("select coalesce(max(seq), 0) from extract.changes").fetchone()[0]
        again = [d for d in again if d in current and d not in batch]
        for doc in again:
            _forget(con, doc)
            current[doc] = {kind: rows[:keep] for kind, rows in current[doc].items()}
            _land(con, doc, current[doc])
        for doc in batch:
            con.execute("insert into ingest.documents values (?, ?)", [doc, published[doc]])
            current[doc] = reports[doc]
            _land(con, doc, reports[doc])
        fact_store.refresh(con, new_document_ids=batch + again)
        expected = _expected(current, published)
        for kind, mapping in expected.items():  # after every batch, not only the last
            assert _mapping(con, kind) == mapping, kind
            old = before[kind]
            changed = {old[k] for k in old if mapping.get(k) != old[k]} | \
                      {mapping[k] for k in mapping if old.get(k) != mapping[k]}
            logged = {r[0] for r in con.execute("select id from extract.changes where kind = ? and seq > ?",
                                                [kind, seq]).fetchall()}
            assert logged == changed, kind
    scratch = _warehouse()
    for doc, facts in current.items():
        scratch.execute("insert into ingest.documents values (?, ?)", [doc, published[doc]])
        _land(scratch, doc, facts)
    fact_store.refresh(scratch)
    for kind in ("pledge", "agreement"):
        assert _state(con, kind) == _state(scratch, kind), kind


def _two_pledges() -> duckdb.DuckDBPyConnection:
    """d1 and d2 report two different pledges, resolved with state."""
    con = _warehouse()
    con.execute("insert into ingest.documents values ('d1', '2024-06-26'), ('d2', '2024-06-26')")
    _land(con, "d1", {"pledges": [dict(local_id="p1", amount=6e8, currency="USD", alt_amount=None, alt_currency=None,
                                       status="pledged", target_country_code=None, pledge_date=None, parties=[])],
                      "agreements": []})
    _land(con, "d2", {"pledges": [dict(local_id="p1", amount=7e8, currency="USD", alt_amount=None, alt_currency=None,
                                       status="pledged", target_country_code=None, pledge_date=None, parties=[])],
                      "agreements": []})
    fact_store.refresh(con, new_document_ids=["d1", "d2"])
    return con


def test_only_the_touched_component_is_rewritten():
    con = _two_pledges()
    con.execute("update extract.pledge_clusters set pledge_id = 'kept' where document_id = 'd2'")
    con.execute("insert into ingest.documents values ('d3', '2024-06-27')")
    _land(con, "d3", {"pledges": [dict(local_id="p1", amount=6e8, currency="USD", alt_amount=None, alt_currency=None,
                                       status="pledged", target_country_code=None, pledge_date=None, parties=[])],
                      "agreements": []})
    fact_store.refresh(con, new_document_ids=["d3"])
    ids = _mapping(con, "pledge")
    assert ids[("d2", "p1")] == "kept"  # not linked to d3: its row was not rewritten
    assert ids[("d3", "p1")] == ids[("d1", "p1")] == "d1|p1"


def test_a_stale_or_absent_state_resolves_everything():
    for spoil in ("update extract.fact_resolution_state set resolver_version = 'old'",
                  "delete from extract.fact_resolution_state",
                  "delete from extract.pledge_components where document_id = 'd1'",
                  "delete from extract.pledge_clusters where document_id = 'd2'"):
        con = _two_pledges()
        con.execute("update extract.pledge_clusters set pledge_id = 'stale'")
        con.execute(spoil)
        fact_store.refresh(con, new_document_ids=[])
        assert _mapping(con, "pledge") == {("d1", "p1"): "d1|p1", ("d2", "p1"): "d2|p1"}, spoil
        assert _state(con, "pledge")[0] and extract_store.fact_clusters_current(con), spoil
