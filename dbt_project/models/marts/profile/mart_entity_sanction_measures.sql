-- 联合奖惩措施 that apply to each keyed entity itself (target_role subject, applies_to entity) as of the
-- as-of date, for its credit report: one row per list type and measure, however many designations
-- bring it, with the first of their legal bases.
with measures as (
    select * from {{ ref('mart_joint_sanctions') }}
    where target_role = 'subject' and applies_to = 'entity' and entity_code is not null
),

final as (
    select
        entity_code,
        list_type,
        measure_kind,
        measure,
        any_value(legal_basis order by legal_basis) as legal_basis
    from measures
    group by entity_code, list_type, measure_kind, measure
)

select * from final
