"""One real pledge / agreement = one id across documents (orchestration/domain/resolve/pledges.py,
agreements.py), and the store keeps extract.pledge_clusters / agreement_clusters current."""
from __future__ import annotations

from datetime import date, timedelta

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from orchestration.domain.resolve.agreements import resolve_agreements
from orchestration.domain.resolve.pledges import resolve_pledges

COMMERCE = ("organization", "us department of commerce")
SAMSUNG = ("organization", "samsung electronics")
ABSOLICS = ("organization", "absolics")
KSIA = ("organization", "korea semiconductor industry association")
SIA = ("organization", "semiconductor industry association")
CORNING = ("organization", "corning")


def pledge(doc, local="p1", amount=600e6, currency="USD", published=date(2024, 6, 26), pledgers=(CORNING,),
           **kw):
    row = dict(document_id=doc, local_id=local, amount=amount, currency=currency, usd_amount_stated=None,
               alt_amount=None, alt_currency=None, status="pledged", target_country_code="KOR", purpose=None,
               pledge_date=None, published_date=published,
               parties=[(t, i, "pledger") for t, i in pledgers])
    row.update(kw)
    return row


def agreement(doc, local="a1", parties=(KSIA, SIA), published=date(2024, 6, 27), **kw):
    row = dict(document_id=doc, local_id=local, agreement_type="mou", signed_date=None, subject=None,
               published_date=published, parties=list(parties))
    row.update(kw)
    return row


def groups(mapping: dict) -> set[frozenset]:
    out: dict[str, set] = {}
    for key, fact in mapping.items():
        out.setdefault(fact, set()).add(key)
    return {frozenset(v) for v in out.values()}


# ------------------------------------------------------------------ pledges


def test_resent_release_is_one_pledge_keyed_by_its_earliest_report():
    ids = resolve_pledges([pledge("d2", published=date(2024, 6, 27)), pledge("d1")])
    assert ids == {("d1", "p1"): "d1|p1", ("d2", "p1"): "d1|p1"}


def test_same_figure_in_another_currency_is_the_same_pledge():
    a = pledge("d1", amount=600e6, currency="USD", alt_amount=850e9, alt_currency="KRW")
    b = pledge("d2", amount=850e9, currency="KRW")
    assert len(set(resolve_pledges([a, b]).values())) == 1


def test_different_facts_stay_apart():
    base = pledge("d1")
    others = [
        pledge("d2", amount=700e6),  # other money
        pledge("d3", status="realized"),  # spent, not promised
        pledge("d4", target_country_code="USA"),  # other target
        pledge("d5", pledgers=(SAMSUNG,)),  # other pledger
        pledge("d6", published=date(2024, 6, 26) + timedelta(days=32)),  # a month later: a new pledge
        pledge("d1", local="p2"),  # the same document twice: two pledges
    ]
    ids = resolve_pledges([base, *others])
    assert len(set(ids.values())) == 7


def test_unknown_pledger_or_target_is_no_conflict_and_window_crosses_span_edges():
    ids = resolve_pledges([pledge("d1", published=date(2024, 1, 31)),
                           pledge("d2", pledgers=(), target_country_code=None, published=date(2024, 3, 2))])
    assert len(set(ids.values())) == 1


def test_complete_linkage_does_not_chain_different_pledgers():
    """d2 names no pledger, so it fits d1 and d3; d1 and d3 (Corning vs Samsung) still differ."""
    ids = resolve_pledges([pledge("d1"), pledge("d2", pledgers=(), published=date(2024, 6, 27)),
                           pledge("d3", pledgers=(SAMSUNG,), published=date(2024, 6, 28))])
    assert ids[("d1", "p1")] != ids[("d3", "p1")]
    assert len(set(ids.values())) == 2


def test_bad_rows_do_not_crash_and_stay_their_own_pledge():
    rows = [pledge("d1", amount=None), pledge("d2", amount=float("nan")), pledge("d3", currency=None),
            pledge("d4", amount="n/a", published="not a date"), pledge("d5", published=None, parties=None)]
    ids = resolve_pledges(rows)
    assert len(ids) == 5 and len(set(ids.values())) == 5


@settings(max_examples=30, deadline=None)
@given(st.permutations([pledge(f"d{i}", amount=a, published=date(2024, 6, 1) + timedelta(days=d))
                        for i, (a, d) in enumerate([(1e9, 0), (1e9, 3), (1e9, 40), (2e9, 0), (1e9, 70), (2e9, 20)])]))
def test_pledge_ids_do_not_depend_on_row_order(rows):
    assert resolve_pledges(rows) == resolve_pledges(sorted(rows, key=lambda r: r["document_id"]))


# ------------------------------------------------------------------ agreements


def test_same_parties_are_one_agreement_and_a_third_signatory_may_be_missing():
    ids = resolve_agreements([agreement("d1"), agreement("d2", published=date(2024, 6, 28)),
                              agreement("d3", parties=(KSIA, SIA, COMMERCE), published=date(2024, 7, 1))])
    assert set(ids.values()) == {"d1|a1"}


