"""Generalisation guard on real press releases: the shared dev set (32 articles, four source families).

The bars sit a little below the figures of the last build (docs/extraction.md; scores move by a fact or
two with the scorer's row order), so a regression in general extraction fails here. The set lives in
../shared (read-only, CI has it); without it the test is skipped.
"""
from __future__ import annotations

import pytest
from conftest import SCORER, SHARED, build_warehouse

from orchestration.domain.warehouse.quality import score

DEV = SHARED / "gold" / "dev"
MARGIN = 0.03
# The last build's figures (dev macro and per kind), see docs/extraction.md.
REACHED = {"macro": 0.912, "person": 0.96, "organization": 0.846, "country": 0.989,
           "event": 0.876, "pledge": 0.909, "agreement": 0.892}

pytestmark = pytest.mark.skipif(not (SCORER.exists() and (DEV / "dev_gold.json").exists()),
                                reason="../shared dev set or scorer absent")


@pytest.fixture(scope="module")
def dev_score(tmp_path_factory):
    built = build_warehouse(tmp_path_factory.mktemp("dev"), [DEV / "dev_dump.txt"])
    return score(built.db_path, DEV / "dev_gold.json", SCORER)


def test_every_dev_article_reaches_the_warehouse(dev_score):
    assert dev_score[2]["missing_documents"] == []


@pytest.mark.parametrize("kind", [k for k in REACHED if k != "macro"])
def test_dev_kind_f1_holds(dev_score, kind):
    result, _, _ = dev_score
    assert result[kind]["f1"] >= REACHED[kind] - MARGIN, result[kind]


def test_dev_macro_f1_holds(dev_score):
    result, macro, _ = dev_score
    print("dev", {k: r["f1"] for k, r in result.items()}, "macro", macro)
    assert macro >= REACHED["macro"] - MARGIN, {k: r["f1"] for k, r in result.items()}
