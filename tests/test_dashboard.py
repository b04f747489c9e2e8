"""The dashboard in headless Chromium: every page drawn from the published seed warehouse, the numbers it shows
equal to SQL on the marts, a refresh's atomic rename seen on the next page load, a clear page before anything
is published, and the server listening on 127.0.0.1 only.

Chromium is Debian's (/usr/bin/chromium), driven by playwright-core from npm (dashboard/browse.mjs); `.ci/run`
installs both. Screenshots of each page go to the test's tmp dir; their paths are printed (pytest -s).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import psutil
import pytest
from conftest import REPO

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
DRIVER = REPO / "dashboard" / "browse.mjs"
PLAYWRIGHT = REPO / "dashboard" / "node_modules" / "playwright-core"
PAGES = ["events=", "pledges", "agreements", "refresh"]  # name=url path; the events page is the default ("")


def _missing_browser() -> str | None:
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if shutil.which("node") is None:
        return "no node (apt-get install nodejs npm)"
    if not PLAYWRIGHT.exists():
        return f"no {PLAYWRIGHT} (npm ci --prefix dashboard)"
    return None


@pytest.fixture(scope="module", autouse=True)
def _browser_available():
    missing = _missing_browser()
    if missing:
        if os.environ.get("CI"):  # CI installs them (.ci/run): missing there is a failure, not a skip
            pytest.fail(missing)
        pytest.skip(missing)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _publish(source: Path, target: Path) -> None:
    """As the pipeline publishes: a full copy beside the target, renamed over it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.test-{time.time_ns()}")
    shutil.copyfile(source, temp)
    os.replace(temp, target)


def _browse(base: str, out: Path, pages: list[str]) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["node", str(DRIVER), base, str(out), *pages], capture_output=True, text=True,
                          timeout=420, cwd=REPO / "dashboard")
    assert done.returncode == 0, done.stderr[-3000:]
    shown = json.loads(done.stdout)
    for name, page in shown.items():
        print(f"screenshot {name}: {page['screenshot']}")
        assert Path(page["screenshot"]).stat().st_size > 10_000, name
    return shown


def _usd(usd: float) -> str:
    return f"${usd / 1e6:,.1f}M"


def _label(value: str) -> str:
    return value.replace("_", " ").lower()


@pytest.fixture(scope="module")
def dashboard(seed_warehouse, tmp_path_factory):
    """The dashboard started as `make dashboard` starts it, on a free port, reading a path not yet published."""
    root = tmp_path_factory.mktemp("dashboard")
    db = root / "published" / "warehouse.duckdb"
    port = _free_port()
    env = dict(os.environ, WAREHOUSE_DB_PATH=str(db), DASHBOARD_PORT=str(port))
    log_path = root / "dashboard.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([sys.executable, str(REPO / "dashboard" / "launch.py")], cwd=REPO, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, log_path.read_text()[-3000:]
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=5) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, log_path.read_text()[-3000:]
            time.sleep(0.5)
        yield {"proc": proc, "port": port, "base": base, "db": db, "root": root, "seed": seed_warehouse.db_path}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_dashboard_listens_on_loopback_only(dashboard):
    listening = {(c.laddr.ip, c.laddr.port) for c in psutil.Process(dashboard["proc"].pid).net_connections("inet")
                 if c.status == psutil.CONN_LISTEN}
    assert listening == {("127.0.0.1", dashboard["port"])}


