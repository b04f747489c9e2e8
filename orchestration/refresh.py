"""`python -m orchestration.refresh [--dumps NAME ...]`: bring the warehouse up to date, now.

Without arguments: the run the daily schedule requests (every dump of the folder as a partition range;
unchanged dumps are not read again). With `--dumps`: the runs the sensor requests when those dumps land
(just their partitions). Runs execute in this process and are recorded in the Dagster instance of
DAGSTER_HOME, so they show in the UI next to sensor and scheduled runs. Exit status 0 only when every run
succeeded.
"""

import argparse
import sys
from pathlib import Path

import dagster as dg

from .defs.automation import plan_full_refresh, plans_for_dumps, register_dumps
from .domain.ingest.landing import partition_key
from .domain.warehouse.config import load_config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m orchestration.refresh", description=__doc__.split("\n")[0])
    parser.add_argument("--dumps", nargs="+", metavar="NAME", help="file names in the landing folder")
    args = parser.parse_args(argv)
    from .definitions import defs

    instance = dg.DagsterInstance.get()
    if args.dumps:
        keys = [partition_key(name) for name in args.dumps]
        plans = plans_for_dumps(register_dumps(instance, keys), keys)
    else:
        plans = [plan_full_refresh(instance, Path(load_config().raw_dir))]
    job = defs.resolve_job_def("refresh_warehouse")
    for plan in plans:
        result = job.execute_in_process(
            instance=instance, partition_key=plan.partition_key, asset_selection=plan.asset_selection,
            tags={**plan.tags, "warehouse/trigger": "command"}, raise_on_error=False,
        )
        if not result.success:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
