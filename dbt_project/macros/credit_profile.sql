{#- Parts of the credit tier evidence and the credit profile that their incremental runs also read
    (macros/records_to_refresh.sql entities_differing): written once for both. -#}

{#- 信用分级依据 of kind active_designation: each active designation (`memberships`, rows of
    fct_credit_list_membership) of a rule's list type (`rules`, seeds/credit_tier_rules). -#}
{% macro designation_evidence(memberships, rules) -%}
select
    rules.rule_code,
    memberships.entity_code,
    'credit_list_designation' as record_kind,
    memberships.record_key,
    memberships.designation_doc_no as record_label,
    memberships.designated_date as event_date
from {{ memberships }} as memberships
join {{ rules }} as rules
    on rules.evidence = 'active_designation'
    and memberships.list_type = rules.evidence_value
where memberships.status = 'active' and memberships.entity_code is not null
{%- endmacro %}

{#- The entities whose designation evidence differs from this model's built rows of it
    (fct_credit_tier_evidence, incremental by entity: the membership is rebuilt whole every run). -#}
{% macro designation_evidence_changed() -%}
    {{ entities_differing(
        designation_evidence(ref('fct_credit_list_membership'), ref('credit_tier_rules')),
        "select rule_code, entity_code, record_kind, record_key, record_label, event_date from " ~ this
        ~ " where record_kind = 'credit_list_designation'") }}
{%- endmacro %}

{#- 列入名单 flags of each entity on an active designation (`memberships`, rows of
    fct_credit_list_membership), those with one flag set at least. -#}
{% macro list_flags(memberships) -%}
select
    entity_code,
    coalesce(bool_or(list_type = '严重失信主体名单'), false) as on_serious_list,
    coalesce(bool_or(list_type = '重点关注名单'), false) as on_watch_list,
    coalesce(bool_or(list_type = '守信激励名单'), false) as on_honor_list
from {{ memberships }}
where entity_code is not null and status = 'active'
group by entity_code
having on_serious_list or on_watch_list or on_honor_list
{%- endmacro %}

{#- The entities whose list flags differ from this model's built rows (mart_entity_credit_profile,
    incremental by entity: the membership is rebuilt whole every run). -#}
{% macro list_flags_changed() -%}
    {{ entities_differing(
        list_flags(ref('fct_credit_list_membership')),
        "select entity_code, on_serious_list, on_watch_list, on_honor_list from " ~ this
        ~ " where on_serious_list or on_watch_list or on_honor_list") }}
{%- endmacro %}
