-- rules.md 双公示 timeliness: every record that must reach the platform within the deadline —
-- licences and penalties (from the decision), list designations (列入日期) and commitment
-- breaches (违诺认定日期) — with the working days it took, counted on the State Council calendar.
with licenses as (
    select * from {{ ref('int_licenses__current') }}
),

penalties as (
    select * from {{ ref('int_penalties__current') }}
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
        doc_no, license_category as record_type, subject_type, subject_uscc, entity_code,
        decision_date as clock_start_date, first_submitted_date as submitted_date, defects
    from licenses
    union all
    select
        'penalty', record_key, source_dept_code, source_dept_name, region_code,
        doc_no, penalty_categories_text, subject_type, subject_uscc, entity_code,
        decision_date, first_submitted_date, defects
    from penalties
    union all
    select
        'credit_list', record_key, source_dept_code, source_dept_name, region_code,
        designation_doc_no, list_type, subject_type, subject_uscc, entity_code,
        designated_date, first_submitted_date, defects
    from designations
    union all
    select
        'commitment_breach', record_key, source_dept_code, source_dept_name, region_code,
        null, commitment_type, subject_type, subject_uscc, entity_code,
        breach_date, first_submitted_date, defects
    from commitments
    where fulfilment_status = '违诺' or breach_date is not null
),

-- Never guess a working day: a date in a year without a known schedule stops the run.
uncovered_years as (
    select
        format('{} ({} record(s), e.g. {} {})',
            year(uncovered_date), count(*), min(record_kind), min(record_key)) as failure
    from timed_records,
        unnest([clock_start_date, submitted_date]) as dates(uncovered_date)
    where uncovered_date is not null
        and year(uncovered_date) not in (select distinct calendar_year from calendar)
    group by year(uncovered_date)
),

measured as (
    select
        timed_records.*,
        case
            when clock_start_date is not null and submitted_date >= clock_start_date
                then submitted_day.working_day_number - clock_start_day.working_day_number
        end as working_days_elapsed
    from timed_records
    left join calendar as clock_start_day on clock_start_day.calendar_date = timed_records.clock_start_date
    left join calendar as submitted_day on submitted_day.calendar_date = timed_records.submitted_date
),

final as (
    select
        *,
        coalesce(working_days_elapsed <= {{ var('disclosure_deadline_working_days') }}, false) as is_on_time,
        cast(date_trunc('month', submitted_date) as date) as period_month,
        {{ period_quarter('submitted_date') }} as period_quarter
    from measured
)

select *
from final
where {{ stop_if_any('uncovered_years',
    "'No State Council holiday schedule for year ' ",
    "'. Add that year''s holidays and make-up working days (调休上班) to dbt_project/seeds/holiday_schedule.csv.'") }}
