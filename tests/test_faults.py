"""Faults at the pipeline level: killed refreshes, failing dbt tests, a full disk, ingest order.

One baseline warehouse (dump X = seed records 1-4) and two reference
warehouses (X and Y = seed records 5-8, ingested in both name orders) are
built once per module; each fault scenario works on a copy of the baseline
tree. Kills run the real command (`python -m orchestration.refresh`) in its own process
group and SIGKILL the whole group when the run's log says the targeted step
started. By default the refresh is killed during ingest and then during dbt;
`WAREHOUSE_FULL_TESTS=1` adds kills during extraction and publishing.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from conftest import materialize_all

from orchestration.domain.warehouse.config import marts_db_path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "raw" / "000_d41fcb9709c6051a.txt"
SEED_RECORDS = [b"-\n" + c.rstrip(b"\n") + b"\n" for c in SEED.read_bytes().split(b"-\n") if c]
DUMP_X = b"".join(SEED_RECORDS[:4])
DUMP_Y = b"".join(SEED_RECORDS[4:])
FULL = os.environ.get("WAREHOUSE_FULL_TESTS") == "1"
PYTHON = REPO / ".venv" / "bin" / "python"
KEY_COLUMNS = {"dim_documents": "document_key", "dim_people": "person_key", "fct_events": "event_key",
               "fct_pledges": "pledge_key", "dim_organizations": "organization_key",
               "fct_agreements": "agreement_key"}
RUN_TIMEOUT_S = 400


@dataclass
class Tree:
    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def db(self) -> Path:
        return self.root / "out" / "warehouse.duckdb"

    @property
    def work(self) -> Path:
        return self.root / "work" / "work.duckdb"

    def refresh(self, raise_on_error: bool = True):
        return materialize_all(self.raw, self.db, self.work, raise_on_error=raise_on_error)

    def copy_to(self, dest: Path) -> Tree:
        shutil.copytree(self.root, dest, symlinks=True)  # copy2: mtimes kept, so ingested dumps stay ingested
        return Tree(dest)


def _tree(root: Path, dumps: dict[str, bytes]) -> Tree:
    tree = Tree(root)
    tree.raw.mkdir(parents=True)
    for name, data in dumps.items():
        (tree.raw / name).write_bytes(data)
    return tree


def marts_snapshot(db: Path) -> dict:
    """Row counts of every marts table and sorted keys of the main ones."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
        snap: dict = {t: con.execute(f'select count(*) from marts."{t}"').fetchone()[0] for t in tables}
        for table, key in KEY_COLUMNS.items():
            snap[f"{table}.keys"] = [r[0] for r in con.execute(f"select {key} from marts.{table} order by 1")
                                     .fetchall()]
        return snap
    finally:
        con.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory) -> Tree:
    tree = _tree(tmp_path_factory.mktemp("baseline"), {"a_x.txt": DUMP_X})
    assert tree.refresh().success
    return tree


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Tree:
    """X and Y in one refresh, X read first (names sort a_x, b_y)."""
    tree = _tree(tmp_path_factory.mktemp("ref_ab"), {"a_x.txt": DUMP_X, "b_y.txt": DUMP_Y})
    assert tree.refresh().success
    return tree


# ------------------------------------------------------------------ killed refresh

def _cli_env(tree: Tree) -> dict[str, str]:
    home = tree.root / "dagster_home"
    home.mkdir(exist_ok=True)
    shutil.copy(REPO / ".dagster_home" / "dagster.yaml", home / "dagster.yaml")
    env = dict(os.environ)
    env.update(WAREHOUSE_RAW_DIR=str(tree.raw), WAREHOUSE_DB_PATH=str(tree.db), WAREHOUSE_WORK_DB=str(tree.work),
               DAGSTER_HOME=str(home), WAREHOUSE_GOLD_FILE="", WAREHOUSE_SCORER="", PYTHONUNBUFFERED="1")
    return env


def start_refresh(tree: Tree) -> subprocess.Popen:
    return subprocess.Popen(
        [str(PYTHON), "-m", "orchestration.refresh", "--verbose"],  # the markers below are Dagster's event lines
        cwd=REPO, env=_cli_env(tree), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )


def kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    deadline = time.monotonic() + 30  # step workers and dbt are in the same group: wait until all are gone
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    raise AssertionError("processes of the killed refresh survived")


