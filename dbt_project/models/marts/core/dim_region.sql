-- 行政区划: the regions of seeds/regions.csv (GB/T 2260), one row each, for naming a region code.
with regions as (
    select * from {{ ref('regions') }}
),

final as (
    select region_code, region_name, city_code
    from regions
)

select * from final
