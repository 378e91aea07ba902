"""The supervisor's key and set-aside commands, under `cchc review`:

    cchc review enrol CARD...                                  enrol units' key cards
    cchc review enrol --replace CODE CARD --fingerprint "..."  replace a held key
    cchc review confirm CODE --fingerprint "..."               confirm a key taken on first use
    cchc review keys                                           list the keys held
    cchc review set-aside FILE-or-bundle-id                    set aside a wrong acceptance

`cchc review PATH...` receives files, so these words come first and are parsed
here (tui.cli_commands.review hands them over). Each opens the review database for
writing (an event backup first where it changes data) and leaves it in
journal_mode=DELETE for the read-only review screens.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.i18n import _
from tui.words.visible import say

WORDS = ("enrol", "confirm", "keys", "set-aside")


def _parser(word: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"cchc review {word}")
    if word == "enrol":
        parser.description = _("Enrol units' key cards before their first file, showing each "
                               "fingerprint; or replace the key held for a unit, only with the "
                               "new fingerprint typed as printed on its signed paper report.")
        parser.add_argument("cards", nargs="+", metavar=_("CARD"), help=_("key card files"))
        parser.add_argument("--replace", metavar=_("CODE"),
                            help=_("replace the key held for unit CODE by the card's"))
        parser.add_argument("--fingerprint", help=_("the new key's fingerprint, as printed on "
                                                    "the unit's signed paper report"))
    elif word == "confirm":
        parser.description = _("Confirm the key taken from a unit's first signed file, by the "
                               "fingerprint printed on the unit's signed paper report.")
        parser.add_argument("code", metavar=_("CODE"), help=_("the unit's code"))
        parser.add_argument("--fingerprint", required=True,
                            help=_("the fingerprint on the unit's signed paper report"))
    elif word == "keys":
        parser.description = _("List the keys held per unit: fingerprint, how and when each "
                               "was held, and which are not confirmed yet.")
    else:
        parser.description = _("Set aside a bundle accepted by mistake: it stays on record, the "
                               "unit's previous bundle becomes current again, and later files "
                               "are judged against it.")
        parser.add_argument("reference", metavar=_("FILE-OR-ID"),
                            help=_("the bundle file, or its bundle id (its first 8 characters "
                                   "are enough)"))
    return parser


def run(word: str, argv: list[str], context) -> int:  # noqa: ANN001 - AppContext
    args = _parser(word).parse_args(argv)
    if word != "keys" and context.read_only:
        say(_("Nothing can be changed in read-only mode."), file=sys.stderr)
        return 1
    return {"enrol": _enrol, "confirm": _confirm, "keys": _keys,
            "set-aside": _set_aside}[word](args, context)


def review_database(context, *, backup_reason: str | None = None):  # noqa: ANN001, ANN201
    """The review database opened for writing (created if need be), after an event
    backup when backup_reason is given, with the review's own key made if it has
    none yet (said once)."""
    from store.backup import backup_before_event
    from store.review import open_review_for_receiving

    locations = context.locations
    if backup_reason is not None:
        backup_before_event(locations.review_db_path, locations.backups_dir, backup_reason,
                            keep_events=context.config.backup.keep_events)
    db = open_review_for_receiving(locations.review_db_path, locations.backups_dir)
    ensure_review_key(context, db)
    return db


def ensure_review_key(context, db=None) -> None:  # noqa: ANN001
    """The supervisor's key pair, made at its first review (spec: each supervising body
    makes its key once); tells when it is made or what is wrong with it. Without db,
    the review database is opened read-only, and for writing only to make the key."""
    notice = review_key_notice(context, db)
    if notice is not None:
        say(notice, file=sys.stderr)


def review_key_notice(context, db=None) -> str | None:  # noqa: ANN001
    """ensure_review_key()'s work and what it would tell (None: nothing to tell); the
    review's window calls it once it shows, and tells it there."""
    from store.keys import key_path_for, own_key_state, ready_key_state
    from tui.words.keys import own_key_notice

    path = key_path_for(context.locations.review_db_path)
    if db is None:
        state = ready_key_state(context.locations.review_db_path, path)
        if state is None:
            state = _read_key_state(context, path)
    else:
        state = own_key_state(db, path, create=not db.read_only)
    return own_key_notice(state, review=True)


