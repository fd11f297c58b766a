{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_records_to_refresh(key=\"('registry', entity_code)\") }}",
          post_hook="{{ consume_records_to_refresh() }}") }}
-- 登记主体 (marts.md dim_entity): one row per registered entity, its current registration
-- (法人和非法人组织登记信息). The legal representative only masked; the region is characters 3–8 of
-- the 统一社会信用代码. A registration whose code fails GB 32100 stays, with is_valid_code false:
-- no record can be keyed to it, so it has no credit profile.
-- Incremental by record (macros/records_to_refresh.sql): a run recomputes the registrations
-- int_registry_entities__current rebuilt.
with registry as (
    select * from {{ ref('int_registry_entities__current') }}
    {{ where_marked_for_refresh('registry') }}
),

regions as (
    select * from {{ ref('regions') }}
),

final as (
    select
        registry.entity_uscc as entity_code,
        registry.entity_name,
        registry.entity_type,
        {{ region_of('registry.entity_uscc') }} as region_code,
        regions.region_name,
        registry.registration_status,
        registry.established_date,
        {{ mask_person_name('registry.legal_rep_name') }} as legal_rep_name_masked,
        registry.legal_rep_id_masked,
        registry.address,
        registry.registration_authority,
        registry.source_dept_code,
        registry.source_dept_name,
        cast(registry.submitted_at as date) as registration_submitted_date,
        {{ is_valid_uscc('registry.entity_uscc') }} as is_valid_code
    from registry
    left join regions on regions.region_code = {{ region_of('registry.entity_uscc') }}
)

select * from final
