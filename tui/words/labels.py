"""Words for the store's codes (statuses, levels, index kinds)."""

from __future__ import annotations

from tui.i18n import _


def status(code: str) -> str:
    return {"todo": _("Not started"), "in_progress": _("In progress"), "done": _("Done"),
            "cancelled": _("Cancelled")}.get(code, code)


def level(code: str) -> str:
    return {"xa": _("Commune"), "phuong": _("Ward"), "dac_khu": _("Special zone"),
            "other": _("Other")}.get(code, code)


def unit_levels() -> list[tuple[str, str]]:
    return [(level(code), code) for code in ("xa", "phuong", "dac_khu", "other")]


def task_field(field: str) -> str:
    """A task field's name, as a heading (the history; the review's changes)."""
    return {
        "title": _("Task"), "detail": _("What to do"), "owner": _("Official in charge"),
        "due": _("Deadline"), "status": _("Status"), "progress": _("Progress"),
        "result": _("Result"), "done_on": _("Completed on"), "criteria": _("Criteria"),
        "evidence": _("Evidence"), "created": _("Created"),
    }.get(field, field)
