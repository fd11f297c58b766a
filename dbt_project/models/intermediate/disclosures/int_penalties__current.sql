{{ incremental_by_identity('stg_extracts__penalties', 'penalty') }}
-- 行政处罚: one row per record identity, its current version, keyed to the registry.
-- Incremental by record identity (macros/current_versions.sql).
with current_versions as (
    {{ current_versions(new_identities(ref('stg_extracts__penalties'), 'penalty')) | indent(4) }}
)

select
    -- the as-of check sits here, not in staging, so staged rows stay valid whatever the as-of date
    {{ with_as_of_defects('records', 'penalty') }},
    {{ keyed_entity_columns('records') }}
from current_versions as records
{{ keyed_entity_joins('records') }}
