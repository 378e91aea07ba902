"""Sentences about signing keys: this workstation's own key (made, missing,
damaged), key cards, and the keys a review holds per sender.

Light imports only: store values arrive as values.
"""

from __future__ import annotations

from typing import Any

from tui.i18n import _


def own_key_notice(state: Any) -> str | None:
    """What to tell at start about the own key (store.keys.OwnKeyState); None when
    there is nothing to say (the key is there, as recorded)."""
    if state.status == "created":
        return _("A signing key was made for this workstation; every exported file is now "
                 "signed with it. Its fingerprint is {fingerprint}: it is printed on your "
                 "reports so that the supervisor can compare it.").format(
            fingerprint=state.fingerprint)
    if state.tightened:
        return _("The private key file {path} could be read by other users; it was made "
                 "private again.").format(path=state.path)
    if state.ok or state.status == "none":
        return None
    return own_key_problem(state) + " " + _("Everything else works as usual.")


def own_key_problem(state: Any) -> str:
    """Why this workstation cannot sign (missing, damaged, mismatch, unreadable)."""
    if state.status == "missing":
        text = _("The private signing key {path} is missing, so no file can be signed.")
    elif state.status == "mismatch":
        text = _("The private signing key {path} is not the key this database was made "
                 "with, so no file can be signed.")
    elif state.status == "unreadable":
        text = _("The private signing key {path} cannot be read ({detail}), so no file can "
                 "be signed.")
    elif state.status == "none":
        text = _("This workstation has no signing key yet; it is made when the app is opened "
                 "without --read-only.")
    else:
        text = _("The private signing key {path} is damaged, so no file can be signed.")
    return text.format(path=state.path, detail=state.detail)


def own_key_remedy(state: Any) -> str:
    """What to do about a key problem, for the export screen and `cchc export`."""
    if state.status == "none":
        return _("Open CCHC Tracker once without --read-only, then export again.")
    expected = (" " + _("The key this unit signed with until now is {fingerprint}.").format(
        fingerprint=state.fingerprint)) if state.fingerprint else ""
    return _("Restore the key with the latest backup (Backups, or `cchc restore FILE`): a "
             "backup holds the key beside the database.") + expected + " " + _(
        "If no backup has it, make a new key with `cchc key new`, send the new key card "
        "(`cchc key export`) with a signed paper report, and ask the supervisor to replace "
        "the key held for your unit.")


def export_key_failure(state: Any) -> str:
    return _("Nothing was exported: {problem} {remedy}").format(
        problem=own_key_problem(state), remedy=own_key_remedy(state))


def fingerprint_line(state: Any) -> str:
    """One line for the settings and export screens."""
    if state is None:
        return _("Signing key: reading…")
    if state.ok:
        return _("Signing key fingerprint: {fingerprint}").format(
            fingerprint=state.fingerprint)
    return _("Signing key: {problem}").format(problem=own_key_problem(state))


def signed_by(fingerprint: str | None) -> str:
    """`cchc check`: who signed a valid bundle."""
    if fingerprint is None:
        return _("unsigned")
    return _("signed by {fingerprint}").format(fingerprint=fingerprint)


def signed_with(fingerprint: str) -> str:
    """The export's result line: the key that signed the file."""
    return _("Signed with the key {fingerprint}").format(fingerprint=fingerprint)
