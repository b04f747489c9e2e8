"""The last N published warehouses, kept so that an operator can put a previous one back in one command.

Why hard links: publishing already writes a complete, synced, verified copy of the marts under a
temporary name beside the published file. Linking that file into `<dir>/.versions/<name>/vNNNNNN.duckdb`
before renaming it over the published path costs nothing (no second copy, no extra disk for the version
in use), and a rollback links a kept version to a temporary name and renames that over the published
path: the same atomic `rename(2)` readers already rely on, so a reader opening the path gets the old
warehouse or the restored one, never a mix, and a SIGKILL at any point leaves one complete version in
place. The price: the published file and its version are one inode, so anyone opening the published
file read-write would change the kept version too; readers must open it read-only (they must anyway:
docs/publishing.md), and a rollback checks a version's tables and row counts before putting it back.
Where links are impossible (another filesystem) the version is a copy.

The manifest (`manifest.json` beside the versions, replaced atomically) holds each version's run id,
time, extractor version and row counts, plus the history of publishes and rollbacks. Which version
readers see is decided by the file itself (the published path and the version share an inode), not by
the manifest, so a crash between the rename and the manifest update cannot make the manifest lie about
what is in place. Versions beyond N are deleted, never the one in place. Plain Python: callers take the
writer lock (publish runs under it; `rollback` takes it).
"""
from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

DEFAULT_KEEP = 3
VERSIONS_DIR = ".versions"
MANIFEST = "manifest.json"
TEMP_MARKER = ".publishing-"  # publish.py uses it too: a stale temporary is removed by the next publish


@dataclass
class Version:
    version: int
    file: str  # name inside the versions folder
    published_at: str  # ISO UTC
    run_id: str | None
    extractor_version: str | None
    tables: dict[str, int]
    size_bytes: int
    note: str | None = None


@dataclass
class Manifest:
    versions: list[Version] = field(default_factory=list)
    history: list[dict] = field(default_factory=list)  # {"action", "version", "at", ...}, oldest first

    def find(self, number: int) -> Version | None:
        return next((v for v in self.versions if v.version == number), None)


def keep_versions(value: str | None = None) -> int:
    """N from WAREHOUSE_KEEP_VERSIONS (default 3); at least 1 (the version in place is always kept)."""
    raw = (os.environ.get("WAREHOUSE_KEEP_VERSIONS", "") if value is None else value).strip()
    if not raw:
        return DEFAULT_KEEP
    try:
        n = int(raw)
    except ValueError:
        raise ValueError(f"WAREHOUSE_KEEP_VERSIONS must be a whole number >= 1, not {raw!r}") from None
    if n < 1:
        raise ValueError(f"WAREHOUSE_KEEP_VERSIONS must be >= 1, not {n}")
    return n


def versions_dir(target: Path) -> Path:
    """Where the versions of the published file `target` live: `<dir>/.versions/<file name>/`."""
    return target.parent / VERSIONS_DIR / target.name


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fsync_dir(path: Path) -> None:
    """Make a rename or link in the folder `path` durable (publishing and the versions share it)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_manifest(target: Path) -> Manifest:
    path = versions_dir(target) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Manifest()
    except (OSError, ValueError) as exc:
        raise RuntimeError(f"the versions manifest {path} is unreadable ({exc}); fix or remove it") from exc
    return Manifest([Version(**v) for v in data.get("versions", [])], list(data.get("history", [])))


def _write_manifest(target: Path, manifest: Manifest) -> None:
    folder = versions_dir(target)
    temp = folder / f".{MANIFEST}.{os.getpid()}-{time.time_ns()}"
    payload = {"versions": [asdict(v) for v in sorted(manifest.versions, key=lambda v: v.version)],
               "history": manifest.history}
    with open(temp, "x", encoding="utf-8") as f:
        json.dump(payload, f, indent=1)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temp, folder / MANIFEST)
    fsync_dir(folder)


def _link_or_copy(source: Path, dest: Path) -> None:
    try:
        os.link(source, dest)
    except OSError:  # another filesystem, or links not supported: a synced copy
        shutil.copyfile(source, dest)
        fd = os.open(dest, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def current_version(target: Path, manifest: Manifest | None = None) -> Version | None:
    """The kept version that is in place at `target` (same file), if any."""
    manifest = manifest if manifest is not None else read_manifest(target)
    folder = versions_dir(target)
    return next((v for v in reversed(manifest.versions) if _same_file(folder / v.file, target)), None)


def table_counts(path: Path, schema: str = "marts") -> dict[str, int]:
    """Row count of every table of `schema` in the DuckDB file `path` (opened read-only)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE' "
            "and table_catalog = current_database() order by 1", [schema]).fetchall()]
        return {t: con.execute(f'select count(*) from "{schema}"."{t}"').fetchone()[0] for t in names}
    finally:
        con.close()


def _next_number(manifest: Manifest, folder: Path) -> int:
    on_disk = [int(p.stem[1:]) for p in folder.glob("v*.duckdb") if p.stem[1:].isdigit()]
    return max([0, *on_disk, *(v.version for v in manifest.versions)]) + 1


def _file_name(number: int) -> str:
    return f"v{number:06d}.duckdb"


