"""Sentences for refused edits (store.errors.EditRefused), shown under the field at
fault. EDIT_REFUSAL has one entry per code the store raises; each takes the
refusal's value (a limit, a path, a code, a pair of numbers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tui.i18n import _
from tui.words import format as fmt


def _today_text() -> str:
    from store.clock import today

    return fmt.date(today())


def _score_above_max(value: tuple[float, float]) -> str:
    score, largest = value
    return _("The score ({score}) is above the maximum ({max}).").format(
        score=fmt.points(score), max=fmt.points(largest))


def _out_of_range(value: tuple[int, int | None]) -> str:
    low, high = value
    if high is None:
        return _("At least {low}.").format(low=low)
    return _("From {low} to {high}.").format(low=low, high=high)


EDIT_REFUSAL: dict[str, Callable[[Any], str]] = {
    "required": lambda value: _("This cannot be empty."),
    "not_text": lambda value: _("Write this as text."),
    "too_long": lambda value: _("At most {limit} characters.").format(
        limit=fmt.number(value)),
    "control_characters": lambda value: _(
        "Remove the control characters (they come from some copy and paste)."),
    "not_a_date": lambda value: fmt.date_problem(),
    "unknown_status": lambda value: _("Choose one of the statuses in the list."),
    "progress_range": lambda value: _("Progress is a whole number from 0 to 100."),
    "done_needs_full_progress": lambda value: _("A finished task has progress 100%."),
    "done_needs_date": lambda value: _("Enter the completion date."),
    "done_on_only_when_done": lambda value: _("Only a finished task has a completion date."),
    "date_in_future": lambda value: _("This date is after today ({today}).").format(
        today=_today_text()),
    "unknown_field": lambda value: _(
        "The form sent a value the app does not know; nothing was saved."),
    "unknown_criterion": lambda value: _("This criterion is not part of the assessment."),
    "file_missing": lambda value: _("There is no file at {path}.").format(path=value),
    "not_a_file": lambda value: _("{path} is a folder, not a file.").format(path=value),
    "file_unreadable": lambda value: _("The file {path} cannot be read.").format(path=value),
    "bad_code": lambda value: _("A code is numbers joined by dots, e.g. 3, 3.2 or 3.2.1."),
    "parent_missing": lambda value: _(
        "Enter criterion {code} first: it is the parent of this one.").format(code=value),
    "duplicate_code": lambda value: _(
        "Criterion {code} already exists in this assessment.").format(code=value),
    "score_above_max": _score_above_max,
    "too_many_decimals": lambda value: _("Points have at most two decimals."),
    "negative": lambda value: _("This cannot be negative."),
    "must_be_positive": lambda value: _("This must be more than 0."),
    "not_a_number": lambda value: _("Write a number of points, e.g. 82,5."),
    "not_a_whole_number": lambda value: _("Write a whole number."),
    "out_of_range": _out_of_range,
    "unknown_index": lambda value: _("Choose one of the kinds of index in the list."),
    "rank_above_count": lambda value: _(
        "The number of units ranked cannot be below the rank."),
    "max_below_criteria": lambda value: _(
        "The maximum is below the maximum of one of its domains."),
    "above_parent_max": lambda value: _(
        "Above the maximum of its parent criterion {code} ({max}).").format(
        code=value[0], max=fmt.points(value[1])),
    "below_child_max": lambda value: _(
        "Below the maximum of its sub-criterion {code} ({max}).").format(
        code=value[0], max=fmt.points(value[1])),
    "has_children": lambda value: _(
        "Criterion {code} has sub-criteria; change or remove them first.").format(code=value),
    "cited_by_tasks": lambda value: _(
        "Tasks work on criterion {code}; unlink them first.").format(code=value),
    "not_found": lambda value: _("It no longer exists (it was removed elsewhere)."),
    "no_points_lost": lambda value: _(
        "Criterion {code} lost no points: there is no cause to record.").format(code=value),
    "kind_needs_cause": lambda value: _("Write the cause before choosing its kind."),
    "unknown_cause_kind": lambda value: _("Choose objective, subjective or both."),
    "unknown_document": lambda value: _(
        "The app does not know the document “{document}”; nothing was saved.").format(
        document=value),
}


def edit_refusal(error: Any) -> str:
    """A sentence for a refused edit (an EditRefused), for the field at fault."""
    words = EDIT_REFUSAL.get(error.code)
    if words is None:
        return _("This value is not accepted ({code}).").format(code=error.code)
    return words(error.value)
