"""The code location loads, holds what the README promises, and its graph is a visible diff.

`tests/snapshots/definitions.txt` lists every asset (key, group, partitioning), check, job, sensor and
schedule. A change to the graph fails here until the snapshot is rewritten with
`UPDATE_SNAPSHOTS=1 pytest tests/test_definitions.py`, so the change shows in review.
"""
from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

SNAPSHOT = Path(__file__).parent / "snapshots" / "definitions.txt"


def describe(defs: dg.Definitions) -> str:
    graph = defs.resolve_asset_graph()
    lines = ["# assets: key | group | partitions"]
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        parts = node.partitions_def.name if isinstance(node.partitions_def, dg.DynamicPartitionsDefinition) else "-"
        lines.append(f"{key.to_user_string()} | {node.group_name} | {parts}")
    lines.append("# checks: asset | name | blocking")
    for check in sorted(graph.asset_check_keys, key=lambda c: (c.asset_key.to_user_string(), c.name)):
        spec = graph.get_check_spec(check)
        lines.append(f"{check.asset_key.to_user_string()} | {check.name} | {spec.blocking}")
    repo = defs.get_repository_def()
    lines.append("# jobs: name | tags")
    for job in sorted(repo.get_all_jobs(), key=lambda j: j.name):
        if not job.name.startswith("__"):
            lines.append(f"{job.name} | {sorted(job.tags.items())}")
    lines.append("# sensors: name | job | interval | default status")
    for sensor in sorted(repo.sensor_defs, key=lambda s: s.name):
        lines.append(f"{sensor.name} | {sensor.job_name} | {sensor.minimum_interval_seconds} | "
                     f"{sensor.default_status.value}")
    lines.append("# schedules: name | job | cron | default status")
    for schedule in sorted(repo.schedule_defs, key=lambda s: s.name):
        lines.append(f"{schedule.name} | {schedule.job_name} | {schedule.cron_schedule} | "
                     f"{schedule.default_status.value}")
    return "\n".join(lines) + "\n"


def test_definitions_load():
    from orchestration.definitions import defs

    dg.Definitions.validate_loadable(defs)
    repo = defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    for key in ("ingested_dumps", "extracted_facts", "published_warehouse", "marts/fct_events",
                "marts/dim_people", "marts/bridge_agreement_parties"):
        assert key in keys, key
    assert defs.resolve_job_def("refresh_warehouse")
    assert defs.resolve_sensor_def("raw_dump_sensor").default_status == dg.DefaultSensorStatus.RUNNING
    assert defs.resolve_schedule_def("daily_refresh").default_status == dg.DefaultScheduleStatus.RUNNING
    checks = {k.name for k in repo.asset_graph.asset_check_keys}  # dbt tests are asset checks
    assert any(name.startswith("unique_") for name in checks)
    assert {"records_reconcile", "documents_reach_marts"} <= checks


def test_dbt_assets_are_grouped_by_layer():
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        layer = key.path[0]
        if layer in ("staging", "intermediate", "marts"):
            assert graph.get(key).group_name == layer, key


def test_definitions_snapshot():
    from orchestration.definitions import defs

    current = describe(defs)
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(current)
    assert SNAPSHOT.exists(), "no snapshot yet: run with UPDATE_SNAPSHOTS=1"
    assert current == SNAPSHOT.read_text(), (
        "the Dagster graph changed; review the diff and rewrite the snapshot with UPDATE_SNAPSHOTS=1:\n"
        + "\n".join(line for line in current.splitlines() if line not in SNAPSHOT.read_text().splitlines()))


def test_importing_the_code_location_never_parses_dbt(tmp_path):
    """The manifest is made at setup; importing checks it and says what to run, it does not run dbt."""
    import subprocess
    import sys

    code = ("import dbt.cli.main as m\n"
            "m.dbtRunner.invoke = lambda *a, **k: (_ for _ in ()).throw(SystemExit('dbt invoked on import'))\n"
            "import orchestration.definitions\n")
    env = dict(os.environ, WAREHOUSE_WORK_DB=str(tmp_path / "elsewhere.duckdb"))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_missing_or_stale_manifest_is_a_clear_error(tmp_path):
    import shutil

    import pytest
    from dagster_dbt import DbtProject

    from orchestration.dbt_project import ManifestNotReady, checked_manifest

    project_dir = tmp_path / "dbt"
    shutil.copytree(Path(__file__).resolve().parents[1] / "dbt_project", project_dir,
                    ignore=shutil.ignore_patterns("target", "dbt_packages", "logs"))
    project = DbtProject(project_dir=project_dir, target_path=Path("target"))
    with pytest.raises(ManifestNotReady, match="make setup"):
        checked_manifest(project)
    (project_dir / "target").mkdir()
    (project_dir / "target" / "manifest.json").write_text("{}")
    assert checked_manifest(project).name == "manifest.json"
    model = next((project_dir / "models").rglob("*.sql"))
    later = (project_dir / "target" / "manifest.json").stat().st_mtime + 10
    os.utime(model, (later, later))
    with pytest.raises(ManifestNotReady, match="changed"):
        checked_manifest(project)


def test_domain_has_no_dagster_import():
    domain = Path(__file__).resolve().parents[1] / "orchestration" / "domain"
    for path in domain.rglob("*.py"):
        text = path.read_text()
        assert "import dagster" not in text and "from dagster" not in text, path
