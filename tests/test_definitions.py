"""The code location loads and holds what the README promises."""
from __future__ import annotations

import dagster as dg


def test_definitions_load():
    from orchestration.definitions import defs

    dg.Definitions.validate_loadable(defs)
    repo = defs.get_repository_def()
    keys = {k.to_user_string() for k in repo.asset_graph.get_all_asset_keys()}
    for key in ("ingested_dumps", "extracted_facts", "published_warehouse", "marts/fct_events",
                "marts/dim_people", "marts/bridge_agreement_parties"):
        assert key in keys, key
    assert defs.resolve_job_def("refresh_warehouse")
    sensor = defs.resolve_sensor_def("raw_dump_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    schedule = defs.resolve_schedule_def("daily_refresh")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    # dbt tests are asset checks
    checks = {k.name for k in repo.asset_graph.asset_check_keys}
    assert any(name.startswith("unique_") for name in checks)
    assert {"records_reconcile", "documents_reach_marts"} <= checks


def test_domain_has_no_dagster_import():
    from pathlib import Path

    domain = Path(__file__).resolve().parents[1] / "orchestration" / "domain"
    for path in domain.rglob("*.py"):
        text = path.read_text()
        assert "import dagster" not in text and "from dagster" not in text, path
