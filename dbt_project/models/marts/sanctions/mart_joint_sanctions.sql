-- 联合奖惩 as of the as-of date: the measures of seeds/joint_sanction_measures that apply to each
-- entity and person through an active designation. One row per designation, target and measure:
--   target_role subject              — the designated organisation / 个体工商户 (applies_to entity)
--                                      or natural person (applies_to person);
--   target_role legal_representative — the legal representative of an organisation on the
--                                      严重失信主体名单 (惩戒到人, mart_sanction_persons), when known.
-- An entity sanctioned while on the 守信激励名单 (an is_current honor_while_sanctioned conflict,
-- fct_sanction_conflicts) gets no 激励 measure (rules.md, Sanction consistency).
with active as (
    select * from {{ ref('fct_credit_list_membership') }}
    where status = 'active'
),

persons as (
    select * from {{ ref('mart_sanction_persons') }}
    where person_name_masked is not null or person_key is not null
),

measures as (
    select * from {{ ref('joint_sanction_measures') }}
),

incentives_withheld as (
    select distinct entity_code
    from {{ ref('fct_sanction_conflicts') }}
    where conflict_type = 'honor_while_sanctioned' and is_current
),

targets as (
    select
        record_key as designation_record_key,
        list_type,
        designation_doc_no,
        designating_dept_code,
        'subject' as target_role,
        case when subject_type = '自然人' then 'person' else 'entity' end as applies_to,
        entity_code,
        subject_name as entity_name,
        person_key,
        person_name_masked,
        person_id_masked,
        as_of_date
    from active

    union all

    select
        designation_record_key,
        list_type,
        designation_doc_no,
        designating_dept_code,
        'legal_representative' as target_role,
        'person' as applies_to,
        entity_code,
        entity_name,
        person_key,
        person_name_masked,
        person_id_masked,
        as_of_date
    from persons
)

select
    targets.designation_record_key || '|' || targets.target_role || '|' || measures.measure_code as sanction_key,
    targets.*,
    {{ code_label('target_role', 'targets.target_role') }} as target_role_label,
    {{ code_label('applies_to', 'targets.applies_to') }} as applies_to_label,
    measures.measure_code,
    measures.measure_kind,
    measures.measure,
    measures.legal_basis
from targets
join measures
    on measures.list_type = targets.list_type
    and measures.applies_to = targets.applies_to
where measures.measure_kind <> '激励'
   or not exists (select 1 from incentives_withheld where incentives_withheld.entity_code = targets.entity_code)