def _read_key_state(context, path: Path):  # noqa: ANN001, ANN202 - AppContext, OwnKeyState
    """own_key_state() of the review database opened read-only, and for writing only
    to make the key."""
    from store.keys import KEY_NONE, own_key_state
    from store.review import close_after_receiving, open_review_read_only

    reader = open_review_read_only(context.locations.review_db_path)
    try:
        state = own_key_state(reader, path, create=False)
    finally:
        reader.dispose()
    if state.status == KEY_NONE and not context.read_only:
        from store.review import open_review_for_receiving

        writer = open_review_for_receiving(context.locations.review_db_path)
        try:
            state = own_key_state(writer, path)
        finally:
            close_after_receiving(writer)
    return state


def _enrol(args: argparse.Namespace, context) -> int:  # noqa: ANN001
    from store.bundle.keycard import read_key_card_file
    from store.review import close_after_receiving
    from store.review.senders import (ALREADY_HELD, enrol_card, replace_key)
    from tui.cli_commands.review import shown_name
    from tui.words.keys import card_refused, key_outcome

    if args.replace is not None and (len(args.cards) != 1 or not args.fingerprint):
        say(_("--replace takes exactly one key card and --fingerprint \"...\", the new key's "
              "fingerprint as printed on the unit's signed paper report."), file=sys.stderr)
        return 2
    db = review_database(context, backup_reason="enrol")
    all_done = True
    try:
        for name in args.cards:
            shown = shown_name(Path(name))
            read = read_key_card_file(Path(name).expanduser())
            if not read.ok:
                say(card_refused(shown, read.refusal))
                all_done = False
                continue
            if args.replace is not None:
                outcome = replace_key(db, args.replace, read.card, args.fingerprint,
                                      context.actor())
            else:
                outcome = enrol_card(db, read.card, context.actor())
            say(key_outcome(outcome, shown))
            all_done = all_done and (outcome.changed or outcome.outcome == ALREADY_HELD)
    finally:
        close_after_receiving(db)
    return 0 if all_done else 1


def _confirm(args: argparse.Namespace, context) -> int:  # noqa: ANN001
    from store.review import close_after_receiving
    from store.review.senders import ALREADY_HELD, confirm_key
    from tui.words.keys import key_outcome

    db = review_database(context)
    try:
        outcome = confirm_key(db, args.code, args.fingerprint, context.actor())
    finally:
        close_after_receiving(db)
    say(key_outcome(outcome, args.code))
    return 0 if outcome.changed or outcome.outcome == ALREADY_HELD else 1


def _keys(args: argparse.Namespace, context) -> int:  # noqa: ANN001
    from store.keys import key_path_for, own_key_state
    from store.review import close_after_receiving
    from store.review.senders import held_keys
    from tui.words.keys import held_keys_lines

    db = review_database(context)
    try:
        own = own_key_state(db, key_path_for(context.locations.review_db_path), create=False)
        with db.read() as session:
            keys = held_keys(session)
    finally:
        close_after_receiving(db)
    say(*held_keys_lines(own, keys))
    return 0


def _set_aside(args: argparse.Namespace, context) -> int:  # noqa: ANN001
    from store.review import close_after_receiving
    from store.review.set_aside import SET_ASIDE, set_aside
    from tui.words.keys import set_aside_outcome

    db = review_database(context, backup_reason="set-aside")
    try:
        result = set_aside(db, args.reference, context.actor())
    finally:
        close_after_receiving(db)
    say(*set_aside_outcome(result))
    return 0 if result.outcome == SET_ASIDE else 1
