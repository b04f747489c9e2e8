"""Incremental event resolution (per period, extract/event_store.py) equals resolution from scratch."""
from datetime import date

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orchestration.domain.extract import event_store
from orchestration.domain.extract import store as extract_store
from orchestration.domain.resolve.event_periods import Redo, redo_for, resolve_periods
from orchestration.domain.resolve.events import acronyms_of, resolve_all

NAMES = ["Korea-Japan Summit", "Japan-Korea summit", "Korea-Japan Hydrogen Summit", "Hydrogen Summit",
         "Korea-Japan Hydrogen Supply Chain Summit", "Supply Chain Summit", "Korea-U.S. Supply Chain Summit",
         "U.S.-Korea SCCD Summit", "2nd Hydrogen Summit", "3rd Hydrogen Summit", "Korea-Japan-U.S. Summit",
         "Trade Negotiations", "Hydrogen Battery Summit", "Battery Supply Summit", "Korea-Japan Battery Summit"]
ACRONYM_NAME = "Supply Chain and Commercial Dialogue (SCCD)"  # defines an acronym: the archive's names change
TYPES = ["summit", "summit", "bilateral_meeting", "ministerial_meeting"]
DAYS = [date(2024, 5, 1), date(2024, 5, 2), date(2024, 6, 1), date(2024, 6, 20), date(2025, 5, 1),
        date(2025, 11, 3)]
PEOPLE = ["p:ahn", "p:raimondo", "p:tai"]
CODES = [None, None, "KOR", "USA"]  # where an event took place: blocks outside day slots carry it


@st.composite
def archive(draw, max_docs: int = 12, max_mentions: int = 40):
    """Event mentions of up to `max_docs` documents, and the batches (a partition of the documents) they arrive
    in. The names share tokens across precisions, so undated mentions meet dated clusters that later batches
    change (a new member, a mention moving elsewhere, a new head)."""
    docs = [f"d{i:02d}" for i in range(draw(st.integers(2, max_docs)))]
    mentions = []
    for i in range(draw(st.integers(1, max_mentions))):
        prec = draw(st.sampled_from(["day", "day", "month", "year", "unknown", "unknown"]))
        d = draw(st.sampled_from(DAYS))
        start = None if prec == "unknown" else (d.replace(day=1) if prec == "month" else
                                                d.replace(month=1, day=1) if prec == "year" else d)
        name = ACRONYM_NAME if draw(st.integers(0, 30)) == 0 else draw(st.sampled_from(NAMES))
        mentions.append(dict(document_id=draw(st.sampled_from(docs)), local_id=f"e{i}", event_name=name,
                             event_type=draw(st.sampled_from(TYPES)), start_date=start, date_precision=prec,
                             city=None, country_code=draw(st.sampled_from(CODES)),
                             participants=sorted(draw(st.sets(st.sampled_from(PEOPLE), max_size=3)))))
    order = draw(st.permutations(docs))
    cuts = sorted(draw(st.sets(st.integers(1, len(docs) - 1), max_size=4)))
    batches = [list(order[a:b]) for a, b in zip([0, *cuts], [*cuts, len(docs)], strict=True)]
    published = {d: date(2024, 1, 1 + int(d[1:])) for d in docs}
    return mentions, batches, published


def _warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema ingest; create table ingest.documents (document_id varchar, published_date date)")
    extract_store.ensure_schema(con)
    return con


def _land(con, mentions, docs, published) -> None:
    """What extraction stores for these documents."""
    ours = [m for m in mentions if m["document_id"] in docs]
    frames = {
        "documents": pd.DataFrame({"document_id": docs, "published_date": [published[d] for d in docs]}),
        "events": pd.DataFrame([(m["document_id"], m["local_id"], m["event_name"], m["event_type"], m["start_date"],
                                 m["date_precision"], m.get("country_code")) for m in ours],
                               columns=["document_id", "local_id", "event_name", "event_type", "start_date",
                                        "date_precision", "country_code"], dtype="object"),
        "event_participants": pd.DataFrame([(m["document_id"], m["local_id"], "person", p) for m in ours
                                            for p in m["participants"]],
                                           columns=["document_id", "local_id", "participant_type",
                                                    "participant_id"], dtype="object"),
    }
    for table, frame in frames.items():
        if len(frame):
            con.register("_f", frame)
            cols = ", ".join(frame.columns)
            schema = "ingest" if table == "documents" else "extract"
            con.execute(f"insert into {schema}.{table} ({cols}) select {cols} from _f")
            con.unregister("_f")


