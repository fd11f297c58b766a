-- 信用分级规则 (seeds/credit_tier_rules.csv, credit_tiers.csv): exactly one fallback rule (evidence
-- none), ordered last, so every entity gets a tier; each rule carries the parameter its evidence
-- needs, and a rule with a window names it in its label and description (tier_reason shows the label); every
-- sampling ratio is a share in [0, 1].
with rules as (
    select * from {{ ref('credit_tier_rules') }}
),

tiers as (
    select * from {{ ref('credit_tiers') }}
)

select 'there must be exactly one rule with evidence none' as problem
from rules
having count(*) filter (where evidence = 'none') <> 1
union all
select 'the rule with evidence none must come last' as problem
from rules
where evidence = 'none' and rule_order < (select max(rule_order) from rules)
union all
select 'rule ' || rule_code || ' needs evidence_value (a list type or a severity)' as problem
from rules
where evidence in ('active_designation', 'publishing_penalty') and evidence_value is null
union all
select 'rule ' || rule_code || ' needs a positive window_months' as problem
from rules
where evidence in ('commitment_breach', 'recent_penalty') and coalesce(window_months, 0) <= 0
union all
select 'tier ' || tier || ' has a sampling_ratio outside [0, 1]' as problem
from tiers
where sampling_ratio < 0 or sampling_ratio > 1
union all
select 'rule ' || rule_code || ' must name its window in rule_label and description (' || window_months || ' 个月)' as problem
from rules
where window_months is not null
  and (strpos(rule_label, window_months || '个月') = 0 or strpos(description, window_months || ' 个月') = 0)
