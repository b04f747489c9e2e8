"""The table of issue 12, every row in one run, each through the command a user runs.

    .venv/bin/python benchmarks/run.py --table [--archive 20000] [--large 100000] [--dump 1000] [--workdir DIR]

* no-op: `make refresh` again on the archive with nothing new;
* a dump of `--dump` articles landing on the archive, then on the large archive (`make refresh`);
* the same dump into an empty warehouse (the ratio incremental / empty);
* the sensor path: `make dev` (the real `dagster dev` and its daemon, scratch DAGSTER_HOME, a free port) runs
  on the archive, a dump is written into the landing folder, and the time from its last write to the new
  mtime of the published file is taken (sensor interval, settle time, run launch and the run included);
* the full build of the large archive and the peak PSS of its process tree (`make refresh`).

Each `make refresh` gets WAREHOUSE_RAW_DIR / WAREHOUSE_DB_PATH / WAREHOUSE_WORK_DB / DAGSTER_HOME of its own
scratch folder. Not part of the test suite; figures are printed and written to docs/benchmarks.md.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

GOALS = {"noop": 6.0, "on_archive": 20.0, "on_large": 30.0, "ratio": 1.5, "sensor": 30.0, "full_large": 300.0,
         "pss_large": 1024**3}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def warehouse_env(root: Path, raw: Path) -> dict[str, str]:
    """The README's configuration pointed at a scratch folder."""
    home = root / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, WAREHOUSE_RAW_DIR=str(raw), WAREHOUSE_DB_PATH=str(root / "out" / "warehouse.duckdb"),
               WAREHOUSE_WORK_DB=str(root / "work" / "work.duckdb"), DAGSTER_HOME=str(home))
    return env


def make_refresh(measure, env: dict[str, str], log: Path, repo: Path) -> dict:
    """`make refresh` (the README command) with `env`, measured."""
    return measure(["make", "-s", "refresh"], env=env, cwd=repo, log=log)


def land(dump: Path, raw: Path, name: str) -> Path:
    """Copy a dump in as a landing tool does: under a temporary name, then a rename."""
    target = raw / name
    shutil.copy(dump, raw / f".{name}.part")
    os.replace(raw / f".{name}.part", target)
    return target


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


