-- 信用名单公示状态 as of the as-of date (rules.md "Public disclosure"): one row per designation in force
-- by the as-of date (fct_credit_list_membership), with the reason it is or is not on the credit
-- website (红黑名单). Which lists are published is seeds/credit_list_publication_rules, by the rule in
-- force at 列入日期; the subject types the public may see are the var published_subject_types.
-- First rule that matches: list_not_published (重点关注名单: for supervisors) → not_published (a
-- natural person, a type outside the code list) → inactive (membership status not active: removed,
-- expired, repaired) → in_conflict (an honour designation while the entity is sanctioned: a current
-- honor_while_sanctioned in fct_sanction_conflicts, not published while the conflict stands) →
-- publishing. A designation withdrawn by an objection (删除) is not in force, so not here; one under
-- an open objection is, marked under_objection (fct_credit_list_membership).
with membership as (
    select * from {{ ref('fct_credit_list_membership') }}
),

designations as (
    select record_key, designation_basis from {{ ref('int_credit_list_designations__in_force') }}
),

publication_rules as (
    {{ rule_versions('credit_list_publication_rules', ['list_type']) | indent(4) }}
),

conflicts as (
    select distinct doc_no as designation_doc_no, authority_code as designating_dept_code, true as is_in_conflict
    from {{ ref('fct_sanction_conflicts') }}
    where conflict_type = 'honor_while_sanctioned' and record_kind = 'credit_list' and is_current
),

ruled as (
    select
        membership.*,
        designations.designation_basis,
        rules.regulation,
        coalesce(rules.is_published, false) as is_published_list,
        coalesce(conflicts.is_in_conflict, false) as is_in_conflict
    from membership
    left join designations using (record_key)
    left join conflicts using (designation_doc_no, designating_dept_code)
    left join publication_rules as rules
        on rules.list_type = membership.list_type
        and {{ in_force('rules', 'coalesce(membership.designated_date, membership.as_of_date)') }}
),

final as (
    select
        record_key,
        list_type,
        entity_code,
        subject_type,
        subject_name,
        designating_dept_code,
        designating_dept_name,
        designation_doc_no,
        designation_reason,
        designation_basis,
        designated_date,
        valid_until,
        status as membership_status,
        regulation,
        under_objection,
        case
            when not is_published_list then 'list_not_published'
            when not {{ is_published_subject_type('subject_type') }} then 'not_published'
            when status <> 'active' then 'inactive'
            when is_in_conflict then 'in_conflict'
            else 'publishing'
        end as publication_status,
        as_of_date
    from ruled
)

-- the Chinese label beside each code (seeds/code_labels.csv)
select
    *,
    {{ code_label('list_publication_status', 'publication_status') }} as publication_status_label
from final
