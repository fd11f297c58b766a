-- 信用承诺 of each keyed entity, for its credit report: the current version of every commitment keyed
-- to an entity.
with commitments as (
    select * from {{ ref('int_commitments__current') }}
    where entity_code is not null
),

final as (
    select
        record_key,
        entity_code,
        commitment_type,
        commitment_matter,
        commitment_date,
        accepting_dept_name,
        fulfilment_status,
        breach_date
    from commitments
)

select * from final
