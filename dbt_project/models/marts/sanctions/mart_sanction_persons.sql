-- 惩戒到人 (rules.md): for every active 严重失信主体名单 designation of an organisation (not a natural
-- person, not a 个体工商户), its legal representative — from the list row, else from the registry —
-- masked, and keyed by the HMAC landed for the identity number. One row per such designation; when
-- neither the list row nor the registry names one, the row stays with NULL person fields
-- (person_source NULL), so the gap is visible to whoever enforces the sanction.
with designations as (
    select
        membership.* exclude (person_key, person_name_masked, person_id_masked),
        current_rows.legal_rep_name,
        current_rows.legal_rep_id_key,
        current_rows.legal_rep_id_masked
    from {{ ref('fct_credit_list_membership') }} as membership
    join {{ ref('int_credit_list_designations__current') }} as current_rows using (record_key)
    where membership.status = 'active'
      and membership.list_type = '严重失信主体名单'
      and coalesce(membership.subject_type, '') not in ('自然人', '个体工商户')
),

registry as (
    select entity_uscc, legal_rep_name, legal_rep_id_key, legal_rep_id_masked
    from {{ ref('int_registry_entities__current') }}
),

sourced as (
    select
        designations.*,
        case
            when designations.legal_rep_name is not null or designations.legal_rep_id_key is not null then 'credit_list'
            when registry.legal_rep_name is not null or registry.legal_rep_id_key is not null then 'registry'
        end as person_source,
        registry.legal_rep_name as registry_rep_name,
        registry.legal_rep_id_key as registry_rep_id_key,
        registry.legal_rep_id_masked as registry_rep_id_masked
    from designations
    left join registry on registry.entity_uscc = designations.entity_code
),

persons as (
    select
        *,
        -- a list row that gives only the name (or only the number) of the registry's legal
        -- representative is completed from the registry
        case person_source
            when 'credit_list' then coalesce(legal_rep_name, case when legal_rep_id_key = registry_rep_id_key then registry_rep_name end)
            when 'registry' then registry_rep_name
        end as person_name,
        case
            when person_source = 'registry' or (legal_rep_id_key is null and legal_rep_name = registry_rep_name)
                then registry_rep_id_key
            else legal_rep_id_key
        end as person_key,
        case
            when person_source = 'registry' or (legal_rep_id_key is null and legal_rep_name = registry_rep_name)
                then registry_rep_id_masked
            else legal_rep_id_masked
        end as person_id_masked
    from sourced
)

select
    record_key as designation_record_key,
    entity_code,
    subject_name as entity_name,
    list_type,
    designation_doc_no,
    designating_dept_code,
    designated_date,
    '法定代表人' as person_role,
    {{ mask_person_name('person_name') }} as person_name_masked,
    person_id_masked,
    person_key,
    person_source,
    {{ code_label('person_source', 'person_source') }} as person_source_label,
    as_of_date
from persons
