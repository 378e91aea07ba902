"""Property (issue 10, done when): whatever text a bundle holds in any of its text
fields, and whatever its file is named, what `cchc check` and `cchc review --no-ui`
print holds no byte below 0x20 but the line feed, no C1 control and no bidi control;
the log file neither."""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import FIXED_TODAY
from tests.review import factory
from tui.cli import main

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
HOSTILE = ("[]/@=\\" + "".join(map(chr, range(0x20))) + "\x7f"
           + "".join(map(chr, range(0x80, 0xA0))) + BIDI + "\u200b\u200c\u200d\u2060\ufeff"
           + "\u00ad\u2028\u2029" + "\udc80\udcff\ud800" + "aĐỏ 1.:-")
# markup, escapes as the terminal reads them, and ordinary text around them
PIECES = ["[bold red]", "[/]", "[@click=app.quit]", "\x1b]52;c;SGFja2Vk\x07", "\x1b[2K",
          "\x1b[32mOK", "\x1b]0;T\x07", "\u202eabc", "Xã Tân Phú", "\n", "\t"]
hostile_text = st.lists(st.one_of(st.sampled_from(PIECES),
                                  st.text(alphabet=HOSTILE, min_size=1, max_size=8)),
                        max_size=6).map("".join)

# Every string of a bundle, by where it is: ids and codes too (a refusal echoes them).
TEXT_FIELDS = [
    ("bundle_id",), ("created_at",), ("generator",), ("previous_sha256",),
    ("unit", "code"), ("unit", "name"), ("unit", "supervisor"),
    ("sender", "name"), ("sender", "position"), ("sender", "phone"), ("sender", "email"),
    ("assessments", 0, "id"), ("assessments", 0, "title"), ("assessments", 0, "issuer"),
    ("assessments", 0, "documents", 0, "number"), ("assessments", 0, "documents", 0, "title"),
    ("assessments", 0, "criteria", 1, "code"), ("assessments", 0, "criteria", 1, "title"),
    ("assessments", 0, "criteria", 1, "finding"),
    ("assessments", 0, "tasks", 0, "id"), ("assessments", 0, "tasks", 0, "title"),
    ("assessments", 0, "tasks", 0, "detail"), ("assessments", 0, "tasks", 0, "owner"),
    ("assessments", 0, "tasks", 0, "result"), ("assessments", 0, "tasks", 0, "due"),
    ("assessments", 0, "tasks", 0, "updated_at"), ("assessments", 0, "tasks", 0, "status"),
    ("assessments", 0, "tasks", 0, "criteria", 0),
    ("assessments", 0, "tasks", 0, "history", 0, "by"),
    ("assessments", 0, "tasks", 0, "history", 0, "field"),
    ("assessments", 0, "tasks", 0, "history", 0, "new"),
    ("assessments", 0, "tasks", 0, "evidence", 0, "title"),
    ("assessments", 0, "tasks", 0, "evidence", 0, "number"),
    ("assessments", 0, "tasks", 0, "evidence", 0, "issuer"),
    ("assessments", 0, "tasks", 0, "evidence", 0, "locator"),
    ("assessments", 0, "tasks", 0, "evidence", 0, "file", "name"),
    ("new member \x1b[2J\u202e",),
]


def _template() -> dict[str, Any]:
    bundle = factory.bundle_of(1, FIXED_TODAY)
    task = bundle["assessments"][0]["tasks"][0]
    task["criteria"] = ["1.1"]
    task["evidence"] = [{"id": factory._uid("e"), "title": "t", "number": None, "date": None,
                         "issuer": None, "locator": None,
                         "file": {"name": "f.pdf", "size": 1, "sha256": "a" * 64}}]
    bundle["assessments"][0]["tasks"] = bundle["assessments"][0]["tasks"][:2]
    return bundle


TEMPLATE = json.dumps(_template())


def _set(document: dict, where: tuple, value: str) -> None:
    target: Any = document
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value


def _sealed_bytes(document: dict) -> bytes:
    try:
        document["integrity"] = {"sha256": factory.digest(document)}
    except Exception:  # noqa: BLE001 - a lone surrogate cannot be canonicalised: unsealed
        pass
    # ensure_ascii: a lone surrogate travels as \\ud800, as a crafted file would carry it
    return json.dumps(document, ensure_ascii=True).encode("ascii")


file_names = st.text(alphabet=HOSTILE.replace("/", "") + "abc", min_size=1, max_size=20).filter(
    lambda name: "\x00" not in name and name not in (".", "..")
    and all(not "\ud800" <= c <= "\udc7f" and not "\udd00" <= c <= "\udfff" for c in name))


def _assert_only_visible(text: str) -> None:
    raw = text.encode("utf-8")  # strict: a lone surrogate left would raise
    bad = [byte for byte in raw if byte < 0x20 and byte != 0x0A or byte == 0x7F]
    assert not bad, repr(text)
    assert not any(c in BIDI or "\x80" <= c <= "\x9f" for c in text), repr(text)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(where=st.sampled_from(TEXT_FIELDS), value=hostile_text, name=file_names)
def test_check_and_review_print_only_visible_text(where: tuple, value: str, name: str) -> None:
    document = json.loads(TEMPLATE)
    _set(document, where, value)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "in"
        folder.mkdir()
        path = folder / (name + ".json")
        path.write_bytes(_sealed_bytes(document))
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main(["--data-dir", str(Path(scratch) / "data"), "check", str(path)])
            main(["--data-dir", str(Path(scratch) / "data"), "review", "--no-ui", str(folder)])
        printed = out.getvalue() + err.getvalue()
        _assert_only_visible(printed)
        assert "unexpected error" not in printed and "lỗi không mong muốn" not in printed
        for log in (Path(scratch) / "data" / "logs").glob("*.log"):
            _assert_only_visible(log.read_text(encoding="utf-8"))
