{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          meta={'as_of_column': 'as_of_date'},
          pre_hook=["{{ pass_on_records_to_refresh(also=records_reached_by('penalty',
                        '(' ~ objection_changes_reach() ~ ') or (' ~ repair_changes_reach() ~ ')')) }}",
                    "{{ delete_records_to_refresh(always='(' ~ objection_changes_reach() ~ ') or (' ~ repair_changes_reach() ~ ')',
                                                  key=\"('penalty', record_key)\") }}"],
          post_hook=["{{ consume_records_to_refresh() }}",
                     "{{ record_built_from_staged(ref('stg_extracts__objections')) }}",
                     "{{ record_built_from_staged(ref('stg_extracts__repairs')) }}"]) }}
-- 行政处罚公示状态 as of the as-of date: one row per penalty identity (marts.md).
-- rules.md, first rule that matches: revoked (记录状态 撤销) → withdrawn (an objection about it resolved
-- 删除 by as-of, int_objections__by_record) → not_published (a never-published severity, or a subject
-- type the public may not see: a natural person or a type outside the code list, var
-- published_subject_types) → repaired (agreed repair decided by as-of) → expired
-- (as-of >= publication end) → publishing. Unlike list designations, rules.md leaves no penalty
-- out: one decided after the as-of date (flagged DATE_ORDER:decision_after_as_of in staging)
-- takes its status by the same rules.
-- Incremental by record (macros/records_to_refresh.sql): a run recomputes the penalties rebuilt
-- upstream and those an objection or a repair staged since may name; every penalty when the as-of
-- date moves.
with penalties as (
    select * from {{ ref('int_penalties__current') }}
    {%- if refreshes_marked_records_only() %}
    where {{ is_marked_for_refresh('penalty') }} or {{ objection_changes_reach() }} or {{ repair_changes_reach() }}
    {%- endif %}
),

windows as (
    select * from {{ ref('int_penalties__publication_windows') }}
),

repairs as (
    select record_key, repaired_date, repair_record_key
    from {{ ref('int_repairs__by_record') }}
    where related_record_kind = 'penalty'
),

final as (
    select
        penalties.record_key,
        penalties.source_dept_code,
        penalties.source_dept_name,
        penalties.doc_no,
        penalties.authority_code,
        penalties.authority_name,
        penalties.entity_code,
        penalties.subject_type,
        {{ organisation_name('penalties.subject_name', 'penalties.subject_type', 'penalties.entity_code') }} as subject_name,
        windows.severity,
        windows.severity_source,
        windows.regulation,
        penalties.decision_date,
        windows.repair_eligible_date,
        windows.publication_end_date,
        penalties.record_status,
        repairs.repaired_date,
        repairs.repair_record_key,
        objections.withdrawn_date,
        {{ under_objection() }} as under_objection,
        case
            when penalties.record_status = '撤销' then 'revoked'
            when {{ is_withdrawn() }} then 'withdrawn'
            when not windows.is_published_severity
                or not {{ is_published_subject_type('penalties.subject_type') }} then 'not_published'
            when repairs.repaired_date is not null then 'repaired'
            when {{ as_of_date() }} >= windows.publication_end_date then 'expired'
            else 'publishing'
        end as publication_status,
        {{ as_of_date() }} as as_of_date
    from penalties
    join windows using (record_key)
    left join repairs using (record_key)
    {{ join_objections('penalty', 'penalties.doc_no', 'penalties.authority_code') }}
)

-- the Chinese label beside each code (seeds/code_labels.csv)
select
    *,
    {{ code_label('publication_status', 'publication_status') }} as publication_status_label,
    {{ code_label('severity_source', 'severity_source') }} as severity_source_label
from final
