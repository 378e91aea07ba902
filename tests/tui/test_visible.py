"""visible(): what came from a file is shown, never acted on by the terminal."""

from __future__ import annotations

import io
import os
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from tui.words.visible import say, visible, visible_path

BIDI_CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A),
                                   0x200E, 0x200F, 0x061C)]


def test_terminal_escapes_are_shown_not_sent() -> None:
    forged = "\x1b]52;c;SGFja2Vk\x07\x1b[2K\x1b[1G\x1b[32mOK"
    assert visible(forged) == "\\x1b]52;c;SGFja2Vk\\x07\\x1b[2K\\x1b[1G\\x1b[32mOK"
    assert visible("a\x00b\x7fc\x9bd") == "a\\x00b\\x7fc\\x9bd"  # C0, DEL, C1 (CSI)
    assert visible("line\nbreak\tand\rreturn") == "line\\nbreak\\tand\\rreturn"


def test_bidi_zero_width_and_separators_are_named() -> None:
    assert visible("abc\u202edef") == "abc<U+202E>def"
    for char in BIDI_CONTROLS:
        assert visible(char) == f"<U+{ord(char):04X}>"
    assert visible("a\u200bb\u200dc\ufeffd") == "a<U+200B>b<U+200D>c<U+FEFF>d"
    assert visible("x\u2028y\u2029z") == "x<U+2028>y<U+2029>z"
    assert visible("soft\u00adhyphen") == "soft\\xadhyphen"


def test_ordinary_text_is_unchanged() -> None:
    for text in ("Phường 1, Sa Đéc", "Xã Tân Phú (30316)", "[bold]not markup here[/]",
                 "số 45/BC-UBND ngày 12/3", "e\u0301 decomposed", "\u00a0nbsp\u3000wide",
                 "emoji 🎉 and 𒐫", "C:\\Users\\lan\\cchc-30316.json", ""):
        assert visible(text) == text


def test_file_names_that_are_not_text_show_their_bytes() -> None:
    assert visible_path(os.fsdecode(b"ok\xff.json")) == "ok\\xff.json"
    assert visible_path(b"\xc3(\xe9.json") == "\\xc3(\\xe9.json"
    assert visible("lone \ud800 surrogate") == "lone <U+D800> surrogate"
    assert visible_path(os.fsdecode(b"\x1b]0;T\x07.json")) == "\\x1b]0;T\\x07.json"


@given(st.text(alphabet=st.characters(codec=None), max_size=60))
def test_nothing_invisible_or_controlling_is_left(text: str) -> None:
    shown = visible(text)
    assert all(unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Zl", "Zp", "Cn")
               for char in shown)
    shown.encode("utf-8")  # no surrogate left: always printable as UTF-8


@given(st.text(alphabet=st.characters(categories=("L", "M", "N", "P", "S", "Zs")),
               max_size=60))
def test_visible_text_is_left_as_it_is(text: str) -> None:
    assert visible(text) == text


def test_say_prints_each_line_visible() -> None:
    out = io.StringIO()
    say("first\x1b[2J", "second\nline", file=out)
    assert out.getvalue() == "first\\x1b[2J\nsecond\\nline\n"


def test_say_to_a_closed_pipe_goes_quiet() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    stream = os.fdopen(write_end, "w", encoding="utf-8")
    say("nobody reads this", file=stream)  # no BrokenPipeError
    say("nor this", file=stream)
    stream.close()


def test_lines_keep_their_line_feeds_and_tabs_only() -> None:
    assert visible("a\nb\tc\x1b\u202e\r", lines=True) == "a\nb\tc\\x1b<U+202E>\\r"
    assert visible("a\nb\tc") == "a\\nb\\tc"


def test_plain_is_a_text_never_read_as_markup() -> None:
    from rich.text import Text

    from tui.words.plain import plain, plain_lines, plain_options

    shown = plain("Xã [bold red]ĐỎ[/] [@click=app.quit]\x1b\u200b", style="bold")
    assert isinstance(shown, Text) and shown.spans == [] and shown.style == "bold"
    assert shown.plain == "Xã [bold red]ĐỎ[/] [@click=app.quit]\\x1b<U+200B>"
    assert plain("one\ntwo").plain == "one\\ntwo"
    assert plain("one\ntwo", lines=True).plain == "one\ntwo"
    assert plain(shown) is shown
    assert plain_lines(["[/]", "b\nc"]).plain == "[/]\nb\\nc"
    assert [(t.plain, v) for t, v in plain_options([("[b]x", 1)])] == [("[b]x", 1)]
