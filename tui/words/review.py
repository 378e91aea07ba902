"""Sentences and short labels of the review screens (store values -> words)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from tui.i18n import _, ngettext
from tui.words import format as fmt, labels

if TYPE_CHECKING:
    from store.review.bundles import ReceivedBundleRow
    from store.review.changes import BundleChanges, TaskChange
    from store.review.overview import ChartBar, OverviewTotals, UnitOverviewRow


def warning_word(code: str) -> str:
    """A one-word marker for the overview's warnings column."""
    return {"gap": _("gap"), "fork": _("fork"), "stale": _("stale"),
            "code": _("odd code"), "key_unconfirmed": _("key?"),
            "demo": _("sample")}.get(code, code)


def unit_warnings(row: "UnitOverviewRow") -> list[str]:
    """The unit's warnings as sentences (unit detail)."""
    found = []
    if "demo" in row.warnings:
        from tui.words.bundle import demo_data

        found.append(demo_data(row.code))
    if row.missing_sequences:
        found.append(_("Bundles {numbers} never arrived.").format(
            numbers=sequence_list(row.missing_sequences)))
    if row.forked:
        found.append(_("The unit's history forked (its database may have been restored)."))
    if "code" in row.warnings:
        from tui.words.bundle import unusual_unit_code

        found.append(unusual_unit_code(row.code))
    if row.key_unconfirmed:
        found.append(_("Its key was taken from its first signed file and is not confirmed "
                       "yet: compare the fingerprint with its signed paper report."))
    if row.days_since_bundle is None:
        found.append(_("No bundle received yet."))
    elif row.stale:
        found.append(ngettext("No bundle for {n} day.", "No bundle for {n} days.",
                              row.days_since_bundle).format(n=row.days_since_bundle))
    return found


def sequence_list(numbers: tuple[int, ...], shown: int = 6) -> str:
    text = ", ".join(str(n) for n in numbers[:shown])
    return text + (", …" if len(numbers) > shown else "")


def days_ago(days: int | None) -> str:
    if days is None:
        return "—"
    if days == 0:
        return _("today")
    return ngettext("{n} day ago", "{n} days ago", days).format(n=days)


def totals_text(totals: "OverviewTotals", shown: int) -> str:
    """Two lines: the units and the tasks across them."""
    units = ngettext("{n} unit", "{n} units", totals.units).format(n=fmt.number(totals.units))
    if shown != totals.units:
        units = _("{shown} of {units} shown").format(shown=fmt.number(shown), units=units)
    first = " · ".join([
        units,
        _("average score {score}").format(score=fmt.points(totals.average_score)),
        _("{points} points lost").format(points=fmt.points(totals.points_lost)),
        _("{n} with overdue tasks").format(n=fmt.number(totals.units_with_overdue)),
        _("{n} with warnings").format(n=fmt.number(totals.units_with_warnings)),
    ])
    second = " · ".join([
        ngettext("{n} task", "{n} tasks", totals.tasks_total).format(
            n=fmt.number(totals.tasks_total)),
        _("{percent} done").format(percent=fmt.percent(totals.percent_done, 1)),
        _("{n} overdue").format(n=fmt.number(totals.tasks_overdue)),
        _("{n} without a recent bundle").format(n=fmt.number(totals.stale_units)),
    ])
    return f"{first}\n{second}"


def percent_bucket(key: str) -> str:
    if key == "none":
        return _("no tasks")
    low, high = key.split("-")
    return f"{low}–{high}%"


def domain_label(bar: "ChartBar") -> str:
    if not bar.key:
        return _("no criterion")
    return f"{bar.key}. {bar.label}" if bar.label else bar.key


def bundle_warnings(row: "ReceivedBundleRow") -> str:
    found = []
    if row.set_aside_at is not None:
        found.append(_("set aside {date}").format(date=fmt.instant(row.set_aside_at)))
    if row.key_fingerprint is None:
        found.append(_("unsigned"))
    if row.missing_before:
        found.append(_("{numbers} missing before it").format(
            numbers=sequence_list(row.missing_before)))
    if row.forked:
        found.append(_("forked"))
    return "; ".join(found)


def sent_on(created_at: str) -> str:
    """An RFC 3339 instant as sent, shown as dd/mm/yyyy HH:MM in Vietnam's zone (as
    written if it names no moment the app can show: received before the reader
    refused such instants)."""
    from store.clock import checked_instant

    moment = checked_instant(created_at)
    return created_at if moment is None else fmt.instant(moment)


