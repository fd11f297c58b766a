-- 行政区划层级: every region with each region at or under it, so that "a region and what lies
-- under it" is a join. Regions are the seed's and every department's (a department's region need
-- not be in the seed: it still lies under its city and province).
with regions as (
    select * from {{ ref('regions') }}
),

departments as (
    select * from {{ ref('dim_department') }}
),

region_codes as (
    select region_code from regions
    union
    select region_code from departments where region_code is not null
),

-- a region lies under itself, its city and its province (a city is its own city, and so on)
memberships as (
    select region_code as member_region_code, region_code from region_codes
    union
    select region_code, {{ city_of_region('region_code') }} from region_codes
    union
    select region_code, {{ province_of_region('region_code') }} from region_codes
),

final as (
    select
        memberships.region_code,
        regions.region_name,
        {{ region_level('memberships.region_code') }} as region_level,
        memberships.member_region_code,
        {{ region_level('memberships.member_region_code') }} as member_region_level
    from memberships
    left join regions using (region_code)
)

-- the Chinese label beside each code (seeds/code_labels.csv)
select
    *,
    {{ code_label('region_level', 'region_level') }} as region_level_label,
    {{ code_label('region_level', 'member_region_level') }} as member_region_level_label
from final
