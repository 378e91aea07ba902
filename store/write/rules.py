"""The checks every editor shares: text (bundle-v1 limits, no control
characters), points and whole numbers. Each raises EditRefused with the rule's code."""

from __future__ import annotations

import re
from typing import Any

from ..errors import EditRefused
from ..task_fields import TASK_FIELDS
from ..text import nfc
from ..vocab import TEXT_LIMIT, EditRefusal

# Line feed and tab only in the long texts: a task's (task_fields: LONG_TEXT, its
# detail and result), a criterion's finding and the unit's cause (bundle-v2).
MULTILINE_FIELDS = frozenset({field.name for field in TASK_FIELDS if field.multiline}
                             | {"finding", "cause"})
CRITERION_CODE = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,3}){0,4}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f]")


def clean_text(field: str, value: Any, *, required: bool = False,
               limit: int = TEXT_LIMIT) -> str | None:
    """NFC, trimmed, empty -> None; refused if required and empty, too long, or
    holding control characters (line feed and tab only in the long texts)."""
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = nfc(value.strip()) or ""
    else:
        raise EditRefused(EditRefusal.NOT_TEXT, field, value)
    if not text:
        if required:
            raise EditRefused(EditRefusal.REQUIRED, field)
        return None
    if len(text) > limit:
        raise EditRefused(EditRefusal.TOO_LONG, field, limit)
    pattern = _CONTROL if field in MULTILINE_FIELDS else _CONTROL_OR_NEWLINE
    if pattern.search(text):
        raise EditRefused(EditRefusal.CONTROL_CHARACTERS, field)
    return text


def check_points(field: str, value: Any, *, required: bool = False) -> float | None:
    if value is None:
        if required:
            raise EditRefused(EditRefusal.REQUIRED, field)
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise EditRefused(EditRefusal.NOT_A_NUMBER, field, value)
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        raise EditRefused(EditRefusal.NOT_A_NUMBER, field, value)
    if number < 0:
        raise EditRefused(EditRefusal.NEGATIVE, field, number)
    if abs(number * 100 - round(number * 100)) > 1e-6:
        raise EditRefused(EditRefusal.TOO_MANY_DECIMALS, field, number)
    return round(number, 2)


def check_whole(field: str, value: Any, low: int, high: int | None = None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise EditRefused(EditRefusal.NOT_A_WHOLE_NUMBER, field, value)
    if value < low or (high is not None and value > high):
        raise EditRefused(EditRefusal.OUT_OF_RANGE, field, (low, high))
    return value
