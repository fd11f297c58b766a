{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          meta={'as_of_column': 'as_of_date'},
          pre_hook=["{{ pass_on_records_to_refresh(also=records_reached_by('license', objection_changes_reach())) }}",
                    "{{ delete_records_to_refresh(always=objection_changes_reach(), key=\"('license', record_key)\") }}"],
          post_hook=["{{ consume_records_to_refresh() }}",
                     "{{ record_built_from_staged(ref('stg_extracts__objections')) }}"]) }}
-- 行政许可公示状态 as of the as-of date (rules.md "Public disclosure"): one row per licence identity,
-- with the reason a licence is or is not on the credit website. The rule (seeds/license_publication_rules)
-- is the one in force at the decision date; the subject types the public may see are the var
-- published_subject_types. First rule that matches:
-- withdrawn (an objection about it resolved 删除 by as-of: 异议处理) → not_published (a subject type
-- the public may not see: a natural person, a type outside the code list) → no_valid_code (no valid USCC, even after legacy keying) → inactive (a 当前状态 the rule does
-- not publish, or none it knows) → not_yet_decided (decided after the as-of date, or no decision date)
-- → then, when the rule publishes only licences in force and 有效期至 is not open-ended: expired
-- (有效期至 before the as-of date) or validity_unknown (有效期至 does not parse) → publishing.
-- under_objection: an objection about it is open as of the as-of date (it stays, marked).
-- Incremental by record (macros/records_to_refresh.sql): a run recomputes the licences rebuilt
-- upstream and those an objection staged since may name; every licence when the as-of date moves.
with licenses as (
    select * from {{ ref('int_licenses__current') }}
    {%- if refreshes_marked_records_only() %}
    where {{ is_marked_for_refresh('license') }} or {{ objection_changes_reach() }}
    {%- endif %}
),

publication_rules as (
    {{ rule_versions('license_publication_rules', ['license_status']) | indent(4) }}
),

ruled as (
    select
        licenses.*,
        rules.regulation,
        coalesce(rules.is_published, false) as is_published_status,
        coalesce(rules.requires_in_force, true) as requires_in_force,
        {{ under_objection() }} as under_objection,
        {{ is_withdrawn() }} as is_withdrawn
    from licenses
    {{ join_objections('license', 'licenses.doc_no', 'licenses.authority_code') }}
    left join publication_rules as rules
        on rules.license_status = licenses.license_status
        and {{ in_force('rules', 'coalesce(licenses.decision_date, ' ~ as_of_date() ~ ')') }}
),

final as (
    select
        record_key,
        source_dept_code,
        source_dept_name,
        doc_no,
        authority_code,
        authority_name,
        entity_code,
        subject_type,
        {{ organisation_name('subject_name', 'subject_type', 'entity_code') }} as subject_name,
        license_status,
        decision_date,
        valid_from,
        valid_until,
        is_open_ended,
        regulation,
        under_objection,
        case
            when is_withdrawn then 'withdrawn'
            when not {{ is_published_subject_type('subject_type') }} then 'not_published'
            when entity_code is null then 'no_valid_code'
            when not is_published_status then 'inactive'
            when decision_date is null or decision_date > {{ as_of_date() }} then 'not_yet_decided'
            when not requires_in_force or coalesce(is_open_ended, false) then 'publishing'
            when valid_until < {{ as_of_date() }} then 'expired'
            when valid_until is null then 'validity_unknown'
            else 'publishing'
        end as publication_status,
        {{ as_of_date() }} as as_of_date
    from ruled
)

-- the Chinese label beside each code (seeds/code_labels.csv)
select
    *,
    {{ code_label('license_publication_status', 'publication_status') }} as publication_status_label
from final
