"""`cchc review note TASK TEXT`: the supervisor's remark on one of a unit's tasks, kept
in the review database and sent with the unit's next assignment file."""

from __future__ import annotations

import argparse
import sys

from tui.i18n import _
from tui.words.visible import say


def parser() -> argparse.ArgumentParser:
    """Its own parser: `cchc review` hands over the words after `note`."""
    parser = argparse.ArgumentParser(
        prog="cchc review note",
        description=_("Keep a remark on one of a unit's tasks, such as “thiếu tài liệu kiểm "
                      "chứng”. It goes to the unit with its next assignment file (or with "
                      "cchc review assign --notes-only)."))
    parser.add_argument("task", metavar=_("TASK"),
                        help=_("the task's id, or its first 8 or more characters"))
    parser.add_argument("text", metavar=_("TEXT"), help=_("the note"))
    parser.add_argument("--by", metavar=_("NAME"),
                        help=_("who writes it (default: the officer of the settings)"))
    return parser


def run(args: argparse.Namespace, context) -> int:  # noqa: ANN001 - AppContext
    from store.assign.notes import MIN_PREFIX, add_note, find_tasks
    from store.errors import EditRefused
    from store.review import close_after_receiving, open_review_for_receiving
    from tui.words.edits import edit_refusal

    by = args.by or context.config.officer.name
    if not by:
        say(_("Say who writes the note: --by NAME (or set the officer in the settings)."),
              file=sys.stderr)
        return 2
    locations = context.locations
    db = open_review_for_receiving(locations.review_db_path, locations.backups_dir)
    try:
        with db.read() as session:
            found = find_tasks(session, args.task)
        if len(found) != 1:
            if not found:
                say(_("No task of any unit has an id starting with “{given}” (give at least "
                        "{n} characters).").format(given=args.task, n=MIN_PREFIX),
                      file=sys.stderr)
            else:
                say(_("Several tasks have an id starting with “{given}”:").format(
                    given=args.task), file=sys.stderr)
                for task in found[:20]:
                    say(f"  {task.unit_code} {task.task_uid} {task.title}", file=sys.stderr)
            return 1
        task = found[0]
        try:
            with db.write() as session:
                add_note(session, task.unit_code, task.task_uid, args.text, by=by)
        except EditRefused as refused:
            say(_("The note was not kept: {reason}").format(reason=edit_refusal(refused)),
                  file=sys.stderr)
            return 1
    finally:
        close_after_receiving(db)
    say(_("Note kept for unit {unit}, task “{title}”; it goes with the unit's next "
            "assignment.").format(unit=task.unit_code, title=task.title))
    return 0
