"""Every code the store gives has a sentence, in Vietnamese and in English.

The codes are read from the store itself: its published lists (REFUSAL_CODES,
WARNING_CODES, the receive Verdict, DAMAGE_PROBLEMS, UNIT_LEVELS...) and, where it
has none, every literal code its sources pass to the result or exception that
carries it (EditRefused("required", ...), ExportFailed("no_space", ...)). A new
code in the store without a sentence in tui/words fails here, not on a user's
screen.
"""

from __future__ import annotations

import ast
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tui.i18n import set_language

STORE_DIR = Path(__file__).resolve().parents[2] / "store"


class Unresolved(Exception):
    """A code the scanner cannot follow to its literal values."""


def _module_assignments(tree: ast.Module) -> dict[str, list[ast.expr]]:
    found: dict[str, list[ast.expr]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                and node.value is not None:
            found.setdefault(node.target.id, []).append(node.value)
    return found


def _function_assignments(function: ast.AST) -> dict[str, list[ast.expr]]:
    found: dict[str, list[ast.expr]] = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(node.value)
    return found


def _enum_members() -> dict[tuple[str, str], str]:
    """(class, member) -> value for every `MEMBER = "value"` in a class of store/
    (the codes as StrEnums: Verdict.ACCEPTED is "accepted")."""
    members: dict[tuple[str, str], str] = {}
    for source in sorted(STORE_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            for statement in node.body:
                if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Constant) \
                        and isinstance(statement.value.value, str):
                    for target in statement.targets:
                        if isinstance(target, ast.Name):
                            members[(node.name, target.id)] = statement.value.value
    return members


ENUM_MEMBERS = _enum_members()


def _literals(expr: ast.expr, local: dict[str, list[ast.expr]],
              module: dict[str, list[ast.expr]]) -> set[str]:
    """The string values expr can take: constants and enum members, both arms of
    `if` and `or`, a dict's values, `table.get(key, default)`, and names assigned
    from those."""
    if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) \
            and (expr.value.id, expr.attr) in ENUM_MEMBERS:
        return {ENUM_MEMBERS[(expr.value.id, expr.attr)]}
    if isinstance(expr, ast.Constant):
        if expr.value is None:
            return set()
        if isinstance(expr.value, str):
            return {expr.value}
    if isinstance(expr, ast.IfExp):
        return _literals(expr.body, local, module) | _literals(expr.orelse, local, module)
    if isinstance(expr, ast.BoolOp):
        return set().union(*(_literals(value, local, module) for value in expr.values))
    if isinstance(expr, ast.Dict):
        return set().union(*(_literals(value, local, module) for value in expr.values))
    if isinstance(expr, ast.Call) and isinstance(expr.func, ast.Attribute) \
            and expr.func.attr == "get":
        found = _literals(expr.func.value, local, module)
        if len(expr.args) > 1:
            found |= _literals(expr.args[1], local, module)
        return found
    if isinstance(expr, ast.Name):
        values = local.get(expr.id) or module.get(expr.id)
        if values:
            return set().union(*(_literals(value, {}, module) for value in values))
    raise Unresolved(ast.unparse(expr))


