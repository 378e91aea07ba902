"""store.overdue's "not withdrawn by the supervisor" in a SQLAlchemy statement, for
the task ids a review database knows from its assignments (store.overdue explains
why the rows cannot say it). The ids are bound as one JSON array read by json_each,
as the raw SQL does (store.overdue.open_sql): a list bound id by id would stop at
SQLite's 32,766 bound values, which a province's withdrawn tasks can pass."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import func, select

from ..overdue import withdrawn_parameter


def not_withdrawn(task_id: Any, withdrawn: Collection[int]) -> Any:
    """The task's id is not among `withdrawn` (None when there are none: the unit's
    own database, whose rows mark what was withdrawn)."""
    if not withdrawn:
        return None
    listed = func.json_each(withdrawn_parameter(withdrawn)).table_valued("value")
    return task_id.not_in(select(listed.c.value))
