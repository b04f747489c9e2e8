"""The Dagster code location (`dagster dev` in the repository root loads it through workspace.yaml).

It only assembles: each stage's assets and checks live in `defs/<stage>.py`, the job, sensor and schedule in
`defs/automation.py`, the resources in `resources.py`.
"""

import dagster as dg

from .defs import automation, dbt, extract, ingest, publish
from .resources import WarehouseResource, dbt_cli


def location(warehouse: WarehouseResource) -> dg.Definitions:
    """The code location on the given warehouse paths. Tests and benchmarks build their own rather than
    pass resources to a run: Dagster refuses a run of a subset of assets (the ingest step alone, when nothing
    is new) with resources other than those the assets were bound to."""
    return dg.Definitions.merge(
        ingest.defs, extract.defs, dbt.defs, publish.defs, automation.defs,
        dg.Definitions(resources={"warehouse": warehouse, "dbt": dbt_cli()}),
    )


defs = location(WarehouseResource.from_env())
