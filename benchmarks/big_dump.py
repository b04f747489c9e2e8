"""A big generated dump (many records, a few huge ones, bad ones sprinkled) ingested in bounded memory.

    .venv/bin/python benchmarks/run.py --big-dump 2        # GB; the issue's figure is --big-dump 10
    .venv/bin/python benchmarks/big_dump.py --gb 2 [--workdir DIR] [--keep]

Generates the dump (`generate`), then ingests it in a child process exactly as the pipeline's ingest step
does (`ingest.store.ingest_dump` on a fresh working database) while `run.measure` polls the peak RSS of
the child's process tree; prints one JSON line: size, records written by kind, what ingest counted, whether
every record is accounted for (documents new + duplicates + rejects = records written, rejects = bad
records written) and the peak RSS against the 500 MB goal. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

RSS_GOAL = 500 * 1024**2
POOL = 2000  # distinct generated articles, written again and again under numbered titles
BAD_EVERY = 997  # one bad record every ~1000
DUPLICATE_EVERY = 1009  # an exact repeat of an earlier record
HUGE_BODY_BYTES = (6 * 1024**2, 10 * 1024**2, 15 * 1024**2)  # under ingest's 16 MB record limit: documents
TOO_LARGE_BYTES = 60 * 1024**2  # over it: rejected as "record too large", never held whole
BAD_KINDS = {
    "no date": lambda t, b, d: f"{t}\n{b}\n".encode(),
    "impossible date": lambda t, b, d: f"{t}\n{b} date{d[:4]}-02-30\n".encode(),
    "empty body": lambda t, b, d: f"{t}\ndate{d}\n".encode(),
    "runs together": lambda t, b, d: f"{t}\n{b} date{d}\n{t} again\n{b} date{d}\n".encode(),
    "undecodable": lambda t, b, d: f"{t}\n{b} ".encode() + b"\x81\x8d\x8f\x90\x9d" + f" date{d}\n".encode(),
}


@dataclass
class Written:
    path: str
    size_bytes: int
    records: int
    good: int
    duplicates: int
    bad: int
    huge: int
    too_large: int
    seconds: float


def _huge_body(rng: random.Random, size: int) -> bytes:
    sentence = b"The ministries reviewed supply chain cooperation, investment and export finance in detail. "
    return sentence * (size // len(sentence)) + b"End of the annex."


def generate(path: Path, size_bytes: int, seed: int = 14) -> Written:
    """Write a dump of about `size_bytes`; returns what was written, by kind."""
    import generate_corpus

    started = time.perf_counter()
    rng = random.Random(seed)
    gen = generate_corpus.Generator(seed)
    pool = []
    for _ in range(POOL):
        a = gen.article()
        pool.append((a.title, a.body, a.published.isoformat()))
    huge_at = {int(size_bytes * f) for f in (0.2, 0.5, 0.8)}
    too_large_at = int(size_bytes * 0.65)
    w = Written(str(path), 0, 0, 0, 0, 0, 0, 0, 0.0)
    recent: list[bytes] = []
    pending_huge = sorted(huge_at)
    kinds = list(BAD_KINDS)
    with open(path, "wb", buffering=16 * 1024**2) as f:
        written = 0
        while written < size_bytes:
            n = w.records
            title, body, iso = pool[n % POOL]
            title = f"{title} (release {n})"
            if pending_huge and written >= pending_huge[0]:
                pending_huge.pop(0)
                size = HUGE_BODY_BYTES[w.huge % len(HUGE_BODY_BYTES)]
                record = title.encode() + b"\n" + _huge_body(rng, size) + f" date{iso}\n".encode()
                w.huge += 1
                w.good += 1
            elif too_large_at and written >= too_large_at:
                too_large_at = 0
                record = title.encode() + b"\n" + _huge_body(rng, TOO_LARGE_BYTES) + f" date{iso}\n".encode()
                w.too_large += 1
                w.bad += 1
            elif n % BAD_EVERY == BAD_EVERY - 1:
                record = BAD_KINDS[kinds[(n // BAD_EVERY) % len(kinds)]](title, body, iso)
                w.bad += 1
            elif n % DUPLICATE_EVERY == DUPLICATE_EVERY - 1 and recent:
                record = recent[rng.randrange(len(recent))]
                w.duplicates += 1
            else:
                record = f"{title}\n{body} date{iso}\n".encode()
                w.good += 1
                if len(recent) < 100:
                    recent.append(record)
                elif rng.random() < 0.01:
                    recent[rng.randrange(100)] = record
            f.write(b"-\n")
            f.write(record)
            written += len(record) + 2
            w.records += 1
    w.size_bytes = path.stat().st_size
    w.seconds = time.perf_counter() - started
    return w


def ingest_child(dump: Path, work: Path) -> None:
    """Child side: ingest `dump` into a fresh working database as the pipeline's ingest step does."""
    import duckdb

    from orchestration.domain.ingest import store

    t0 = time.perf_counter()
    con = duckdb.connect(str(work))
    try:
        r = store.ingest_dump(con, dump)
        reasons = dict(con.execute("select reason, count(*) from ingest.rejects group by 1 order by 1").fetchall())
        documents = con.execute("select count(*) from ingest.documents").fetchone()[0]
    finally:
        con.close()
    print(json.dumps({"status": r.status, "records_read": r.records_read, "documents_new": r.documents_new,
                      "duplicates": r.duplicates, "rejects": r.rejects, "documents": documents,
                      "reject_reasons": reasons, "ingest_seconds": time.perf_counter() - t0,
                      "vm_hwm_mb": _vm_hwm_mb()}))


