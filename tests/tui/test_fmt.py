import datetime as dt

from tui.i18n import set_language
from tui.words import format as fmt


def test_dates_are_day_month_year() -> None:
    assert fmt.date(dt.date(2023, 6, 5)) == "05/06/2023"
    assert fmt.date(None) == "—"


def test_points_drop_trailing_zeros_with_decimal_comma() -> None:
    set_language("vi")
    assert fmt.points(7.0) == "7"
    assert fmt.points(0.25) == "0,25"
    assert fmt.points(13.9) == "13,9"
    assert fmt.percent(98.6, 1) == "98,6%"


def test_days_left_in_vietnamese() -> None:
    set_language("vi")
    today = dt.date(2026, 11, 21)
    assert fmt.days_left(dt.date(2026, 11, 24), today) == "còn 3 ngày"
    assert fmt.days_left(dt.date(2026, 11, 16), today) == "quá hạn 5 ngày"
    assert fmt.days_left(today, today) == "hạn hôm nay"
