{{ incremental_by_identity('stg_extracts__credit_list_designations', 'credit_list') }}
-- 信用名单 designations: one row per identity (认定部门 + 列入决定文书号), its current version,
-- keyed by USCC (lists carry no legacy codes).
-- Incremental by record identity (macros/current_versions.sql).
with current_versions as (
    {{ current_versions(new_identities(ref('stg_extracts__credit_list_designations'), 'credit_list')) | indent(4) }}
)

select
    -- the as-of checks sit here, not in staging, so staged rows stay valid whatever the as-of date
    {{ with_as_of_defects('current_versions', 'credit_list') }},
    {{ uscc_entity_code() }} as entity_code
from current_versions
