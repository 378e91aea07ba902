"""Words for the store's codes (statuses, levels, index kinds, kinds of path)."""

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
    """A task field's name, as a heading (the history; the review's changes). A
    criterion's cause is told in the history of its tasks: 'cause:3.2'."""
    from store.causes import CAUSE_FIELD, split_history_field

    name, code = split_history_field(field)
    if code is not None:
        return (_("Cause ({code})") if name == CAUSE_FIELD
                else _("Kind of cause ({code})")).format(code=code)
    return {
        "title": _("Task"), "detail": _("What to do"), "owner": _("Official in charge"),
        "due": _("Deadline"), "status": _("Status"), "progress": _("Progress"),
        "result": _("Result"), "done_on": _("Completed on"), "criteria": _("Criteria"),
        "evidence": _("Evidence"), "created": _("Created"),
        # Recorded by an assignment (store.assign.importing) by the issuer's name.
        "lead": _("Lead body"), "withdrawn": _("Withdrawn by the supervisor"),
    }.get(field, field)


def cause_kind(code: str | None) -> str:
    """The kind of a criterion's cause, as the supervisor's letters classify them."""
    if code is None:
        return _("Not classified")
    return {"objective": _("Objective"), "subjective": _("Subjective"),
            "both": _("Objective and subjective")}.get(code, code)


def cause_kinds() -> list[tuple[str, str]]:
    return [(cause_kind(code), code) for code in ("objective", "subjective", "both")]


def file_kind(kind: str) -> str:
    """What a path is when it is not a file (store.files.file_kind), with its article."""
    return {"directory": _("a folder"), "fifo": _("a named pipe (FIFO)"),
            "character_device": _("a device"), "block_device": _("a disk device"),
            "socket": _("a socket")}.get(kind, _("a special file"))
