"""`cchc review [PATH...]`: receive bundle files into the supervisor's review
database, say what became of each, then open the read-only review screens."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tui.i18n import _

NAME = "review"
# `cchc review report`: the summary documents, not a path to receive (write ./report
# to receive a folder of that name).
REPORT_WORD = "report"
# `cchc review assign ...` and `cchc review note ...`: parsed by the modules of the
# same name (tui.cli_commands.assign, .note).
ASSIGNMENT_WORDS = ("assign", "note")
# With this many files or more, a progress line is kept on a terminal.
PROGRESS_FROM = 20


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=_("receive the units' bundles and review them (supervisor)"),
        description=_("Receive progress bundles from files and folders (folders are searched "
                      "for *.json), print one verdict per file, then open the review screens. "
                      "The review screens change nothing. `cchc review report` writes the "
                      "summary of all units instead (a workbook and a report)."),
        epilog=_("Keys and corrections: cchc review enrol CARD... (enrol key cards); cchc "
                 "review enrol --replace CODE CARD --fingerprint \"...\" (replace a held key); "
                 "cchc review confirm CODE --fingerprint \"...\"; cchc review keys; cchc review "
                 "set-aside FILE-or-bundle-id. Each has --help.") + " " + _(
            "Assignments to the units: cchc review assign --help; notes on their tasks: "
            "cchc review note --help."))
    _receive_arguments(parser)
    # Everything after the options, so that the words (report, enrol, keys...) take
    # their own options, which may share a name with these (--replace).
    parser.add_argument("review_words", nargs=argparse.REMAINDER, metavar=_("PATH"),
                        help=_("a bundle file, or a folder of them"))


def _receive_arguments(parser: argparse.ArgumentParser) -> None:
    from tui.cli_commands.report import add_output_options

    parser.add_argument("--no-ui", action="store_true",
                        help=_("only receive and print the verdicts (for scripts)"))
    add_output_options(parser)


def _paths_parser() -> argparse.ArgumentParser:
    """What follows `cchc review`'s own options when it is no key word: paths (or
    `report`), and the same options again, written after them."""
    parser = argparse.ArgumentParser(prog="cchc review")
    parser.add_argument("paths", nargs="*", metavar=_("PATH"),
                        help=_("a bundle file, or a folder of them"))
    _receive_arguments(parser)
    return parser


def shown_name(path: Path) -> str:
    """The path relative to the current folder when it is inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


class _ProgressLine:
    """'Receiving bundles: 120/3,321…' kept on the terminal's last line (stderr)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.active = total >= PROGRESS_FROM and sys.stderr.isatty()

    def clear(self) -> None:
        if self.active:
            sys.stderr.write("\r\033[K")

    def show(self, done: int) -> None:
        from tui.words.review import receive_progress

        if self.active:
            sys.stderr.write("\r\033[K" + receive_progress(done, self.total))
            sys.stderr.flush()


def receive_paths(context, paths: list[str]) -> bool:  # noqa: ANN001 - AppContext
    """Receive what the paths hold and print the verdicts. True if nothing was refused."""
    from store.review.receiving import find_bundle_files, receive_into
    from tui.words.review import receive_lines, receive_totals
    from tui.words.visible import say

    if context.read_only:
        from tui.words.bundle import no_receive_when_read_only

        say(no_receive_when_read_only(), file=sys.stderr)
        return False

    found = find_bundle_files(paths)
    for path in found.missing:
        say(_("{path}: no such file or folder.").format(path=path), file=sys.stderr)
    if not found.count:
        say(_("No bundle files (*.json) were found."))
        return not found.missing
    locations = context.locations
    progress = _ProgressLine(found.count)

    def report(index: int, path: Path, result) -> None:  # noqa: ANN001
        progress.clear()
        say(*receive_lines(shown_name(path), result))
        progress.show(index + 1)

    def waiting() -> None:
        progress.clear()
        _say_waiting()
        progress.show(0)

    progress.show(0)
    try:
        # alone: the review screens open only after this
        totals = receive_into(locations.review_db_path, found.files, refused=found.refused,
                              backups_dir=locations.backups_dir, alone=True, on_result=report,
                              keep_backups=context.config.backup.keep_events,
                              on_wait=waiting)
    finally:
        progress.clear()
    say(receive_totals(totals))
    return totals.refused == 0 and not found.missing


def _say_waiting() -> None:
    # Imported when needed: tui.words.bundle is not on the review's start path.
    from tui.words.bundle import waiting_for_another_receive
    from tui.words.visible import say

    say(waiting_for_another_receive(), file=sys.stderr)


def run(args: argparse.Namespace, context) -> int:  # noqa: ANN001 - AppContext
    from store.review import ensure_review_database
    from tui.cli_commands import review_keys

    words = list(args.review_words or [])
    if words[:1] and words[0] in review_keys.WORDS:
        return review_keys.run(words[0], words[1:], context)
    if words[:1] and words[0] in ASSIGNMENT_WORDS:
        return _assignment_command(words[0], words[1:], context)
    after = _paths_parser().parse_args(words)
    args.paths, args.no_ui = after.paths, args.no_ui or after.no_ui
    args.out, args.replace = after.out or args.out, args.replace or after.replace
    if args.paths[:1] == [REPORT_WORD]:
        from tui.cli_commands.review_report import run_review_report

        return run_review_report(args, context)
    locations = context.locations
    all_taken = receive_paths(context, args.paths) if args.paths else True
    if args.paths and context.read_only:  # refused to receive: said so
        return 1
    if args.no_ui:
        if locations.review_db_path.exists():
            review_keys.ensure_review_key(context)
        return 0 if all_taken else 1
    if not context.read_only:  # read-only: nothing created or migrated
        ensure_review_database(locations.review_db_path, locations.backups_dir,
                               on_wait=_say_waiting)
    early_overview, check_key = None, False
    if locations.review_db_path.exists():
        from store.clock import today
        from store.keys import key_on_record, key_path_for
        from store.review.early import EarlyOverviewRead

        # Started before the key check and Textual's import: its queries run meanwhile.
        early_overview = EarlyOverviewRead(locations.review_db_path, today())
        # The usual start, a key on record: the window checks it once it shows (and
        # tells there what is wrong); the first review makes it here, and says so.
        check_key = key_on_record(locations.review_db_path,
                                  key_path_for(locations.review_db_path))
        if not check_key:
            review_keys.ensure_review_key(context)
    from tui import garbage

    garbage.while_loading()
    from tui.review.app import run_review_app

    code = run_review_app(context, locations.review_db_path, early_overview,
                          check_key=check_key)
    return code or (0 if all_taken else 1)


def _assignment_command(word: str, argv: list[str], context) -> int:  # noqa: ANN001
    import importlib

    module = importlib.import_module(f"tui.cli_commands.{word}")
    return module.run(module.parser().parse_args(argv), context)
