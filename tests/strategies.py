"""Hypothesis strategies shared by the parser and ingest property tests: real seed records, mutated."""
from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

SEED_BYTES = (Path(__file__).resolve().parents[1] / "raw" / "000_d41fcb9709c6051a.txt").read_bytes()
SEED_RECORDS = [b"-\n" + c.rstrip(b"\n") + b"\n" for c in SEED_BYTES.split(b"-\n") if c]
INSERTS = [b"\n", b"\r\n", b"-\n", b"\n-\n", b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xff\xfe", b" date2024-02-30",
           b" date2024-01-01", b"\x81\x81", "한국".encode("cp949"), "é".encode("latin-1"), b"\xe2\x80", b"'; --"]


@st.composite
def mutated_dump(draw, max_records: int = 5, max_edits: int = 8) -> bytes:
    """Seed records with inserted, deleted, replaced, truncated or duplicated bytes."""
    data = bytearray(b"".join(draw(st.lists(st.sampled_from(SEED_RECORDS), min_size=1, max_size=max_records))))
    for _ in range(draw(st.integers(0, max_edits))):
        pos = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "truncate", "duplicate"]))
        if action == "insert":
            data[pos:pos] = draw(st.one_of(st.sampled_from(INSERTS), st.binary(min_size=1, max_size=8)))
        elif action == "delete":
            del data[pos: pos + draw(st.integers(1, 300))]
        elif action == "replace" and pos < len(data):
            data[pos] = draw(st.integers(0, 255))
        elif action == "truncate":
            del data[pos:]
        elif action == "duplicate":
            data += draw(st.sampled_from(SEED_RECORDS))
    return bytes(data)
