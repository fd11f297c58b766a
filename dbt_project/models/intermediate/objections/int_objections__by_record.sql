-- The records objected to, as of the as-of date (rules.md 异议处理): one row per record an objection
-- names (target_kind + 关联文书号 + 关联机关统一社会信用代码 = the 许可机关 / 处罚机关 / 认定部门), whether
-- it exists or not. The marts and public join it on the record's document number and authority.
--   is_under_objection: an objection about it is open (受理 on or before the as-of date, no 办结日期
--                       on or before it): the record stays where it is, marked;
--   is_withdrawn:       an objection about it was resolved 删除 on or before the as-of date: the record
--                       leaves public, the credit lists, the tier evidence and the joint sanctions.
-- An objection accepted after the as-of date does not count yet; one whose 受理日期 is unknown does
-- (nothing says it came later; its defect is flagged upstream).
with objections as (
    select
        record_key,
        target_kind,
        target_doc_no,
        target_authority_code,
        outcome,
        resolved_date,
        coalesce(resolved_date <= {{ as_of_date() }}, false) as is_resolved
    from {{ ref('int_objections__current') }}
    where target_kind is not null
      and (accepted_date is null or accepted_date <= {{ as_of_date() }})
)

select
    target_kind,
    target_doc_no,
    target_authority_code,
    count(*) as objection_count,
    count(*) filter (where not is_resolved) as open_objection_count,
    bool_or(not is_resolved) as is_under_objection,
    coalesce(bool_or(is_resolved and outcome = '删除'), false) as is_withdrawn,
    min(resolved_date) filter (where is_resolved and outcome = '删除') as withdrawn_date,
    arg_min(record_key, resolved_date) filter (where is_resolved and outcome = '删除') as withdrawing_objection_key
from objections
group by target_kind, target_doc_no, target_authority_code
