"""The dashboard's data access and pages without a browser: a missing or damaged file is reported, not raised
through; a refresh's rename is seen by the next page load only; every page draws (Streamlit's AppTest) on
empty marts and on odd rows (a pledge without USD amount or pledger, an undated event without type)."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "dashboard"))
import warehouse_data as data  # noqa: E402

FACTS = ["bridge_agreement_parties", "bridge_event_documents", "bridge_event_participants", "bridge_pledge_parties",
         "fct_agreements", "fct_events", "fct_pledges"]


def _copy(seed: Path, dest: Path, *statements: str) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(seed, dest)
    con = duckdb.connect(str(dest))
    try:
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()
    return dest


def test_missing_or_unreadable_file_is_reported(tmp_path):
    with pytest.raises(data.NotPublished), data.open_snapshot(tmp_path / "nothing.duckdb"):
        pass
    garbage = tmp_path / "garbage.duckdb"
    garbage.write_bytes(b"not a database\n" * 1000)
    with pytest.raises(data.Unreadable), data.open_snapshot(garbage):
        pass
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).close()  # a DuckDB file without schema marts
    with pytest.raises(data.Unreadable), data.open_snapshot(other):
        pass


def test_a_path_with_a_quote_opens(seed_warehouse, tmp_path):
    db = _copy(seed_warehouse.db_path, tmp_path / "it's here" / "w.duckdb")
    with data.open_snapshot(db) as snap:
        assert data.event_totals(snap)["events"] == 16


def test_the_next_snapshot_sees_the_renamed_file_and_the_open_one_keeps_its_own(seed_warehouse, tmp_path):
    db = _copy(seed_warehouse.db_path, tmp_path / "w.duckdb")
    newer = _copy(seed_warehouse.db_path, tmp_path / "newer.duckdb", "delete from marts.fct_agreements")
    with data.open_snapshot(db) as held:
        os.replace(newer, db)
        with data.open_snapshot(db) as fresh:
            assert data.agreement_totals(fresh)["agreements"] == 0
        assert data.agreement_totals(held)["agreements"] == 5


def test_pledge_sums_are_over_distinct_pledges(seed_warehouse):
    with data.open_snapshot(seed_warehouse.db_path) as snap:
        total = snap.scalar("select sum(amount_usd) from marts.fct_pledges")
        assert data.pledge_totals(snap)["usd"] == pytest.approx(total)
        assert data.pledges_by_pledgers(snap)["usd"].sum() == pytest.approx(total)
        assert data.pledges_by_target(snap)["usd"].sum() == pytest.approx(total)
        assert data.pledges_by_pledgers(snap)["pledges"].sum() == snap.scalar("select count(*) from marts.fct_pledges")


def _render_page(view: str, db: str, folder: str) -> None:
    """Run as a Streamlit script by AppTest (its source only: imports inside): one page on one file."""
    import importlib
    import sys
    from pathlib import Path

    sys.path.insert(0, folder)

    import warehouse_data as data

    module = importlib.import_module(f"views.{view}")
    with data.open_snapshot(Path(db)) as snap:
        module.render(snap)


ODD = [
    "update marts.fct_pledges set amount_usd = null where pledge_key = (select min(pledge_key) from marts.fct_pledges)",
    "delete from marts.bridge_pledge_parties where pledge_key = (select max(pledge_key) from marts.fct_pledges)",
    # event_type is NOT NULL in the table (contract constraint); an unusual value is what the page can meet
    "update marts.fct_events set event_type = 'other', start_date = null, country_key = null "
    "where event_key = (select min(event_key) from marts.fct_events)",
]


@pytest.mark.parametrize("case", ["empty", "odd"])
def test_every_page_draws(seed_warehouse, tmp_path, case):
    from streamlit.testing.v1 import AppTest

    statements = [f"delete from marts.{t}" for t in FACTS] if case == "empty" else ODD
    db = _copy(seed_warehouse.db_path, tmp_path / "w.duckdb", *statements)
    for view in ("events", "pledges", "agreements", "refresh"):
        sys.modules.pop(f"views.{view}", None)
        at = AppTest.from_function(_render_page, args=(view, str(db), str(REPO / "dashboard")),
                                   default_timeout=120).run()
        assert not at.exception, (view, [e.value for e in at.exception])
        assert at.title, view
        if case == "odd" and view == "pledges":
            assert any("have no USD amount" in c.value for c in at.caption)
            assert (at.metric[0].label, at.metric[0].value) == ("Pledges", "5")
        if case == "empty" and view in ("events", "pledges", "agreements"):
            assert any(i.value.startswith(("No event", "The published warehouse holds no")) for i in at.info), view


def test_event_filters_narrow_every_number(seed_warehouse):
    from streamlit.testing.v1 import AppTest

    db = seed_warehouse.db_path
    con = duckdb.connect(str(db), read_only=True)
    try:
        count = lambda where: con.execute(f"select count(*) from marts.fct_events where {where}").fetchone()[0]  # noqa: E731
        everything, chosen = count("true"), count("event_type in ('forum', 'summit')")
        in_usa = count("event_type in ('forum', 'summit') and country_key = 'USA'")
    finally:
        con.close()
    assert everything > chosen > in_usa > 0  # each filter step must change the figure on the seed
    at = AppTest.from_function(_render_page, args=("events", str(db), str(REPO / "dashboard")),
                               default_timeout=120).run()
    assert at.metric[0].value == str(everything)
    {w.label: w for w in at.multiselect}["Event type"].set_value(["forum", "summit"]).run()
    assert not at.exception and at.metric[0].value == str(chosen)
    {w.label: w for w in at.multiselect}["Country"].set_value(["United States"]).run()
    assert not at.exception and at.metric[0].value == str(in_usa)
    assert list(at.table[0].value["Event type"]) == ["Forum", "Summit"]


@pytest.mark.parametrize("content", [None, b"not a database\n" * 1000])
def test_the_app_explains_a_missing_or_damaged_warehouse(tmp_path, monkeypatch, content):
    from streamlit.testing.v1 import AppTest

    db = tmp_path / "published" / "warehouse.duckdb"
    if content is not None:
        db.parent.mkdir()
        db.write_bytes(content)
    monkeypatch.setenv("WAREHOUSE_DB_PATH", str(db))
    at = AppTest.from_file(str(REPO / "dashboard" / "app.py"), default_timeout=120).run()
    assert not at.exception
    expected = "No warehouse published yet" if content is None else "The published warehouse cannot be read"
    assert [t.value for t in at.title] == [expected]
    assert str(db) in (at.info[0].value if content is None else at.error[0].value)


def test_launcher_settings(monkeypatch):
    import launch

    monkeypatch.delenv("DASHBOARD_PORT", raising=False)
    assert launch.port() == 8501
    monkeypatch.setenv("DASHBOARD_PORT", "8600")
    assert launch.port() == 8600
    for bad in ("http", "0", "70000"):
        monkeypatch.setenv("DASHBOARD_PORT", bad)
        with pytest.raises(SystemExit):
            launch.port()
    argv = launch.streamlit_argv(8600)
    assert {"--server.address=127.0.0.1", "--server.port=8600", "--server.headless=true",
            "--browser.gatherUsageStats=false"} <= set(argv)
