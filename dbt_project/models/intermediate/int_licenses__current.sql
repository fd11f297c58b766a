-- 行政许可: one row per record identity, its current version, keyed to the registry.
with current_versions as (
    {{ current_versions(ref('stg_extracts__licenses')) | indent(4) }}
)

select
    records.*,
    {{ keyed_entity_columns('records') }}
from current_versions as records
{{ keyed_entity_joins('records') }}
