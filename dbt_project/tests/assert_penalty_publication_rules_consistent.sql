-- 公示期限规则 (seeds/penalty_publication_rules.csv): a published severity has both periods with
-- 0 <= min <= max; an unpublished one has neither; every severity of the code list has a rule from
-- the earliest effective date on, so that every decision date finds one.
with rules as (
    select * from {{ ref('penalty_publication_rules') }}
),

bad_periods as (
    select severity, effective_from, 'periods inconsistent with is_published' as problem
    from rules
    where (is_published and (min_publication_months is null or max_publication_months is null
                             or min_publication_months < 0 or min_publication_months > max_publication_months))
       or (not is_published and (min_publication_months is not null or max_publication_months is not null))
),

uncovered as (
    select code as severity, null::date as effective_from, 'no rule from the earliest effective date' as problem
    from {{ ref('code_lists') }}
    where code_list = 'severity'
      and code not in (select severity from rules where effective_from = (select min(effective_from) from rules))
)

select * from bad_periods
union all
select * from uncovered
