{{ incremental_by_identity('stg_extracts__repairs', 'repair') }}
-- 信用修复: one row per record identity, its current version.
-- Incremental by record identity (macros/current_versions.sql).
with current_versions as (
    {{ current_versions(new_identities(ref('stg_extracts__repairs'), 'repair')) | indent(4) }}
)

select
    -- the as-of checks sit here, not in staging, so staged rows stay valid whatever the as-of date
    {{ with_as_of_defects('current_versions', 'repair') }},
    {{ uscc_entity_code(subject_type=none) }} as entity_code
from current_versions