def run_until(proc: subprocess.Popen, marker: str, then_wait_for: str | None = None,
              timeout_s: float = RUN_TIMEOUT_S) -> tuple[bool, list[str]]:
    """Read the run's log; SIGKILL the process group once `marker` (then `then_wait_for`) is seen."""
    lines: list[str] = []
    hit = threading.Event()

    def reader() -> None:
        assert proc.stdout is not None
        armed = False
        for line in proc.stdout:
            lines.append(line)
            if not armed and marker in line:
                armed = True
                if then_wait_for is None:
                    hit.set()
            elif armed and then_wait_for and then_wait_for in line:
                hit.set()

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout_s
    while not hit.is_set() and proc.poll() is None and time.monotonic() < deadline:
        hit.wait(0.05)
    found = hit.is_set()
    kill_group(proc)
    thread.join(timeout=10)
    return found, lines


STAGES = {
    # stage: (marker, optional second marker so the step is doing real work when killed)
    "ingest": ('Started execution of step "ingested_dumps"', None),
    "extract": ('Started execution of step "extracted_facts"', None),
    "dbt": ('Started execution of step "warehouse_dbt_models"', 'Yielded output "staging__'),
    "publish": ('Started execution of step "published_warehouse"', None),
}
DEFAULT_STAGES = ["ingest", "dbt"]


def test_sigkill_during_refresh_leaves_published_warehouse_then_recovers(baseline, reference, tmp_path):
    """One tree, one killed CLI refresh per stage in pipeline order (each later run redoes what the killed one
    did not commit), then one normal refresh: it ends with the marts of an uninterrupted run."""
    tree = baseline.copy_to(tmp_path / "tree")
    before_sha, before = sha(tree.db), marts_snapshot(tree.db)
    (tree.raw / "b_y.txt").write_bytes(DUMP_Y)
    published_new = False
    for stage in (list(STAGES) if FULL else DEFAULT_STAGES):
        marker, then = STAGES[stage]
        started = time.monotonic()
        proc = start_refresh(tree)
        found, lines = run_until(proc, marker, then)
        killed_after = time.monotonic() - started
        assert found, "".join(lines[-40:])
        assert proc.returncode == -signal.SIGKILL
        print(f"\nkilled during {stage} after {killed_after:.1f}s")
        if stage == "publish" and sha(tree.db) != before_sha:
            # the rename won the race: then it is the complete new warehouse, never a mix
            assert marts_snapshot(tree.db) == marts_snapshot(reference.db)
            published_new = True
        else:
            assert sha(tree.db) == before_sha
            assert marts_snapshot(tree.db) == before  # opens read-only, marts intact
    t0 = time.monotonic()
    result = tree.refresh()
    print(f"recovery refresh: {time.monotonic() - t0:.1f}s (publish raced the kill: {published_new})")
    assert result.success
    assert marts_snapshot(tree.db) == marts_snapshot(reference.db)
    assert not list(tree.db.parent.glob(".*publishing*"))  # stale temporaries removed
    con = duckdb.connect(str(tree.work), read_only=True)
    try:
        off = con.execute("select count(*) from ingest.dump_files "
                          "where records_read <> documents_new + duplicates + rejects").fetchone()[0]
        assert off == 0
        assert con.execute("select count(*) from ingest.documents").fetchone()[0] == 8
        assert con.execute("select count(*) from ingest.sightings").fetchone()[0] == 8
    finally:
        con.close()


# ------------------------------------------------------------- failing dbt test

def test_failing_dbt_test_blocks_publishing(baseline, tmp_path):
    tree = baseline.copy_to(tmp_path / "tree")
    before_sha = sha(tree.db)
    con = duckdb.connect(str(tree.work))
    try:  # an extracted event written twice: violates the unique (document_id, local_id) test of dbt
        con.execute("insert into extract.events select * from extract.events limit 1")
    finally:
        con.close()
    result = tree.refresh(raise_on_error=False)
    assert not result.success
    failed_checks = [c.check_name for c in result.get_asset_check_evaluations() if not c.passed]
    failed_steps = [e.step_key for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    print(f"\nfailed checks: {failed_checks}; failed steps: {failed_steps}")
    # the first unique test on the (document_id, local_id) grain of events fails: staging since every model has one
    assert any("unique" in name and ("stg_events" in name or "event_mentions" in name) for name in failed_checks), \
        failed_checks
    assert "warehouse_dbt_models" in failed_steps
    assert not result.asset_materializations_for_node("published_warehouse")
    assert sha(tree.db) == before_sha


# ------------------------------------------------------------------- disk full

def _mount_tmpfs(where: Path, size_bytes: int) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_bytes}", "tmpfs", str(where)],
                          capture_output=True, timeout=30)
    return done.returncode == 0


