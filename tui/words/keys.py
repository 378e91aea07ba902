"""Sentences about signing keys: this workstation's own key (made, missing,
damaged), key cards, and the keys a review holds per sender.

Light imports only: store values arrive as values.
"""

from __future__ import annotations

from typing import Any

from tui.i18n import _


def own_key_notice(state: Any, *, review: bool = False) -> str | None:
    """What to tell at start about the own key (store.keys.OwnKeyState) of a unit, or
    of a review (the supervising body's); None when there is nothing to say (the key
    is there, as recorded)."""
    if state.status == "created" and review:
        return _("A signing key was made for this review (the supervising body); it signs "
                 "what the review sends to the units. Its fingerprint is {fingerprint}.").format(
            fingerprint=state.fingerprint)
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
    elif state.status == "unwritable":
        text = _("The private signing key {path} could not be written ({detail}), so no file "
                 "can be signed.")
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
    if state.status == "unwritable":
        return _("Make room on the disk, or let this user write to the data folder, then "
                 "export again: the key is made then.")
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


def key_card_written(path: Any, fingerprint: str) -> list[str]:
    return [_("Key card written: {path}").format(path=path),
            _("Fingerprint: {fingerprint}").format(fingerprint=fingerprint),
            _("Send the card to your supervisor with a signed paper report that shows the same "
              "fingerprint.")]


def held_key_how(key: Any) -> str:
    """How a held key (store.review.senders.HeldKey, or an overview row's key) came to
    be held, with the date and who."""
    from store.vocab import KeySource
    from tui.words import format as fmt

    source = getattr(key, "source", None) or getattr(key, "key_source", None)
    pinned = getattr(key, "pinned_at", None) or getattr(key, "key_pinned_at", None)
    confirmed = getattr(key, "confirmed", None)
    if confirmed is None:
        confirmed = getattr(key, "key_confirmed", False)
    by = getattr(key, "by", None)
    when = fmt.instant(pinned)
    if source == KeySource.FIRST_USE and not confirmed:
        return _("taken from its first signed file on {when}, not confirmed yet").format(
            when=when)
    if source == KeySource.FIRST_USE:
        text = _("taken from its first signed file on {when}, confirmed").format(when=when)
    elif source == KeySource.REPLACED:
        text = _("replaced on {when}").format(when=when)
    else:
        text = _("enrolled from its key card on {when}").format(when=when)
    return text + (" " + _("by {name}").format(name=by) if by else "")


def key_outcome(outcome: Any, shown: str) -> str:
    """What an enrol, replace or confirm did (store.review.senders.KeyOutcome)."""
    o = outcome
    unit = o.code + (f" {o.name}" if o.name else "")
    sentences = {
        "enrolled": lambda: _("{file}: the key of {unit} is held now: {fingerprint}. Compare it "
                              "with the fingerprint on the unit's signed paper report."),
        "confirmed": lambda: _("{file}: the key of {unit} taken from its first file is this "
                               "card's key; it is confirmed now ({fingerprint})."),
        "already_held": lambda: _("{file}: the key of {unit} ({fingerprint}) was already held "
                                  "and confirmed; nothing changed."),
        "replaced": lambda: _("{file}: the key held for {unit} was replaced: {held} → "
                              "{fingerprint}."),
        "other_key_held": lambda: _(
            "{file}: refused — another key is held for {unit} ({held}); the card's is "
            "{fingerprint}. If the unit lost its key, check the new fingerprint on its signed "
            "paper report, then run: cchc review enrol --replace {code} {file} "
            "--fingerprint \"{fingerprint}\""),
        "key_of_another_sender": lambda: _("{file}: refused — this key is already held for "
                                           "{other}; nothing changed."),
        "card_for_other_code": lambda: _("{file}: refused — the card is for {other}, not for "
                                         "{code}; nothing changed."),
        "fingerprint_mismatch": lambda: _(
            "{file}: refused — the fingerprint typed ({held}) is not the key's "
            "({fingerprint}); nothing changed."),
        "bad_fingerprint": lambda: _("{file}: refused — what was typed is not a fingerprint "
                                     "(20 hexadecimal digits, such as 3f2a 9c1b 77d0 e5a1 "
                                     "0b44); nothing changed."),
        "no_key_held": lambda: _("{file}: no key is held for {code}; nothing to confirm."),
    }
    words = sentences.get(o.outcome, lambda: o.outcome)
    return words().format(file=shown, unit=unit, code=o.code, fingerprint=o.fingerprint,
                          held=o.held, other=o.other)


