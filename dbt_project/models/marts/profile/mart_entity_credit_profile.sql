{{ incremental_by_entity("{'license': ref('int_licenses__current'), 'penalty': ref('int_penalties__current'),
                           'credit_list': ref('int_credit_list_designations__current'),
                           'commitment': ref('int_commitments__current'), 'repair': ref('int_repairs__current')}",
                         "list_flags_changed()") }}
-- 主体信用档案 (marts.md mart_entity_credit_profile) as of the as-of date: one row per entity known to
-- the warehouse — every registered entity with a valid code (dim_entity) and every code a record is
-- keyed to (licences, penalties, designations, commitments, repairs) although the registry does not
-- know it. Natural persons are never keyed, so never here. The tier is the entity's decisive row of
-- fct_credit_tier_evidence, else the fallback rule (evidence none, tier A) of seeds/credit_tier_rules;
-- the sampling ratio is its tier's in seeds/credit_tiers. Counts are of the records the warehouse
-- holds (current versions); last_event_date is the latest record date on or before the as-of date.
-- Incremental by entity (macros/records_to_refresh.sql): a run recomputes the entities of the
-- records and registrations rebuilt upstream, those fct_credit_tier_evidence recomputed and those
-- whose list flags changed (the membership is rebuilt whole, and small); every entity when the
-- as-of date moves.
{%- set recomputed = entity_recomputed() %}  {#- one query for the whole model #}
with registry as (
    select * from {{ ref('dim_entity') }}
    where is_valid_code and {{ recomputed }}
),

licenses as (
    select * from {{ ref('int_licenses__current') }} where entity_code is not null and {{ recomputed }}
),

penalties as (
    select * from {{ ref('int_penalties__current') }} where entity_code is not null and {{ recomputed }}
),

designations as (
    select * from {{ ref('int_credit_list_designations__current') }}
    where entity_code is not null and {{ recomputed }}
),

commitments as (
    select * from {{ ref('int_commitments__current') }} where entity_code is not null and {{ recomputed }}
),

repairs as (
    select * from {{ ref('int_repairs__current') }} where entity_code is not null and {{ recomputed }}
),

-- every keyed record: the entity it names, under which name, delivered when
keyed_records as (
    {%- for relation in ['licenses', 'penalties', 'designations', 'commitments', 'repairs'] %}
    select entity_code, subject_name, submitted_at from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- every dated event of a record: decision, designation, removal, commitment, breach, repair
event_dates as (
    select entity_code, decision_date as event_date from licenses
    union all
    select entity_code, decision_date from penalties
    union all
    select entity_code, designated_date from designations
    union all
    select entity_code, removed_date from designations
    union all
    select entity_code, commitment_date from commitments
    union all
    select entity_code, breach_date from commitments
    union all
    select entity_code, repair_decision_date from repairs
),

-- the name on an entity's latest record, needed only where the registry has no name: ordering every
-- record's name by delivery was most of this model's work
from_records as (
    select
        entity_code,
        first(subject_name order by submitted_at desc nulls last, subject_name) filter (where subject_name is not null)
            as latest_record_name
    from keyed_records
    anti join (select entity_code from registry where entity_name is not null) using (entity_code)
    group by entity_code
),

last_events as (
    select entity_code, max(event_date) as last_event_date
    from event_dates
    where event_date <= {{ as_of_date() }}
    group by entity_code
),

entities as (
    select entity_code from registry
    union
    select entity_code from keyed_records
),

license_counts as (
    select entity_code, count(*) as licenses_total from licenses group by entity_code
),

penalty_counts as (
    select
        entity_code,
        count(*) as penalties_total,
        count(*) filter (where publication_status = 'publishing') as penalties_publishing
    from {{ ref('fct_penalty_publication') }}
    where entity_code is not null and {{ recomputed }}
    group by entity_code
),

list_flags as (
    {{ list_flags("(select * from " ~ ref('fct_credit_list_membership') ~ " where " ~ recomputed ~ ")") | indent(4) }}
),

commitment_counts as (
    select
        entity_code,
        count(*) as commitments_total,
        count(*) filter (where fulfilment_status = '违诺') as commitment_breaches
    from commitments
    group by entity_code
),

repair_counts as (
    select entity_code, count(*) as repairs_total from repairs group by entity_code
),

decisive as (
    select * from {{ ref('fct_credit_tier_evidence') }}
    where is_decisive and {{ recomputed }}
),

evidence_counts as (
    select entity_code, count(*) as tier_evidence_count
    from {{ ref('fct_credit_tier_evidence') }}
    where {{ recomputed }}
    group by entity_code
),

fallback as (
    select * from {{ ref('credit_tier_rules') }}
    where evidence = 'none'
),

tiers as (
    select * from {{ ref('credit_tiers') }}
),

final as (
    select
        entities.entity_code,
        coalesce(registry.entity_name, from_records.latest_record_name) as entity_name,
        {{ region_of('entities.entity_code') }} as region_code,
        coalesce(decisive.tier, fallback.tier) as credit_tier,
        coalesce(decisive.reason, fallback.tier || ': ' || fallback.rule_label) as tier_reason,
        coalesce(license_counts.licenses_total, 0) as licenses_total,
        coalesce(penalty_counts.penalties_total, 0) as penalties_total,
        coalesce(penalty_counts.penalties_publishing, 0) as penalties_publishing,
        coalesce(list_flags.on_serious_list, false) as on_serious_list,
        coalesce(list_flags.on_watch_list, false) as on_watch_list,
        coalesce(list_flags.on_honor_list, false) as on_honor_list,
        coalesce(commitment_counts.commitments_total, 0) as commitments_total,
        coalesce(commitment_counts.commitment_breaches, 0) as commitment_breaches,
        coalesce(repair_counts.repairs_total, 0) as repairs_total,
        last_events.last_event_date,
        tiers.tier_name,
        tiers.supervision,
        tiers.sampling_ratio,
        coalesce(decisive.rule_order, fallback.rule_order) as tier_rule_order,
        coalesce(decisive.rule_code, fallback.rule_code) as tier_rule_code,
        decisive.record_kind as tier_record_kind,
        decisive.record_table as tier_record_table,
        decisive.record_key as tier_record_key,
        decisive.record_label as tier_record_label,
        decisive.event_date as tier_event_date,
        coalesce(evidence_counts.tier_evidence_count, 0) as tier_evidence_count,
        registry.entity_code is not null as in_registry,
        registry.entity_type,
        registry.registration_status,
        {{ as_of_date() }} as as_of_date
    from entities
    cross join fallback
    left join registry using (entity_code)
    left join from_records using (entity_code)
    left join last_events using (entity_code)
    left join license_counts using (entity_code)
    left join penalty_counts using (entity_code)
    left join list_flags using (entity_code)
    left join commitment_counts using (entity_code)
    left join repair_counts using (entity_code)
    left join decisive using (entity_code)
    left join evidence_counts using (entity_code)
    left join tiers on tiers.tier = coalesce(decisive.tier, fallback.tier)
)

-- the Chinese label beside each code (seeds/code_labels.csv)
select
    *,
    {{ code_label('record_kind', 'tier_record_kind') }} as tier_record_kind_label
from final
