"""Every date of the years `chinesecalendar` knows, with the State Council schedule.

The library covers the years whose schedule has been announced (1.11: 2004–2026) and raises
for any other; a newly announced year is added to seeds/holiday_schedule.csv instead.
"""

from datetime import date, timedelta

import chinese_calendar
import pandas as pd

# Far enough either side of any schedule the library could hold.
PROBE_YEARS = range(1990, 2100)


def _covered_years() -> list[int]:
    years = []
    for year in PROBE_YEARS:
        try:
            chinese_calendar.is_workday(date(year, 1, 1))
        except NotImplementedError:
            continue
        years.append(year)
    return years


def model(dbt, session):
    # Built once: it changes only with the library, whose version is part of the project's fingerprint,
    # and a new fingerprint rebuilds from scratch (creditwh/warehouse/build_state.py). ~0.6 s a run.
    dbt.config(materialized="incremental")
    if dbt.is_incremental:
        return session.sql(f"select * from {dbt.this} where false")
    chinese_names = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    rows = []
    for year in _covered_years():
        day = date(year, 1, 1)
        while day.year == year:
            _, holiday = chinese_calendar.get_holiday_detail(day)
            rows.append({
                "calendar_date": day,
                "is_working_day": chinese_calendar.is_workday(day),
                # the festival a day off or a make-up working day (调休上班) belongs to
                "holiday_name": chinese_names.get(holiday, holiday),
            })
            day += timedelta(days=1)
    frame = pd.DataFrame(rows, columns=["calendar_date", "is_working_day", "holiday_name"])
    frame["calendar_date"] = pd.to_datetime(frame["calendar_date"]).dt.date
    return frame
