"""Open the Dagster instance of DAGSTER_HOME; a PostgreSQL server that cannot be reached is one clear line.

With deploy/dagster.yaml the instance lives in PostgreSQL. When that server is down, dagster-postgres retries
with backoff for several seconds and then raises an exception whose text does not say where it tried. So a
TCP probe of the profile's host and port comes first (refused at once, or 5 s at most), and any connection
error that still surfaces is turned into `InstanceUnavailable`, naming the host and port.
"""
from __future__ import annotations

import os
import socket
from pathlib import Path

import dagster as dg
import yaml

PROBE_TIMEOUT_SECONDS = 5.0


class InstanceUnavailable(RuntimeError):
    """The instance's database server did not answer."""


def _connection_error(exc: BaseException) -> BaseException | None:
    """The driver's connection error in the chain of `exc` (psycopg2's or SQLAlchemy's OperationalError)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if type(current).__name__ == "OperationalError":
            return current
        current = current.__cause__ or current.__context__
    return None


def unreachable_message(exc: BaseException) -> str | None:
    """What to tell the operator when `exc` is a connection failure of the instance storage, else None."""
    error = _connection_error(exc)
    if error is None:
        return None
    host = os.environ.get("DAGSTER_PG_HOST", "?")
    port = os.environ.get("DAGSTER_PG_PORT", "5432")
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return (f"cannot reach the PostgreSQL server of the Dagster instance at {host}:{port} "
            f"(DAGSTER_PG_HOST/DAGSTER_PG_PORT, profile {os.environ.get('DAGSTER_HOME', '?')}/dagster.yaml): "
            f"{detail}. Start the server (`make dev-postgres` starts a local one) or fix the variables.")


def _value(setting: object) -> str | None:
    """A literal of the profile, or the variable named by `{env: NAME}`."""
    if isinstance(setting, dict) and "env" in setting:
        return os.environ.get(str(setting["env"]))
    return None if setting is None else str(setting)


def postgres_address(profile: Path) -> tuple[str, int] | None:
    """(host, port) of the PostgreSQL storage the profile configures with `postgres_db`, else None."""
    try:
        config = yaml.safe_load(profile.read_text()) or {}
    except (OSError, yaml.YAMLError):
        return None  # Dagster reports an unreadable profile itself
    db = ((config.get("storage") or {}).get("postgres") or {}).get("postgres_db")
    if not isinstance(db, dict):
        return None
    host, port = _value(db.get("hostname")), _value(db.get("port")) or "5432"
    if not host or host.startswith("/") or not port.isdigit():
        return None  # unix socket or incomplete settings: left to Dagster's own error
    return host, int(port)


def probe(host: str, port: int) -> None:
    """Raise InstanceUnavailable unless something accepts TCP connections at host:port."""
    try:
        socket.create_connection((host, port), timeout=PROBE_TIMEOUT_SECONDS).close()
    except OSError as exc:
        raise InstanceUnavailable(
            f"cannot reach the PostgreSQL server of the Dagster instance at {host}:{port} "
            f"(DAGSTER_PG_HOST/DAGSTER_PG_PORT, profile {os.environ.get('DAGSTER_HOME', '?')}/dagster.yaml): "
            f"{exc.strerror or exc}. Start the server (`make dev-postgres` starts a local one) or fix the "
            "variables.") from exc


def open_instance() -> dg.DagsterInstance:
    """`DagsterInstance.get()`, raising InstanceUnavailable (host and port named) when its server is down."""
    home = os.environ.get("DAGSTER_HOME")
    address = postgres_address(Path(home) / "dagster.yaml") if home else None
    if address:
        probe(*address)
    try:
        return dg.DagsterInstance.get()
    except Exception as exc:
        message = unreachable_message(exc)
        if message is None:
            raise
        raise InstanceUnavailable(message) from exc
