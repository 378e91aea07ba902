"""The checks every editor shares: text (bundle-v1 limits, no control
characters), points and whole numbers. Each raises EditRefused with the rule's code."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from ..errors import EditRefused, EditsRefused
from ..task_fields import TASK_FIELDS
from ..text import nfc
from ..vocab import TEXT_LIMIT, EditRefusal

# Line feed and tab only in the long texts: a task's (task_fields: LONG_TEXT, its
# detail and result), a criterion's finding and the unit's cause (bundle-v2).
MULTILINE_FIELDS = frozenset({field.name for field in TASK_FIELDS if field.multiline}
                             | {"finding", "cause"})
CRITERION_CODE = re.compile(r"^[0-9]{1,3}(\.[0-9]{1,3}){0,4}$")
T = TypeVar("T")
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


class Problems:
    """Every refusal of one edit, so that a form can show them all at once: each
    check runs through take(); a field keeps its first refusal; raise_any() raises
    one EditRefused, or EditsRefused when several fields are at fault."""

    def __init__(self) -> None:
        self.found: list[EditRefused] = []

    def take(self, check: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """check(*args, **kwargs), or None once its refusal is noted."""
        try:
            return check(*args, **kwargs)
        except EditRefused as error:
            self.add(error)
            return None

    def add(self, error: EditRefused) -> None:
        if not self.at_fault(error.field):
            self.found.append(error)

    def at_fault(self, field: str | None) -> bool:
        return any(problem.field == field for problem in self.found)

    def raise_any(self) -> None:
        if len(self.found) == 1:
            raise self.found[0]
        if self.found:
            raise EditsRefused(self.found)


def refusals_of(check: Callable[..., Any], *args: Any) -> list[EditRefused]:
    """What check(*args) refuses, as a list (empty when it accepts): a form asks
    the store's own rules while the official types, without saving."""
    try:
        check(*args)
    except EditsRefused as error:
        return error.problems
    except EditRefused as error:
        return [error]
    return []
