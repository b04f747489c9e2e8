"""The Dagster code location: `dagster dev` in the repository root loads this (workspace.yaml)."""

import dagster as dg

from .assets import extracted_facts, ingested_dumps, published_warehouse, warehouse_dbt_models
from .checks import documents_reach_marts, records_reconcile
from .dbt_project import dbt_resource
from .resources import WarehouseResource
from .sensors import daily_refresh, raw_dump_sensor, refresh_warehouse

defs = dg.Definitions(
    assets=[ingested_dumps, extracted_facts, warehouse_dbt_models, published_warehouse],
    asset_checks=[records_reconcile, documents_reach_marts],
    jobs=[refresh_warehouse],
    sensors=[raw_dump_sensor],
    schedules=[daily_refresh],
    resources={"warehouse": WarehouseResource.from_env(), "dbt": dbt_resource},
)
