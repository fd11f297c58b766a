-- 异议处理 as of the as-of date (rules.md "Objections (异议处理)"): one row per objection identity
-- (数据来源单位统一社会信用代码 + 异议编号). An objection accepted after the as-of date is left out;
-- one whose 受理日期 is unknown is kept (nothing says it came later), its handling time unknown.
--   status:             open while no 办结日期 on or before the as-of date, else resolved;
--   working_days_taken: working days d with 受理日期 < d <= 办结日期 (the as-of date while open),
--                       on the State Council calendar, as timeliness counts them;
--   is_overdue:         more working days than var objection_deadline_working_days;
--   matched:            the record objected to is in the warehouse (licence by 许可机关 + 文书号,
--                       penalty by 处罚机关 + 文书号, designation by 认定部门 + 列入决定文书号).
with objections as (
    select * from {{ ref('int_objections__current') }}
    where accepted_date is null or accepted_date <= {{ as_of_date() }}
),

calendar as (
    select calendar_date, working_day_number from {{ ref('int_calendar__working_days') }}
),

targets as (
    -- union, not union all: a document number may name several records of one authority. Only the
    -- records an objection names: de-duplicating every record's was most of the work.
    select 'license' as target_kind, doc_no as target_doc_no, authority_code as target_authority_code
    from {{ ref('int_licenses__current') }}
    where (doc_no, authority_code) in (
        select target_doc_no, target_authority_code from objections where target_kind = 'license')
    union
    select 'penalty', doc_no, authority_code
    from {{ ref('int_penalties__current') }}
    where (doc_no, authority_code) in (
        select target_doc_no, target_authority_code from objections where target_kind = 'penalty')
    union
    select 'credit_list', designation_doc_no, designating_dept_code
    from {{ ref('int_credit_list_designations__current') }}
    where (designation_doc_no, designating_dept_code) in (
        select target_doc_no, target_authority_code from objections where target_kind = 'credit_list')
),

as_of_state as (
    select
        *,
        coalesce(resolved_date <= {{ as_of_date() }}, false) as is_resolved
    from objections
),

measured as (
    select
        as_of_state.*,
        case when is_resolved then resolved_date else {{ as_of_date() }} end as clock_end_date,
        clock_end_day.working_day_number - accepted_day.working_day_number as working_days_taken
    from as_of_state
    left join calendar as accepted_day
        on accepted_day.calendar_date = {{ date_in_force('as_of_state.accepted_date') }}
    left join calendar as clock_end_day
        on clock_end_day.calendar_date = case when as_of_state.is_resolved then as_of_state.resolved_date
                                              else {{ as_of_date() }} end
       and clock_end_day.calendar_date >= as_of_state.accepted_date
),

final as (
    select
        measured.record_key,
        measured.objection_no,
        measured.source_dept_code,
        measured.source_dept_name,
        measured.handling_dept_code,
        measured.handling_dept_name,
        measured.objection_category,
        measured.target_kind,
        measured.target_doc_no,
        measured.target_authority_code,
        measured.entity_code,
        measured.subject_type,
        {{ organisation_name('measured.subject_name', 'measured.subject_type', 'measured.entity_code') }} as subject_name,
        case when measured.subject_type = '自然人' then {{ mask_person_name('measured.subject_name') }} end
            as person_name_masked,
        measured.accepted_date,
        case when measured.is_resolved then measured.resolved_date end as resolved_date,
        case when measured.is_resolved then measured.outcome end as outcome,
        case when measured.is_resolved then 'resolved' else 'open' end as status,
        cast(measured.working_days_taken as integer) as working_days_taken,
        coalesce(measured.working_days_taken > {{ var('objection_deadline_working_days') }}, false) as is_overdue,
        targets.target_kind is not null as matched,
        measured.defects,
        {{ as_of_date() }} as as_of_date
    from measured
    left join targets
        on targets.target_kind = measured.target_kind
       and targets.target_doc_no = measured.target_doc_no
       and targets.target_authority_code = measured.target_authority_code
)

select
    *,
    {{ code_label('objection_status', 'status') }} as status_label,
    {{ code_label('record_kind', 'target_kind') }} as target_kind_label
from final
