"""The supervisor's summary of every unit in its review database: the figures of
the summary workbook (sheets Đơn vị, Quá hạn, Lĩnh vực) and of the summary report.

Read through the overview's plain read-only connection (sqlite3, mode=ro): the
review database is never written, and 3,321 units are a few aggregate queries.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from dataclasses import dataclass

from store.derive import code_sort_key
from store.assign.overview import withdrawn_task_ids
from store.overdue import WITHDRAWN_PARAMETER, overdue_sql, withdrawn_parameter

from ..review.overview import (
    OverviewTotals,
    UnitOverviewRow,
    domain_titles,
    overdue_tasks_by_domain,
    overview_totals,
    unit_overview,
)


@dataclass(frozen=True)
class OverdueTaskRow:
    unit_code: str
    unit_name: str
    criteria: str  # "3.2, 3.3"
    title: str
    owner: str | None
    due: dt.date
    days_late: int
    points_at_stake: float
    status: str
    progress: int


@dataclass(frozen=True)
class DomainTotal:
    code: str
    title: str
    units_losing: int  # units that lost points in it
    points_lost: float  # across units
    overdue_tasks: int  # overdue tasks citing it

    @property
    def average_lost(self) -> float | None:
        return round(self.points_lost / self.units_losing, 2) if self.units_losing else None


@dataclass(frozen=True)
class ReviewSummary:
    today: dt.date
    units: list[UnitOverviewRow]  # by code
    totals: OverviewTotals
    overdue: list[OverdueTaskRow]  # by unit code, then deadline
    domains: list[DomainTotal]  # by domain number
    # unit id -> domain code -> points lost on the unit's latest assessment
    losses: dict[int, dict[str, float]]

    @property
    def late_units(self) -> list[UnitOverviewRow]:
        """Units with overdue tasks or without a recent bundle, most overdue first."""
        late = [row for row in self.units if row.tasks_overdue or row.stale]
        return sorted(late, key=lambda row: (-row.tasks_overdue, row.code))


_OVERDUE_SQL = """
SELECT u.code, u.name, t.id, t.title, t.owner, t.due, t.points_at_stake, t.status, t.progress
FROM task AS t
JOIN assessment AS a ON a.id = t.assessment_id
JOIN unit AS u ON u.id = a.unit_id
WHERE {overdue}
ORDER BY u.code, t.due, t.id
""".format(overdue=overdue_sql("t", listed_withdrawn=True))

_OVERDUE_CODES_SQL = """
SELECT tc.task_id, c.code FROM taskcriterion AS tc
JOIN criterion AS c ON c.id = tc.criterion_id
JOIN task AS t ON t.id = tc.task_id
WHERE {overdue}
""".format(overdue=overdue_sql("t", listed_withdrawn=True))

_DOMAIN_LOSSES_SQL = """
WITH latest AS (
    SELECT id, unit_id,
           ROW_NUMBER() OVER (PARTITION BY unit_id ORDER BY year DESC, id DESC) AS n
    FROM assessment
)
SELECT l.unit_id, c.code, c.max_points, c.score
FROM criterion AS c JOIN latest AS l ON l.id = c.assessment_id AND l.n = 1
WHERE instr(c.code, '.') = 0 AND c.score IS NOT NULL
"""


def overdue_tasks(connection: sqlite3.Connection, today: dt.date, *,
                  withdrawn: dict[str, frozenset[int]] | None = None,
                  ) -> list[OverdueTaskRow]:
    """Every overdue task of every unit, by unit code and deadline; not one the
    supervisor withdrew (withdrawn: withdrawn_task_ids(), read if None)."""
    if withdrawn is None:
        withdrawn = withdrawn_task_ids(connection)
    parameters = {"today": today.isoformat(), WITHDRAWN_PARAMETER: withdrawn_parameter(
        set().union(*withdrawn.values()))}
    codes: dict[int, list[str]] = defaultdict(list)
    for task_id, code in connection.execute(_OVERDUE_CODES_SQL, parameters):
        codes[task_id].append(code)
    rows = []
    for (unit_code, unit_name, task_id, title, owner, due, points, status,
         progress) in connection.execute(_OVERDUE_SQL, parameters):
        due_date = dt.date.fromisoformat(due)
        rows.append(OverdueTaskRow(
            unit_code=unit_code, unit_name=unit_name,
            criteria=", ".join(sorted(codes.get(task_id, ()), key=code_sort_key)),
            title=title, owner=owner, due=due_date, days_late=(today - due_date).days,
            points_at_stake=points, status=status, progress=progress))
    return rows


def domain_losses(connection: sqlite3.Connection) -> dict[int, dict[str, float]]:
    """Points lost per domain (the top-level criteria) of each unit's latest
    assessment; a domain not scored is absent."""
    losses: dict[int, dict[str, float]] = defaultdict(dict)
    for unit_id, code, max_points, score in connection.execute(_DOMAIN_LOSSES_SQL):
        losses[unit_id][code] = round(max(max_points - score, 0.0), 2)
    return dict(losses)


def review_summary(connection: sqlite3.Connection, today: dt.date) -> ReviewSummary:
    withdrawn = withdrawn_task_ids(connection)  # read once for the three counts
    units = unit_overview(connection, today, withdrawn=withdrawn)
    losses = domain_losses(connection)
    titles = domain_titles(connection)
    overdue_by_domain = {bar.key: bar.value for bar in overdue_tasks_by_domain(
        connection, today, withdrawn=withdrawn)}
    codes = sorted({code for unit in losses.values() for code in unit} | set(titles),
                   key=code_sort_key)
    domains = []
    for code in codes:
        lost = [unit[code] for unit in losses.values() if unit.get(code, 0) > 0]
        domains.append(DomainTotal(code, titles.get(code, ""), len(lost), round(sum(lost), 2),
                                   overdue_by_domain.get(code, 0)))
    return ReviewSummary(today=today, units=units, totals=overview_totals(units),
                         overdue=overdue_tasks(connection, today, withdrawn=withdrawn),
                         domains=domains,
                         losses=losses)