def store_codes(constructor: str, position: int | None, keyword: str, *,
                lenient: bool = False) -> set[str]:
    """Every code the store's sources pass to `constructor` (as argument
    `position`, or `keyword`; position None: keyword only). A code the scan
    cannot follow fails the test, unless `lenient` (the store then publishes the
    list elsewhere)."""
    codes: set[str] = set()
    calls = 0
    for source in sorted(STORE_DIR.rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        module = _module_assignments(tree)
        functions = [node for node in ast.walk(tree)
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
        for function in functions:
            local = _function_assignments(function)
            for node in ast.walk(function):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                        and node.func.id == constructor):
                    continue
                positional = position is not None and len(node.args) > position
                argument = node.args[position] if positional else next(  # type: ignore[index]
                    (k.value for k in node.keywords if k.arg == keyword), None)
                if argument is None:
                    continue
                calls += 1
                try:
                    codes |= _literals(argument, local, module)
                except Unresolved as unresolved:
                    if not lenient:
                        raise AssertionError(
                            f"{source.name}:{node.lineno}: {constructor}({unresolved}) is not a "
                            "literal code; teach this test where it comes from") from None
    assert calls, f"no {constructor}(...) found in store/: was it renamed or moved?"
    return codes


def _literal_values(annotation: Any) -> set[str]:
    """The values of a Literal[...] or of a str Enum (the store may use either)."""
    if isinstance(annotation, type):
        return {member.value for member in annotation}  # type: ignore[attr-defined]
    return set(typing.get_args(annotation))


def _both_languages(render: Callable[[], str]) -> tuple[str, str]:
    set_language("en")
    try:
        english = render()
    finally:
        set_language("vi")
    return english, render()


def _assert_worded(table: dict[str, Any], codes: set[str],
                   render: Callable[[str], str]) -> None:
    missing = sorted(codes - set(table))
    assert not missing, f"codes of the store without a sentence: {missing}"
    untranslated = []
    for code in sorted(codes):
        english, vietnamese = _both_languages(lambda code=code: render(code))
        assert english.strip() and vietnamese.strip(), code
        if english == vietnamese:
            untranslated.append(code)
    assert not untranslated, f"the same words in both languages: {untranslated}"


# -- the codes -----------------------------------------------------------------------


def refusal_codes() -> set[str]:
    from store.bundle.results import REFUSAL_CODES

    return set(REFUSAL_CODES) | store_codes("Refusal", 0, "code", lenient=True) \
        | store_codes("_Refused", 0, "code", lenient=True)


def warning_codes() -> set[str]:
    from store.bundle.results import WARNING_CODES

    return set(WARNING_CODES) | store_codes("BundleWarning", 0, "code")


def verdicts() -> set[str]:
    from store.vocab import Verdict

    return _literal_values(Verdict) | store_codes("ReceiveResult", 0, "verdict")


def database_problems() -> set[str]:
    from store.vocab import HealthProblem

    return _literal_values(HealthProblem) | store_codes("DatabaseHealth", 1, "problem")


# -- the tests -----------------------------------------------------------------------


def test_the_scan_follows_literals_enum_members_tables_and_branches(tmp_path: Path) -> None:
    source = """
class Kind:
    FIRST = "first"

TABLE = {1: "from_table"}

def make(flag, number):
    code = "left" if flag else "right"
    if number:
        code = TABLE.get(number, "default")
    Made(code)
    Made(Kind.FIRST)
    Made(None)
"""
    tree = ast.parse(source)
    module = _module_assignments(tree)
    function = next(node for node in tree.body if isinstance(node, ast.FunctionDef))
    local = _function_assignments(function)
    calls = [node for node in ast.walk(function) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Name) and node.func.id == "Made"]
    ENUM_MEMBERS[("Kind", "FIRST")] = "first"
    try:
        found = [_literals(call.args[0], local, module) for call in calls]
    finally:
        del ENUM_MEMBERS[("Kind", "FIRST")]
    assert found == [{"left", "right", "from_table", "default"}, {"first"}, set()]
    with pytest.raises(Unresolved):
        _literals(ast.parse("error.code", mode="eval").body, {}, {})


def test_the_scan_finds_what_the_store_raises() -> None:
    """The scanner on the store itself: a few codes each constructor must show."""
    assert {"required", "too_long", "not_found", "bad_code"} <= store_codes(
        "EditRefused", 0, "code")
    assert {"no_space", "io_error", "target_missing", "database_busy"} <= store_codes(
        "ExportFailed", 0, "code")
    assert {"corrupt", "truncated", "not_sqlite", "busy"} <= database_problems()
    assert {"network", "removable"} == store_codes("StorageRisk", 1, "kind")


def test_every_bundle_refusal_has_a_sentence() -> None:
    from store.bundle.results import Refusal
    from tui.words.bundle import REFUSAL, refusal_sentence

    _assert_worded(REFUSAL, refusal_codes(), lambda code: refusal_sentence(Refusal(code)))


def test_every_bundle_warning_has_a_sentence() -> None:
    from store.bundle.results import BundleWarning
    from tui.words.bundle import WARNING, warning_sentence

    _assert_worded(WARNING, warning_codes(), lambda code: warning_sentence(
        BundleWarning(code, "$", {"code": "3", "first": 2, "last": 4, "max": 5, "sum": 4.5})))


