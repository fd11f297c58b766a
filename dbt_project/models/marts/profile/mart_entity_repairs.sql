-- 信用修复 of each keyed entity, for its credit report: every repair decision keyed to an entity, with
-- whether it is in effect by the as-of date and whether it matched the record it repairs.
with repairs as (
    select * from {{ ref('int_repairs__matched') }}
    where entity_code is not null
),

final as (
    select
        record_key,
        entity_code,
        repair_type,
        related_doc_no,
        repair_decision_date,
        repair_result,
        repair_authority_name,
        is_effective,
        matched_record
    from repairs
)

select * from final
