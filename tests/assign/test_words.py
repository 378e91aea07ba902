"""Every code the assignment store returns has its sentence, in Vietnamese and English."""

from __future__ import annotations

import pytest

from store.assign.importing import ImportResult, ImportSummary
from store.assign.issue import OptionProblem
from store.assign.workbook import (WORKBOOK_PROBLEM_CODES, WORKBOOK_WARNING_CODES,
                                   WorkbookProblem)
from store.bundle.results import REFUSAL_CODES, BundleWarning, Refusal
from tui.words import assign as assign_words
from tui.i18n import set_language

LANGUAGES = ("vi", "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_workbook_problem_has_a_sentence(language: str) -> None:
    set_language(language)
    for code in WORKBOOK_PROBLEM_CODES:
        text = assign_words.workbook_problem(WorkbookProblem(code, "Sheet1!F17"))
        assert text.startswith("Sheet1!F17: ") and text != f"Sheet1!F17: {code}", code
    for code in WORKBOOK_WARNING_CODES:
        text = assign_words.workbook_problem(WorkbookProblem(code, "Sheet1!A2"), warning=True)
        assert text != f"Sheet1!A2: {code}", code


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_refusal_of_an_assignment_has_a_sentence(language: str) -> None:
    set_language(language)
    for code in {*REFUSAL_CODES, "wrong_kind", "wrong_unit", "task_id_held_otherwise",
                 "other_key", "key_of_another_sender", "forged"}:
        text = assign_words.assignment_refusal(Refusal(code, "$.notes[0].text"))
        assert f"({code})" not in text and not text.startswith(code), code


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_import_warning_and_verdict_has_a_sentence(language: str) -> None:
    set_language(language)
    for code in ("key_taken_on_first_use", "jump", "gap", "fork", "points_sum_mismatch",
                 "demo_data"):
        assert assign_words.assignment_warning(BundleWarning(code, "$", {})) != code, code
    for verdict in ("accepted", "already_imported", "conflicting_id", "older_than_held",
                    "wrong_unit", "refused"):
        result = ImportResult(verdict, "x.json", sequence=2, issuer_code="SNV-87",
                              issuer_name="Sở Nội vụ", created_at="2026-05-21T08:00:00+07:00",
                              held_sequence=3, held_created_at="2026-06-01T08:00:00+07:00",
                              refusal=Refusal("wrong_unit", "$.unit.code", {"found": "1"}))
        text = assign_words.import_verdict(result)
        assert text and "{" not in text and verdict not in text, verdict


def test_the_summary_names_removed_and_kept_criteria_and_notes_left_out() -> None:
    set_language("en")
    lines = assign_words.summary_lines(ImportSummary(
        criteria_removed=("8.5",), criteria_kept=("8.4",), notes_without_task=("x", "y")))
    assert "  removed: 8.5" in lines
    assert "  no longer in the assignment but kept, as tasks cite them: 8.4" in lines
    assert "  2 notes are about tasks this unit does not hold; they were not stored." in lines
    set_language("vi")
    assert assign_words.summary_lines(ImportSummary(tasks_withdrawn=2))[2] == \
        "Nhiệm vụ: 0 mới, 0 cập nhật, 2 bị rút lại, 0 không đổi."


def test_every_option_problem_names_its_option() -> None:
    set_language("en")
    for code in ("required", "too_long", "bad_issuer_code", "bad_index", "year_out_of_range",
                 "bad_assessment_id"):
        text = assign_words.option_problem(OptionProblem(code, "issuer_code", {"limit": 500}))
        assert text.startswith("--issuer-code: ") and text != f"--issuer-code: {code}.", code