def change_kind(kind: str) -> str:
    return {"new": _("New"), "removed": _("Removed"), "changed": _("Changed")}.get(kind, kind)


def _value(field: str, value: object) -> str:
    if value is None:
        return "—"
    if field == "status":
        return labels.status(str(value))
    if field == "progress":
        return fmt.percent(value)  # type: ignore[arg-type]
    if field == "due":
        return fmt.date(dt.date.fromisoformat(str(value)))
    text = str(value).replace("\n", " ")
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


def change_description(change: "TaskChange") -> str:
    """What changed in one task, in one line."""
    if change.kind != "changed":
        return labels.status(change.status)
    # The field's name mid-sentence, so in lower case ("status Done → …").
    parts = [f"{labels.task_field(f.field).lower()} {_value(f.field, f.old)} → "
             f"{_value(f.field, f.new)}" for f in change.fields]
    if change.evidence_added:
        parts.append(ngettext("{n} evidence added", "{n} evidence added",
                              len(change.evidence_added)).format(n=len(change.evidence_added)))
    if change.evidence_removed:
        parts.append(ngettext("{n} evidence removed", "{n} evidence removed",
                              len(change.evidence_removed)).format(
            n=len(change.evidence_removed)))
    if change.evidence_edited:
        parts.append(ngettext("{n} evidence edited", "{n} evidence edited",
                              len(change.evidence_edited)).format(n=len(change.evidence_edited)))
    return " · ".join(parts)


def change_in_full(change: "TaskChange") -> str:
    """A change with the task's title and every evidence title, for the detail line."""
    lines = [f"[{change_kind(change.kind)}] {change.title}", change_description(change)]
    for label, titles in ((_("Evidence added:"), change.evidence_added),
                          (_("Evidence removed:"), change.evidence_removed),
                          (_("Evidence edited:"), change.evidence_edited)):
        if titles:
            lines.append(f"{label} " + "; ".join(titles))
    return "\n".join(lines)


def changes_heading(changes: "BundleChanges | None", bundles_received: int) -> str:
    if changes is None and bundles_received <= 1:
        return _("Only one bundle has been received from this unit: nothing to compare yet.")
    if changes is None:
        return _("No earlier bundle was received to compare this one with.")
    return _("From bundle {old} ({old_date}) to bundle {new} ({new_date}): {changed} changed, "
             "{added} new, {removed} removed.").format(
        old=changes.older_sequence, old_date=sent_on(changes.older_created_at),
        new=changes.newer_sequence, new_date=sent_on(changes.newer_created_at),
        changed=changes.count("changed"), added=changes.count("new"),
        removed=changes.count("removed"))


def receive_lines(shown_name: str, result) -> list[str]:  # noqa: ANN001 - ReceiveResult
    """One verdict line for a received file, then its warnings indented."""
    from tui.words.bundle import receive_sentence, warning_sentence

    lines = [_("{file}: {verdict}").format(file=shown_name, verdict=receive_sentence(result))]
    lines.extend("  " + _("warning: {text}").format(text=warning_sentence(w))
                 for w in result.warnings)
    return lines


def receive_totals(totals) -> str:  # noqa: ANN001 - store.review.receiving.ReceiveTotals
    return _("Total: {files} · {accepted} accepted · {already} already imported · "
             "{refused} refused · {warnings} with warnings").format(
        files=ngettext("{n} file", "{n} files", totals.files).format(
            n=fmt.number(totals.files)),
        accepted=fmt.number(totals.accepted), already=fmt.number(totals.already_imported),
        refused=fmt.number(totals.refused), warnings=fmt.number(totals.warnings))


def receive_progress(done: int, total: int) -> str:
    return _("Receiving bundles: {done}/{total}…").format(done=fmt.number(done),
                                                         total=fmt.number(total))


def key_line(row: "UnitOverviewRow") -> str:
    """The unit's key for its detail line: fingerprint, how and when it was held."""
    from tui.words.keys import held_key_how

    return _("key {fingerprint}, {how}").format(fingerprint=row.key_fingerprint,
                                                how=held_key_how(row))


def set_aside_question(row: "ReceivedBundleRow", unit_code: str) -> str:
    return _("Set aside bundle {sequence} of unit {unit}, sent {sent}? It stays on record, "
             "marked as set aside; the unit's previous bundle becomes its current state "
             "again, and later files are judged against it.").format(
        sequence=row.sequence, unit=unit_code, sent=sent_on(row.created_at))
