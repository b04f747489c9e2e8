"""Kept versions of the published warehouse and rollback (orchestration/domain/warehouse/versions.py)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from orchestration.domain.warehouse import versions
from orchestration.domain.warehouse.config import marts_db_path
from orchestration.domain.warehouse.publish import publish_marts
from orchestration.domain.warehouse.storage import create_database

REPO = Path(__file__).resolve().parents[1]


def _marts(work: Path, rows: int) -> None:
    """The marts file dbt would leave beside `work`: one table of `rows` rows, in the readers' storage version
    (as the dbt profile attaches it)."""
    if not marts_db_path(work).exists():
        create_database(marts_db_path(work))
    con = duckdb.connect(str(marts_db_path(work)))
    con.execute("create schema if not exists marts")
    con.execute(f"create or replace table marts.dim_documents as select range as id from range({rows})")
    con.close()


def _rows(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select count(*) from marts.dim_documents").fetchone()[0]
    finally:
        con.close()


def _publish_three(tmp_path: Path, keep: int = 3) -> tuple[Path, Path]:
    work, target = tmp_path / "work" / "w.work.duckdb", tmp_path / "pub" / "w.duckdb"
    work.parent.mkdir()
    for i, rows in enumerate((3, 5, 7), start=1):
        _marts(work, rows)
        result = publish_marts(work, target, run_id=f"run-{i}", extractor_version="6", keep=keep)
        assert result.version == i and result.tables == {"dim_documents": rows}
    return work, target


def test_publish_three_then_roll_back_to_the_first(tmp_path: Path):
    _, target = _publish_three(tmp_path)
    manifest = json.loads((versions.versions_dir(target) / "manifest.json").read_text())
    assert [(v["version"], v["run_id"], v["extractor_version"], v["tables"]) for v in manifest["versions"]] == [
        (1, "run-1", "6", {"dim_documents": 3}), (2, "run-2", "6", {"dim_documents": 5}),
        (3, "run-3", "6", {"dim_documents": 7})]
    assert all(v["published_at"] for v in manifest["versions"])
    assert versions.current_version(target).version == 3
    holder = duckdb.connect(str(target), read_only=True)  # a reader connected before the rollback
    result = versions.rollback(target, 1, reason="bad extractor")
    assert (result.version.version, result.previous) == (1, 3)
    assert holder.execute("select count(*) from marts.dim_documents").fetchone()[0] == 7  # its snapshot
    holder.close()  # DuckDB shares one instance per path and process: reconnect only after closing all
    assert _rows(target) == 3  # a reader opening the path now sees version 1's rows
    assert versions.current_version(target).version == 1
    history = versions.read_manifest(target).history
    assert history[-1] | {"at": None} == {"action": "rollback", "version": 1, "from_version": 3,
                                          "reason": "bad extractor", "at": None}
    assert not list(target.parent.glob(".*publishing*"))
    # the previous one of version 1: there is none older
    with pytest.raises(LookupError, match="no version older"):
        versions.rollback(target)
    with pytest.raises(LookupError, match="already in place"):
        versions.rollback(target, 1)
    with pytest.raises(LookupError, match="no version 9"):
        versions.rollback(target, 9)


def test_no_argument_means_the_previous_version(tmp_path: Path):
    _, target = _publish_three(tmp_path)
    assert versions.rollback(target).version.version == 2
    assert _rows(target) == 5
    assert versions.rollback(target).version.version == 1
    assert _rows(target) == 3


def test_the_next_publish_replaces_a_rollback_and_says_so(tmp_path: Path):
    work, target = _publish_three(tmp_path)
    versions.rollback(target, 1)
    _marts(work, 11)
    result = publish_marts(work, target, run_id="run-4", keep=3)
    assert result.version == 4 and result.superseded_rollback == 1 and _rows(target) == 11
    assert versions.read_manifest(target).history[-1]["supersedes_rollback_to"] == 1
    assert result.deleted_versions == [1]  # 2, 3, 4 kept
    _marts(work, 12)
    assert publish_marts(work, target, keep=3).superseded_rollback is None


def test_versions_beyond_n_are_deleted_never_the_one_in_place(tmp_path: Path):
    work, target = _publish_three(tmp_path, keep=2)
    folder = versions.versions_dir(target)
    assert sorted(p.name for p in folder.glob("v*.duckdb")) == ["v000002.duckdb", "v000003.duckdb"]
    assert os.path.samefile(folder / "v000003.duckdb", target)  # a hard link: no second copy
    versions.rollback(target, 2)
    _marts(work, 9)
    publish_marts(work, target, keep=3)
    versions.rollback(target, 2)  # version 2, the oldest, is in place
    assert versions.prune(target, keep=1) == [3]  # keeps the newest (4) and the one in place (2)
    assert sorted(v.version for v in versions.read_manifest(target).versions) == [2, 4]
    assert sorted(p.name for p in folder.glob("v*.duckdb")) == ["v000002.duckdb", "v000004.duckdb"]
    assert _rows(target) == 5


def test_keep_versions_setting(monkeypatch):
    monkeypatch.delenv("WAREHOUSE_KEEP_VERSIONS", raising=False)
    assert versions.keep_versions() == 3
    monkeypatch.setenv("WAREHOUSE_KEEP_VERSIONS", "5")
    assert versions.keep_versions() == 5
    for bad in ("0", "-1", "three"):
        with pytest.raises(ValueError, match="WAREHOUSE_KEEP_VERSIONS"):
            versions.keep_versions(bad)


def test_a_file_published_before_versions_is_kept(tmp_path: Path):
    work, target = tmp_path / "w.work.duckdb", tmp_path / "w.duckdb"
    _marts(work, 4)
    con = duckdb.connect(str(target))  # an old-style published file, no versions folder
    con.execute("create schema marts; create table marts.dim_documents as select range as id from range(2)")
    con.close()
    assert publish_marts(work, target, keep=3).version == 2
    old = versions.read_manifest(target).find(1)
    assert old.tables == {"dim_documents": 2} and "before versions" in old.note
    versions.rollback(target)
    assert _rows(target) == 2


def test_tampered_version_is_not_put_back(tmp_path: Path):
    _, target = _publish_three(tmp_path)
    versions.rollback(target, 1)
    con = duckdb.connect(str(versions.versions_dir(target) / "v000002.duckdb"))
    con.execute("delete from marts.dim_documents where id = 0")
    con.close()
    with pytest.raises(RuntimeError, match="no longer holds"):
        versions.rollback(target, 2)
    assert _rows(target) == 3


_KILLED = textwrap.dedent("""
    import os, signal, sys
    from pathlib import Path
    from orchestration.domain.warehouse import versions
    target, fault = Path(sys.argv[1]), sys.argv[2]
    die = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
    real_replace, real_link = os.replace, versions._link_or_copy
    if fault == "checking":
        versions.table_counts = die
    elif fault == "linked":
        def link(src, dst):
            real_link(src, dst)
            die()
        versions._link_or_copy = link
    elif fault == "renamed":
        def replace(src, dst):
            real_replace(src, dst)
            if Path(dst) == target:
                die()
        os.replace = replace
    versions.rollback(target, 1)
    print("not killed")
