"""`python -m orchestration.rollback [VERSION] [--reason TEXT] | --list`: put a kept warehouse back for readers.

Without VERSION: the newest version older than the one in place. Under the writer lock (a refresh that is
publishing finishes first; one that starts waits), atomically for readers (docs/operations.md). The
rollback goes into the versions manifest and, as an AssetObservation of `published_warehouse`, into the
Dagster instance of DAGSTER_HOME, so it shows in the asset's history in the UI.
"""
from __future__ import annotations

import argparse
import os
import sys

from .domain.warehouse import versions
from .domain.warehouse.config import load_config
from .domain.warehouse.locking import exclusive_lock

PUBLISHED_ASSET = "published_warehouse"  # the asset of orchestration/defs/publish.py (tested)


def _list(target) -> int:
    manifest = versions.read_manifest(target)
    in_place = versions.current_version(target, manifest)
    if not manifest.versions:
        print(f"no versions kept for {target}")
        return 0
    for v in manifest.versions:
        rows = sum(v.tables.values())
        mark = "*" if in_place and v.version == in_place.version else " "
        print(f"{mark} {v.version:>4}  {v.published_at}  run {v.run_id or '-'}  extractor {v.extractor_version or '-'}"
              f"  {rows} rows ({v.tables.get('dim_documents', '-')} documents)" + (f"  {v.note}" if v.note else ""))
    rollback = versions.last_rollback_in_place(manifest)
    if rollback:
        print(f"in place by a rollback at {rollback['at']}: {rollback.get('reason') or 'no reason given'}")
    return 0


def _record_in_dagster(result: versions.RollbackResult, reason: str | None, target) -> str | None:
    """The rollback as an observation of the published asset; returns why it was not recorded, if not."""
    if not os.environ.get("DAGSTER_HOME"):
        return "DAGSTER_HOME is not set"
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        instance.report_runless_asset_event(dg.AssetObservation(
            asset_key=dg.AssetKey(PUBLISHED_ASSET),
            description=f"rolled back to version {result.version.version}",
            metadata={"action": "rollback", "version": result.version.version,
                      "from_version": result.previous if result.previous is not None else "-",
                      "version_run_id": result.version.run_id or "-", "reason": reason or "-",
                      "path": str(target), **{f"rows_{t}": n for t, n in result.version.tables.items()}},
        ))
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m orchestration.rollback", description=__doc__.splitlines()[0])
    ap.add_argument("version", nargs="?", type=int, help="version number (see --list); default: the previous one")
    ap.add_argument("--list", action="store_true", help="print the kept versions (* = in place) and exit")
    ap.add_argument("--reason", help="why (recorded in the manifest and in Dagster)")
    args = ap.parse_args(argv)
    cfg = load_config()
    target = cfg.db_path
    if args.list:
        return _list(target)
    try:
        with exclusive_lock(cfg.lock_path):
            result = versions.rollback(target, args.version, reason=args.reason)
    except (LookupError, FileNotFoundError, RuntimeError) as exc:
        print(f"rollback: {exc}", file=sys.stderr)
        return 1
    print(f"rolled back {target} to version {result.version.version} (published {result.version.published_at}, "
          f"run {result.version.run_id or '-'}; was {result.previous or '-'}) in {result.seconds:.2f}s")
    why_not = _record_in_dagster(result, args.reason, target)
    if why_not:
        print(f"warning: not recorded in Dagster: {why_not}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
