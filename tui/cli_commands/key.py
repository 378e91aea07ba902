"""`cchc key show | export [--out DIR] | new [--force] | enrol CARD...`: the unit's
signing key, and the supervisor's key its assignments are checked with.

show    the fingerprint (or what is wrong with the key)
export  write the unit's key card (key-<code>.json) for the supervisor to enrol
new     make a new key when the old one is lost with its backups (the supervisor
        must then replace the key held for the unit, by its new fingerprint)
enrol   hold a supervisor's key card before its first assignment arrives (else the key
        of its first assignment is kept: trust on first use)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tui.i18n import _
from tui.words.visible import say

NAME = "key"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=_("the unit's signing key: fingerprint, key card, new key"),
        description=_("Every exported file is signed with the unit's key. Its fingerprint is "
                      "printed on the unit's reports; the key card lets the supervisor enrol "
                      "the key before the first file arrives."))
    actions = parser.add_subparsers(dest="key_action", metavar=_("ACTION"), required=True)
    actions.add_parser("show", help=_("print the key's fingerprint"))
    export = actions.add_parser("export", help=_("write the unit's key card"),
                                description=_("Write key-<unit code>.json, the unit's key "
                                              "card, for the supervisor to enrol."))
    export.add_argument("--out", metavar=_("DIR"),
                        help=_("folder to write the card to (default: the exports folder in "
                               "the data folder)"))
    new = actions.add_parser("new", help=_("make a new key (the old one was lost)"),
                             description=_("Make a new signing key when the old one is lost "
                                           "with its backups. The supervisor refuses the "
                                           "unit's files until it replaces the key held."))
    new.add_argument("--force", action="store_true",
                     help=_("replace a key that is in order"))
    enrol = actions.add_parser("enrol", help=_("hold the supervisor's key card"),
                               description=_("Hold the key card of the body that sends the "
                                             "assignments, before its first file: compare "
                                             "the fingerprint printed with the one on its "
                                             "signed letter. Its assignments signed with "
                                             "another key are then refused."))
    enrol.add_argument("cards", nargs="+", metavar=_("CARD"),
                       help=_("the supervisor's key card (key-<code>.json)"))


def run(args: argparse.Namespace, context) -> int:  # noqa: ANN001 - AppContext
    from tui.cli_commands import open_workspace_or_say_why

    if args.key_action != "show" and context.read_only:
        say(_("Nothing can be changed in read-only mode."), file=sys.stderr)
        return 1
    workspace = open_workspace_or_say_why(context)
    if workspace is None:
        return 1
    try:
        return {"show": _show, "export": _export, "new": _new, "enrol": _enrol}[
            args.key_action](
            args, context, workspace)
    finally:
        workspace.db.dispose()


def _show(args: argparse.Namespace, context, workspace) -> int:  # noqa: ANN001
    from tui.words.keys import fingerprint_line

    say(fingerprint_line(workspace.key))
    return 0 if workspace.key.ok else 1


def _export(args: argparse.Namespace, context, workspace) -> int:  # noqa: ANN001
    from store.bundle.keycard import key_card_bytes, key_card_file_name, make_key_card
    from store.clock import now_local
    from store.safe_write import WriteNotVerified, write_atomically
    from store.vocab import WriteKind
    from tui.words.bundle import export_failure_sentence
    from tui.services.exporting import default_folder
    from tui.words.keys import export_key_failure, key_card_written

    unit = context.config.unit
    if not unit.configured:
        from store.bundle.export import ExportFailed

        say(export_failure_sentence(ExportFailed("unit_not_configured")), file=sys.stderr)
        return 1
    key = workspace.key
    if not key.ok:
        say(export_key_failure(key), file=sys.stderr)
        return 1
    folder = Path(args.out).expanduser() if args.out else default_folder(context)
    if not args.out:
        folder.mkdir(parents=True, exist_ok=True)
    card = make_key_card(key.key, code=unit.code, name=unit.name,
                         created_at=now_local().replace(microsecond=0).isoformat())
    target = folder / key_card_file_name(unit.code)
    try:
        write_atomically(target, key_card_bytes(card), kind=WriteKind.KEY)
    except (OSError, WriteNotVerified) as error:
        say(_("The key card could not be written to {path}: {reason}").format(
            path=target, reason=getattr(error, "strerror", None) or error), file=sys.stderr)
        return 1
    say(*key_card_written(target, key.fingerprint))
    return 0


def _new(args: argparse.Namespace, context, workspace) -> int:  # noqa: ANN001
    from store.keys import make_new_key
    from tui.words.keys import new_key_made

    if workspace.key.ok and not args.force:
        say(_("The unit's key is in order ({fingerprint}); a new one would make the "
              "supervisor refuse your files until it replaces the key it holds. Add "
              "--force to make one all the same.").format(
            fingerprint=workspace.key.fingerprint), file=sys.stderr)
        return 1
    state = make_new_key(workspace.db, workspace.key.path, context.locations.backups_dir)
    say(*new_key_made(state.fingerprint, context.config.unit.code))
    return 0


def _enrol(args: argparse.Namespace, context, workspace) -> int:  # noqa: ANN001
    from store.bundle.keycard import read_key_card_file
    from store.review.senders import ALREADY_HELD, enrol_card
    from tui.cli_commands.review import shown_name
    from tui.words.assign import issuer_key_card, issuer_key_outcome
    from tui.words.keys import card_refused

    all_done = True
    for name in args.cards:
        shown = shown_name(Path(name))
        read = read_key_card_file(Path(name).expanduser())
        if not read.ok:
            say(card_refused(shown, read.refusal), file=sys.stderr)
            all_done = False
            continue
        say(issuer_key_card(read.card))
        outcome = enrol_card(workspace.db, read.card, workspace.officer)
        say(issuer_key_outcome(outcome, shown),
            file=sys.stdout if outcome.changed or outcome.outcome == ALREADY_HELD
            else sys.stderr)
        all_done = all_done and (outcome.changed or outcome.outcome == ALREADY_HELD)
    return 0 if all_done else 1