def sensor_path(env: dict[str, str], dump: Path, raw: Path, name: str, root: Path, repo: Path,
                timeout: float = 600.0) -> dict:
    """`make dev` on the warehouse of `env`; write `dump` into `raw` in chunks (as a slow copy does) and take
    the time from its last write to the published file's new mtime."""
    published = Path(env["WAREHOUSE_DB_PATH"])
    before = _mtime(published)
    log = root / "make_dev.log"
    port = _free_port()
    cmd = ["make", "-s", "dev", f"DEV_ARGS=--port {port}"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=repo, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            started = time.monotonic()
            while b"daemon" not in log.read_bytes().lower() or time.monotonic() - started < 5:
                if proc.poll() is not None or time.monotonic() - started > 120:
                    raise RuntimeError(f"make dev did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.5)
            time.sleep(12)  # the daemon's first sensor tick (and its cursor) on the archive
            data = dump.read_bytes()
            with open(raw / name, "wb") as f:  # written in place, in pieces: the sensor must wait for the end
                step = max(1, len(data) // 4)
                for i in range(0, len(data), step):
                    f.write(data[i:i + step])
                    f.flush()
                    time.sleep(0.5)
            last_write = _mtime(raw / name)
            while _mtime(published) <= before:
                if proc.poll() is not None or time.monotonic() - started > timeout:
                    raise RuntimeError(f"no publish after the dump landed:\n{log.read_text()[-3000:]}")
                time.sleep(0.2)
            return {"seconds": _mtime(published) - last_write, "command": " ".join(cmd)}
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def run_table(measure, generate, repo: Path, base: Path, archive: int, large: int, dump: int) -> list[dict]:
    """Measure every row; returns [{case, seconds|value, goal, command}] in the issue's order."""
    rows: dict[str, dict] = {}
    new = base / "new"
    generate(dump, 424242, new, prefix="increment")
    new_dump = next(new.iterdir())
    generate(dump, 434343, base / "new2", prefix="sensor")
    sensor_dump = next((base / "new2").iterdir())

    a_raw, a_root = base / "archive" / "raw", base / "archive"
    generate(archive, archive, a_raw, dumps=max(1, archive // 25_000))
    a_env = warehouse_env(a_root, a_raw)
    cmd = f"WAREHOUSE_RAW_DIR={a_raw} WAREHOUSE_DB_PATH=… DAGSTER_HOME=… make refresh"
    build = make_refresh(measure, a_env, a_root / "build.log", repo)
    print(f"[table] build of {archive:,}: {build['seconds']:.1f}s", flush=True)
    rows["noop"] = {**make_refresh(measure, a_env, a_root / "noop.log", repo), "command": cmd + " (again)"}
    print(f"[table] no-op: {rows['noop']['seconds']:.1f}s", flush=True)
    land(new_dump, a_raw, "999_" + new_dump.name)
    rows["on_archive"] = {**make_refresh(measure, a_env, a_root / "increment.log", repo),
                          "command": cmd + f" (after a {dump:,}-article dump lands)"}
    print(f"[table] {dump:,} on {archive:,}: {rows['on_archive']['seconds']:.1f}s", flush=True)

    e_raw, e_root = base / "empty" / "raw", base / "empty"
    e_raw.mkdir(parents=True)
    land(new_dump, e_raw, "999_" + new_dump.name)
    rows["empty"] = {**make_refresh(measure, warehouse_env(e_root, e_raw), e_root / "refresh.log", repo),
                     "command": "WAREHOUSE_RAW_DIR=<only that dump> … make refresh"}
    print(f"[table] {dump:,} into empty: {rows['empty']['seconds']:.1f}s", flush=True)

    rows["sensor"] = sensor_path(a_env, sensor_dump, a_raw, "998_" + sensor_dump.name, a_root, repo)
    print(f"[table] sensor path: {rows['sensor']['seconds']:.1f}s", flush=True)

    l_raw, l_root = base / "large" / "raw", base / "large"
    generate(large, large, l_raw, dumps=max(1, large // 25_000))
    l_env = warehouse_env(l_root, l_raw)
    lcmd = f"WAREHOUSE_RAW_DIR={l_raw} … make refresh"
    rows["full_large"] = {**make_refresh(measure, l_env, l_root / "build.log", repo), "command": lcmd}
    print(f"[table] full build of {large:,}: {rows['full_large']['seconds']:.1f}s", flush=True)
    land(new_dump, l_raw, "999_" + new_dump.name)
    rows["on_large"] = {**make_refresh(measure, l_env, l_root / "increment.log", repo),
                        "command": lcmd + f" (after a {dump:,}-article dump lands)"}
    print(f"[table] {dump:,} on {large:,}: {rows['on_large']['seconds']:.1f}s", flush=True)

    return summarize(rows, archive, large, dump)


def summarize(rows: dict[str, dict], archive: int, large: int, dump: int) -> list[dict]:
    """The issue's rows, in its order, from the measurements."""
    ratio = rows["on_archive"]["seconds"] / rows["empty"]["seconds"]
    pss = max(rows["full_large"]["peak_pss"], rows["on_large"]["peak_pss"])
    spec = [
        ("noop", f"refresh with nothing new ({archive:,} archive)", rows["noop"]["seconds"], "s"),
        ("on_archive", f"{dump:,}-article dump landing on a {archive:,} archive", rows["on_archive"]["seconds"], "s"),
        ("on_large", f"{dump:,}-article dump landing on a {large:,} archive", rows["on_large"]["seconds"], "s"),
        ("empty", f"same {dump:,} dump into an empty warehouse (ratio: row 2 / this)",
         rows["empty"]["seconds"], "s"),
        ("sensor", f"a dump dropped into raw/ while `make dev` runs → published ({dump:,} on {archive:,})",
         rows["sensor"]["seconds"], "s"),
        ("full_large", f"full build, {large:,} articles", rows["full_large"]["seconds"], "s"),
        ("pss_large", f"peak memory of the process tree at {large:,} (PSS)", pss, "B"),
    ]
    out = []
    for key, case, value, unit in spec:
        goal = GOALS.get(key, 0.0)
        if key == "empty":
            measured, ok, goal_text = f"{value:.1f} s (ratio {ratio:.2f})", ratio <= GOALS["ratio"], "ratio ≤ 1.5"
        elif unit == "B":
            measured, ok, goal_text = f"{value / 1024**2:.0f} MB", value <= goal, "≤ 1 GB"
        else:
            measured, ok, goal_text = f"{value:.1f} s", value <= goal, f"≤ {goal:.0f} s"
        command = rows.get(key, rows["full_large"] if key == "pss_large" else {}).get("command", "")
        row = {"case": case, "measured": measured, "goal": goal_text, "holds": ok, "command": command, "value": value}
        if key == "pss_large":  # what the tree was made of at its peak, and when
            peak = max((rows["full_large"], rows["on_large"]), key=lambda r: r["peak_pss"])
            row["made_of"] = {"at_s": peak.get("peak_pss_at_s"), "mb": peak.get("peak_pss_by_process_mb")}
        out.append(row)
    return out


def render(rows: list[dict], meta: dict) -> str:
    m = meta["machine"]
    lines = [
        "# Benchmarks", "",
        "Generated by `benchmarks/run.py --table` (do not edit by hand; rerun instead). The table of issue 12,",
        "every row measured in one run through the command a user runs (`make refresh`, `make dev`), each on",
        "a scratch WAREHOUSE_RAW_DIR / WAREHOUSE_DB_PATH / WAREHOUSE_WORK_DB / DAGSTER_HOME.", "",
        f"* **Command:** `{meta['command']}`",
        f"* **Started:** {meta['started']} — **status:** {meta['status']} — load average before/after: "
        f"{meta.get('load', '?')}",
        f"* **Machine:** {m['cpus']} CPUs ({m['model']}), {m['ram_gb']} GB RAM, Python {m['python']}, {m['os']}",
        "* **Corpus:** `benchmarks/generate_corpus.py` (seed = size); the dumps that land are 1 file each.", "",
        "| case | measured | goal | verdict | command |", "|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(f"| {r['case']} | **{r['measured']}** | {r['goal']} | {'holds' if r['holds'] else 'MISSED'} "
                     f"| `{r['command']}` |")
    made_of = next((r["made_of"] for r in rows if r.get("made_of")), None)
    if made_of and made_of.get("mb"):
        parts = ", ".join(f"`{name}` {mb} MB" for name, mb in made_of["mb"] if mb >= 5)
        lines += ["", f"At the PSS peak ({made_of['at_s']} s into that run) the process tree was: {parts}."]
    lines += ["", "The sensor row runs from the dump's last write (written in place in four pieces, 0.5 s apart)",
              "to the published file's new mtime: the sensor interval, the settle time, the run launch (a new",
              "process importing the code location) and the run itself.", ""]
    return "\n".join(lines)


def main(args, argv, *, measure, machine, generate, repo: Path, doc: Path, out_json: Path) -> None:
    """Every row in one run, printed and written to `doc` (with the benchmark notes) and `out_json`."""
    base = args.workdir or Path(tempfile.mkdtemp(prefix="twtable-"))
    base.mkdir(parents=True, exist_ok=True)
    meta = {"command": " ".join([".venv/bin/python", "benchmarks/run.py", *(argv or sys.argv[1:])]),
            "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(), "status": "running"}
    load = os.getloadavg()[0]
    try:
        rows = run_table(measure, generate, repo, base, args.archive, args.large, args.dump)
        meta["status"] = "complete"
    finally:
        if args.workdir is None:
            shutil.rmtree(base, ignore_errors=True)
    meta["load"] = f"{load:.1f} / {os.getloadavg()[0]:.1f}"
    out_json.write_text(json.dumps({"meta": meta, "rows": rows}, indent=1, default=str))
    print(write_doc(rows, meta, args.notes, doc))


def rerender(notes: Path, doc: Path, saved: Path) -> str:
    """`doc` written again from the last table run (`saved`) and the notes as they are now."""
    data = json.loads(saved.read_text())
    return write_doc(data["rows"], data["meta"], notes, doc)


def write_doc(rows: list[dict], meta: dict, notes: Path, doc: Path) -> str:
    """The table, then the hand-written notes under 'Where time goes'; returns the table's text."""
    text = render(rows, meta)
    written = notes.read_text() if notes.exists() else "(no notes)"
    doc.write_text(text + "\n## Where time goes\n\n" + written
                   + "\n\nAfter editing `benchmarks/notes.md`, `benchmarks/run.py --table --report-only` writes this "
                   "page again from `benchmarks/table.json`; the older per-stage report (`benchmarks/run.py "
                   "--sizes …`, `benchmarks/results.json`) is rendered by `benchmarks/run.py --report-only`.\n")
    return text
