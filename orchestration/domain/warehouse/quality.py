"""Extraction quality against a gold file, with the project's shared scorer.

Used by the test suite (seed bars) and by the publish step, which records
the per-kind F1 as metadata of the extraction asset so its history plots
over runs. Needs the scorer and gold of ../shared (WAREHOUSE_SCORER,
WAREHOUSE_GOLD_FILE); without them it returns nothing.
"""
from __future__ import annotations

import importlib.util
import json
import os
from functools import cache
from pathlib import Path
from types import ModuleType

import duckdb

from orchestration.domain.warehouse.config import REPO_ROOT

KINDS = ("person", "organization", "country", "event", "pledge", "agreement")


def _env_path(var: str, default: Path) -> Path | None:
    value = os.environ.get(var)
    if value is not None:
        return Path(value) if value.strip() else None
    return default


def scorer_path() -> Path | None:
    return _env_path("WAREHOUSE_SCORER", REPO_ROOT.parent / "shared" / "tools" / "score_warehouse.py")


def gold_path() -> Path | None:
    """Opt-in: a real user has no gold file, so the publish step scores only where WAREHOUSE_GOLD_FILE names one."""
    value = os.environ.get("WAREHOUSE_GOLD_FILE", "").strip()
    return Path(value) if value else None


def load_scorer(path: str | Path | None = None) -> ModuleType:
    """The shared scorer module (`../shared/tools/score_warehouse.py`, or WAREHOUSE_SCORER, or `path`);
    the one loader of the scorer for the publish step, the tests and the scripts."""
    path = path or scorer_path()
    if path is None:
        raise FileNotFoundError("no scorer configured (WAREHOUSE_SCORER is empty)")
    return _load_scorer(str(path))


@cache
def _load_scorer(path: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_warehouse", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def score(db_path: Path, gold_file: Path, scorer_file: Path) -> tuple[dict[str, dict], float, dict]:
    """(per-kind result, macro F1, notes) as the shared scorer computes them."""
    scorer = load_scorer(scorer_file)
    gold = json.loads(gold_file.read_text())
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        s = scorer.Scorer(con, gold)
        fns = {"person": s.people, "organization": s.organizations, "country": s.countries,
               "event": s.events, "pledge": s.pledges, "agreement": s.agreements}
        result = {kind: fns[kind]() for kind in KINDS}
        notes = dict(s.notes, missing_documents=s.missing_docs)
    finally:
        con.close()
    macro = round(sum(r["f1"] for r in result.values()) / len(result), 3)
    return result, macro, notes


def score_published(db_path: Path) -> dict[str, float]:
    """Per-kind F1 and macro F1, or {} when no scorer/gold is configured or the gold documents are absent."""
    scorer_file, gold_file = scorer_path(), gold_path()
    if not (scorer_file and gold_file and scorer_file.exists() and gold_file.exists()):
        return {}
    try:
        result, macro, notes = score(db_path, gold_file, scorer_file)
    except Exception:  # quality reporting must never fail a refresh
        return {}
    if notes.get("missing_documents"):
        return {}
    return {**{kind: r["f1"] for kind, r in result.items()}, "macro": macro}
