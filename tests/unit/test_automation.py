"""Schedules and the raw-directory sensor decide the right runs."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from creditwh.defs.automation.schedules import monthly_monitoring_schedule, quarterly_evaluation_schedule
from creditwh.defs.automation.sensors import raw_files_sensor
from creditwh.defs.resources import WarehouseResource
from creditwh.defs.scorecards.partitions import QUARTERS, evaluation_quarters

CHINA = ZoneInfo("Asia/Shanghai")


def _at(*args) -> dg.ScheduleEvaluationContext:
    return dg.build_schedule_context(scheduled_execution_time=datetime(*args, tzinfo=CHINA))


def test_monthly_monitoring_runs_for_the_month_before():
    request = monthly_monitoring_schedule(_at(2025, 11, 1, 2))
    assert isinstance(request, dg.RunRequest)
    assert request.tags["creditwh/period_month"] == "2025-10"


def test_monthly_monitoring_leaves_quarter_starts_to_the_quarterly_run():
    assert isinstance(monthly_monitoring_schedule(_at(2026, 1, 1, 2)), dg.SkipReason)


@pytest.mark.parametrize("scheduled, quarter", [((2026, 1, 1, 2), "2025Q4"), ((2025, 10, 1, 2), "2025Q3")])
def test_quarterly_evaluation_scores_the_quarter_just_ended(scheduled, quarter):
    request = quarterly_evaluation_schedule(_at(*scheduled))
    assert request.partition_key == quarter


def test_scorecard_partitions_are_the_quarters_the_holiday_calendar_holds():
    """Keyed and labelled like the marts' period_quarter, from the configured first quarter to the end
    of the calendar's last year (chinesecalendar 1.11: 2026)."""
    keys = QUARTERS.get_partition_keys()
    assert keys[:2] == ["2025Q1", "2025Q2"] and "2025Q4" in keys and keys[-1] == "2026Q4"
    assert evaluation_quarters("2025Q3", [2024, 2025, 2026]) == ["2025Q3", "2025Q4", *(f"2026Q{n}" for n in range(1, 5))]
    assert evaluation_quarters("2025Q3", [2025, 2027]) == ["2025Q3", "2025Q4"]  # a hole ends the calendar
    assert evaluation_quarters("2030Q1", [2025, 2026]) == []


def test_a_quarter_the_calendar_does_not_hold_is_skipped_with_the_reason():
    skipped = quarterly_evaluation_schedule(_at(2027, 4, 1, 2))  # 2027Q1: no State Council schedule yet
    assert isinstance(skipped, dg.SkipReason) and "seeds/holiday_schedule.csv" in skipped.skip_message


def test_sensor_requests_a_rebuild_once_per_change_of_the_raw_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("CREDIT_RAW_DIR", str(tmp_path))
    (tmp_path / "penalty").mkdir()
    (tmp_path / "penalty" / "a.csv").write_text("x\n", encoding="utf-8")
    resources = {"warehouse": WarehouseResource()}
    with dg.instance_for_test() as instance:
        request = raw_files_sensor(dg.build_sensor_context(instance=instance, resources=resources))
        assert isinstance(request, dg.RunRequest)
        unchanged = dg.build_sensor_context(instance=instance, cursor=request.run_key, resources=resources)
        assert isinstance(raw_files_sensor(unchanged), dg.SkipReason)
        (tmp_path / "penalty" / "b.csv").write_text("y\n", encoding="utf-8")
        changed = raw_files_sensor(dg.build_sensor_context(instance=instance, cursor=request.run_key,
                                                           resources=resources))
        assert isinstance(changed, dg.RunRequest) and changed.run_key != request.run_key
