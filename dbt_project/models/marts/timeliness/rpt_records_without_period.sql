-- 无法归期 (rules.md "Monthly monitoring"): per source department and record kind, the records with
-- neither a usable submission date nor a decision date — no month or quarter counts them.
with records as (
    select * from {{ ref('fct_disclosure_timeliness') }}
    where period_month is null
),

departments as (
    select * from {{ ref('dim_department') }}
),

final as (
    select
        records.source_dept_code,
        departments.source_dept_name,
        departments.region_code,
        records.record_kind,
        count(*) as records
    from records
    left join departments using (source_dept_code)
    group by all
)

select
    *,
    {{ code_label('record_kind', 'record_kind') }} as record_kind_label
from final
