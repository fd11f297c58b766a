"""How a dbt model, seed or test reads in Dagster's catalog. What each asset says comes from the
dbt project, as data: its description and columns (with `data_type`) from the YAML, its owners
from `meta.dagster.owners` (per layer, dbt_project.yml), a freshness deadline from
`meta.dagster.freshness`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator

LAYER_OF_FOLDER = {
    "staging": "staging", "intermediate": "intermediate", "audit": "audit", "marts": "marts", "public": "public",
}


def _dagster_meta(props: Mapping[str, Any]) -> Mapping[str, Any]:
    """`meta.dagster` of a node, whether set in its YAML or by its folder in dbt_project.yml."""
    return {**props.get("config", {}).get("meta", {}).get("dagster", {}), **props.get("meta", {}).get("dagster", {})}


def freshness_policy(props: Mapping[str, Any]) -> dg.FreshnessPolicy | None:
    """`meta.dagster.freshness: {deadline_cron, lower_bound_hours, timezone}`: the asset must have
    been materialised in the `lower_bound_hours` before each deadline."""
    freshness = _dagster_meta(props).get("freshness")
    if not freshness:
        return None
    return dg.FreshnessPolicy.cron(deadline_cron=freshness["deadline_cron"],
                                   lower_bound_delta=timedelta(hours=freshness["lower_bound_hours"]),
                                   timezone=freshness.get("timezone", "UTC"))


class LayeredTranslator(DagsterDbtTranslator):
    """Asset keys and groups follow the layer (the model's top folder / schema)."""

    def _layer(self, props: Mapping[str, Any]) -> str:
        if props["resource_type"] == "seed":
            return "reference"
        fqn = props.get("fqn", [])
        return LAYER_OF_FOLDER.get(fqn[1] if len(fqn) > 2 else "", "staging")

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        # the YAML's description alone: dagster-dbt's default appends the model's raw SQL
        return dbt_resource_props.get("description") or ""

    def get_owners(self, dbt_resource_props: Mapping[str, Any]):
        return _dagster_meta(dbt_resource_props).get("owners") or super().get_owners(dbt_resource_props)

    def get_asset_spec(self, manifest, unique_id, project):
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] in ("model", "seed", "snapshot"):
            layer = self._layer(props)
            return spec.replace_attributes(key=dg.AssetKey([layer, props["name"]]), group_name=layer,
                                           freshness_policy=freshness_policy(props))
        return spec
