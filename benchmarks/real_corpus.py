"""Extraction speed on real-article text: `../shared/tools/make_corpus.py N` writes N distinct documents made
from the real seed and dev releases (numbers and dates perturbed); every one goes through
`extract_document` in this one process, and the CPU time gives documents/s and MB/s per core (issue 11's
floor: 50 documents/s per core). Run alone: `.venv/bin/python benchmarks/real_corpus.py 2000`."""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAKE_CORPUS = REPO.parent / "shared" / "tools" / "make_corpus.py"


def measure(n: int) -> dict | None:
    """Figures for n documents, or None where the shared corpus tool is absent."""
    if n <= 0 or not MAKE_CORPUS.exists():
        return None
    from orchestration.domain.extract.models import Document
    from orchestration.domain.extract.pipeline import extract_document
    from orchestration.domain.ingest.dumps import ParsedRecord, parse_dump

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "real_corpus.txt"
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(n), str(out)], check=True, capture_output=True)
        docs = [Document(r.document_id, r.title, r.body, r.published_date)
                for r in parse_dump(out) if isinstance(r, ParsedRecord)]
    extract_document(docs[0])  # knowledge loaded once, outside the timing
    started = time.process_time()
    for doc in docs:
        extract_document(doc)
    cpu = time.process_time() - started
    mb = sum(len(d.title) + len(d.body) for d in docs) / 1e6
    return {"documents": len(docs), "mb": round(mb, 2), "cpu_seconds": round(cpu, 2),
            "docs_per_s": round(len(docs) / cpu, 1), "mb_per_s": round(mb / cpu, 3)}


def line(figures: dict | None) -> str:
    if not figures:
        return "not measured (../shared/tools/make_corpus.py absent)"
    return (f"{figures['docs_per_s']:.0f} documents/s per core ({figures['mb_per_s']:.3f} MB/s), "
            f"{figures['documents']:,} documents of `make_corpus.py` text ({figures['mb']} MB), "
            f"{figures['cpu_seconds']} s of CPU in one process")


if __name__ == "__main__":
    print(line(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)))
