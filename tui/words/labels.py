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


def cause_kind(code: str | None) -> str:
    """The kind of a criterion's cause, as the supervisor's letters classify them."""
    if code is None:
        return _("Not classified")
    return {"objective": _("Objective"), "subjective": _("Subjective"),
            "both": _("Objective and subjective")}.get(code, code)


def cause_kinds() -> list[tuple[str, str]]:
    return [(cause_kind(code), code) for code in ("objective", "subjective", "both")]