def test_pages_show_the_marts(dashboard):
    """Before publishing: a page that says so. After: every page, its numbers equal to SQL on the marts."""
    before = _browse(dashboard["base"], dashboard["root"] / "shots-empty", ["empty=", "empty_pledges=pledges"])
    for page in before.values():
        assert page["title"] == "No warehouse published yet"
        assert str(dashboard["db"]) in page["text"] and "make refresh" in page["text"]

    _publish(dashboard["seed"], dashboard["db"])
    shown = _browse(dashboard["base"], dashboard["root"] / "shots", PAGES)
    con = duckdb.connect(str(dashboard["seed"]), read_only=True)
    try:
        q = lambda sql: con.execute(sql).fetchall()  # noqa: E731

        events = shown["events"]
        assert events["title"] == "Events over time" and events["charts"] == 2
        assert events["metrics"]["Events"] == str(q("select count(*) from marts.fct_events")[0][0])
        assert events["metrics"]["With a known date"] == str(q("select count(start_date) from marts.fct_events")[0][0])
        assert events["metrics"]["Reporting documents"] == str(
            q("select count(distinct document_key) from marts.bridge_event_documents")[0][0])
        header, *rows = events["tables"][0]
        assert header[:2] == ["Event type", "Events"]
        assert {r[0].lower(): int(r[1]) for r in rows} == {
            _label(t): n for t, n in q("select event_type, count(*) from marts.fct_events group by 1")}

        pledges = shown["pledges"]
        assert pledges["title"] == "Pledges and investments" and pledges["charts"] == 2
        assert pledges["metrics"]["Pledges"] == str(q("select count(*) from marts.fct_pledges")[0][0])
        total = q("select sum(amount_usd) from marts.fct_pledges")[0][0]
        assert pledges["metrics"]["Total (USD)"] == _usd(total)
        for status in ("pledged", "realized"):
            usd = q(f"select coalesce(sum(amount_usd), 0) from marts.fct_pledges where status = '{status}'")[0][0]
            assert pledges["metrics"][f"{status.capitalize()} (USD)"] == _usd(usd)
        # the trap the page avoids: joining the pledgers multiplies a joint pledge (three pledgers on the seed)
        per_pledger_row = q("select sum(p.amount_usd) from marts.fct_pledges p join marts.bridge_pledge_parties b "
                            "using (pledge_key) where b.role = 'pledger'")[0][0]
        assert pledges["metrics"]["Total (USD)"] != _usd(per_pledger_row)
        header, *rows = pledges["tables"][0]
        assert header == ["Target country", "Pledges", "USD"]
        assert {r[0]: (int(r[1]), r[2]) for r in rows} == {
            country: (n, _usd(usd)) for country, n, usd in q(
                "select coalesce(c.name, '(not stated)'), count(*), sum(p.amount_usd) from marts.fct_pledges p "
                "left join marts.dim_countries c on c.country_key = p.target_country_key group by 1")}

        agreements = shown["agreements"]
        assert agreements["title"] == "Agreements" and agreements["charts"] == 1
        assert agreements["metrics"]["Agreements"] == str(q("select count(*) from marts.fct_agreements")[0][0])
        header, *rows = agreements["tables"][0]
        assert header[:2] == ["Type", "Agreements"] and header[-1] == "Parties"
        assert {r[0].lower(): int(r[1]) for r in rows} == {
            _label(t): n for t, n in q("select agreement_type, count(*) from marts.fct_agreements group by 1")}
        parties = {t: set(p) for t, p in q(
            "select a.agreement_type, list(distinct coalesce(o.name, c.name)) from marts.fct_agreements a "
            "join marts.bridge_agreement_parties b using (agreement_key) "
            "left join marts.dim_organizations o on b.party_type = 'organization' and o.organization_key = b.party_key "
            "left join marts.dim_countries c on b.party_type = 'country' and c.country_key = b.party_key group by 1")}
        types = [t for (t,) in q("select distinct agreement_type from marts.fct_agreements")]
        assert {r[0].lower(): set(r[-1].split("; ")) if r[-1] else set() for r in rows} == {
            _label(t): parties.get(t, set()) for t in types}

        refresh = shown["refresh"]
        assert refresh["title"] == "Latest refresh"
        assert refresh["metrics"]["Documents"] == str(q("select count(*) from marts.dim_documents")[0][0])
        published = time.strftime("%Y-%m-%d %H:%M", time.gmtime(dashboard["db"].stat().st_mtime))
        assert refresh["metrics"]["Published (UTC)"] == published
        header, *rows = refresh["tables"][0]
        tables = [t for (t,) in q("select table_name from information_schema.tables where table_schema = 'marts'")]
        assert {r[0]: int(r[1]) for r in rows} == {
            t: q(f"select count(*) from marts.{t}")[0][0] for t in tables}
    finally:
        con.close()


def test_a_refresh_shows_on_the_next_page_load(dashboard):
    """A new file renamed over the published one (as publishing does) is what the next page load reads."""
    _publish(dashboard["seed"], dashboard["db"])
    newer = dashboard["root"] / "newer.duckdb"
    shutil.copyfile(dashboard["seed"], newer)
    con = duckdb.connect(str(newer))
    try:
        con.execute("delete from marts.fct_events where event_type = 'forum'")
        expected = con.execute("select count(*) from marts.fct_events").fetchone()[0]
    finally:
        con.close()
    before = _browse(dashboard["base"], dashboard["root"] / "shots-before", ["events="])["events"]
    _publish(newer, dashboard["db"])
    after = _browse(dashboard["base"], dashboard["root"] / "shots-after", ["events="])["events"]
    assert int(after["metrics"]["Events"]) == expected < int(before["metrics"]["Events"])
