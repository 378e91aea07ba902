"""`cchc check FILE...`: one verdict per progress bundle or assignment (valid ones say
who signed them, or that they are unsigned); exit 0 only if all are valid."""

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


def run(args: argparse.Namespace, context) -> int:  # noqa: ANN001 - AppContext
    from pathlib import Path

    from store.bundle.models import KIND, KIND_ASSIGNMENT
    from store.bundle.reader import read_bundle, read_file_limited
    from store.bundle.results import BundleRead, Refusal
    from store.bundle.signing import fingerprint
    from tui.words.assign import assignment_refusal, assignment_summary, assignment_warning
    from tui.words.bundle import bundle_summary, refusal_sentence, warning_sentence
    from tui.words.keys import signed_by
    from tui.words.visible import say

    unit = context.config.unit
    all_valid = True
    for name in args.files:
        # Read once (the safe opener, size first); a refusal's wording looks at the
        # same bytes.
        unread, data = read_file_limited(Path(name))
        read = (BundleRead(refusal=unread) if unread is not None
                else read_bundle(data, kinds=(KIND, KIND_ASSIGNMENT)))
        assignment = read.ok and read.bundle.kind == KIND_ASSIGNMENT
        if assignment and unit.configured and read.bundle.unit.code != unit.code:
            read = BundleRead(refusal=Refusal("wrong_unit", "$.unit.code", {
                "found": read.bundle.unit.code, "found_name": read.bundle.unit.name,
                "this": unit.code, "this_name": unit.name}))
        if not read.ok:
            all_valid = False
            worded = assignment_refusal if assignment or _claims_assignment(data) \
                else refusal_sentence
            say(_("{file}: refused — {reason}").format(
                file=name, reason=worded(read.refusal)))
            continue
        signer = None if read.public_key is None else fingerprint(read.public_key)
        summary = (assignment_summary if assignment else bundle_summary)(read.bundle)
        say(_("{file}: valid — {summary}, {signature}").format(
            file=name, summary=summary, signature=signed_by(signer)),
            *("  " + _("warning: {text}").format(
                text=(assignment_warning if assignment else warning_sentence)(warning))
              for warning in read.warnings))
    return 0 if all_valid else 1


def _claims_assignment(data: bytes) -> bool:
    """Whether a refused file's bytes say it is an assignment (its refusal is then
    worded as an assignment's: sent by the supervisor, not exported by a unit)."""
    from store.bundle.models import KIND_ASSIGNMENT
    from store.bundle.reader import parse_untrusted_json

    document = parse_untrusted_json(data) if data else None
    return isinstance(document, dict) and document.get("kind") == KIND_ASSIGNMENT
