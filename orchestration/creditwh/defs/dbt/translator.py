"""How a dbt model, seed or test reads in Dagster's catalog. What each asset says comes from the
dbt project, as data: its description and columns (with `data_type`) from the YAML, its owners
from `meta.dagster.owners` (per layer, dbt_project.yml; dagster-dbt reads it), a freshness deadline from
`meta.freshness_deadline` (the model's YAML)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator

LAYER_OF_FOLDER = {
    "staging": "staging", "intermediate": "intermediate", "audit": "audit", "marts": "marts", "public": "public",
}


def _meta(props: Mapping[str, Any]) -> Mapping[str, Any]:
    """A node's meta, whether set in its YAML or by its folder in dbt_project.yml."""
    return {**props.get("config", {}).get("meta", {}), **props.get("meta", {})}


def freshness_policy(props: Mapping[str, Any]) -> dg.FreshnessPolicy | None:
    """`meta.freshness_deadline: {cron, lower_bound_hours, timezone}`: the asset must have been
    materialised in the `lower_bound_hours` before each deadline."""
    deadline = _meta(props).get("freshness_deadline")
    if not deadline:
        return None
    return dg.FreshnessPolicy.cron(deadline_cron=deadline["cron"],
                                   lower_bound_delta=timedelta(hours=deadline["lower_bound_hours"]),
                                   timezone=deadline.get("timezone", "UTC"))


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

    def get_asset_spec(self, manifest, unique_id, project):
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] in ("model", "seed", "snapshot"):
            layer = self._layer(props)
            return spec.replace_attributes(key=dg.AssetKey([layer, props["name"]]), group_name=layer,
                                           freshness_policy=freshness_policy(props))
        return spec
