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
from collections.abc import Iterable
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
        newest_ids, withdrawn = _newest_and_withdrawn(
            [content for _sequence, _at, content in files] for files in issuers.values())
        issuer_code, files = max(issuers.items(),
                                 key=lambda item: dt.datetime.fromisoformat(item[1][-1][1]))
        sequence, created_at, _content = files[-1]
        found[unit_code] = UnitAssignments(
            issuer_code=issuer_code, sent_sequence=sequence, sent_at=created_at,
            held_sequence=held.get(issuer_code),
            up_to_date=all(held.get(code, 0) >= sent[-1][0] for code, sent in issuers.items()),
            missing_tasks=tuple(sorted(newest_ids - reported.get(unit_code, set()))),
            withdrawn_tasks=tuple(sorted(withdrawn)))
    return found


def _newest_and_withdrawn(issuers: Iterable[list[bytes]]) -> tuple[set[str], set[str]]:
    """The task ids of the newest assignments of a unit's issuers (each issuer's
    contents in sequence order), and those an earlier one sent and no newest holds:
    the withdrawn ones (what UnitAssignments.withdrawn_tasks and the review's
    overdue counts both say)."""
    newest: set[str] = set()
    earlier: set[str] = set()
    for contents in issuers:
        newest |= _task_ids(contents[-1])
        for content in contents[:-1]:
            earlier |= _task_ids(content)
    return newest, earlier - newest


# Only a unit that an issuer sent two assignments or more can have a task withdrawn.
_REISSUED_SQL = """
SELECT unit_code, issuer_code, content FROM issuedassignment
WHERE unit_code IN (SELECT unit_code FROM issuedassignment
                    GROUP BY unit_code, issuer_code HAVING count(*) > 1)
ORDER BY unit_code, issuer_code, sequence
"""

_TASKS_BY_UID_SQL = """
SELECT u.code, t.uid, t.id FROM task AS t
JOIN assessment AS a ON a.id = t.assessment_id
JOIN unit AS u ON u.id = a.unit_id
WHERE t.uid IN (SELECT value FROM json_each(?))
"""


def withdrawn_task_ids(connection: sqlite3.Connection) -> dict[str, frozenset[int]]:
    """Unit code -> the review database's ids of the unit's tasks that the supervisor
    withdrew (sent by an earlier assignment, held by no newest one), for the units
    whose bundle still lists such a task. The rows' withdrawn_at cannot say it (a
    bundle does not carry it): the overview's counts bind these (store.overdue,
    listed_withdrawn). Two queries for all units; the assignments are opened only
    for units an issuer sent more than one."""
    issued: dict[str, dict[str, list[bytes]]] = {}
    for unit_code, issuer_code, content in connection.execute(_REISSUED_SQL):
        issued.setdefault(unit_code, {}).setdefault(issuer_code, []).append(content)
    withdrawn: dict[str, set[str]] = {}
    for unit_code, issuers in issued.items():
        uids = _newest_and_withdrawn(issuers.values())[1]
        if uids:
            withdrawn[unit_code] = uids
    if not withdrawn:
        return {}
    every_uid = json.dumps(sorted(set().union(*withdrawn.values())))
    found: dict[str, set[int]] = {}
    for code, uid, task_id in connection.execute(_TASKS_BY_UID_SQL, (every_uid,)):
        if uid in withdrawn.get(code, ()):  # the unit's own task, not one of that uid elsewhere
            found.setdefault(code, set()).add(task_id)
    return {code: frozenset(ids) for code, ids in found.items()}