def _adopt_unversioned(target: Path, manifest: Manifest) -> None:
    """A published file from before versions were kept becomes a version, so it can be rolled back to."""
    if not target.exists() or current_version(target, manifest) is not None:
        return
    try:
        tables = table_counts(target)
    except duckdb.Error:  # not a warehouse we can read: nothing worth keeping
        return
    folder = versions_dir(target)
    number = _next_number(manifest, folder)
    _link_or_copy(target, folder / _file_name(number))
    manifest.versions.append(Version(number, _file_name(number), _now(), None, None, tables,
                                     target.stat().st_size, note="published before versions were kept"))


def add_version(temp: Path, target: Path, *, tables: dict[str, int], run_id: str | None,
                extractor_version: str | None) -> Version:
    """Keep the verified copy `temp` (about to be renamed over `target`) as a new version, in the manifest.

    Called before the rename: a crash after this leaves a complete version that is simply not in place.
    """
    folder = versions_dir(target)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = read_manifest(target)
    _adopt_unversioned(target, manifest)
    number = _next_number(manifest, folder)
    _link_or_copy(temp, folder / _file_name(number))
    version = Version(number, _file_name(number), _now(), run_id, extractor_version, dict(tables),
                      temp.stat().st_size)
    manifest.versions.append(version)
    _write_manifest(target, manifest)
    return version


def prune(target: Path, keep: int, manifest: Manifest | None = None) -> list[int]:
    """Delete versions beyond the newest `keep`, never the one in place; returns the numbers deleted.

    Files in the versions folder the manifest does not list (left by a crash mid-publish) go too, unless
    they are in place.
    """
    manifest = manifest if manifest is not None else read_manifest(target)
    folder = versions_dir(target)
    in_place = current_version(target, manifest)
    newest = sorted(manifest.versions, key=lambda v: v.version)[-keep:]
    kept = {v.version for v in newest} | ({in_place.version} if in_place else set())
    deleted = [v.version for v in manifest.versions if v.version not in kept]
    manifest.versions = [v for v in manifest.versions if v.version in kept]
    _write_manifest(target, manifest)  # the manifest first: it never names a file that is gone
    for number in deleted:
        (folder / _file_name(number)).unlink(missing_ok=True)
    listed = {v.file for v in manifest.versions}
    for stray in folder.glob("v*.duckdb"):
        if stray.name not in listed and not _same_file(stray, target):
            stray.unlink(missing_ok=True)
    return deleted


def record_publish(target: Path, version: Version, keep: int) -> list[int]:
    """After the rename: history entry (noting a rollback it supersedes), then prune. Returns versions deleted."""
    manifest = read_manifest(target)
    entry: dict = {"action": "publish", "version": version.version, "at": _now(), "run_id": version.run_id}
    superseded = last_rollback_in_place(manifest)
    if superseded:
        entry["supersedes_rollback_to"] = superseded["version"]
    manifest.history.append(entry)
    return prune(target, keep, manifest)


def last_rollback_in_place(manifest: Manifest) -> dict | None:
    """The last history entry if it is a rollback: the rollback a publish now would supersede."""
    last = manifest.history[-1] if manifest.history else None
    return last if last and last.get("action") == "rollback" else None


@dataclass
class RollbackResult:
    version: Version
    previous: int | None  # the version in place before (None: not a kept version)
    seconds: float


def _pick(manifest: Manifest, in_place: Version | None, number: int | None) -> Version:
    if not manifest.versions:
        raise LookupError("no versions kept yet: nothing to roll back to")
    if number is not None:
        found = manifest.find(number)
        if found is None:
            raise LookupError(f"no version {number}; kept: {', '.join(str(v.version) for v in manifest.versions)}")
        return found
    older = [v for v in manifest.versions if in_place is None or v.version < in_place.version]
    if not older:
        raise LookupError(f"no version older than the one in place ({in_place.version if in_place else '-'})")
    return max(older, key=lambda v: v.version)


def rollback(target: Path, number: int | None = None, *, reason: str | None = None) -> RollbackResult:
    """Put kept version `number` (default: the newest one older than the one in place) back at `target`.

    The version is checked (opens read-only, same tables and row counts as when it was published), linked
    to a temporary beside `target` and renamed over it: atomic for readers. The caller holds the writer lock.
    """
    started = time.perf_counter()
    manifest = read_manifest(target)
    in_place = current_version(target, manifest)
    chosen = _pick(manifest, in_place, number)
    if in_place is not None and chosen.version == in_place.version:
        raise LookupError(f"version {chosen.version} is already in place")
    source = versions_dir(target) / chosen.file
    if not source.exists():
        raise FileNotFoundError(f"version {chosen.version} is listed but {source} is missing")
    counts = table_counts(source)
    if counts != chosen.tables:
        raise RuntimeError(f"version {chosen.version} no longer holds what was published ({counts} != "
                           f"{chosen.tables}): not putting it back")
    temp = target.with_name(f".{target.name}{TEMP_MARKER}{os.getpid()}-{time.time_ns()}")
    _link_or_copy(source, temp)
    try:
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)
    manifest.history.append({"action": "rollback", "version": chosen.version, "at": _now(),
                             "from_version": in_place.version if in_place else None, "reason": reason})
    _write_manifest(target, manifest)
    return RollbackResult(chosen, in_place.version if in_place else None, time.perf_counter() - started)
