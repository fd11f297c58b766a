-- seeds/reporting_obligations.csv: months are first days, a period does not end before it starts,
-- codes are written as the marts hold them (upper case, no blanks).
with obligations as (
    select * from {{ ref('reporting_obligations') }}
)

select dept_code, record_kind, from_month, to_month, 'from_month or to_month is not the first day of a month' as problem
from obligations
where day(from_month) <> 1 or day(to_month) <> 1
union all
select dept_code, record_kind, from_month, to_month, 'to_month before from_month'
from obligations
where to_month < from_month
union all
select dept_code, record_kind, from_month, to_month, 'dept_code not upper case without blanks'
from obligations
where dept_code <> upper(replace(trim(dept_code), ' ', ''))
