-- 信用修复 decisions matched to the record they repair (rules.md):
--   终止公示行政处罚信息  → the penalties whose 行政处罚决定书文号 + 处罚机关统一社会信用代码
--                          = 关联文书号 + 关联机关统一社会信用代码;
--   移出严重失信主体名单  → the designations whose 列入决定文书号 + 认定部门统一社会信用代码 match.
-- One row per repair identity. A repair that matches nothing is kept and flagged
-- (matched_record = false): an orphan, reported by the gate on this table, never dropped.
with repairs as (
    select * from {{ ref('int_repairs__current') }}
),

-- only the records a repair names are grouped: listing every penalty's keys was most of the work
penalties as (
    select doc_no, authority_code, list(record_key order by record_key) as record_keys
    from {{ ref('int_penalties__current') }}
    where (doc_no, authority_code) in (
        select related_doc_no, related_authority_code from repairs where repair_type = '终止公示行政处罚信息')
    group by doc_no, authority_code
),

designations as (
    select designation_doc_no, designating_dept_code, list(record_key order by record_key) as record_keys
    from {{ ref('int_credit_list_designations__current') }}
    where (designation_doc_no, designating_dept_code) in (
        select related_doc_no, related_authority_code from repairs where repair_type = '移出严重失信主体名单')
    group by designation_doc_no, designating_dept_code
),

matched as (
    select
        repairs.record_key,
        repairs.repair_type,
        case repairs.repair_type
            when '终止公示行政处罚信息' then 'penalty'
            when '移出严重失信主体名单' then 'credit_list_designation'
        end as related_record_kind,
        repairs.related_doc_no,
        repairs.related_authority_code,
        repairs.subject_name,
        repairs.entity_code,
        repairs.applied_date,
        repairs.repair_decision_date,
        repairs.repair_result,
        repairs.repair_authority_name,
        repairs.source_dept_name,
        repairs.source_dept_code,
        coalesce(penalties.record_keys, designations.record_keys, []) as matched_record_keys
    from repairs
    left join penalties
        on repairs.repair_type = '终止公示行政处罚信息'
        and penalties.doc_no = repairs.related_doc_no
        and penalties.authority_code = repairs.related_authority_code
    left join designations
        on repairs.repair_type = '移出严重失信主体名单'
        and designations.designation_doc_no = repairs.related_doc_no
        and designations.designating_dept_code = repairs.related_authority_code
)

select
    *,
    len(matched_record_keys) > 0 as matched_record,
    coalesce(repair_result = '同意', false) as is_agreed,
    coalesce(repair_result = '同意' and repair_decision_date <= {{ as_of_date() }}, false) as is_effective
from matched
