-- 信用名单 designations of each keyed entity, for its credit report: those in force by the as-of date
-- with their status (fct_credit_list_membership), and those whose 列入日期 lies after it, status
-- not_yet_in_force (尚未生效): decided, delivered, not yet counted by any rule.
{%- set columns = ['record_key', 'entity_code', 'list_type', 'designation_doc_no', 'designation_reason',
                   'designating_dept_name', 'designated_date', 'valid_until', 'removed_date'] %}
with in_force as (
    select * from {{ ref('fct_credit_list_membership') }}
    where entity_code is not null
),

not_yet_in_force as (
    select * from {{ ref('int_credit_list_designations__current') }}
    where entity_code is not null and designated_date > {{ as_of_date() }}
),

final as (
    select {{ columns | join(', ') }}, status
    from in_force
    union all
    select {{ columns | join(', ') }}, 'not_yet_in_force' as status
    from not_yet_in_force
)

-- the Chinese label beside each code (seeds/code_labels.csv)
select
    *,
    {{ code_label('list_status', 'status') }} as status_label
from final
