"""Text from files, shown without being acted on: on a terminal and on the screens.

A bundle, a backup or a file name comes from another computer: it may hold terminal
escapes (ESC, OSC 52 that writes the clipboard, BEL), bidi overrides that reverse
what follows, zero-width characters, or bytes that are not text. Every line the
command line prints (and every log line) goes through visible(), which shows those
characters as visible escapes: ESC as \\x1b, U+202E as <U+202E>, the undecodable
byte 0xff of a file name as \\xff. The command line's own line breaks come from
printing one line at a time (say()), never from the data. The screens show data
through tui.words.plain, which applies the same rules.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Iterable
from typing import TextIO

# Shown by name rather than as a hexadecimal escape: what a reader recognises.
_SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# Categories never shown as themselves: controls (C0, DEL, C1), format characters
# (bidi controls, zero-width, soft hyphen, BOM...), surrogates, line and paragraph
# separators, and code points this Python does not know (a newer Unicode may make
# them format characters).
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp", "Cn"})
# os.fsdecode() turns each byte of a file name that is not UTF-8 into U+DC80..U+DCFF.
_ESCAPED_BYTES = range(0xDC80, 0xDD00)


def _shown_char(char: str) -> str:
    code = ord(char)
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    if code in _ESCAPED_BYTES:
        return f"\\x{code - 0xDC00:02x}"
    return f"<U+{code:04X}>"


# What a text of several lines keeps (lines=True): its line breaks and tabs, which
# a screen lays out (the spec allows them in a task's detail and result, a finding).
_LAYOUT_CHARS = frozenset("\n\t")


def visible(text: object, *, lines: bool = False) -> str:
    """text with every control, format, separator, surrogate and unassigned
    character replaced by a visible escape; ordinary text (Vietnamese included,
    spaces of every width too) unchanged. lines: line feeds and tabs stay."""
    text = str(text)
    if text.isprintable():  # the common case, in C: nothing to escape
        return text
    kept = _LAYOUT_CHARS if lines else frozenset()
    return "".join(_shown_char(char) if not char.isprintable() and char not in kept
                   and unicodedata.category(char) in _HIDDEN_CATEGORIES else char
                   for char in text)


def visible_path(path: str | os.PathLike[str] | bytes) -> str:
    """A file name as visible text (bytes of a name that is not UTF-8 as \\xNN)."""
    return visible(os.fsdecode(path))


def say(*lines: object, file: TextIO | None = None) -> None:
    """Print each line made visible, one per line. A reader that went away (a closed
    pipe: `cchc review ... | head -1`) silences the rest of the output instead of
    stopping the command: what it does is done, only the words are not read."""
    say_lines(lines, file=file)


def say_lines(lines: Iterable[object], file: TextIO | None = None) -> None:
    stream = sys.stdout if file is None else file
    text = "".join(visible(line) + "\n" for line in lines)
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        silence(stream)


def silence(stream: TextIO) -> None:
    """Send what is still written to stream to the null device: its reader closed
    the pipe. The file descriptor is replaced (not only the Python object), so the
    flush at exit does not fail and print 'Exception ignored'."""
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)
