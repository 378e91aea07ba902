import unicodedata

from hypothesis import given, settings
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


def _fold_joined(*parts: str | None) -> str:
    """fold() as it was before it folded each part on its own: the parts joined by a
    space, then folded as one text."""
    from store.text import _EXTRA_FOLDS

    text = " ".join(p for p in parts if p)
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS).casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_EXTRA_FOLDS).casefold().split())


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet=st.characters(codec="utf-8"),
                                              max_size=12),
                          st.sampled_from(["Đặng", " ", "\u0301x", "ǰ", "ﬁ", "\u00a0",
                                           "Σ", "ß", "a\u0323\u0302", "İ", ""])),
                max_size=6))
def test_folding_part_by_part_is_folding_the_joined_text(parts: list[str | None]) -> None:
    assert fold(*parts) == _fold_joined(*parts)
