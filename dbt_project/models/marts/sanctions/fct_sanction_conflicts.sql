-- 红黑名单冲突 as of the as-of date (rules.md, Sanction consistency): evidence that an incentive or a
-- repair was granted wrongly, for the department named in authority_code to correct.
--   honor_while_sanctioned    — one row per active 守信激励名单 designation during which (from its 列入日期
--                               up to as-of) the entity was sanctioned: an active 严重失信主体名单 /
--                               重点关注名单 designation or a publishing 一般/严重 penalty;
--                               is_current when a sanction still holds at as-of (incentives withheld);
--   repair_before_eligible    — an agreed penalty repair decided before the penalty's repair_eligible_date;
--   repair_without_commitment — an agreed repair with no 信用修复承诺 of the entity dated on or before it;
--   repair_unmatched          — an agreed repair that matches no penalty or designation.
-- "Agreed" = 同意 and decided on or before the as-of date (is_effective): a later decision is not known yet.
with honours as (
    select * from {{ ref('fct_credit_list_membership_intervals') }}
    where list_type = '守信激励名单' and entity_code is not null
      and valid_from <= as_of_date and coalesce(valid_to, as_of_date) >= as_of_date
),

listed_sanctions as (
    select
        entity_code,
        'credit_list' as sanction_kind,
        designation_doc_no as sanction_doc_no,
        valid_from,
        valid_to,
        concat(list_type, '「', designation_doc_no, '」（', strftime(valid_from, '%Y-%m-%d'), '列入）') as sanction_text
    from {{ ref('fct_credit_list_membership_intervals') }}
    where list_type in ('严重失信主体名单', '重点关注名单') and entity_code is not null
),

-- a published penalty is publishing from its decision date to the day before its publication end
-- or its repair (revoked, withdrawn and never-published penalties never were)
penalty_sanctions as (
    select
        entity_code,
        'penalty' as sanction_kind,
        doc_no as sanction_doc_no,
        decision_date as valid_from,
        least(publication_end_date, repaired_date) - 1 as valid_to,
        concat('行政处罚「', doc_no, '」（', severity, '，', strftime(decision_date, '%Y-%m-%d'), '决定）') as sanction_text
    from {{ ref('fct_penalty_publication') }}
    where severity in ('一般', '严重')
      and publication_status in ('publishing', 'expired', 'repaired')
      and entity_code is not null and decision_date is not null
),

sanctions as (
    select * from listed_sanctions
    union all
    select * from penalty_sanctions
),

honour_overlaps as (
    select
        honours.record_key,
        sanctions.sanction_text,
        sanctions.valid_from as sanction_from,
        sanctions.valid_from <= honours.as_of_date
            and coalesce(sanctions.valid_to, honours.as_of_date) >= honours.as_of_date as is_current
    from honours
    join sanctions
        on sanctions.entity_code = honours.entity_code
        and sanctions.valid_from <= honours.as_of_date
        and sanctions.valid_from <= coalesce(honours.valid_to, honours.as_of_date)
        and coalesce(sanctions.valid_to, honours.as_of_date) >= honours.valid_from
),

honour_sanctions as (
    select
        record_key,
        bool_or(is_current) as is_current,
        string_agg(sanction_text, '；' order by sanction_from, sanction_text) as sanctions_text
    from honour_overlaps
    group by record_key
),

honour_conflicts as (
    select
        'honor_while_sanctioned' as conflict_type,
        honours.record_key as source_record_key,
        honours.entity_code,
        honours.subject_name as entity_name,
        'credit_list' as record_kind,
        honours.designation_doc_no as doc_no,
        honours.designating_dept_code as authority_code,
        honour_sanctions.is_current,
        concat(
            coalesce(honours.subject_name, honours.entity_code), '于', strftime(honours.valid_from, '%Y-%m-%d'),
            '列入守信激励名单（', honours.designation_doc_no, '），但守信激励期间该主体处于失信状态：',
            honour_sanctions.sanctions_text, '。',
            case when honour_sanctions.is_current
                then '请核查该守信激励认定；失信状态未消除前不得给予激励措施。'
                else '失信状态现已结束，请核查当时的守信激励认定。'
            end
        ) as detail
    from honours
    join honour_sanctions using (record_key)
),

repairs as (
    select * from {{ ref('int_repairs__matched') }}
    where is_effective
),

