"""`cchc report plan|results|tasks [--out DIR]`: write the unit's official documents
(the remediation plan, the results report with its progress bundle, the task
workbook) for the chairman to sign and the supervisor to receive."""

from __future__ import annotations

import argparse
import sys

from tui.i18n import _

NAME = "report"


def add_output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", metavar=_("DIR"),
                        help=_("folder to write to (default: the last folder used, else the "
                               "exports folder in the data folder)"))
    parser.add_argument("--replace", action="store_true",
                        help=_("replace a file of the same name without asking"))


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=_("write the remediation plan, the results report or the task workbook"),
        description=_("Write an official document of the unit: the remediation plan (Word), "
                      "the results report (Word, with a progress bundle exported at the same "
                      "time, whose check code it prints) or the tasks and criteria (Excel)."))
    parser.add_argument("document", choices=("plan", "results", "tasks"),
                        help=_("plan, results or tasks"))
    parser.add_argument("--format", choices=("xlsx",), default="xlsx",
                        help=_("format of the task list (xlsx)"))
    add_output_options(parser)


def may_replace(args: argparse.Namespace, path) -> bool:  # noqa: ANN001 - Path
    """--replace, or the user says yes on a terminal; never without asking."""
    if args.replace:
        return True
    if not sys.stdin.isatty():
        return False
    answer = input(_("{path} already exists. Replace it? [y/N] ").format(path=path))
    return answer.strip().lower() in (_("y"), "y")


def print_result(result) -> int:  # noqa: ANN001 - DocumentResult
    from tui.documents.writing import DocumentWritten
    from tui.words.documents import failure_sentence, written_lines

    if isinstance(result, DocumentWritten):
        print("\n".join(written_lines(result)))
        return 0
    print(failure_sentence(result), file=sys.stderr)
    if result.code == "exists":
        print(_("Use --replace to replace it."), file=sys.stderr)
    return 1


def run(args: argparse.Namespace, context) -> int:  # noqa: ANN001 - AppContext
    from tui.cli_commands import open_workspace_or_say_why
    from tui.documents.writing import write_unit_document
    from tui.services.exporting import chosen_folder

    folder, create = chosen_folder(context, args.out)
    workspace = open_workspace_or_say_why(context)
    if workspace is None:
        return 1
    try:
        def write(replace: bool):  # noqa: ANN202
            return write_unit_document(context, workspace.db, workspace.unit_id, args.document,
                                       folder, create_folder=create, replace=replace)

        result = write(args.replace)
        if getattr(result, "code", None) == "exists" and may_replace(args, result.path):
            result = write(True)
    finally:
        workspace.db.dispose()
    return print_result(result)
