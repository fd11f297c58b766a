{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_published_records_to_refresh(ref('fct_license_publication'), 'license') }}",
          post_hook="{{ consume_records_to_refresh() }}") }}
-- 行政许可信息公示 (marts.md, public): the licences the credit website may publish as of the as-of date
-- (fct_license_publication publishing: an organisation or 个体工商户 with a valid USCC, 当前状态 有效,
-- decided by as-of, in force), one row each; a licence withdrawn by an objection (删除) is not here,
-- one under objection is, marked. Nothing about natural persons: no identity number, no masked person
-- data, no legal representative. The columns are the contract's, and only those; free text written
-- by a department is redacted (public_text), as in penalty_disclosures.
-- Incremental by record: a run recomputes the licences fct_license_publication recomputed, whose
-- rows it finds by their identity as published (数据来源单位统一社会信用代码 + 行政许可决定文书号).
with recomputed as (
    select * from {{ ref('fct_license_publication') }}
    {{ where_marked_for_refresh('license') }}
),

publishing as (
    select * from recomputed
    where publication_status = 'publishing'
      and {{ is_published_subject_type('subject_type') }}
),

licenses as (
    select record_key, license_category, doc_name, license_content
    from {{ ref('int_licenses__current') }}
)

select
    {{ public_text('publishing.doc_no') }} as doc_no,
    {{ public_text('publishing.source_dept_code') }} as source_dept_code,
    {{ public_text('publishing.authority_name') }} as authority_name,
    {{ public_text('publishing.authority_code') }} as authority_code,
    {{ public_text('publishing.entity_code') }} as entity_code,
    {{ public_text('publishing.subject_name') }} as entity_name,
    {{ public_text('licenses.license_category') }} as license_category,
    {{ public_text('licenses.doc_name') }} as doc_name,
    {{ public_text('licenses.license_content') }} as license_content,
    publishing.decision_date,
    publishing.valid_from,
    publishing.valid_until,
    publishing.under_objection
from publishing
join licenses using (record_key)
