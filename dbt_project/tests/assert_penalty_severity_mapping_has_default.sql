-- 处罚类别 → 失信程度 (seeds/penalty_severity_by_category.csv): the row `*` (every category not
-- listed: "otherwise 一般") exists from the earliest effective date on, and a severity has one rank.
with mapping as (
    select * from {{ ref('penalty_severity_by_category') }}
)

select 'no * row from the earliest effective date' as problem
where not exists (
    select 1 from mapping
    where penalty_category = '*' and effective_from = (select min(effective_from) from mapping)
)
union all
select 'severity ' || severity || ' has several ranks' as problem
from mapping
group by severity
having count(distinct severity_rank) > 1