repair_of as (
    select
        record_key as source_record_key,
        entity_code,
        subject_name as entity_name,
        coalesce(case related_record_kind when 'credit_list_designation' then 'credit_list' else related_record_kind end,
                 'repair') as record_kind,
        related_doc_no as doc_no,
        related_authority_code as authority_code,
        true as is_current,
        concat(coalesce(subject_name, entity_code, '主体'), '的信用修复（', coalesce(repair_type, '修复类型未知'),
               '，关联文书号', coalesce(related_doc_no, '空'), '，', strftime(repair_decision_date, '%Y-%m-%d'), '同意）') as repair_text,
        related_record_kind,
        matched_record_keys,
        matched_record,
        repair_decision_date
    from repairs
),

penalty_windows as (
    select record_key, doc_no, severity, decision_date, repair_eligible_date
    from {{ ref('fct_penalty_publication') }}
),

-- the keys a penalty repair names, one per row: an equi-join (a join on list_contains is a nested loop)
repaired_penalty_keys as (
    select source_record_key, unnest(matched_record_keys) as penalty_record_key
    from repair_of
    where related_record_kind = 'penalty'
),

-- the penalty a repair names (the earliest eligibility when a 文书号 names several)
repaired_penalties as (
    select
        repaired_penalty_keys.source_record_key,
        min(penalty_windows.repair_eligible_date) as repair_eligible_date,
        arg_min(penalty_windows.severity, penalty_windows.repair_eligible_date) as severity,
        arg_min(penalty_windows.decision_date, penalty_windows.repair_eligible_date) as decision_date
    from repaired_penalty_keys
    join penalty_windows on penalty_windows.record_key = repaired_penalty_keys.penalty_record_key
    group by repaired_penalty_keys.source_record_key
),

repairs_before_eligible as (
    select
        'repair_before_eligible' as conflict_type,
        source_record_key, entity_code, entity_name, record_kind, doc_no, authority_code, is_current,
        concat(repair_text, '，早于可申请修复日期', strftime(repaired_penalties.repair_eligible_date, '%Y-%m-%d'),
               '（', repaired_penalties.severity, '处罚，', strftime(repaired_penalties.decision_date, '%Y-%m-%d'),
               '决定）。请核查该修复决定。') as detail
    from repair_of
    join repaired_penalties using (source_record_key)
    where repair_of.repair_decision_date < repaired_penalties.repair_eligible_date
),

repair_commitments as (
    select entity_code, commitment_date
    from {{ ref('int_commitments__current') }}
    where commitment_type = '信用修复承诺' and entity_code is not null
),

repairs_without_commitment as (
    select
        'repair_without_commitment' as conflict_type,
        source_record_key, entity_code, entity_name, record_kind, doc_no, authority_code, is_current,
        concat(repair_text, '，但该主体在修复决定日或之前未作出信用修复承诺。请补报其信用修复承诺或核查该修复决定。') as detail
    from repair_of
    where not exists (
        select 1 from repair_commitments
        where repair_commitments.entity_code = repair_of.entity_code
          and repair_commitments.commitment_date <= repair_of.repair_decision_date
    )
),

repairs_unmatched as (
    select
        'repair_unmatched' as conflict_type,
        source_record_key, entity_code, entity_name, record_kind, doc_no, authority_code, is_current,
        concat(repair_text, '，其关联文书号与关联机关统一社会信用代码', coalesce(authority_code, '空'),
               '匹配不到任何行政处罚或名单记录。请核对关联文书号和关联机关。') as detail
    from repair_of
    where not matched_record
),

conflicts as (
    select * from honour_conflicts
    union all by name
    select * from repairs_before_eligible
    union all by name
    select * from repairs_without_commitment
    union all by name
    select * from repairs_unmatched
),

final as (
    select
        conflict_type || '|' || source_record_key as conflict_key,
        conflict_type,
        entity_code,
        entity_name,
        record_kind,
        doc_no,
        authority_code,
        {{ as_of_date() }} as detected_as_of,
        detail,
        is_current,
        source_record_key
    from conflicts
)

-- the Chinese labels beside the codes (seeds/code_labels.csv)
select
    *,
    {{ code_label('conflict_type', 'conflict_type') }} as conflict_type_label,
    {{ code_label('record_kind', 'record_kind') }} as record_kind_label
from final
