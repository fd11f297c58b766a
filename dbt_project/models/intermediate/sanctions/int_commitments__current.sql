-- 信用承诺: one row per record identity, its current version, keyed by USCC.
with current_versions as (
    {{ current_versions(ref('stg_extracts__commitments')) | indent(4) }}
)

select
    -- the as-of checks sit here, not in staging, so staged rows stay valid whatever the as-of date
    {{ with_as_of_defects('current_versions', 'commitment') }},
    {{ uscc_entity_code() }} as entity_code
from current_versions
