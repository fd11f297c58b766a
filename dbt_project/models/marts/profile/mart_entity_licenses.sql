{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_records_to_refresh(key=\"('license', record_key)\") }}",
          post_hook="{{ consume_records_to_refresh() }}") }}
-- 行政许可 of each keyed entity, for its credit report (公共信用信息报告): the current version of every
-- licence whose subject was keyed to an entity. No natural person: their records are never keyed.
-- under_objection: an objection about it is open as of the as-of date (rules.md 异议处理), as
-- fct_license_publication, one row per licence identity, finds it.
-- Incremental by record (macros/records_to_refresh.sql): a run recomputes the licences
-- fct_license_publication recomputed.
with recomputed as (
    select * from {{ ref('fct_license_publication') }}
    {{ where_marked_for_refresh('license') }}
),

licenses as (
    select record_key, doc_name, license_category, license_content
    from {{ ref('int_licenses__current') }}
),

final as (
    select
        recomputed.record_key,
        recomputed.entity_code,
        recomputed.doc_no,
        licenses.doc_name,
        licenses.license_category,
        licenses.license_content,
        recomputed.decision_date,
        recomputed.valid_from,
        recomputed.valid_until,
        recomputed.is_open_ended,
        recomputed.authority_name,
        recomputed.license_status,
        recomputed.under_objection
    from recomputed
    join licenses using (record_key)
    where recomputed.entity_code is not null
)

select * from final
