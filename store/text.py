"""Text rules shared by every write path: NFC on the way in, a folded key for search."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Letters that do not decompose into a base letter plus a combining mark.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "ø": "o", "ł": "l"})


def nfc(value: str | None) -> str | None:
    """Unicode NFC form; None passes through."""
    if value is None:
        return None
    return unicodedata.normalize("NFC", value)


def fold(*parts: str | None) -> str:
    """Search key: diacritics removed, case folded, white space collapsed.

    "Đặng Khắc Phục" -> "dang khac phuc", so a user may type without accents.
    """
    # Folding is done per character and a space parts words, so the parts are folded
    # one by one (each distinct string once: a receiver folds the same criterion
    # titles and owners thousands of times) and joined.
    return " ".join(folded for folded in map(_fold_one, filter(None, parts)) if folded)


@lru_cache(maxsize=1 << 16)
def _fold_one(text: str) -> str:
    # casefold before decomposing: some folded letters decompose further (ǰ -> ǰ).
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS).casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_EXTRA_FOLDS).casefold().split())


def like_pattern(query: str) -> str:
    """A LIKE pattern (escape '\\') matching the folded query anywhere."""
    folded = fold(query)
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