def _umount(where: Path) -> None:
    if subprocess.run(["umount", str(where)], capture_output=True, timeout=30).returncode != 0:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=30)


def test_disk_full_while_building_keeps_published_warehouse(baseline, tmp_path):
    """The working DB lives on a small tmpfs; a big new dump fills it: the run fails clearly, nothing published."""
    tree = baseline.copy_to(tmp_path / "tree")
    before_sha, before = sha(tree.db), marts_snapshot(tree.db)
    small = tmp_path / "small"
    work_size = tree.work.stat().st_size
    if not _mount_tmpfs(small, work_size + 2 * 1024 * 1024):
        pytest.skip("needs root and tmpfs to simulate a full disk")
    try:
        work = small / tree.work.name
        shutil.copy2(tree.work, work)
        filler = "Ministry officials met counterparts to discuss supply chain cooperation and investment. " * 20
        with open(tree.raw / "c_big.txt", "w", encoding="utf-8") as f:
            for i in range(6000):  # ~11 MB of distinct documents
                f.write(f"-\nRelease {i}\n{filler}Item {i}. date2024-05-0{i % 9 + 1}\n")
        t0 = time.monotonic()
        result = materialize_all(tree.raw, tree.db, work, raise_on_error=False)
        elapsed = time.monotonic() - t0
        assert not result.success
        failures = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
        messages = " | ".join(e.event_specific_data.error.to_string() for e in failures
                              if e.event_specific_data and e.event_specific_data.error)
        print(f"\ndisk full after {elapsed:.1f}s: {[e.step_key for e in failures]}: {messages[:300]}")
        assert failures and "no space left on device" in messages.lower()
        assert "cannot rollback" not in messages  # the real error is not masked by a failed rollback
        assert not result.asset_materializations_for_node("published_warehouse")
    finally:
        _umount(small)
    assert sha(tree.db) == before_sha and marts_snapshot(tree.db) == before


def test_disk_full_while_publishing_keeps_published_warehouse(reference, tmp_path):
    """RLIMIT_FSIZE (no root needed): the copy into the publishing temporary fails, the old file stays."""
    target = tmp_path / "pub" / "warehouse.duckdb"
    target.parent.mkdir()
    shutil.copy2(reference.db, target)
    con = duckdb.connect(str(target))  # make the published file differ from what would be published
    con.execute("delete from marts.dim_documents where document_key in "
                "(select document_key from marts.dim_documents order by 1 limit 1)")
    con.close()
    before_sha = sha(target)
    limit = 256 * 1024
    code = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        "from orchestration.domain.warehouse.publish import publish_marts\n"
        "publish_marts(Path(sys.argv[1]), Path(sys.argv[2]))\n"
    )
    work_copy = tmp_path / "work.duckdb"
    shutil.copy2(reference.work, work_copy)
    shutil.copy2(marts_db_path(reference.work), marts_db_path(work_copy))  # the marts dbt built
    done = subprocess.run([sys.executable, "-c", code, str(work_copy), str(target)], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    print(f"\npublish under a {limit // 1024} KB file size limit: rc={done.returncode}, "
          f"error: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ''}")
    assert done.returncode != 0
    assert "File too large" in done.stderr or "could not write" in done.stderr.lower()
    assert sha(target) == before_sha
    assert not list(target.parent.glob(".*publishing*"))  # its temporary was removed
    snapshot = marts_snapshot(target)
    assert snapshot["dim_documents"] == 7


# ------------------------------------------------------------------ idempotency

def test_ingest_order_does_not_change_marts(reference, tmp_path):
    """Same dumps, other names, so Y is read before X: the same marts, keys included."""
    reverse = _tree(tmp_path / "ba", {"a_y.txt": DUMP_Y, "b_x.txt": DUMP_X})
    assert reverse.refresh().success
    ref, rev = marts_snapshot(reference.db), marts_snapshot(reverse.db)
    assert ref == rev
    print(f"\nmarts row counts: { {k: v for k, v in ref.items() if not k.endswith('.keys')} }")