def _stored(con) -> set[tuple]:
    return set(con.execute(
        "select c.document_id, c.local_id, c.event_id, h.head_document_id, h.head_local_id "
        "from extract.event_clusters c join extract.event_heads h using (document_id, local_id)").fetchall())


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(archive())
def test_documents_in_batches_give_the_clusters_and_keys_of_one_resolution(case):
    mentions, batches, published = case
    con = _warehouse()
    landed: list[str] = []
    for batch in batches:
        _land(con, mentions, batch, published)
        landed += batch
        event_store.refresh(con, new_document_ids=batch)
        rows = _rows([m for m in mentions if m["document_id"] in landed], published)
        assert _stored(con) == set(resolve_all(rows))  # after every batch, not only the last


def _rows(mentions, published):
    return [dict(m, published_date=published[m["document_id"]], participants=[("person", p) for p in m["participants"]])
            for m in mentions]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(archive(max_docs=16, max_mentions=70))
def test_re_resolved_periods_applied_to_the_stored_state_give_one_resolution(case):
    """resolve_periods alone (no warehouse, so many more and larger cases): after each batch, the stored
    heads overlaid with what it returns equal one resolution of everything landed so far."""
    mentions, batches, published = case
    acronyms = acronyms_of([m["event_name"] for m in mentions])  # a new acronym resolves everything anyway
    state: dict[tuple, tuple] = {}
    landed: list[dict] = []
    for batch in batches:
        new = [r for r in _rows(mentions, published) if r["document_id"] in batch]
        landed += new
        dated = [r for r in landed if r["date_precision"] != "unknown"]
        undated = [r for r in landed if r["date_precision"] == "unknown"]
        redo = redo_for([(r["start_date"], r["date_precision"]) for r in new if r["date_precision"] != "unknown"],
                        any(r["date_precision"] == "unknown" for r in new),
                        {str(r["start_date"])[:4] for r in dated if r["date_precision"] == "year"},
                        {str(r["start_date"])[:7] for r in dated if r["date_precision"] == "month"}, bool(undated))
        if not redo.undated:  # only the redone periods are read (event_store._incremental)
            dated = [r for r in dated if str(r["start_date"])[:10] in redo.days
                     or str(r["start_date"])[:7] in redo.months or str(r["start_date"])[:4] in redo.years]
            undated = []
        heads = [state[(r["document_id"], r["local_id"])][1:] if (r["document_id"], r["local_id"]) in state
                 else None for r in dated + undated]
        out = resolve_periods(dated, heads[:len(dated)], undated, redo, acronyms, heads[len(dated):])
        state.update({(d, loc): (e, hd, hl) for d, loc, e, hd, hl in out})
        assert set(state.items()) == {((d, loc), (e, hd, hl)) for d, loc, e, hd, hl in resolve_all(landed, acronyms)}


def test_only_the_touched_period_is_rewritten():
    con = _warehouse()
    published = {"a": date(2024, 1, 2), "b": date(2024, 1, 3), "c": date(2024, 1, 4)}
    old = [dict(document_id="a", local_id="e1", event_name="Korea-Japan Hydrogen Summit", event_type="summit",
                start_date=date(2024, 5, 1), date_precision="day", participants=[]),
           dict(document_id="b", local_id="e1", event_name="Korea-Japan Battery Summit", event_type="summit",
                start_date=date(2025, 5, 1), date_precision="day", participants=[])]
    new = [dict(document_id="c", local_id="e1", event_name="Hydrogen Summit", event_type="summit",
                start_date=date(2024, 5, 1), date_precision="day", participants=[])]
    _land(con, old, ["a", "b"], published)
    event_store.refresh(con, new_document_ids=["a", "b"])
    con.execute("update extract.event_clusters set event_id = 'kept' where document_id = 'b'")
    _land(con, new, ["c"], published)
    event_store.refresh(con, new_document_ids=["c"])
    ids = dict(((d, loc), e) for d, loc, e in con.execute("select * from extract.event_clusters").fetchall())
    assert ids[("b", "e1")] == "kept"  # 2025 was not touched: its row was not rewritten
    assert ids[("c", "e1")] == ids[("a", "e1")] != "kept"  # the day re-resolved: the report joins the event


def test_a_mention_leaving_a_stored_cluster_makes_room_there():
    """b's day mention moves from a's cluster to c's (c's richer name comes first; a's country code keeps a
    apart): a's cluster, which no new mention joined, now admits b's undated mention (one document, one
    mention per cluster), though that mention started its own cluster when the heads were stored."""
    published = {"a": date(2024, 1, 2), "b": date(2024, 1, 3), "c": date(2024, 1, 4)}
    day = dict(event_type="summit", start_date=date(2024, 5, 1), date_precision="day", participants=[])
    mentions = [dict(day, document_id="a", local_id="e1", event_name="Hydrogen Summit", country_code="USA"),
                dict(day, document_id="b", local_id="e1", event_name="Hydrogen Summit", country_code=None),
                dict(document_id="b", local_id="e2", event_name="Hydrogen Summit", event_type="summit",
                     start_date=None, date_precision="unknown", participants=[], country_code=None),
                dict(day, document_id="c", local_id="e1", event_name="Korea-Japan Hydrogen Summit",
                     country_code="KOR")]
    heads = _two_batches(mentions, published, ["a", "b"], ["c"])
    assert heads[("b", "e1")] == ("c", "e1") and heads[("b", "e2")] == ("a", "e1")


