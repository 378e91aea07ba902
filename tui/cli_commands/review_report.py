"""`cchc review report [--out DIR]`: the supervisor's summary of all units, a
workbook (sheets Đơn vị, Quá hạn, Lĩnh vực) and a report, from the review database
read-only."""

from __future__ import annotations

import argparse
import sys

from tui.i18n import _


def run_review_report(args: argparse.Namespace, context) -> int:  # noqa: ANN001 - AppContext
    from store.review import ensure_review_database
    from tui.cli_commands.report import may_replace, print_result
    from tui.documents.writing import write_review_report
    from tui.services.exporting import chosen_folder

    if len(args.paths) > 1:
        print(_("`cchc review report` takes no paths; receive the bundles first with "
                "`cchc review PATH...`."), file=sys.stderr)
        return 2
    locations = context.locations
    if not locations.review_db_path.exists():
        print(_("No bundle has been received yet: run `cchc review PATH...` first."),
              file=sys.stderr)
        return 1
    ensure_review_database(locations.review_db_path, locations.backups_dir)
    folder, create = chosen_folder(context, args.out)

    def write(replace: bool):  # noqa: ANN202
        return write_review_report(context, locations.review_db_path, folder,
                                   create_folder=create, replace=replace)

    result = write(args.replace)
    if getattr(result, "code", None) == "exists" and may_replace(args, result.path):
        result = write(True)
    return print_result(result)
