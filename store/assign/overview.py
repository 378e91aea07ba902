"""Assigned against reported, for the review's overview and a unit's detail (issue 14,
item 4): per unit, the newest assignment sent to it, the one its latest progress
bundle reports holding (assignments_held), the tasks of the newest assignment its
bundle lacks, and the tasks an earlier assignment gave it and the newest withdrew.

Read through a plain sqlite3 connection (store.review.open_overview_connection), as
the overview is: no SQLAlchemy import on that path. Only units an assignment was
issued to are read; the assignments' contents are kept compressed in the review
database (IssuedAssignment.content) and only those units' are opened.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import zlib
from dataclasses import dataclass


@dataclass(frozen=True)
class UnitAssignments:
    """One unit's assignments: the newest sent (of any issuer) and what it holds.

    held_sequence is the sequence the unit reports holding from the newest's issuer
    (None: none, or its bundle is of format 1 or came before it imported any);
    up_to_date is true when it holds the newest of every issuer that sent it one."""

    issuer_code: str
    sent_sequence: int
    sent_at: str  # RFC 3339 as written
    held_sequence: int | None
    up_to_date: bool
    missing_tasks: tuple[str, ...]  # task ids of the newest assignments not in its bundle
    withdrawn_tasks: tuple[str, ...]  # task ids sent before and not in the newest


_ISSUED_SQL = """
SELECT unit_code, issuer_code, sequence, created_at, content FROM issuedassignment
ORDER BY unit_code, issuer_code, sequence
"""

_HELD_SQL = """
SELECT unit_code, assignments_held FROM (
    SELECT unit_code, assignments_held,
           ROW_NUMBER() OVER (PARTITION BY unit_code ORDER BY sequence DESC) AS n
    FROM receivedbundle WHERE set_aside_at IS NULL)
WHERE n = 1 AND unit_code IN (SELECT unit_code FROM issuedassignment)
"""

_UNIT_TASKS_SQL = """
SELECT u.code, t.uid FROM task AS t
JOIN assessment AS a ON a.id = t.assessment_id
JOIN unit AS u ON u.id = a.unit_id
WHERE u.code IN (SELECT unit_code FROM issuedassignment)
"""


def _task_ids(content: bytes) -> set[str]:
    document = json.loads(zlib.decompress(content))
    return {task["id"] for assessment in document.get("assessments", ())
            for task in assessment.get("tasks", ())}


def _holding(raw: str | None) -> dict[str, int]:
    """issuer code -> sequence held, from a bundle's assignments_held (as received)."""
    try:
        held = json.loads(raw) if raw else []
    except ValueError:
        return {}
    if not isinstance(held, list):
        return {}
    return {entry["issuer"]: entry["sequence"] for entry in held
            if isinstance(entry, dict) and isinstance(entry.get("issuer"), str)
            and isinstance(entry.get("sequence"), int)}


def assignments_by_unit(connection: sqlite3.Connection) -> dict[str, UnitAssignments]:
    """Unit code -> its assignments, for every unit an assignment was issued to."""
    issued: dict[str, dict[str, list[tuple[int, str, bytes]]]] = {}
    for unit_code, issuer_code, sequence, created_at, content in connection.execute(
            _ISSUED_SQL):
        issued.setdefault(unit_code, {}).setdefault(issuer_code, []).append(
            (sequence, created_at, content))
    if not issued:
        return {}
    holding = {code: _holding(raw) for code, raw in connection.execute(_HELD_SQL)}
    reported: dict[str, set[str]] = {}
    for code, uid in connection.execute(_UNIT_TASKS_SQL):
        reported.setdefault(code, set()).add(uid)
    found: dict[str, UnitAssignments] = {}
    for unit_code, issuers in issued.items():
        held = holding.get(unit_code, {})
        newest_ids: set[str] = set()
        earlier_ids: set[str] = set()
        for files in issuers.values():
            newest_ids |= _task_ids(files[-1][2])
            for _sequence, _at, content in files[:-1]:
                earlier_ids |= _task_ids(content)
        issuer_code, files = max(issuers.items(),
                                 key=lambda item: dt.datetime.fromisoformat(item[1][-1][1]))
        sequence, created_at, _content = files[-1]
        found[unit_code] = UnitAssignments(
            issuer_code=issuer_code, sent_sequence=sequence, sent_at=created_at,
            held_sequence=held.get(issuer_code),
            up_to_date=all(held.get(code, 0) >= sent[-1][0] for code, sent in issuers.items()),
            missing_tasks=tuple(sorted(newest_ids - reported.get(unit_code, set()))),
            withdrawn_tasks=tuple(sorted(earlier_ids - newest_ids)))
    return found
