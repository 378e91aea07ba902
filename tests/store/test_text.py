import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from store.text import fold, like_pattern, nfc


def test_folding_removes_diacritics_and_case() -> None:
    assert fold("Khắc Phục") == "khac phuc"
    assert fold("Đặng Thị Mỹ Dung") == "dang thi my dung"
    assert "dang" in fold("ĐẶNG")


def test_nfd_input_folds_like_nfc() -> None:
    text = "Nguyễn Thị Lan, khắc phục tiêu chí"
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)
    assert nfc(unicodedata.normalize("NFD", text)) == text


def test_like_pattern_escapes_wildcards() -> None:
    assert like_pattern("98%_x") == "%98\\%\\_x%"


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese(text: str) -> None:
    assert fold(fold(text)) == fold(text)
