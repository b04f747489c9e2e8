"""DuckDB's buffer pool bounded while a step works on the working database.

DuckDB's default memory_limit is 80 % of RAM, and a connection keeps the blocks it read cached up to it: at
100k articles the extract step's connection held ~0.9 GB when the event resolver forked, which alone broke
the 1 GB goal for the process tree. Under a limit, blocks are evicted (or spilled to ``<work db>.tmp``)."""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
from collections.abc import Iterator

import duckdb

# The ingest merges a staged dump (env WAREHOUSE_INGEST_MEMORY_LIMIT); extraction writes batches beside its
# workers (env WAREHOUSE_EXTRACT_MEMORY_LIMIT; at 100k articles 128 MB extracted as fast as 256 MB, 608 s
# against 598 s on a loaded machine); the resolvers then read every mention of the periods and components
# they redo, with no worker beside them (env WAREHOUSE_RESOLVE_MEMORY_LIMIT: under 128 MB, reading the
# 100k archive's dated mentions for a 1k dump ran out of memory after the extraction of that dump).
INGEST_MEMORY_LIMIT = os.environ.get("WAREHOUSE_INGEST_MEMORY_LIMIT", "192MB")
EXTRACT_MEMORY_LIMIT = os.environ.get("WAREHOUSE_EXTRACT_MEMORY_LIMIT", "128MB")
RESOLVE_MEMORY_LIMIT = os.environ.get("WAREHOUSE_RESOLVE_MEMORY_LIMIT", "512MB")


@contextlib.contextmanager
def memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """DuckDB's memory_limit set to ``limit`` for what runs inside, the caller's own limit restored after."""
    previous = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    con.execute(f"SET memory_limit = '{checked_size(limit)}'")  # checked: digits and a unit only
    try:
        yield
    finally:
        with contextlib.suppress(duckdb.Error):
            con.execute(f"SET memory_limit = '{checked_size(previous)}'")


@contextlib.contextmanager
def released(con: duckdb.DuckDBPyConnection, floor: str = "16MB") -> Iterator[None]:
    """While this process waits (on a resolver's child), DuckDB's memory handed back to the OS: a limit
    lowered to `floor` evicts the cached blocks and frees the allocator's pages (~70 MB after reading the
    100k archive's events, with only ~20 MB in use). Where DuckDB cannot go that low, nothing changes."""
    with contextlib.ExitStack() as lowered:
        with contextlib.suppress(duckdb.Error):
            lowered.enter_context(memory_limit(con, floor))
        yield


def checked_size(text: str) -> str:
    """A DuckDB size such as ``256MB`` or ``1.5 GiB`` (formatted into SET, so nothing else may pass)."""
    if not re.fullmatch(r"\s*\d+(\.\d+)?\s*[A-Za-z]{0,3}\s*", text):
        raise ValueError(f"not a memory size: {text!r}")
    return text.strip()


def trim_heap() -> bool:
    """Hand the C heap's free pages back to the OS (glibc's malloc_trim), before a fork: after extraction the
    refresh process keeps freed arenas resident, and a forked child counts them again until it touches them.
    False where there is no glibc (the call is then a no-op)."""
    name = ctypes.util.find_library("c")
    try:
        return bool(ctypes.CDLL(name).malloc_trim(0)) if name else False
    except (OSError, AttributeError):
        return False
