"""Extraction quality on the seed dump, scored by the shared scorer: F1 >= 0.9 per kind, macro >= 0.95."""
from __future__ import annotations

import pytest
from conftest import GOLD, SCORER

from orchestration.domain.warehouse.quality import KINDS, score, score_published

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


def test_gold_scores_only_where_a_gold_file_is_configured(seed_warehouse, monkeypatch):
    """A user without a gold file gets no F1 observation; an operator who names one gets the per-kind F1."""
    observations = [e for e in seed_warehouse.result.all_events if e.event_type_value == "ASSET_OBSERVATION"]
    assert not [e for e in observations if "gold_f1_macro" in str(e.event_specific_data)]
    monkeypatch.setenv("WAREHOUSE_GOLD_FILE", str(GOLD))
    monkeypatch.setenv("WAREHOUSE_SCORER", str(SCORER))
    quality = score_published(seed_warehouse.db_path)
    assert set(KINDS) | {"macro"} <= set(quality) and quality["macro"] >= 0.95


def _materializations(result) -> dict[str, dict]:
    return {e.asset_key.to_user_string(): e.event_specific_data.materialization.metadata
            for e in result.all_events if e.event_type_value == "ASSET_MATERIALIZATION"}


def test_every_mart_materialization_carries_its_row_count(seed_warehouse):
    import duckdb

    by_asset = _materializations(seed_warehouse.result)
    marts = {k: m for k, m in by_asset.items() if k.startswith("marts/")}
    assert len(marts) >= 12
    with duckdb.connect(str(seed_warehouse.db_path), read_only=True) as con:
        for key, metadata in marts.items():
            table = key.split("/")[-1]
            assert metadata["dagster/row_count"].value == con.execute(
                f"select count(*) from marts.{table}").fetchone()[0], key


def test_publish_reports_figures_a_user_reads(seed_warehouse):
    """Facts per document and what is unresolved: meaningful without a gold file (plotted over runs)."""
    metadata = _materializations(seed_warehouse.result)["published_warehouse"]
    assert metadata["documents"].value == 8
    assert 0 < metadata["share_documents_with_event"].value <= 1
    assert metadata["events_per_document"].value > 0 and metadata["pledges_usd_million"].value > 0
    import duckdb

    with duckdb.connect(str(seed_warehouse.db_path), read_only=True) as con:
        usd = con.execute("select sum(amount_usd) from marts.fct_pledges").fetchone()[0]
    assert metadata["pledges_usd_million"].value == round(usd / 1e6, 1)  # millions, as the name says
    assert {"organizations_without_country", "people_without_organization", "agreements_per_document"} <= set(metadata)
