"""`cchc check FILE...`: one verdict per progress bundle or assignment; exit 0 only if
all are valid."""

from __future__ import annotations

import argparse

from tui.i18n import _

NAME = "check"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=_("check progress bundles and assignments without importing them"),
        description=_("Check that each file is a valid, unaltered progress bundle or "
                      "assignment (an assignment must be for this unit when one is set up). "
                      "Nothing is imported or changed."))
    parser.add_argument("files", nargs="+", metavar=_("FILE"),
                        help=_("bundle or assignment files to check"))


def _is_assignment(name: str) -> bool:
    """What the file says it is; a file that says nothing readable is judged as a
    progress bundle, whose reader says what is wrong with it."""
    from pathlib import Path

    from store.bundle.assignment_read import document_kind
    from store.bundle.reader import read_document, read_file_limited

    refusal, data = read_file_limited(Path(name))
    return refusal is None and document_kind(read_document(data)) == "assignment"


def run(args: argparse.Namespace, context) -> int:  # noqa: ANN001 - AppContext
    from store.bundle.reader import read_bundle_file
    from tui.words.bundle import bundle_summary, refusal_sentence, warning_sentence

    all_valid = True
    for name in args.files:
        if _is_assignment(name):
            all_valid = _check_assignment(name, context) and all_valid
            continue
        read = read_bundle_file(name)
        if read.ok:
            print(_("{file}: valid — {summary}").format(file=name,
                                                        summary=bundle_summary(read.bundle)))
            for warning in read.warnings:
                print("  " + _("warning: {text}").format(text=warning_sentence(warning)))
        else:
            all_valid = False
            print(_("{file}: refused — {reason}").format(
                file=name, reason=refusal_sentence(read.refusal)))
    return 0 if all_valid else 1


def _check_assignment(name: str, context) -> bool:  # noqa: ANN001 - AppContext
    from store.bundle.assignment_read import read_assignment_file
    from store.bundle.results import BundleWarning, Refusal
    from tui.words.assign import assignment_refusal, assignment_summary, assignment_warning

    read = read_assignment_file(name)
    unit = context.config.unit
    if read.ok and unit.configured and read.bundle.unit.code != unit.code:
        mismatch = Refusal("wrong_unit", "$.unit.code", {
            "found": read.bundle.unit.code, "found_name": read.bundle.unit.name,
            "this": unit.code, "this_name": unit.name})
        print(_("{file}: refused — {reason}").format(file=name,
                                                      reason=assignment_refusal(mismatch)))
        return False
    if not read.ok:
        print(_("{file}: refused — {reason}").format(file=name,
                                                      reason=assignment_refusal(read.refusal)))
        return False
    print(_("{file}: valid — {summary}").format(file=name,
                                                summary=assignment_summary(read.bundle)))
    assignment = read.bundle
    signature = BundleWarning("unsigned" if assignment.signature is None
                              else "signature_not_checked", "$",
                              {"issuer": assignment.issuer.code})
    for warning in (*read.warnings, signature):
        print("  " + _("warning: {text}").format(text=assignment_warning(warning)))
    return True
