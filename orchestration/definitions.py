"""The Dagster code location (`dagster dev` in the repository root loads it through workspace.yaml).

It only assembles: each stage's assets and checks live in `defs/<stage>.py`, the job, sensor and schedule in
`defs/automation.py`, the resources in `resources.py`.
"""

import dagster as dg

from .defs import automation, dbt, extract, ingest, publish
from .resources import WarehouseResource, dbt_cli

defs = dg.Definitions.merge(
    ingest.defs, extract.defs, dbt.defs, publish.defs, automation.defs,
    dg.Definitions(resources={"warehouse": WarehouseResource.from_env(), "dbt": dbt_cli()}),
)
