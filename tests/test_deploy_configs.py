"""The deployment profiles in deploy/ are valid for the Dagster and dagster-celery versions installed.

deploy/dagster.yaml is exercised against a real server by test_postgres_instance.py; here every profile is
validated against Dagster's instance schema, the Celery run launcher is built from its profile, and the
worker configuration passes dagster-celery's executor schema (what `dagster-celery worker start -y` checks).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import REPO

from orchestration.defs.automation import REFRESH_TAG

PG_VARS = {"DAGSTER_PG_HOST": "db.internal", "DAGSTER_PG_PORT": "5433", "DAGSTER_PG_USER": "dagster",
           "DAGSTER_PG_PASSWORD": "s3cret", "DAGSTER_PG_DB": "dagster"}
CELERY_VARS = {"DAGSTER_CELERY_BROKER_URL": "pyamqp://guest@mq.internal//",
               "DAGSTER_CELERY_BACKEND_URL": "redis://redis.internal:6379/1"}


@pytest.fixture
def env(monkeypatch):
    for key, value in {**PG_VARS, **CELERY_VARS}.items():
        monkeypatch.setenv(key, value)


@pytest.mark.parametrize("profile", ["deploy/dagster.yaml", "deploy/celery/dagster.yaml"])
def test_instance_profiles_validate(profile: str, env):
    from dagster._config import process_config
    from dagster._core.instance.config import dagster_instance_config
    from dagster_postgres.utils import pg_config, pg_url_from_config

    path = REPO / profile
    config, _ = dagster_instance_config(str(path.parent), path.name)
    # storage on PostgreSQL, connection from the environment (no credentials in the file)
    storage = process_config(pg_config(), config["storage"]["postgres"])  # env sources resolved, as at start-up
    assert storage.success, storage.errors
    assert pg_url_from_config(storage.value) == (
        "postgresql://dagster:s3cret@db.internal:5433/dagster?connect_timeout=5&application_name=trade-news-warehouse")
    raw = yaml.safe_load(path.read_text())
    assert all(set(v) == {"env"} for v in raw["storage"]["postgres"]["postgres_db"].values() if isinstance(v, dict)
               and "connect_timeout" not in v)
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    limits = config["concurrency"]["runs"]["tag_concurrency_limits"]
    assert {"key": REFRESH_TAG, "limit": 1} in limits  # one refresh at a time, as on the laptop
    assert config["telemetry"] == {"enabled": False}


def test_local_and_deploy_profiles_share_the_refresh_limit():
    local = yaml.safe_load((REPO / ".dagster_home" / "dagster.yaml").read_text())
    deploy = yaml.safe_load((REPO / "deploy" / "dagster.yaml").read_text())
    assert local["concurrency"]["runs"]["tag_concurrency_limits"] == deploy["concurrency"]["runs"][
        "tag_concurrency_limits"]
    assert deploy["run_launcher"]["class"] == "DefaultRunLauncher"


def test_celery_run_launcher_builds_from_its_profile(env):
    from dagster._core.launcher import RunLauncher
    from dagster._serdes import ConfigurableClassData

    section = yaml.safe_load((REPO / "deploy" / "celery" / "dagster.yaml").read_text())["run_launcher"]
    launcher = ConfigurableClassData(section["module"], section["class"], yaml.safe_dump(section["config"])) \
        .rehydrate(as_type=RunLauncher)
    assert type(launcher).__name__ == "CeleryRunLauncher"
    assert launcher.broker == CELERY_VARS["DAGSTER_CELERY_BROKER_URL"]
    assert launcher.default_queue == "dagster"


def test_celery_worker_config_passes_the_executor_schema(env, tmp_path: Path):
    from dagster_celery.cli import get_validated_config

    config = get_validated_config(str(REPO / "deploy" / "celery" / "worker.yaml"))
    assert config["broker"] == CELERY_VARS["DAGSTER_CELERY_BROKER_URL"]
    assert config["config_source"]["worker_prefetch_multiplier"] == 1
    # and a broken one is refused, so the check above can fail
    bad = tmp_path / "worker.yaml"
    bad.write_text("execution:\n  config:\n    brokr: nowhere\n")
    with pytest.raises(Exception, match="brokr"):
        get_validated_config(str(bad))


def test_share_copies_the_published_file_atomically(tmp_path: Path):
    import duckdb

    from orchestration.deploy.share import main

    published = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(published))
    con.execute("create schema marts; create table marts.dim_documents as select 1 as document_key")
    con.close()
    shared = tmp_path / "shared"
    shared.mkdir()
    assert main([str(shared), "--source", str(published)]) == 0
    copy = duckdb.connect(str(shared / "warehouse.duckdb"), read_only=True)
    assert copy.execute("select count(*) from marts.dim_documents").fetchone()[0] == 1
    copy.close()
    assert sorted(p.name for p in shared.iterdir()) == ["warehouse.duckdb"]  # no temporary left behind
    # a file without marts is refused and the shared copy stays as it was
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert main([str(shared), "--source", str(empty)]) == 1
    assert sorted(p.name for p in shared.iterdir()) == ["warehouse.duckdb"]


def test_instance_on_a_server_that_is_down_fails_fast_naming_it(tmp_path: Path, monkeypatch):
    import time

    from orchestration.deploy.instance import InstanceUnavailable, open_instance, postgres_address
    from orchestration.deploy.local_postgres import free_port

    assert postgres_address(REPO / ".dagster_home" / "dagster.yaml") is None  # the laptop's SQLite profile
    port = free_port()  # nothing listens there
    for key, value in {**PG_VARS, "DAGSTER_PG_HOST": "127.0.0.1", "DAGSTER_PG_PORT": str(port)}.items():
        monkeypatch.setenv(key, value)
    (tmp_path / "dagster.yaml").write_text((REPO / "deploy" / "dagster.yaml").read_text())
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    assert postgres_address(tmp_path / "dagster.yaml") == ("127.0.0.1", port)
    started = time.monotonic()
    with pytest.raises(InstanceUnavailable, match=f"127.0.0.1:{port}"):
        open_instance()
    assert time.monotonic() - started < 5


def test_connection_errors_deep_in_a_chain_are_named(monkeypatch):
    from orchestration.deploy.instance import unreachable_message

    class OperationalError(Exception):
        pass

    monkeypatch.setenv("DAGSTER_PG_HOST", "db.internal")
    monkeypatch.setenv("DAGSTER_PG_PORT", "5433")
    try:
        try:
            raise OperationalError('connection to server at "db.internal", port 5433 failed: timeout expired')
        except OperationalError as inner:
            raise RuntimeError("too many retries for DB connection") from inner
    except RuntimeError as outer:
        message = unreachable_message(outer)
    assert message and "db.internal:5433" in message and "timeout expired" in message
    assert unreachable_message(ValueError("something else")) is None
