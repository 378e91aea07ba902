"""`cchc export [--out DIR]`: write the progress bundle for the supervisor."""

from __future__ import annotations

import argparse

from tui.i18n import _

NAME = "export"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=_("export the progress bundle to send to the supervisor"),
        description=_("Write the unit's progress bundle (a JSON file) for a USB stick or an "
                      "e-mail, and print its check code to read out over the phone."))
    parser.add_argument("--out", metavar=_("DIR"),
                        help=_("folder to write to (default: the last folder used, else the "
                               "exports folder in the data folder)"))


def run(args: argparse.Namespace, context) -> int:  # noqa: ANN001 - AppContext
    import sys

    from store.bundle.export import ExportDone
    from tui.cli_commands import open_workspace_or_say_why
    from tui.services.exporting import chosen_folder, export_to
    from tui.words.bundle import export_done_lines, export_failure_sentence

    folder, create = chosen_folder(context, args.out)
    workspace = open_workspace_or_say_why(context)
    if workspace is None:
        return 1
    try:
        result = export_to(context, workspace.db, folder, create)
    finally:
        workspace.db.dispose()
    if isinstance(result, ExportDone):
        print("\n".join(export_done_lines(result)))
        return 0
    print(export_failure_sentence(result), file=sys.stderr)
    return 1
