-- 行政处罚信息公示 (marts.md, public): what the credit website may publish as of the as-of date —
-- the penalties being published (publication_status publishing) whose subject is an organisation or
-- 个体工商户, one row each. Nothing about natural persons: no identity number, no masked person
-- data, no legal representative. The columns are the contract's, and only those.
with publishing as (
    select * from {{ ref('fct_penalty_publication') }}
    where publication_status = 'publishing'
      and subject_type in ('法人及非法人组织', '个体工商户')
),

penalties as (
    select record_key, violation_type, penalty_categories, penalty_content, fine_amount_10k_yuan
    from {{ ref('int_penalties__current') }}
)

select
    publishing.doc_no,
    publishing.source_dept_code,
    publishing.authority_name,
    publishing.authority_code,
    publishing.entity_code,
    publishing.subject_name as entity_name,
    penalties.violation_type,
    array_to_string(penalties.penalty_categories, ';') as penalty_categories,
    penalties.penalty_content,
    penalties.fine_amount_10k_yuan,
    publishing.decision_date,
    publishing.publication_end_date
from publishing
join penalties using (record_key)
