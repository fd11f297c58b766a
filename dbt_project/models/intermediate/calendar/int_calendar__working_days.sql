-- 国务院节假日安排: one row per date of every year whose State Council schedule is known, and the
-- running count of working days that timeliness is measured with.
with library_days as (
    select * from {{ ref('int_calendar__chinesecalendar') }}
),

announced as (
    -- typed here too: dbt loads a header-only seed with INTEGER columns
    select
        cast(calendar_date as date) as calendar_date,
        cast(day_type as varchar) as day_type,
        cast(holiday_name as varchar) as holiday_name
    from {{ ref('holiday_schedule') }}
),

-- A year listed in seeds/holiday_schedule.csv is taken wholly from the seed: Monday–Friday work,
-- except its listed holidays; weekends rest, except its make-up working days (调休上班).
announced_years as (
    select distinct year(calendar_date) as calendar_year from announced
),

announced_days as (
    select
        cast(days.calendar_date as date) as calendar_date,
        case announced.day_type
            when 'make_up_workday' then true
            when 'holiday' then false
            else isodow(days.calendar_date) <= 5
        end as is_working_day,
        announced.holiday_name,
        'seeds/holiday_schedule.csv' as schedule_source
    from announced_years,
        unnest(generate_series(make_date(calendar_year, 1, 1), make_date(calendar_year, 12, 31), interval 1 day))
            as days(calendar_date)
    left join announced on announced.calendar_date = cast(days.calendar_date as date)
),

calendar as (
    select calendar_date, is_working_day, holiday_name, 'chinesecalendar' as schedule_source
    from library_days
    where year(calendar_date) not in (select calendar_year from announced_years)
    union all
    select * from announced_days
),

-- Working days are counted across years, so the covered years must have no hole.
missing_years as (
    select cast(calendar_year as varchar) as failure
    from range(
        (select min(year(calendar_date)) from calendar),
        (select max(year(calendar_date)) from calendar)
    ) as years(calendar_year)
    where calendar_year not in (select distinct year(calendar_date) from calendar)
),

final as (
    select
        calendar_date,
        year(calendar_date) as calendar_year,
        is_working_day,
        case
            when is_working_day and isodow(calendar_date) > 5 then 'make_up_workday'
            when is_working_day then 'workday'
            when isodow(calendar_date) <= 5 or holiday_name is not null then 'holiday'
            else 'weekend'
        end as day_type,
        holiday_name,
        schedule_source,
        count(*) filter (where is_working_day) over (order by calendar_date rows unbounded preceding)
            as working_day_number
    from calendar
)

select *
from final
where {{ stop_if_any('missing_years',
    "'The holiday calendar has a hole: no State Council schedule for year ' ",
    "'. Add it to dbt_project/seeds/holiday_schedule.csv.'") }}