def test_one_shared_party_is_not_the_same_agreement():
    """Commerce signs memoranda of terms with Samsung and with Absolics: two agreements."""
    ids = resolve_agreements([
        agreement("d1", parties=(COMMERCE, SAMSUNG), agreement_type="memorandum_of_terms"),
        agreement("d2", parties=(COMMERCE, ABSOLICS), agreement_type="memorandum_of_terms"),
    ])
    assert len(set(ids.values())) == 2


def test_other_type_date_or_no_party_stays_apart():
    ids = resolve_agreements([
        agreement("d1", signed_date=date(2024, 6, 27)),
        agreement("d2", agreement_type="joint_statement"),
        agreement("d3", signed_date=date(2024, 6, 20)),
        agreement("d4", parties=()),
        agreement("d5", parties=()),
        agreement("d6", published=date(2024, 9, 1)),
    ])
    assert len(set(ids.values())) == 6


@settings(max_examples=30, deadline=None)
@given(st.permutations([agreement("d1"), agreement("d2", published=date(2024, 6, 28)),
                        agreement("d3", parties=(KSIA, COMMERCE)), agreement("d4", parties=(KSIA, SIA, COMMERCE)),
                        agreement("d5", parties=(KSIA,)), agreement("d6", parties=(KSIA,))]))
def test_agreement_ids_do_not_depend_on_row_order(rows):
    assert groups(resolve_agreements(rows)) == groups(resolve_agreements(sorted(rows, key=lambda r: r["document_id"])))
    assert resolve_agreements(rows) == resolve_agreements(list(reversed(rows)))


# ------------------------------------------------------------------ store


def test_store_resolves_a_working_database_from_before_resolution(tmp_path):
    """Facts without cluster rows (a working database built before resolution existed) are resolved by
    the next run even when no document is new; afterwards the clusters are current."""
    from orchestration.domain.extract import store as extract_store
    from orchestration.domain.ingest import store as staging

    con = duckdb.connect(str(tmp_path / "work.duckdb"))
    staging.ensure_schema(con)
    extract_store.ensure_schema(con)
    con.execute("insert into ingest.documents (document_id, title, body, published_date) values "
                "('d1', 't', 'b', '2024-06-26'), ('d2', 't2', 'b', '2024-06-26')")
    con.execute("insert into extract.processed select document_id, ?, now() from ingest.documents",
                [extract_store.EXTRACTOR_VERSION])
    for doc in ("d1", "d2"):
        con.execute("insert into extract.pledges (document_id, local_id, amount, currency, status) "
                    "values (?, 'p1', 6e8, 'USD', 'pledged')", [doc])
        con.execute("insert into extract.agreements (document_id, local_id, agreement_type) values (?, 'a1', 'mou')",
                    [doc])
        con.executemany("insert into extract.agreement_parties values (?, 'a1', ?, ?)",
                        [(doc, *KSIA), (doc, *SIA)])
    assert not extract_store.fact_clusters_current(con)
    run = extract_store.run_extraction(con, workers=1)
    assert run.documents == 0
    assert (run.pledges_resolved, run.agreements_resolved) == (1, 1)
    assert extract_store.fact_clusters_current(con)
    assert con.execute("select distinct pledge_id from extract.pledge_clusters").fetchall() == [("d1|p1",)]
    assert con.execute("select count(*), count(distinct agreement_id) from extract.agreement_clusters"
                       ).fetchone() == (2, 1)
    con.close()


_ORGS = [CORNING, SAMSUNG, COMMERCE, KSIA, SIA]
_row_fields = st.fixed_dictionaries(dict(
    amount=st.sampled_from([6e8, 6.001e8, 7e8]), currency=st.sampled_from(["USD", "KRW"]),
    status=st.sampled_from(["pledged", "realized"]), target=st.sampled_from([None, "KOR"]),
    day=st.integers(0, 90), undated=st.booleans(), doc=st.integers(0, 6),
    parties=st.lists(st.sampled_from(_ORGS), max_size=3, unique=True),
    agreement_type=st.sampled_from(["mou", "joint_statement"])))


@settings(max_examples=60, deadline=None)
@given(st.lists(_row_fields, max_size=14))
def test_blocking_gives_the_unblocked_result(fields):
    """Looking only at clusters that share a block with a report finds what comparing with every cluster
    finds (the blocks never hide a compatible cluster)."""
    from orchestration.domain.resolve import agreements, pledges
    from orchestration.domain.resolve.reports import cluster

    def one_block(_):
        return [0], [0]

    day0 = date(2024, 1, 20)
    prows, arows = [], []
    for i, f in enumerate(fields):
        published = None if f["undated"] else day0 + timedelta(days=f["day"])
        prows.append(pledge(f"d{f['doc']}", local=f"p{i}", amount=f["amount"], currency=f["currency"],
                            status=f["status"], target_country_code=f["target"], published=published,
                            pledgers=f["parties"]))
        arows.append(agreement(f"d{f['doc']}", local=f"a{i}", parties=f["parties"], published=published,
                               agreement_type=f["agreement_type"]))
    for module, rows in ((pledges, prows), (agreements, arows)):
        reports = [module._report(r) for r in rows]
        blocked = [[m.fact_id for m in c] for c in cluster(reports, module._compatible, module._keys)]
        unblocked = [[m.fact_id for m in c] for c in cluster(reports, module._compatible, one_block)]
        assert blocked == unblocked, module.__name__
