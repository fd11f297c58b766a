-- 信用分级规则 as a report states them: each rule of seeds/credit_tier_rules with its tier's name and
-- sampling ratio (seeds/credit_tiers).
with rules as (
    select * from {{ ref('credit_tier_rules') }}
),

tiers as (
    select * from {{ ref('credit_tiers') }}
),

final as (
    select
        rules.rule_order,
        rules.rule_code,
        rules.tier,
        tiers.tier_name,
        rules.rule_label,
        rules.description,
        tiers.sampling_ratio
    from rules
    join tiers using (tier)
)

select * from final
