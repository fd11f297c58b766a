-- 行政许可: one row per record identity, its current version, keyed to the registry.
with current_versions as (
    {{ current_versions(ref('stg_extracts__licenses')) | indent(4) }}
)

select
    -- the as-of check sits here, not in staging, so staged rows stay valid whatever the as-of date
    records.* replace (records.defects || {{ defect_list([
        ("records.decision_date > " ~ as_of_date(), "DATE_ORDER:decision_after_as_of")]) }} as defects),
    {{ keyed_entity_columns('records') }}
from current_versions as records
{{ keyed_entity_joins('records') }}
