{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_records_to_refresh(always='decision_date is null', key=\"('penalty', record_key)\") }}",
          post_hook="{{ consume_records_to_refresh() }}") }}
-- 行政处罚 publication windows (rules.md): the severity (失信程度 as delivered when it is a valid code,
-- else derived from 处罚类别 by seeds/penalty_severity_by_category) and the publication rule in force
-- at the decision date (seeds/penalty_publication_rules): repair possible from, publication ends.
-- Both dates follow from severity and decision date alone; NULL for a never-published severity.
-- A penalty without a decision date takes the rules in force at the as-of date; its dates stay NULL.
-- Incremental by record (macros/records_to_refresh.sql): a run recomputes the penalties
-- int_penalties__current rebuilt, and those without a decision date (their rules follow the as-of date).
with penalties as (
    select
        record_key,
        decision_date,
        severity_delivered,
        coalesce(decision_date, {{ as_of_date() }}) as rule_date,
        case when len(penalty_categories) = 0 then ['*'] else penalty_categories end as categories
    from {{ ref('int_penalties__current') }}
    {%- if refreshes_marked_records_only() %}
    where {{ is_marked_for_refresh('penalty') }} or decision_date is null
    {%- endif %}
),

severity_mapping as (
    {{ rule_versions('penalty_severity_by_category', ['penalty_category']) | indent(4) }}
),

publication_rules as (
    {{ rule_versions('penalty_publication_rules', ['severity']) | indent(4) }}
),

categories as (
    select record_key, rule_date, unnest(categories) as penalty_category
    from penalties
),

category_severity as (
    -- a category not in the mapping (罚款, 其他-…, a code outside the list) takes the row `*`
    select
        categories.record_key,
        coalesce(listed.severity, fallback.severity) as severity,
        coalesce(listed.severity_rank, fallback.severity_rank) as severity_rank
    from categories
    left join severity_mapping as listed
        on listed.penalty_category = categories.penalty_category
        and {{ in_force('listed', 'categories.rule_date') }}
    left join severity_mapping as fallback
        on fallback.penalty_category = '*'
        and {{ in_force('fallback', 'categories.rule_date') }}
),

derived as (
    select record_key, arg_max(severity, severity_rank) as severity_derived
    from category_severity
    group by record_key
),

severities as (
    select
        penalties.*,
        derived.severity_derived,
        case when {{ in_code_list('penalties.severity_delivered', 'severity') }}
            then penalties.severity_delivered else derived.severity_derived end as severity,
        case when {{ in_code_list('penalties.severity_delivered', 'severity') }}
            then 'delivered' else 'derived' end as severity_source
    from penalties
    left join derived using (record_key)
)

select
    severities.record_key,
    severities.decision_date,
    severities.severity_delivered,
    severities.severity_derived,
    severities.severity,
    severities.severity_source,
    rules.regulation,
    rules.effective_from as rule_effective_from,
    rules.is_published as is_published_severity,
    rules.min_publication_months,
    rules.max_publication_months,
    case when rules.is_published
        then {{ add_months('severities.decision_date', 'rules.min_publication_months') }} end as repair_eligible_date,
    case when rules.is_published
        then {{ add_months('severities.decision_date', 'rules.max_publication_months') }} end as publication_end_date
from severities
left join publication_rules as rules
    on rules.severity = severities.severity
    and {{ in_force('rules', 'severities.rule_date') }}