def _two_batches(mentions, published, first, second):
    con = _warehouse()
    for batch in (first, second):
        _land(con, mentions, batch, published)
        event_store.refresh(con, new_document_ids=batch)
    assert _stored(con) == set(resolve_all(_rows(mentions, published)))
    return {(d, loc): (hd, hl) for d, loc, _, hd, hl in _stored(con)}


def test_an_undated_mention_moving_away_makes_room_for_the_next():
    """b's first undated mention leaves a's cluster for the new c's (which comes first and scores the same),
    so b's second one, which had to start its own cluster beside it, now joins a's."""
    published = {"a": date(2024, 1, 2), "b": date(2024, 1, 3), "c": date(2024, 1, 4)}
    undated = dict(event_name="Hydrogen Summit", event_type="summit", start_date=None, date_precision="unknown",
                   participants=[], country_code=None, document_id="b")
    mentions = [dict(document_id="a", local_id="e1", event_name="Hydrogen Summit", event_type="summit",
                     start_date=date(2024, 5, 1), date_precision="day", participants=[], country_code="USA"),
                dict(undated, local_id="e1"), dict(undated, local_id="e2"),
                dict(document_id="c", local_id="e1", event_name="Korea-Japan Hydrogen Summit", event_type="summit",
                     start_date=date(2024, 6, 1), date_precision="day", participants=[], country_code="KOR")]
    heads = _two_batches(mentions, published, ["a", "b"], ["c"])
    assert heads[("b", "e1")] == ("c", "e1") and heads[("b", "e2")] == ("a", "e1")


def test_a_stored_choice_that_changed_is_searched_again():
    """The undated mention had joined a's cluster (the earlier of two it fits); c's new mention, held in
    Korea, joins a's, so the mention, held in the U.S., now joins d's."""
    published = {"a": date(2024, 1, 2), "b": date(2024, 1, 3), "c": date(2024, 1, 4), "d": date(2024, 1, 5)}
    day = dict(event_name="Hydrogen Summit", event_type="summit", date_precision="day", participants=[],
               local_id="e1")
    mentions = [dict(day, document_id="a", start_date=date(2024, 5, 1), country_code=None),
                dict(day, document_id="d", start_date=date(2024, 6, 1), country_code=None),
                dict(day, document_id="b", start_date=None, date_precision="unknown", country_code="USA"),
                dict(day, document_id="c", start_date=date(2024, 5, 1), country_code="KOR")]
    heads = _two_batches(mentions, published, ["a", "b", "d"], ["c"])
    assert heads[("c", "e1")] == ("a", "e1") and heads[("b", "e1")] == ("d", "e1")


def test_a_stale_state_resolves_everything():
    con = _warehouse()
    published = {"a": date(2024, 1, 2)}
    m = [dict(document_id="a", local_id="e1", event_name="Hydrogen Summit", event_type="summit",
              start_date=date(2024, 5, 1), date_precision="day", participants=[])]
    _land(con, m, ["a"], published)
    event_store.refresh(con, new_document_ids=["a"])
    con.execute("update extract.event_clusters set event_id = 'stale'")
    con.execute("update extract.event_resolution_state set resolver_version = 'old'")
    event_store.refresh(con, new_document_ids=[])
    assert con.execute("select event_id from extract.event_clusters").fetchone()[0] != "stale"


@pytest.mark.parametrize(("new", "years", "months", "has_undated", "redo"), [
    ([(date(2024, 5, 3), "day")], set(), set(), False, Redo(days={"2024-05-03"})),
    ([(date(2024, 5, 3), "day")], set(), {"2024-05"}, True, Redo(days={"2024-05-03"}, months={"2024-05"},
                                                                   undated=True)),
    ([(date(2024, 5, 3), "day")], {"2024"}, set(), False, Redo(days={"2024-05-03"}, years={"2024"})),
    ([(date(2024, 5, 1), "month")], set(), {"2024-05"}, False, Redo(months={"2024-05"})),
    ([(date(2024, 1, 1), "year")], {"2024"}, set(), False, Redo(years={"2024"})),
    ([(None, "day"), (date(2024, 1, 1), "unknown")], set(), set(), True, Redo()),
])
def test_what_new_mentions_make_stale(new, years, months, has_undated, redo):
    assert redo_for(new, False, years, months, has_undated) == redo
