{{ incremental_by_identity('stg_extracts__commitments', 'commitment') }}
-- 信用承诺: one row per record identity, its current version, keyed by USCC.
-- Incremental by record identity (macros/current_versions.sql).
with current_versions as (
    {{ current_versions(new_identities(ref('stg_extracts__commitments'), 'commitment')) | indent(4) }}
)

select
    -- the as-of checks sit here, not in staging, so staged rows stay valid whatever the as-of date
    {{ with_as_of_defects('current_versions', 'commitment') }},
    {{ uscc_entity_code() }} as entity_code
from current_versions
