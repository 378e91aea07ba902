"""Working days: Vietnam's weekends, holidays (Tết) and announced swaps from the
pinned `holidays` release, with the supervisor's extra days off and working days."""

from __future__ import annotations

import datetime as dt

from store.config import config_from_dict, load_config, save_config
from store.workdays import OFF_EXTRA, OFF_HOLIDAY, OFF_WEEKEND, WorkCalendar

D = dt.date


def test_weekends_and_public_holidays_are_days_off() -> None:
    calendar = WorkCalendar.of()
    assert calendar.day_off(D(2026, 11, 21)).kind == OFF_WEEKEND  # Saturday
    assert calendar.day_off(D(2026, 11, 22)).kind == OFF_WEEKEND  # Sunday
    assert calendar.is_working_day(D(2026, 11, 23))  # Monday
    holiday = calendar.day_off(D(2026, 11, 24))  # Ngày Văn hóa Việt Nam, from 2026
    assert holiday.kind == OFF_HOLIDAY and "Văn hóa" in holiday.name
    for day in range(5, 11):  # Tết 2027: 29 Tết to mùng năm (weekend days made up)
        assert calendar.day_off(D(2027, 2, day)) is not None
    assert "Tết" in calendar.day_off(D(2027, 2, 6)).name


def test_holiday_names_follow_the_language() -> None:
    english = WorkCalendar.of(language="en")
    assert english.day_off(D(2026, 9, 2)).name == "National Day"


def test_a_make_up_saturday_is_a_working_day_and_its_swap_a_day_off() -> None:
    calendar = WorkCalendar.of()
    assert calendar.is_working_day(D(2026, 8, 22))  # Saturday worked for Monday 31/8
    assert calendar.day_off(D(2026, 8, 31)).kind == OFF_HOLIDAY


def test_the_supervisors_days_come_first() -> None:
    calendar = WorkCalendar.of(days_off=[D(2026, 12, 31)], working_days=[D(2026, 12, 26),
                                                                          D(2026, 11, 24)])
    assert calendar.day_off(D(2026, 12, 31)).kind == OFF_EXTRA
    assert calendar.is_working_day(D(2026, 12, 26))  # a Saturday made a working day
    assert calendar.is_working_day(D(2026, 11, 24))


def test_working_days_left_count_after_today_up_to_the_deadline() -> None:
    calendar = WorkCalendar.of()
    today = D(2026, 11, 21)  # Saturday
    assert calendar.working_days_left(today, D(2026, 11, 23)) == 1
    assert calendar.working_days_left(today, D(2026, 11, 24)) == 1  # the holiday
    assert calendar.working_days_left(today, D(2026, 11, 27)) == 4
    assert calendar.working_days_left(today, D(2026, 11, 30)) == 5
    assert calendar.working_days_left(today, today) == 0
    assert calendar.working_days_left(today, D(2026, 11, 1)) == 0
    extra = WorkCalendar.of(days_off=[D(2026, 11, 25)])
    assert extra.working_days_left(today, D(2026, 11, 27)) == 3


def test_config_reads_days_as_toml_dates_or_iso_text_and_writes_them_back(tmp_path) -> None:  # noqa: ANN001
    config, problems = config_from_dict({"calendar": {"days_off": ["2026-12-31", D(2027, 1, 2)],
                                                      "working_days": [D(2026, 12, 26)]}})
    assert problems == []
    assert config.calendar.days_off == [D(2026, 12, 31), D(2027, 1, 2)]
    path = tmp_path / "config.toml"
    save_config(config, path)
    assert "[calendar]" in path.read_text(encoding="utf-8")
    again, problem = load_config(path)
    assert problem is None and again.calendar == config.calendar


def test_a_day_that_is_not_a_day_is_a_problem_and_the_list_stays_empty() -> None:
    for bad in (["31/12/2026"], "2026-12-31", [2026], ["2026-02-30"]):
        config, problems = config_from_dict({"calendar": {"days_off": bad}})
        assert problems == ["calendar.days_off"] and config.calendar.days_off == []
    config, problems = config_from_dict({"calendar": "x"})
    assert problems == ["calendar"]
