"""duckload's two datasets as Dagster external assets, with the dbt project downstream of them.

duckload (not Dagster) materializes taxi_trips and taxi_zones and reports each committed load to
POST <dagster>/report_asset_materialization/<asset key>; Dagster shows the partitions and runs dbt downstream.
Written against Dagster's documented API (AssetSpec, MonthlyPartitionsDefinition, dagster-dbt's dbt_assets and
DagsterDbtTranslator); not run here, see README.md.
"""

from pathlib import Path
from typing import Any, Mapping

from dagster import AssetExecutionContext, AssetKey, AssetSpec, Definitions, MonthlyPartitionsDefinition
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

# Must match duckload.datasets.taxi_trips.partitioning.start: duckload reports partitions as 2023-01-01, ...
monthly = MonthlyPartitionsDefinition(start_date="2023-01-01")

# External assets: Dagster never materializes them; duckload reports their materializations over REST.
taxi_trips = AssetSpec(
    key="taxi_trips",  # duckload.datasets.taxi_trips.dagster.asset-key (default: the dataset name)
    partitions_def=monthly,
    description="NYC yellow taxi trips, one partition per month, loaded by duckload into the trips table",
    group_name="raw_files",
)
taxi_zones = AssetSpec(
    key="taxi_zones",
    description="NYC taxi zones, replaced whole by duckload into the zones table",
    group_name="raw_files",
)

dbt_project = DbtProject(project_dir=Path(__file__).parent / "analytics")  # the example's dbt project
dbt_project.prepare_if_dev()


class DuckloadTranslator(DagsterDbtTranslator):
    """Maps the dbt sources raw_taxis.trips / raw_taxis.zones onto duckload's asset keys, so the dbt models
    appear downstream of taxi_trips and taxi_zones."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return AssetKey(f"taxi_{dbt_resource_props['name']}")
        return super().get_asset_key(dbt_resource_props)


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=DuckloadTranslator())
def dbt_analytics(context: AssetExecutionContext, dbt: DbtCliResource):
    yield from dbt.cli(["build"], context=context).stream()


defs = Definitions(
    assets=[taxi_trips, taxi_zones, dbt_analytics],
    resources={"dbt": DbtCliResource(project_dir=dbt_project)},
)
