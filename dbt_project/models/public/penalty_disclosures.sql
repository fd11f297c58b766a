{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_published_records_to_refresh(ref('fct_penalty_publication'), 'penalty') }}",
          post_hook="{{ consume_records_to_refresh() }}") }}
-- 行政处罚信息公示 (marts.md, public): what the credit website may publish as of the as-of date —
-- the penalties being published (publication_status publishing) whose subject is an organisation or
-- 个体工商户, one row each. Nothing about natural persons: no identity number, no masked person
-- data, no legal representative. The columns are the contract's, and only those. Free text
-- written by a department is redacted (public_text): an identity number in it, masked since
-- landing, is not shown even masked. under_objection: an objection about the penalty is open (rules.md
-- 异议处理); a penalty withdrawn by an objection is publication_status withdrawn, so not here.
-- Incremental by record: a run recomputes the penalties fct_penalty_publication recomputed, whose
-- rows it finds by their identity as published (数据来源单位统一社会信用代码 + 行政处罚决定书文号).
with recomputed as (
    select * from {{ ref('fct_penalty_publication') }}
    {{ where_marked_for_refresh('penalty') }}
),

publishing as (
    select * from recomputed
    where publication_status = 'publishing'
      and {{ is_published_subject_type('subject_type') }}
),

penalties as (
    select record_key, violation_type, penalty_categories, penalty_content, fine_amount_10k_yuan
    from {{ ref('int_penalties__current') }}
)

select
    {{ public_text('publishing.doc_no') }} as doc_no,
    {{ public_text('publishing.source_dept_code') }} as source_dept_code,
    {{ public_text('publishing.authority_name') }} as authority_name,
    {{ public_text('publishing.authority_code') }} as authority_code,
    {{ public_text('publishing.entity_code') }} as entity_code,
    {{ public_text('publishing.subject_name') }} as entity_name,
    {{ public_text('penalties.violation_type') }} as violation_type,
    {{ public_text("array_to_string(penalties.penalty_categories, ';')") }} as penalty_categories,
    {{ public_text('penalties.penalty_content') }} as penalty_content,
    penalties.fine_amount_10k_yuan,
    publishing.decision_date,
    publishing.publication_end_date,
    publishing.under_objection
from publishing
join penalties using (record_key)
