"""`cchc check FILE...`: one verdict per progress bundle (valid ones say who signed
them, or that they are unsigned); exit 0 only if all are valid."""

from __future__ import annotations

import argparse

from tui.i18n import _

NAME = "check"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        NAME, help=_("check progress bundles without importing them"),
        description=_("Check that each file is a valid, unaltered progress bundle. Nothing is "
                      "imported or changed."))
    parser.add_argument("files", nargs="+", metavar=_("FILE"), help=_("bundle files to check"))


def run(args: argparse.Namespace, context) -> int:  # noqa: ANN001 - AppContext
    from store.bundle.reader import read_bundle_file
    from store.bundle.signing import fingerprint
    from tui.words.bundle import bundle_summary, refusal_sentence, warning_sentence
    from tui.words.keys import signed_by
    from tui.words.visible import say

    all_valid = True
    for name in args.files:
        read = read_bundle_file(name)
        if read.ok:
            signer = None if read.public_key is None else fingerprint(read.public_key)
            say(_("{file}: valid — {summary}, {signature}").format(
                file=name, summary=bundle_summary(read.bundle), signature=signed_by(signer)),
                *("  " + _("warning: {text}").format(text=warning_sentence(warning))
                  for warning in read.warnings))
        else:
            all_valid = False
            say(_("{file}: refused — {reason}").format(
                file=name, reason=refusal_sentence(read.refusal)))
    return 0 if all_valid else 1