def test_every_receive_verdict_has_a_sentence() -> None:
    from store.bundle.receive import ReceiveResult
    from store.bundle.results import Refusal
    from tui.words.bundle import VERDICT, receive_sentence

    def render(verdict: str) -> str:
        return receive_sentence(ReceiveResult(
            verdict, "unit.json", unit_code="X1", sequence=2,  # type: ignore[arg-type]
            refusal=Refusal("empty"), held_sequence=3,
            held_created_at="2026-11-01T08:00:00+07:00"))

    _assert_worded(VERDICT, verdicts(), render)


def test_a_verdict_the_words_do_not_know_is_told_not_crashed_on() -> None:
    from tui.words.bundle import receive_sentence

    result = SimpleNamespace(verdict="quarantined", refusal=None, file_name="a.json")
    assert receive_sentence(result) == "Chưa nhận (quarantined)."
    refused_without_reason = SimpleNamespace(verdict="refused", refusal=None, file_name="a.json")
    assert "không phải là tệp báo cáo tiến độ hợp lệ" in receive_sentence(
        refused_without_reason)


def test_every_export_failure_has_a_sentence() -> None:
    from store.bundle.export import ExportFailed
    from store.bundle.results import Refusal
    from tui.words.bundle import EXPORT_FAILURE, export_failure_sentence

    details = {"refusal": Refusal("empty"), "reason": "I/O", "code": "X1"}
    _assert_worded(EXPORT_FAILURE, store_codes("ExportFailed", 0, "code"),
                   lambda code: export_failure_sentence(
                       ExportFailed(code, Path("/media/usb/x.json"), details)))


SAMPLE_EDIT_VALUES: dict[str, Any] = {"score_above_max": (9.5, 8.0), "out_of_range": (0, 100),
                                      "rank_above_count": (3, 2), "above_parent_max": ("3", 5.0),
                                      "below_child_max": ("3.2", 2.5)}


def test_every_edit_refusal_has_a_sentence() -> None:
    from store.errors import EditRefused
    from store.vocab import EditRefusal
    from tui.words.edits import EDIT_REFUSAL, edit_refusal

    codes = _literal_values(EditRefusal) | store_codes("EditRefused", 0, "code")
    _assert_worded(EDIT_REFUSAL, codes,
                   lambda code: edit_refusal(EditRefused(code, "field",
                                                         SAMPLE_EDIT_VALUES.get(code, 20))))


def test_every_database_problem_has_a_sentence_and_a_restore_refusal() -> None:
    from store.errors import BackupRefused
    from tui.words.backup import DAMAGE, RESTORE_REFUSAL, backup_refused, damage

    problems = database_problems()
    _assert_worded(DAMAGE, problems, lambda code: damage(code, Path("/data/cchc.db"), "EIO"))
    _assert_worded(RESTORE_REFUSAL, problems, lambda code: backup_refused(
        BackupRefused(Path("/backups/b.db"), code, "9")))


def test_every_storage_risk_has_a_sentence() -> None:
    from store.safety import StorageRisk
    from tui.words.backup import STORAGE_RISK, storage_risk_sentence

    _assert_worded(STORAGE_RISK, store_codes("StorageRisk", 1, "kind"),
                   lambda kind: storage_risk_sentence(
                       StorageRisk(Path("/data"), kind, "/mnt", "nfs")))


def test_every_backup_kind_has_a_name() -> None:
    from store import backup
    from tui.words.backup import BACKUP_KIND, backup_kind

    kinds = set(backup._KINDS) | store_codes("BackupInfo", None, "kind", lenient=True)
    _assert_worded(BACKUP_KIND, kinds,
                   lambda kind: backup_kind(SimpleNamespace(kind=kind, reason=None)))


def test_every_settings_problem_has_a_sentence() -> None:
    from store.config import ConfigProblem
    from tui.words.errors import config_problem

    codes = store_codes("ConfigProblem", 1, "code")
    assert codes == {"syntax", "value", "unreadable"}, "a new kind of settings problem"
    for code in codes:
        english, vietnamese = _both_languages(lambda: config_problem(
            ConfigProblem(Path("/c/config.toml"), code, 3, 7, "detail")))  # noqa: B023
        assert english != vietnamese and "/c/config.toml" in vietnamese


