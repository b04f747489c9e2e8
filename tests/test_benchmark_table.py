"""docs/benchmarks.md is the last table run plus the hand-written notes: editing the notes must not need a
new 25-minute run, and must not replace the table with the older per-stage report."""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))  # as benchmarks/run.py imports it
import table  # noqa: E402

META = {"command": ".venv/bin/python benchmarks/run.py --table", "started": "2026-12-08 01:50 UTC",
        "status": "complete", "load": "0.7 / 2.3",
        "machine": {"cpus": 2, "model": "x", "ram_gb": 23.5, "python": "3.11.7", "os": "Linux"}}
ROWS = [{"case": "refresh with nothing new (20,000 archive)", "measured": "3.6 s", "goal": "≤ 6 s", "holds": True,
         "command": "make refresh (again)"},
        {"case": "1,000-article dump landing on a 100,000 archive", "measured": "30.1 s", "goal": "≤ 30 s",
         "holds": False, "command": "make refresh"}]


def test_the_page_is_written_again_from_the_saved_run_and_the_current_notes(tmp_path):
    saved, notes, doc = tmp_path / "table.json", tmp_path / "notes.md", tmp_path / "benchmarks.md"
    saved.write_text(json.dumps({"meta": META, "rows": ROWS}))
    notes.write_text("First analysis.\n")
    table.rerender(notes, doc, saved)
    notes.write_text("Second analysis, after editing.\n")
    text = table.rerender(notes, doc, saved)
    page = doc.read_text()
    assert page.startswith(text)
    assert "| refresh with nothing new (20,000 archive) | **3.6 s** | ≤ 6 s | holds |" in page
    assert "| 1,000-article dump landing on a 100,000 archive | **30.1 s** | ≤ 30 s | MISSED |" in page
    assert "Second analysis" in page and "First analysis" not in page
    assert page.index("## Where time goes") < page.index("Second analysis")
