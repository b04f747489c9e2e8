"""Extraction quality on the seed dump, scored by the shared scorer: F1 >= 0.9 per kind, macro >= 0.95."""
from __future__ import annotations

import pytest
from conftest import GOLD, SCORER

from orchestration.domain.warehouse.quality import KINDS, score

pytestmark = pytest.mark.skipif(not (GOLD.exists() and SCORER.exists()), reason="../shared gold/scorer absent")


@pytest.fixture(scope="module")
def seed_score(seed_warehouse):
    return score(seed_warehouse.db_path, GOLD, SCORER)


def test_all_seed_documents_present(seed_score):
    _, _, notes = seed_score
    assert notes["missing_documents"] == []


@pytest.mark.parametrize("kind", KINDS)
def test_kind_f1_at_least_0_9(seed_score, kind):
    result, _, notes = seed_score
    assert result[kind]["f1"] >= 0.9, (result[kind], notes.get(kind))


def test_macro_f1_at_least_0_95(seed_score):
    result, macro, _ = seed_score
    assert macro >= 0.95, {k: r["f1"] for k, r in result.items()}


def test_scores_recorded_as_extraction_asset_metadata(seed_warehouse):
    """The publish step records the per-kind F1 as an observation of `extracted_facts` (plots in the UI)."""
    observations = [e.event_specific_data.asset_observation for e in seed_warehouse.result.all_events
                    if e.event_type_value == "ASSET_OBSERVATION"]
    ours = [o for o in observations if o.asset_key.to_user_string() == "extracted_facts"]
    assert ours
    metadata = ours[0].metadata
    assert {f"seed_f1_{k}" for k in KINDS} | {"seed_f1_macro"} <= set(metadata)
    assert metadata["seed_f1_macro"].value >= 0.95
