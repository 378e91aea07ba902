"""Reading what an official typed: dates as dd/mm/yyyy, points with a decimal comma
or point, whole numbers. Each parser returns the value or raises InputProblem with
a sentence for the field."""

from __future__ import annotations

import datetime as dt
import re

from tui.i18n import _
from tui.words import format as fmt


class InputProblem(ValueError):
    """The text in a field cannot be read; the message says why, in words."""


_DATE = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def date(text: str) -> dt.date | None:
    """'5/2/2024', '05/02/2024' or '05-02-2024' -> 2024-02-05; empty -> None."""
    if not text.strip():
        return None
    match = _DATE.match(text)
    if not match:
        raise InputProblem(fmt.date_problem())
    day, month, year = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise InputProblem(_("There is no such date.")) from None


def points(text: str) -> float | None:
    """'82,5' or '82.5' -> 82.5; empty -> None."""
    cleaned = text.strip().replace(" ", "")
    if not cleaned:
        return None
    if re.fullmatch(r"\d+([.,]\d+)?", cleaned) is None:
        raise InputProblem(_("Write a number of points, e.g. 82,5."))
    return float(cleaned.replace(",", "."))


def whole(text: str) -> int | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    if not cleaned.isdigit():
        raise InputProblem(_("Write a whole number."))
    return int(cleaned)


_QUOTES = ("'", '"')


def path(text: str) -> str:
    """A pasted path without the quotes around it: drag-and-drop and Windows'
    "Copy as path" give '"D:\\minh-chung\\bb.pdf"'; empty stays empty."""
    cleaned = text.strip()
    while len(cleaned) >= 2 and cleaned[0] == cleaned[-1] and cleaned[0] in _QUOTES:
        cleaned = cleaned[1:-1].strip()
    return cleaned
