"""Python rows handed to DuckDB: DataFrames registered as views for a block of statements, optionally in
one transaction (the writers of the extract schema all do both)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pandas as pd


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, **frames: pd.DataFrame) -> Iterator[None]:
    """`frames` registered as views under their keyword names for the duration, unregistered after."""
    for name, frame in frames.items():
        con.register(name, frame)
    try:
        yield
    finally:
        for name in frames:
            con.unregister(name)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, **frames: pd.DataFrame) -> Iterator[None]:
    """One transaction, with `frames` registered as views for its duration; rolled back on any error."""
    with registered(con, **frames):
        con.begin()
        try:
            yield
            con.commit()
        except BaseException:
            con.rollback()
            raise
