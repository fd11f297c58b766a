{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_records_to_refresh(always=records_reached_by_registry_changes(ref('int_submissions__working_days'))) }}",
          post_hook=["{{ consume_records_to_refresh() }}",
                     "{{ record_built_from(staged_files(ref('stg_extracts__registry_entities'))) }}"]) }}
-- 双公示 timeliness and quality: one row per licence and penalty identity (rules.md).
-- Incremental by record (macros/records_to_refresh.sql): a run recomputes the records measured
-- again, and those of the entities whose registration arrived since (码名不符 reads the registry).
with measured as (
    select * from {{ ref('int_submissions__working_days') }}
    where record_kind in ('license', 'penalty')
    {%- if refreshes_marked_records_only() %}
        and ((record_kind, record_key) in ({{ records_marked_for_refresh() }})
             or {{ registry_changes_reach('subject_uscc') }})
    {%- endif %}
),

-- Staging compared each delivery's decision date with its own 报送时间; the rule compares it
-- with the identity's earliest submission, which timeliness is measured on.
defects_on_first_submission as (
    select
        *,
        list_filter(defects, lambda code: code <> 'DATE_ORDER:decision_after_submission')
            || case when clock_start_date > submitted_date then ['DATE_ORDER:decision_after_submission'] else [] end
            as record_defects
    from measured
),

-- 码名不符 is judged against the registry's current 主体名称 of a valid USCC
registry as (
    select entity_uscc, entity_name from {{ ref('int_registry_entities__current') }}
),

with_registry_name as (
    select records.*, registry.entity_name as registry_entity_name
    from defects_on_first_submission as records
    left join registry
        on registry.entity_uscc = records.subject_uscc
        and coalesce(records.subject_type, '') <> '自然人'
        and {{ is_valid_uscc('records.subject_uscc') }}
),

final as (
    select
        record_kind,
        record_key,
        source_dept_code,
        source_dept_name,
        region_code,
        doc_no,
        subject_type,
        entity_code,
        clock_start_date as decision_date,
        submitted_date,
        cast(working_days_elapsed as integer) as working_days_elapsed,
        is_on_time,
        -- 合规: every present value well-formed; 完整: every required value present
        len(list_filter(record_defects, lambda code: not starts_with(code, 'MISSING:'))) = 0 as is_compliant,
        len(list_filter(record_defects, lambda code: starts_with(code, 'MISSING:'))) = 0 as is_complete,
        -- 错码: a record about an organisation or 个体工商户 without a valid USCC
        coalesce(subject_type, '') <> '自然人' and (subject_uscc is null or not {{ is_valid_uscc('subject_uscc') }})
            as has_uscc_error,
        -- 码名不符: the registry knows the valid code under another name (case, width, blanks and
        -- parentheses aside); a missing name is incompleteness, not a mismatch
        coalesce({{ comparable_name('subject_name') }} <> {{ comparable_name('registry_entity_name') }}, false)
            as has_name_mismatch,
        lacks_submission_date,
        array_to_string(list_sort(record_defects), ',') as defects,
        period_month,
        period_quarter
    from with_registry_name
)

-- the Chinese label beside each code (seeds/code_labels.csv)
select
    *,
    {{ code_label('record_kind', 'record_kind') }} as record_kind_label
from final
