{{ incremental_by_entity("{'penalty': ref('fct_penalty_publication'), 'commitment': ref('int_commitments__current')}",
                         "designation_evidence_changed()") }}
-- 信用分级依据 (rules.md "Credit tier") as of the as-of date: one row per entity, tier rule and record
-- that matches it. The rules (order, tier, list type or severity, window, label) are rows of
-- seeds/credit_tier_rules.csv; this model only knows what each kind of evidence means:
--   active_designation  an active designation of the rule's list type (fct_credit_list_membership;
--                       a designation dated after the as-of date is not there);
--   publishing_penalty  a penalty of the rule's severity with publication_status publishing, decided on
--                       or before the as-of date (or on an unparseable date);
--   commitment_breach   a commitment with 履约状态 违诺 whose 违诺认定日期 lies in the window;
--   recent_penalty      any penalty not revoked (nor withdrawn by an objection) whose 处罚决定日期 lies in
--                       the window.
-- A designation or penalty withdrawn by an objection (删除) is never evidence: the first is not in
-- fct_credit_list_membership, the second is publication_status withdrawn.
-- The window of n months is (as-of − n months, as-of] (macro in_months_up_to). An entity's decisive
-- row (is_decisive) is its first rule by rule_order, then its most recent record, then the record's
-- label and key: the tier and reason of mart_entity_credit_profile.
-- Incremental by entity (macros/records_to_refresh.sql): a run recomputes the entities of the
-- penalties and commitments rebuilt upstream and those whose designation evidence changed (the
-- membership is rebuilt whole, and small); every entity when the as-of date moves.
{%- set recomputed = entity_recomputed() %}  {#- one query for the whole model #}
with rules as (
    select * from {{ ref('credit_tier_rules') }}
),

memberships as (
    select * from {{ ref('fct_credit_list_membership') }}
    where entity_code is not null and {{ recomputed }}
),

penalties as (
    select * from {{ ref('fct_penalty_publication') }}
    where entity_code is not null and {{ recomputed }}
),

commitments as (
    select * from {{ ref('int_commitments__current') }}
    where entity_code is not null and {{ recomputed }}
),

active_designations as (
    {{ designation_evidence('memberships', 'rules') | indent(4) }}
),

penalty_evidence as (
    select
        rules.rule_code,
        penalties.entity_code,
        'penalty' as record_kind,
        penalties.record_key,
        penalties.doc_no as record_label,
        penalties.decision_date as event_date
    from penalties
    join rules on rules.evidence in ('publishing_penalty', 'recent_penalty')
    where (rules.evidence = 'publishing_penalty'
           and penalties.severity = rules.evidence_value
           and penalties.publication_status = 'publishing'
           and coalesce(penalties.decision_date <= {{ as_of_date() }}, true))
       or (rules.evidence = 'recent_penalty'
           and penalties.publication_status not in ('revoked', 'withdrawn')
           and {{ in_months_up_to('penalties.decision_date', 'rules.window_months', as_of_date()) }})
),

commitment_breaches as (
    select
        rules.rule_code,
        commitments.entity_code,
        'commitment' as record_kind,
        commitments.record_key,
        concat(coalesce(commitments.commitment_type, '信用承诺'), '「', commitments.commitment_matter, '」违诺认定 ',
               strftime(commitments.breach_date, '%Y-%m-%d')) as record_label,
        commitments.breach_date as event_date
    from commitments
    join rules on rules.evidence = 'commitment_breach'
    where commitments.fulfilment_status = '违诺'
      and {{ in_months_up_to('commitments.breach_date', 'rules.window_months', as_of_date()) }}
),

evidence as (
    select * from active_designations
    union all
    select * from penalty_evidence
    union all
    select * from commitment_breaches
),

final as (
    select
        evidence.entity_code || '|' || evidence.rule_code || '|' || evidence.record_key as evidence_key,
        evidence.entity_code,
        rules.rule_order,
        evidence.rule_code,
        rules.tier,
        rules.rule_label,
        evidence.record_kind,
        case evidence.record_kind
            when 'credit_list_designation' then 'marts.fct_credit_list_membership'
            when 'penalty' then 'marts.fct_penalty_publication'
            when 'commitment' then 'intermediate.int_commitments__current'
        end as record_table,
        evidence.record_key,
        evidence.record_label,
        evidence.event_date,
        rules.tier || ': ' || rules.rule_label || ' ' || coalesce(evidence.record_label, evidence.record_key) as reason,
        row_number() over (
            partition by evidence.entity_code
            order by rules.rule_order, evidence.event_date desc nulls last, evidence.record_label, evidence.record_key
        ) = 1 as is_decisive,
        {{ as_of_date() }} as as_of_date
    from evidence
    join rules using (rule_code)
)

-- the Chinese label beside each code (seeds/code_labels.csv)
select
    *,
    {{ code_label('record_kind', 'record_kind') }} as record_kind_label
from final
