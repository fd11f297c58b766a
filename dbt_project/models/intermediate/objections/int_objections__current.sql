-- 异议处理: one row per objection identity (数据来源单位统一社会信用代码 + 异议编号), its current
-- version, keyed by USCC (objections carry no legacy codes; a 自然人 objector is never keyed), with
-- the kind of record it names (seeds/objection_target_kinds: NULL for a 异议信息类别 outside the list).
with current_versions as (
    {{ current_versions(ref('stg_extracts__objections')) | indent(4) }}
),

target_kinds as (
    select objection_category, target_kind from {{ ref('objection_target_kinds') }}
)

select
    -- the as-of checks sit here, not in staging, so staged rows stay valid whatever the as-of date
    {{ with_as_of_defects('current_versions', 'objection') }},
    {{ uscc_entity_code('current_versions.subject_type', 'current_versions.subject_uscc') }} as entity_code,
    target_kinds.target_kind
from current_versions
left join target_kinds using (objection_category)
