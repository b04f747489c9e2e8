"""Open the Dagster instance of DAGSTER_HOME; a PostgreSQL server that cannot be reached is one clear line.

With deploy/dagster.yaml the instance lives in PostgreSQL. When that server is down, dagster-postgres retries
a few times (seconds, bounded by `connect_timeout` in the profile) and then raises an exception whose text
does not say where it tried; the commands print `InstanceUnavailable` instead, naming the host and port.
"""
from __future__ import annotations

import os

import dagster as dg


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


def open_instance() -> dg.DagsterInstance:
    """`DagsterInstance.get()`, raising InstanceUnavailable (host and port named) when its server is down."""
    try:
        return dg.DagsterInstance.get()
    except Exception as exc:
        message = unreachable_message(exc)
        if message is None:
            raise
        raise InstanceUnavailable(message) from exc