def card_refused(shown: str, refusal: Any) -> str:
    from tui.words.bundle import refusal_sentence

    return _("{file}: refused — {reason}").format(file=shown, reason=refusal_sentence(refusal))


def set_aside_outcome(result: Any) -> list[str]:
    """What `cchc review set-aside` (or the bundles tab) did
    (store.review.set_aside.SetAsideResult)."""
    r = result
    if r.outcome == "not_found":
        return [_("No bundle received has the id {id}; nothing changed.").format(
            id=r.bundle_id or r.reference)]
    if r.outcome == "unreadable_file":
        return [_("{file} holds no bundle id that can be read; nothing changed.").format(
            file=r.reference)]
    if r.outcome == "ambiguous":
        return [_("{reference} fits several bundles ({ids}); give more of the id.").format(
            reference=r.reference, ids=", ".join(r.matches))]
    if r.outcome == "already_set_aside":
        return [_("Bundle {sequence} of unit {unit} was already set aside; nothing "
                  "changed.").format(sequence=r.sequence, unit=r.unit_code)]
    lines = [_("Set aside: bundle {sequence} of unit {unit} ({id}). It stays on record, "
               "marked as set aside.").format(sequence=r.sequence, unit=r.unit_code,
                                              id=r.bundle_id)]
    if not r.was_current:
        lines.append(_("It was not the unit's current bundle; the current one stays."))
    elif r.current_sequence is None:
        lines.append(_("The unit has no current bundle now; its next file is judged as its "
                       "first."))
    else:
        lines.append(_("The unit's current bundle is bundle {sequence} again; later files are "
                       "judged against it.").format(sequence=r.current_sequence))
    if r.key_dropped:
        lines.append(_("The key {fingerprint} taken from it was let go: the unit's next "
                       "signed file is trusted on first use again.").format(
            fingerprint=r.key_dropped))
    return lines


def new_key_made(fingerprint: str, unit_code: str) -> list[str]:
    return [_("A new signing key was made: {fingerprint}").format(fingerprint=fingerprint),
            _("Your supervisor refuses your files until it replaces the key it holds for "
              "{code}: write the new key card with `cchc key export` and send it with a signed "
              "paper report that shows this fingerprint.").format(code=unit_code)]


def held_keys_lines(own: Any, keys: list[Any]) -> list[str]:
    """`cchc review keys`: the review's own key, then one line per key held."""
    from tui.i18n import ngettext

    lines = [_("This review's own key: {fingerprint}").format(
        fingerprint=own.fingerprint) if own.ok else own_key_problem(own)]
    if not keys:
        lines.append(_("No unit's key is held yet."))
        return lines
    for key in keys:
        mark = "⚠ " if key.unconfirmed else "  "
        name = f" {key.name}" if key.name else ""
        lines.append(f"{mark}{key.sender_code}{name}: {key.fingerprint} — {held_key_how(key)}")
    unconfirmed = sum(1 for key in keys if key.unconfirmed)
    lines.append(ngettext("{n} key held", "{n} keys held", len(keys)).format(n=len(keys))
                 + (" · " + ngettext(
                     "{n} not confirmed: compare it with the unit's signed paper report, then "
                     "run cchc review confirm CODE --fingerprint \"...\"",
                     "{n} not confirmed: compare them with the units' signed paper reports, "
                     "then run cchc review confirm CODE --fingerprint \"...\"",
                     unconfirmed).format(n=unconfirmed) if unconfirmed else ""))
    return lines
