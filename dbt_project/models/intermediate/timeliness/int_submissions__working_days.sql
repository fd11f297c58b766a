{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail',
          pre_hook=["{{ pass_on_records_to_refresh() }}",
                    "{{ delete_records_to_refresh(always=\"record_kind in ('credit_list', 'commitment_breach')\") }}"],
          post_hook="{{ consume_records_to_refresh() }}") }}
-- rules.md 双公示 timeliness: every record that must reach the platform within the deadline —
-- licences and penalties (from the decision), list designations (列入日期) and commitment
-- breaches (违诺认定日期) — with the working days it took, counted on the State Council calendar.
-- Incremental by record (macros/records_to_refresh.sql): a run measures again the licences and
-- penalties whose current version was rebuilt (a new or corrected delivery, a keying, an as-of
-- check that may flip) and all list designations and commitment breaches, a small volume.
with licenses as (
    select * from {{ ref('int_licenses__current') }}
    {{ where_marked_for_refresh('license') }}
),

penalties as (
    select * from {{ ref('int_penalties__current') }}
    {{ where_marked_for_refresh('penalty') }}
),

designations as (
    select * from {{ ref('int_credit_list_designations__current') }}
),

commitments as (
    select * from {{ ref('int_commitments__current') }}
),

calendar as (
    select * from {{ ref('int_calendar__working_days') }}
),

timed_records as (
    select
        'license' as record_kind, record_key, source_dept_code, source_dept_name, region_code,
        doc_no, license_category as record_type, subject_type, subject_name, subject_uscc, entity_code,
        decision_date as clock_start_date, first_submitted_date as submitted_date, defects
    from licenses
    union all
    select
        'penalty', record_key, source_dept_code, source_dept_name, region_code,
        doc_no, penalty_categories_text, subject_type, subject_name, subject_uscc, entity_code,
        decision_date, first_submitted_date, defects
    from penalties
    union all
    select
        'credit_list', record_key, source_dept_code, source_dept_name, region_code,
        designation_doc_no, list_type, subject_type, subject_name, subject_uscc, entity_code,
        designated_date, first_submitted_date, defects
    from designations
    union all
    select
        'commitment_breach', record_key, source_dept_code, source_dept_name, region_code,
        null, commitment_type, subject_type, subject_name, subject_uscc, entity_code,
        breach_date, first_submitted_date, defects
    from commitments
    where fulfilment_status = '违诺' or breach_date is not null
),

-- The dates the rules count with: a date before 1949-10-01 or after the as-of date is a defect of
-- its record (flagged in staging and int_*__current), and counts no working day.
dated as (
    select
        *,
        {{ date_in_force('clock_start_date') }} as clock_start_in_force,
        {{ date_in_force('submitted_date') }} as submitted_in_force
    from timed_records
),

-- Never guess a working day: the calendar must cover every date up to the as-of date that is
-- counted with, and the as-of date itself; a year it does not cover stops the run. (The rows an
-- incremental run keeps were checked when they were measured, on the same calendar: another
-- calendar changes the build fingerprint, and the run rebuilds.) A date before
-- the calendar's first year (2004 for chinesecalendar 1.11; 双公示 began in 2015) is a department's
-- typo (1995 for 2025): no working day is counted for it (the record is not on time), and it stops
-- nobody, as a date after the as-of date does not.
needed_dates as (
    select needed_date
    from dated, unnest([clock_start_in_force, submitted_in_force]) as dates(needed_date)
    where needed_date is not null
    union all
    select {{ as_of_date() }}
),

uncovered_years as (
    -- the year and a count only: a record key could carry a department's typing into the error
    select format('{} ({} date(s) up to the as-of date {})', year(needed_date), count(*), {{ as_of_date() }}) as failure
    from needed_dates
    where year(needed_date) not in (select distinct calendar_year from calendar)
        and year(needed_date) > (select min(calendar_year) from calendar)
    group by year(needed_date)
),

measured as (
    select
        dated.*,
        case
            when submitted_in_force >= clock_start_in_force
                then submitted_day.working_day_number - clock_start_day.working_day_number
        end as working_days_elapsed
    from dated
    left join calendar as clock_start_day on clock_start_day.calendar_date = dated.clock_start_in_force
    left join calendar as submitted_day on submitted_day.calendar_date = dated.submitted_in_force
),

-- rules.md: the monitoring period is the month of the submission, else (missing, unparseable or a
-- defect) of the decision; a record with neither has no period.
final as (
    select
        * exclude (clock_start_in_force, submitted_in_force, period_date),
        coalesce(working_days_elapsed <= {{ var('disclosure_deadline_working_days') }}, false) as is_on_time,
        -- 报送时间 missing, unparseable or a defect: counted in the decision's month, and late
        submitted_in_force is null as lacks_submission_date,
        cast(date_trunc('month', period_date) as date) as period_month,
        {{ period_quarter('period_date') }} as period_quarter
    from (select *, coalesce(submitted_in_force, clock_start_in_force) as period_date from measured)
)

select *
from final
where {{ stop_if_any('uncovered_years',
    "'No State Council holiday schedule for year ' ",
    "'. Add that year''s holidays and make-up working days (调休上班) to dbt_project/seeds/holiday_schedule.csv.'") }}
