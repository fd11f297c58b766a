-- 信用名单 designations of each keyed entity, for its credit report: those in force by the as-of date
-- with their status (fct_credit_list_membership), and those whose 列入日期 lies after it, status
-- not_yet_in_force (尚未生效): decided, delivered, not yet counted by any rule; and those withdrawn by an
-- objection resolved 删除 (rules.md 异议处理), status withdrawn: delivered, counted by no rule.
-- under_objection: an objection about the designation is open as of the as-of date.
{%- set columns = ['record_key', 'entity_code', 'list_type', 'designation_doc_no', 'designation_reason',
                   'designating_dept_name', 'designated_date', 'valid_until', 'removed_date'] %}
with in_force as (
    select * from {{ ref('fct_credit_list_membership') }}
    where entity_code is not null
),

not_in_force as (
    select
        designations.*,
        case when designations.designated_date > {{ as_of_date() }} then 'not_yet_in_force' else 'withdrawn' end
            as status,
        {{ under_objection() }} as under_objection
    from {{ ref('int_credit_list_designations__current') }} as designations
    {{ join_objections('credit_list', 'designations.designation_doc_no', 'designations.designating_dept_code') }}
    where designations.entity_code is not null
      and (designations.designated_date > {{ as_of_date() }} or {{ is_withdrawn() }})
),

final as (
    select {{ columns | join(', ') }}, status, under_objection
    from in_force
    union all
    select {{ columns | join(', ') }}, status, under_objection
    from not_in_force
)

-- the Chinese label beside each code (seeds/code_labels.csv)
select
    *,
    {{ code_label('list_status', 'status') }} as status_label
from final