""")


@pytest.mark.parametrize("fault", ["checking", "linked", "renamed"])
def test_sigkill_during_rollback_leaves_one_complete_version(tmp_path: Path, fault: str):
    work, target = _publish_three(tmp_path)
    done = subprocess.run([sys.executable, "-c", _KILLED, str(target), fault], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stdout + done.stderr
    rows = _rows(target)  # opens: a complete warehouse, the old one or version 1
    assert rows == (3 if fault == "renamed" else 7)
    in_place = versions.current_version(target)
    assert in_place is not None and in_place.tables == {"dim_documents": rows}
    # the next operation completes without cleanup and removes the killed one's temporary
    _marts(work, 8)
    publish_marts(work, target, keep=3)
    assert _rows(target) == 8
    assert not list(target.parent.glob(".*publishing*"))
    assert versions.rollback(target).version.version == 3
    assert _rows(target) == 7


def test_sigkill_mid_publish_keeps_the_old_version_in_place(tmp_path: Path):
    work, target = _publish_three(tmp_path)
    _marts(work, 20)
    code = textwrap.dedent("""
        import os, signal, sys
        from pathlib import Path
        from orchestration.domain.warehouse import publish, versions
        real = versions.add_version
        def add(*a, **k):
            real(*a, **k)
            os.kill(os.getpid(), signal.SIGKILL)  # kept as a version, not yet renamed into place
        versions.add_version = add
        publish.publish_marts(Path(sys.argv[1]), Path(sys.argv[2]), keep=3)
    """)
    done = subprocess.run([sys.executable, "-c", code, str(work), str(target)], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert _rows(target) == 7 and versions.current_version(target).version == 3
    _marts(work, 21)
    assert publish_marts(work, target, keep=3).version == 5
    assert sorted(v.version for v in versions.read_manifest(target).versions) == [3, 4, 5]
    assert not list(target.parent.glob(".*publishing*"))


def test_rollback_command_records_in_dagster(tmp_path: Path, monkeypatch, capsys):
    import dagster as dg

    from orchestration import rollback
    from orchestration.defs.publish import published_warehouse

    assert published_warehouse.key == dg.AssetKey(rollback.PUBLISHED_ASSET)
    work, target = _publish_three(tmp_path)
    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("WAREHOUSE_DB_PATH", str(target))
    monkeypatch.setenv("WAREHOUSE_WORK_DB", str(work))
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    assert rollback.main(["--list"]) == 0
    listed = capsys.readouterr().out
    assert "*    3" in listed and "run-1" in listed
    assert rollback.main(["--reason", "pledges doubled"]) == 0
    assert "to version 2" in capsys.readouterr().out and _rows(target) == 5
    assert rollback.main(["7"]) == 1
    assert "no version 7" in capsys.readouterr().err
    with dg.DagsterInstance.get() as instance:
        records = instance.fetch_observations(dg.AssetKey(rollback.PUBLISHED_ASSET), limit=5).records
    assert len(records) == 1
    metadata = {k: v.value for k, v in records[0].asset_observation.metadata.items()}
    assert metadata["version"] == 2 and metadata["from_version"] == 3 and metadata["reason"] == "pledges doubled"
    assert metadata["rows_dim_documents"] == 5
