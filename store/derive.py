"""Cached columns derived from other data (see store/models.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .text import fold

# Communes and wards carry the 5-digit code of the national list of administrative
# units (e.g. 30316); special zones and other units may have other codes.
COMMUNE_LEVELS = ("xa", "phuong")
_COMMUNE_CODE = re.compile(r"[0-9]{5}")  # ASCII digits only (a str pattern's [0-9])

# The demo's made-up data carries a code no real unit has: this prefix (a valid unit
# code per the bundle format: letters, digits, '.', '_', '-'), in any case.
DEMO_CODE_PREFIX = "DEMO-"


def is_demo_code(code: str) -> bool:
    """Whether a unit code is the demo's (store.demo.DEMO_UNIT): its bundles are sample
    data, not a real unit's report, and no real unit may take such a code."""
    return code[:len(DEMO_CODE_PREFIX)].upper() == DEMO_CODE_PREFIX


def unusual_unit_code(code: str, level: str) -> bool:
    """A commune or ward whose code is not 5 ASCII digits: '3O316' (the letter O)
    looks like 30316 on screen, and would be taken for another unit. A demo code is
    not unusual: it is demo data (is_demo_code), and said so instead."""
    return (level in COMMUNE_LEVELS and _COMMUNE_CODE.fullmatch(code) is None
            and not is_demo_code(code))


def code_sort_key(code: str) -> str:
    """'3.2.10' -> '003.002.010', so criteria codes sort as numbers."""
    return ".".join(part.zfill(3) for part in code.split("."))


def parent_code(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def points_lost(max_points: float, score: float | None) -> float:
    """Points lost on one criterion; an unscored criterion has lost nothing yet."""
    if score is None:
        return 0.0
    return round(max(max_points - score, 0.0), 2)


def task_search_key(title: str, detail: str | None, owner: str | None, result: str | None,
                    criteria: Iterable[tuple[str, str | None, str | None]]) -> str:
    """Folded text a task is found by: its own words plus its criteria's code,
    title and finding, so "chong ma doc" finds the task fixing criterion 7.5."""
    parts: list[str | None] = [title, detail, owner, result]
    for code, criterion_title, finding in criteria:
        parts.extend((code, criterion_title, finding))
    return fold(*parts)


def leaf_points_at_stake(criteria: Iterable[tuple[str, float, float | None]]) -> float:
    """Points lost on the criteria a task cites (code, max, score)."""
    return round(sum(points_lost(m, s) for _, m, s in criteria), 2)
