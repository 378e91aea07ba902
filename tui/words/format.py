"""How numbers and dates read in the user's language.

Dates are dd/mm/yyyy in both languages (the official convention). Vietnamese writes
82,5 and 1.920; English 82.5 and 1,920.
"""

from __future__ import annotations

import datetime as dt

from tui.i18n import _, language, ngettext


def date(value: dt.date | None, empty: str = "—") -> str:
    return value.strftime("%d/%m/%Y") if value else empty


def date_placeholder() -> str:
    """What an empty date field shows: the order of day, month and year in the
    user's words (Vietnamese: nn/tt/nnnn)."""
    return _("dd/mm/yyyy")


def date_label(name: str) -> str:
    """A date field's label with the order to write it in the user's words:
    "Hạn (nn/tt/nnnn)", "Deadline (dd/mm/yyyy)"."""
    return f"{name} ({date_placeholder()})"


def date_problem() -> str:
    """What a date that cannot be read is told, in the user's words for the order."""
    return _("Write the date as {order}, e.g. 05/02/2024.").format(order=date_placeholder())


def instant(value: dt.datetime | None, empty: str = "—") -> str:
    """An instant in Vietnam's zone as dd/mm/yyyy HH:MM."""
    if value is None:
        return empty
    from store.clock import to_local

    return to_local(value).strftime("%d/%m/%Y %H:%M")


def _separators() -> tuple[str, str]:
    return (",", ".") if language() == "vi" else (".", ",")


def number(value: float | int | None, decimals: int = 0, empty: str = "—") -> str:
    """Grouped thousands and the language's decimal mark."""
    if value is None:
        return empty
    text = f"{value:,.{decimals}f}"
    decimal_mark, group_mark = _separators()
    return text.replace(",", "\0").replace(".", decimal_mark).replace("\0", group_mark)


def points(value: float | None, empty: str = "—") -> str:
    """Points with at most two decimals and no trailing zeros: 82,5 / 7 / 0,25."""
    if value is None:
        return empty
    text = number(round(value, 2), 2)
    decimal_mark, _group = _separators()
    if decimal_mark in text:
        text = text.rstrip("0").rstrip(decimal_mark)
    return text


def percent(value: float | None, decimals: int = 0) -> str:
    return f"{number(value, decimals)}%" if value is not None else "—"


def file_size(size: int | None) -> str:
    """A file's size for a list: 512 B, 12,5 KB, 3,2 MB (empty when unknown)."""
    if size is None:
        return ""
    if size < 1024:
        return _("{n} B").format(n=number(size))
    if size < 1024 * 1024:
        return _("{n} KB").format(n=number(size / 1024, 1))
    return _("{n} MB").format(n=number(size / (1024 * 1024), 1))


def days_left(due: dt.date | None, today: dt.date) -> str:
    """'còn 3 ngày', 'hôm nay', 'quá 5 ngày'."""
    if due is None:
        return ""
    delta = (due - today).days
    if delta == 0:
        return _("due today")
    if delta > 0:
        return ngettext("{n} day left", "{n} days left", delta).format(n=delta)
    return ngettext("{n} day overdue", "{n} days overdue", -delta).format(n=-delta)
