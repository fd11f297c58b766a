-- 信用名单公示 (marts.md, public; 红黑名单): the designations the credit website may publish as of the
-- as-of date (fct_credit_list_publication publishing: an active 严重失信主体名单 or 守信激励名单
-- designation of an organisation or 个体工商户, an honour not in conflict with a sanction), one row
-- each; one withdrawn by an objection (删除) is not here, one under objection is, marked. Nothing about
-- natural persons: no identity number, no masked person data, no legal representative. The columns
-- are the contract's; free text written by a department is redacted (public_text).
with publishing as (
    select * from {{ ref('fct_credit_list_publication') }}
    where publication_status = 'publishing'
      and {{ is_published_subject_type('subject_type') }}
),

departments as (
    select source_dept_code as designating_dept_code, source_dept_name from {{ ref('dim_department') }}
)

select
    {{ public_text('publishing.list_type') }} as list_type,
    {{ public_text('publishing.entity_code') }} as entity_code,
    {{ public_text('publishing.subject_name') }} as entity_name,
    {{ public_text('publishing.designating_dept_code') }} as designating_dept_code,
    -- the 认定部门 as the list row names it, else the name the department delivers under
    {{ public_text('coalesce(publishing.designating_dept_name, departments.source_dept_name)') }} as designating_dept_name,
    {{ public_text('publishing.designation_doc_no') }} as designation_doc_no,
    {{ public_text('publishing.designation_reason') }} as reason,
    {{ public_text('publishing.designation_basis') }} as basis,
    publishing.designated_date,
    publishing.valid_until,
    publishing.under_objection
from publishing
left join departments using (designating_dept_code)