def test_every_status_level_and_review_warning_has_a_label() -> None:
    from store.bundle.models import Task
    from store.config import UNIT_LEVELS
    from store.review import overview
    from tui.words import labels, review

    statuses = _literal_values(Task.model_fields["status"].annotation)
    for code in statuses:
        english, vietnamese = _both_languages(lambda: labels.status(code))  # noqa: B023
        assert english != vietnamese != code, code
    for code in UNIT_LEVELS:
        english, vietnamese = _both_languages(lambda: labels.level(code))  # noqa: B023
        assert english != vietnamese != code, code
    warnings = {value for name, value in vars(overview).items() if name.startswith("WARNING_")}
    assert warnings
    for code in warnings:
        english, vietnamese = _both_languages(lambda: review.warning_word(code))  # noqa: B023
        assert english != vietnamese != code, code


def test_every_error_the_store_raises_on_purpose_has_a_sentence() -> None:
    from store.errors import (BackupNotVerified, BackupRefused, DatabaseBusy, DatabaseDamaged,
                              DatabaseMissing, DatabaseNeedsUpgrade, DatabaseTooNew,
                              ReadOnlyDatabase, StaleEdit)
    from tui.words.errors import error_sentence

    path = Path("/data/cchc.db")
    errors = [DatabaseTooNew(path, 9, 2), DatabaseNeedsUpgrade(path, 1, 2),
              DatabaseMissing(path), DatabaseDamaged(path, "corrupt"), DatabaseBusy(path),
              BackupRefused(path, "not_cchc"), BackupNotVerified(path), StaleEdit(1),
              ReadOnlyDatabase(str(path))]
    for error in errors:
        english, vietnamese = _both_languages(lambda: error_sentence(error) or "")  # noqa: B023
        assert english and english != vietnamese, type(error).__name__
    assert error_sentence(ValueError("x")) is None


def _sqlite_error(code: int) -> Iterator[BaseException]:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    raw = sqlite3.OperationalError("whatever the driver says")
    raw.sqlite_errorcode = code  # type: ignore[attr-defined]
    yield raw
    yield OperationalError("UPDATE task", {}, raw)


@pytest.mark.parametrize("code", [5, 6, 8 | (1 << 8), 13], ids=["busy", "locked", "readonly_x",
                                                                "full"])
def test_a_failed_save_is_told_by_sqlite_s_code_not_by_its_message(code: int) -> None:
    from tui.words.errors import DATABASE_FAILURE, busy, save_failure

    expected = {8: DATABASE_FAILURE["read_only"](),
                13: DATABASE_FAILURE["full"]()}.get(code & 0xFF) or busy()
    for error in _sqlite_error(code):
        assert save_failure(error) == expected
    # The message alone decides nothing: "locked" in a text is not SQLite's code.
    assert save_failure(RuntimeError("the door is locked")) == \
        "Chưa lưu được: the door is locked"


WORDS_DIR = Path(__file__).resolve().parents[2] / "tui" / "words"
# The words layer sits below every screen: it may use the store, the catalogue and
# itself, never Textual, a screen, a widget, an app or a service.
WORDS_MAY_IMPORT = ("tui.i18n", "tui.words", "store")
WORDS_MUST_NOT_IMPORT = ("textual", "tui")


def _imports(source: Path) -> Iterator[tuple[int, str]]:
    """Every module a source imports, at its top or inside a function."""
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                yield node.lineno, "tui.words." + node.module
            else:
                yield node.lineno, node.module


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def test_the_words_import_no_screen_widget_app_or_textual() -> None:
    sources = sorted(WORDS_DIR.glob("*.py"))
    assert len(sources) >= 8
    upward = [f"{source.name}:{line} imports {name}" for source in sources
              for line, name in _imports(source)
              if _within(name, WORDS_MUST_NOT_IMPORT) and not _within(name, WORDS_MAY_IMPORT)]
    assert not upward, upward


def test_the_import_check_sees_imports_inside_functions(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text("def f():\n    from tui.screens.help import HelpScreen\n")
    assert [name for _line, name in _imports(source)] == ["tui.screens.help"]
