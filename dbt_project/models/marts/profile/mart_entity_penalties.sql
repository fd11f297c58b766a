{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook="{{ delete_records_to_refresh(key=\"('penalty', record_key)\") }}",
          post_hook="{{ consume_records_to_refresh() }}") }}
-- 行政处罚 of each keyed entity, for its credit report: every penalty keyed to an entity with what it
-- punished and its 公示状态 as of the as-of date (fct_penalty_publication), whether published or not.
-- Incremental by record (macros/records_to_refresh.sql): a run recomputes the penalties
-- fct_penalty_publication recomputed.
with publication as (
    select * from {{ ref('fct_penalty_publication') }}
    {{ where_marked_for_refresh('penalty') }}
),

penalties as (
    select * from {{ ref('int_penalties__current') }}
),

final as (
    select
        publication.record_key,
        publication.entity_code,
        publication.doc_no,
        penalties.violation_type,
        array_to_string(penalties.penalty_categories, '；') as penalty_categories,
        penalties.penalty_content,
        penalties.fine_amount_10k_yuan,
        publication.decision_date,
        publication.authority_name,
        publication.severity,
        publication.publication_status,
        publication.publication_end_date,
        publication.repaired_date,
        publication.under_objection
    from publication
    join penalties using (record_key)
    where publication.entity_code is not null
)

-- the Chinese label beside each code (seeds/code_labels.csv)
select
    *,
    {{ code_label('publication_status', 'publication_status') }} as publication_status_label
from final
