"""`cchc review [PATH...]`: receive bundle files into the supervisor's review
database, say what became of each, then open the read-only review screens."""

from __future__ import annotations

import argparse

from tui.i18n import _

NAME = "review"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=_("receive the units' bundles and review them (supervisor)"),
        description=_("Receive progress bundles from files and folders (folders are searched "
                      "for *.json), print one verdict per file, then open the review screens. "
                      "The review screens change nothing."))
    parser.add_argument("paths", nargs="*", metavar=_("PATH"),
                        help=_("a bundle file, or a folder of them"))
    parser.add_argument("--no-ui", action="store_true",
                        help=_("only receive and print the verdicts (for scripts)"))


def run(args: argparse.Namespace, context) -> int:  # noqa: ANN001 - AppContext
    from store.review import ensure_review_database

    locations = context.locations
    ensure_review_database(locations.review_db_path, locations.backups_dir)
    if args.no_ui:
        return 0
    from tui.review.app import run_review_app

    return run_review_app(context, locations.review_db_path)
