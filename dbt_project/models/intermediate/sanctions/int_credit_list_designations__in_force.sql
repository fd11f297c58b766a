-- 信用名单 designations in force by the as-of date (rules.md): 列入日期 on or before it. A designation
-- whose 列入日期 is after the as-of date is not yet in force and is left out; one whose 列入日期 does
-- not parse is kept (nothing says it starts later; its defect is flagged upstream). Each carries the
-- date of its agreed repair 移出严重失信主体名单 decided on or before the as-of date, if any, and whether
-- an objection about it is open (under_objection). A designation withdrawn by an objection resolved
-- 删除 on or before the as-of date (rules.md 异议处理) is not in force either: it leaves the lists, and
-- with them the tier evidence, the joint sanctions and 惩戒到人.
with designations as (
    select * from {{ ref('int_credit_list_designations__current') }}
    where designated_date is null or designated_date <= {{ as_of_date() }}
),

repairs as (
    select record_key, repaired_date, repair_record_key
    from {{ ref('int_repairs__by_record') }}
    where related_record_kind = 'credit_list_designation'
)

select
    designations.*,
    repairs.repaired_date,
    repairs.repair_record_key,
    {{ under_objection() }} as under_objection
from designations
left join repairs using (record_key)
{{ join_objections('credit_list', 'designations.designation_doc_no', 'designations.designating_dept_code') }}
where not {{ is_withdrawn() }}