def _vm_hwm_mb() -> int:
    """The child's own peak RSS (VmHWM), exact where polling every 50 ms can miss a short peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


def run(gb: float, workdir: Path | None = None, keep: bool = False) -> dict:
    import run as bench

    base = workdir or Path(tempfile.mkdtemp(prefix="twbigdump-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        dump, facts = base / "big.txt", base / "big.json"
        if keep and dump.exists() and facts.exists() and json.loads(facts.read_text())["gb"] == gb:
            written = Written(**json.loads(facts.read_text())["written"])  # kept from a previous --keep run
        else:
            written = generate(dump, int(gb * 1024**3))
            facts.write_text(json.dumps({"gb": gb, "written": asdict(written)}))
        work = base / "work" / "big.work.duckdb"
        shutil.rmtree(work.parent, ignore_errors=True)
        work.parent.mkdir()
        m = bench.measure([sys.executable, str(Path(__file__).resolve()), "--ingest-child", str(dump), str(work)],
                          log=base / "ingest.log")  # the child's stderr: its error, if it fails
        accounted = (m["documents_new"] + m["duplicates"] + m["rejects"] == written.records == m["records_read"]
                     and m["rejects"] == written.bad)
        out = {"written": asdict(written), "ingest": {k: v for k, v in m.items() if k != "load1"},
               "every_record_accounted_for": accounted,
               "peak_rss_mb": round(m["peak_rss"] / 1024**2), "rss_goal_mb": RSS_GOAL // 1024**2,
               "within_goal": m["peak_rss"] <= RSS_GOAL,
               "ingest_mb_per_s": round(written.size_bytes / 1024**2 / m["seconds"], 1)}
        return out
    finally:
        if not keep:
            for path in base.iterdir():
                if path.name != "ingest.log":
                    shutil.rmtree(path) if path.is_dir() else path.unlink()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gb", type=float, default=10.0)
    ap.add_argument("--workdir", type=Path)
    ap.add_argument("--keep", action="store_true", help="keep the dump and the working database")
    ap.add_argument("--ingest-child", nargs=2, metavar=("DUMP", "WORK_DB"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.ingest_child:
        ingest_child(Path(args.ingest_child[0]), Path(args.ingest_child[1]))
        return
    print(json.dumps(run(args.gb, args.workdir, args.keep), default=str))


if __name__ == "__main__":
    main()
