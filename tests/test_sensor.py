"""The landing-folder sensor: new dump → one request; same again → none; half-written → none; changed → one."""
from __future__ import annotations

import os
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration.domain.landing import decide
from orchestration.sensors import raw_dump_sensor

SEED = Path(__file__).resolve().parents[1] / "raw" / "000_d41fcb9709c6051a.txt"


def _age(path: Path, seconds: float = 60) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def _tick(raw: Path, cursor: str | None, monkeypatch) -> dg.SensorResult:
    monkeypatch.setenv("WAREHOUSE_RAW_DIR", str(raw))
    context = dg.build_sensor_context(cursor=cursor)
    return raw_dump_sensor(context)


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    d = tmp_path / "raw"
    d.mkdir()
    return d


def test_new_then_same_then_changed(raw: Path, monkeypatch):
    dump = raw / "001.txt"
    dump.write_bytes(SEED.read_bytes())
    _age(dump)
    first = _tick(raw, None, monkeypatch)
    assert len(first.run_requests) == 1
    key = first.run_requests[0].run_key
    again = _tick(raw, first.cursor, monkeypatch)
    assert not again.run_requests
    # the content changes (size and mtime): one new request with a new run key
    dump.write_bytes(SEED.read_bytes() + b"-\nAnother title\nBody text. date2024-07-01\n")
    _age(dump, 30)
    changed = _tick(raw, again.cursor, monkeypatch)
    assert len(changed.run_requests) == 1
    assert changed.run_requests[0].run_key != key


def test_half_written_files_are_ignored(raw: Path, monkeypatch):
    (raw / ".hidden.txt").write_bytes(SEED.read_bytes())
    (raw / "upload.txt.part").write_bytes(SEED.read_bytes())
    (raw / "upload.tmp").write_bytes(SEED.read_bytes())
    for p in raw.iterdir():
        _age(p)
    assert not _tick(raw, None, monkeypatch).run_requests
    # a file written just now and still growing: nothing until its size holds for a tick
    growing = raw / "002.txt"
    growing.write_bytes(SEED.read_bytes()[:1000])
    first = _tick(raw, None, monkeypatch)
    assert not first.run_requests
    growing.write_bytes(SEED.read_bytes()[:5000])
    second = _tick(raw, first.cursor, monkeypatch)
    assert not second.run_requests
    third = _tick(raw, second.cursor, monkeypatch)  # unchanged since the last tick: settled
    assert len(third.run_requests) == 1


def test_deleted_dump_forgotten_and_readded(raw: Path):
    dump = raw / "001.txt"
    dump.write_bytes(SEED.read_bytes())
    _age(dump)
    d1 = decide(raw, None)
    assert d1.run_key
    dump.unlink()
    d2 = decide(raw, d1.cursor)
    assert d2.run_key is None
    dump.write_bytes(SEED.read_bytes())
    _age(dump)
    assert decide(raw, d2.cursor).run_key


def test_symlink_outside_is_not_followed(raw: Path, tmp_path: Path):
    outside = tmp_path / "secret.txt"
    outside.write_bytes(SEED.read_bytes())
    (raw / "link.txt").symlink_to(outside)
    _age(outside)
    assert decide(raw, None).run_key is None
