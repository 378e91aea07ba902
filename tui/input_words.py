"""Sentences for what untrusted input brings besides its content: paths that are not
files, names that are not text, folders that cannot be read, a receive that waits
for another (store.files, store.review.receiving).

To move into the words layer (tui/words/) once it lands.
"""

from __future__ import annotations

from tui.i18n import _


def file_kind(kind: str) -> str:
    """What a path is when it is not a file (store.files.file_kind), with its article."""
    return {"directory": _("a folder"), "fifo": _("a named pipe (FIFO)"),
            "character_device": _("a device"), "block_device": _("a disk device"),
            "socket": _("a socket")}.get(kind, _("a special file"))


def not_a_file(kind: str) -> str:
    return _("This is {kind}, not a file; it was not read.").format(kind=file_kind(kind))


def waiting_for_another_receive() -> str:
    return _("Another receive into the review database is running; this one waits for it "
             "to finish, then goes on. Nothing is lost either way.")


def no_receive_when_read_only() -> str:
    return _("Nothing can be received in read-only mode.")


def unusual_unit_code(code: str) -> str:
    return _("The unit code {code} is not 5 digits, as a commune's or ward's code is: check "
             "that it is not a look-alike of another unit's code (the letter O for a "
             "zero).").format(code=code)
