"""Overview of all units in a review database: one plain row per unit, totals across
units and chart data.

3,321 units fit in memory easily, so the rows are read with one aggregate query
and then sorted, filtered and searched in Python: any column sorts, and a keystroke
in the search box costs a list comprehension, not a query.

The overview is the review's first frame, so it reads through a plain DB-API
connection (store.review.open_overview_connection: sqlite3, mode=ro) and keeps
SQLAlchemy's import (~0.4 s) off that path.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from store.assign.overview import UnitAssignments, withdrawn_task_ids
from store.derive import is_demo_code, unusual_unit_code
from store.vocab import KeySource
from store.overdue import WITHDRAWN_PARAMETER, overdue_sql, withdrawn_parameter
from store.read.unit_counts import ScoreAndTasks, percent_done, score_and_tasks, task_counts_sql
from store.text import fold

from . import STALE_AFTER_DAYS
from .bundles import ChainWarnings, chain_warnings_by_unit

WARNING_GAP = "gap"
WARNING_FORK = "fork"
WARNING_STALE = "stale"
WARNING_CODE = "code"  # a commune's code that is not 5 digits (store.derive)
WARNING_DEMO = "demo"  # the demo's code (store.derive.is_demo_code): sample data
# The unit's key was taken from its first signed file and not yet compared with its
# signed paper report (spec/bundle-v2.md: trust on first use).
WARNING_KEY_UNCONFIRMED = "key_unconfirmed"

FILTER_OVERDUE = "overdue"
FILTER_STALE = "stale"
FILTER_WARNINGS = "warnings"
# Units that do not report holding the newest assignment sent to them (issue 14).
FILTER_NOT_HELD = "not_held"

# The columns the overview can be sorted by (the UI names them).
SORT_COLUMNS = ("code", "name", "level", "last_sequence", "last_bundle_on",
                "days_since_bundle", "score", "rank", "points_lost", "tasks_total",
                "tasks_done", "tasks_overdue", "percent_done", "next_due", "warnings",
                "assigned", "held", "missing_tasks", "withdrawn_tasks")


@dataclass(frozen=True)
class UnitOverviewRow(ScoreAndTasks):
    """One unit: its latest received bundle, the score of its latest assessment and
    its tasks (ScoreAndTasks, as on the commune's own summary line)."""

    unit_id: int
    code: str
    name: str
    level: str
    search_key: str
    bundles_received: int
    last_sequence: int | None
    last_bundle_on: dt.date | None  # the day the unit exported it, in Vietnam's zone
    days_since_bundle: int | None
    missing_sequences: tuple[int, ...]
    forked: bool
    # The key held for the unit (None: none held), how it came to be held (a
    # store.vocab.KeySource), whether it was confirmed, and when it was pinned;
    # whether the current bundle is signed.
    key_fingerprint: str | None = None
    key_source: str | None = None
    key_confirmed: bool = False
    key_pinned_at: dt.datetime | None = None
    current_signed: bool = False
    # The assignments issued to the unit (store.assign.overview), None: none issued;
    # read after the rows (the overview's first frame does not wait for it).
    assignment: UnitAssignments | None = None
    # The ids of the unit's tasks the supervisor withdrew (store.assign.overview.
    # withdrawn_task_ids): not open, so not in tasks_overdue or next_due; the unit's
    # screen counts its summary without them too.
    withdrawn_task_ids: frozenset[int] = frozenset()

    @property
    def not_holding_newest(self) -> bool:
        return self.assignment is not None and not self.assignment.up_to_date

    @property
    def key_unconfirmed(self) -> bool:
        return self.key_source == KeySource.FIRST_USE and not self.key_confirmed

    @property
    def stale(self) -> bool:
        return self.days_since_bundle is None or self.days_since_bundle > STALE_AFTER_DAYS

    @property
    def warnings(self) -> tuple[str, ...]:
        found = []
        if is_demo_code(self.code):  # first: what the unit's data is, before its chain
            found.append(WARNING_DEMO)
        if self.missing_sequences:
            found.append(WARNING_GAP)
        if self.forked:
            found.append(WARNING_FORK)
        if self.stale:
            found.append(WARNING_STALE)
        if unusual_unit_code(self.code, self.level):
            found.append(WARNING_CODE)
        if self.key_unconfirmed:
            found.append(WARNING_KEY_UNCONFIRMED)
        return tuple(found)


@dataclass(frozen=True)
class OverviewTotals:
    units: int
    units_with_overdue: int
    stale_units: int
    units_with_warnings: int
    tasks_total: int
    tasks_done: int
    tasks_cancelled: int
    tasks_overdue: int
    points_lost: float
    average_score: float | None

    @property
    def percent_done(self) -> float | None:
        return percent_done(self.tasks_done, self.tasks_total, self.tasks_cancelled)


@dataclass(frozen=True)
class ChartBar:
    key: str  # a bucket ("0-20", ..., "none") or a domain code ("3", "" for no criterion)
    label: str  # a domain's title from the data; empty for buckets (the UI words them)
    value: int


_OVERVIEW_SQL = f"""
WITH latest_assessment AS (
    SELECT unit_id, score, max_points, rank, rank_of,
           ROW_NUMBER() OVER (PARTITION BY unit_id ORDER BY year DESC, id DESC) AS n
    FROM assessment
    WHERE (:index IS NULL OR index_kind = :index) AND (:year IS NULL OR year = :year)
),
task_counts(unit_id, total, done, cancelled, overdue, next_due) AS (
    SELECT a.unit_id, {task_counts_sql(listed_withdrawn=True)}
    FROM task AS t JOIN assessment AS a ON a.id = t.assessment_id
    WHERE (:index IS NULL OR a.index_kind = :index) AND (:year IS NULL OR a.year = :year)
    GROUP BY a.unit_id
),
last_bundle AS (
    SELECT unit_code, sequence, created_at, key_fingerprint, count AS received FROM (
        SELECT unit_code, sequence, created_at, key_fingerprint,
               count(*) OVER (PARTITION BY unit_code) AS count,
               ROW_NUMBER() OVER (PARTITION BY unit_code ORDER BY sequence DESC) AS n
        FROM receivedbundle WHERE set_aside_at IS NULL)
    WHERE n = 1
)
SELECT u.id, u.code, u.name, u.level, u.search_key,
       coalesce(b.received, 0), b.sequence, b.created_at,
       la.score, la.max_points, la.rank, la.rank_of,
       coalesce(tc.total, 0), coalesce(tc.done, 0), coalesce(tc.cancelled, 0),
       coalesce(tc.overdue, 0), tc.next_due,
       sk.fingerprint, sk.source, coalesce(sk.confirmed, 0), sk.pinned_at,
       b.key_fingerprint IS NOT NULL
FROM unit AS u
LEFT JOIN latest_assessment AS la ON la.unit_id = u.id AND la.n = 1
LEFT JOIN task_counts AS tc ON tc.unit_id = u.id
LEFT JOIN last_bundle AS b ON b.unit_code = u.code
LEFT JOIN senderkey AS sk ON sk.sender_code = u.code
ORDER BY u.code
"""

# The same rows packed by SQLite into one JSON text, in one step of the statement:
# fetching 3,321 rows one by one gives the GIL back and waits for it again at each
# row, and while the main thread imports Textual each wait is a switch interval (the
# early read took 750 ms instead of 225). The two REAL columns go as text with 17
# digits: SQLite's JSON writes 15, which does not give every double back.
_OVERVIEW_COLUMNS = 22
_REAL_COLUMNS = (8, 9)  # la.score, la.max_points
_PACKED_OVERVIEW_SQL = (
    "WITH overview({names}) AS ({rows}) "
    "SELECT json_group_array(json_array({values})) FROM overview").format(
    names=", ".join(f"c{i}" for i in range(_OVERVIEW_COLUMNS)), rows=_OVERVIEW_SQL,
    values=", ".join(f"CASE WHEN c{i} IS NULL THEN NULL ELSE printf('%!.17g', c{i}) END"
                     if i in _REAL_COLUMNS else f"c{i}" for i in range(_OVERVIEW_COLUMNS)))


def _local_day(instant: str | None) -> dt.date | None:
    """The date of an RFC 3339 instant in Vietnam's zone (None for one the reader
    refuses now, in a database that received it before the reader did)."""
    from store.clock import checked_local_day

    return checked_local_day(instant) if instant else None


@dataclass(frozen=True)
class OverviewFacts:
    """What the overview's queries return, before a row is built: SQLite computes
    all of it with the GIL released, so it can run beside Textual's import
    (store.review.early); overview_rows() turns it into rows."""

    today: dt.date
    units: list[tuple]  # one tuple of _OVERVIEW_SQL's columns per unit, by code
    chains: dict[str, ChainWarnings]
    withdrawn: dict[str, frozenset[int]]


def overview_facts(connection: sqlite3.Connection, today: dt.date,
                   assessment: tuple[str, int] | None = None, *,
                   withdrawn: dict[str, frozenset[int]] | None = None) -> OverviewFacts:
    """The overview's queries (see unit_overview for the arguments)."""
    index, year = assessment if assessment is not None else (None, None)
    chains = chain_warnings_by_unit(connection)
    if withdrawn is None:
        withdrawn = withdrawn_task_ids(connection)
    parameters = {"today": today.isoformat(), "index": index, "year": year,
                  WITHDRAWN_PARAMETER: withdrawn_parameter(_every(withdrawn))}
    (packed,) = connection.execute(_PACKED_OVERVIEW_SQL, parameters).fetchone()
    return OverviewFacts(today, _unpacked(packed), chains, withdrawn)


def _unpacked(packed: str | None) -> list[tuple]:
    """_OVERVIEW_SQL's rows from _PACKED_OVERVIEW_SQL's text, as fetchall() gives them."""
    import json

    rows = []
    for row in json.loads(packed) if packed else ():
        for column in _REAL_COLUMNS:
            if row[column] is not None:
                row[column] = float(row[column])
        rows.append(tuple(row))
    rows.sort(key=lambda row: row[1])  # by code, as ORDER BY u.code (UTF-8 = code points)
    return rows


def overview_rows(facts: OverviewFacts) -> list[UnitOverviewRow]:
    """One row per unit, by code, from the overview's queries."""
    today, chains, withdrawn = facts.today, facts.chains, facts.withdrawn
    no_breaks = ChainWarnings((), False)
    rows = []
    for (unit_id, code, name, level, search_key, received, sequence, created_at, score,
         max_points, rank, rank_of, total, done, cancelled, overdue, next_due,
         key_fingerprint, key_source, key_confirmed, key_pinned_at,
         current_signed) in facts.units:
        last_day = _local_day(created_at)
        chain = chains.get(code, no_breaks)
        rows.append(UnitOverviewRow(
            unit_id=unit_id, code=code, name=name, level=level, search_key=search_key,
            bundles_received=received, last_sequence=sequence, last_bundle_on=last_day,
            days_since_bundle=(today - last_day).days if last_day else None,
            missing_sequences=chain.missing_sequences, forked=chain.forked,
            key_fingerprint=key_fingerprint, key_source=key_source,
            key_confirmed=bool(key_confirmed), key_pinned_at=_stored_instant(key_pinned_at),
            current_signed=bool(current_signed),
            withdrawn_task_ids=withdrawn.get(code, frozenset()),
            **score_and_tasks(score, max_points, rank, rank_of,
                              (total, done, cancelled, overdue, next_due))))
    return rows


def unit_overview(connection: sqlite3.Connection, today: dt.date,
                  assessment: tuple[str, int] | None = None, *,
                  withdrawn: dict[str, frozenset[int]] | None = None,
                  ) -> list[UnitOverviewRow]:
    """One row per unit, by code. assessment: (index, year) to summarise, e.g. ("PAR",
    2025): the score and tasks of that assessment only; None: each unit's newest
    assessment's score, and all its tasks. A task the supervisor withdrew is not
    overdue nor the next deadline (withdrawn: withdrawn_task_ids(), read if None)."""
    return overview_rows(overview_facts(connection, today, assessment, withdrawn=withdrawn))


def read_overview_facts(path: Path, today: dt.date,
                        assessment: tuple[str, int] | None = None,
                        ) -> tuple[OverviewFacts, list[tuple[str, int]]]:
    """The overview's queries and the (index, year) it can summarise, read over a
    plain read-only connection (raises sqlite3.Error if the file cannot be read)."""
    from contextlib import closing

    from . import open_overview_connection

    with closing(open_overview_connection(path)) as connection:
        return (overview_facts(connection, today, assessment),
                assessment_choices(connection))


def assessment_choices(connection: sqlite3.Connection) -> list[tuple[str, int]]:
    """The (index, year) of the assessments the units reported, newest year first,
    the PAR Index before SIPAS (what the overview can summarise)."""
    order = {"PAR": 0, "SIPAS": 1}
    found = [(index, year) for index, year in connection.execute(
        "SELECT DISTINCT index_kind, year FROM assessment")]
    return sorted(found, key=lambda choice: (-choice[1], order.get(choice[0], 2), choice[0]))


def _every(withdrawn: dict[str, frozenset[int]]) -> set[int]:
    """The withdrawn task ids of every unit, to bind to :withdrawn."""
    return set().union(*withdrawn.values())


def _stored_instant(value: str | None) -> dt.datetime | None:
    """A datetime column as SQLAlchemy stores it in SQLite (UTC, no offset)."""
    if not value:
        return None
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.timezone.utc)


def _sort_value(row: UnitOverviewRow, column: str) -> object:
    if column == "warnings":
        return len(row.warnings)
    if column in _ASSIGNMENT_SORT:
        return None if row.assignment is None else _ASSIGNMENT_SORT[column](row.assignment)
    return getattr(row, column)


_ASSIGNMENT_SORT = {
    "assigned": lambda a: (a.sent_at, a.sent_sequence),
    "held": lambda a: (a.up_to_date, a.held_sequence or 0),
    "missing_tasks": lambda a: len(a.missing_tasks),
    "withdrawn_tasks": lambda a: len(a.withdrawn_tasks),
}


def select_units(rows: Sequence[UnitOverviewRow], *, search: str = "",
                 filters: Iterable[str] = (), sort: str = "code",
                 descending: bool = False) -> list[UnitOverviewRow]:
    """The rows matching every filter and the folded search, sorted by `sort`.

    Empty values (no score, no bundle) sort last in either direction; ties keep
    the unit code order.
    """
    if sort not in SORT_COLUMNS:
        raise ValueError(sort)
    wanted = set(filters)
    needle = fold(search)
    chosen = [row for row in rows
              if (not needle or needle in row.search_key)
              and (FILTER_OVERDUE not in wanted or row.tasks_overdue > 0)
              and (FILTER_STALE not in wanted or row.stale)
              and (FILTER_WARNINGS not in wanted or row.warnings)
              and (FILTER_NOT_HELD not in wanted or row.not_holding_newest)]
    chosen.sort(key=lambda row: row.code)
    present = [row for row in chosen if _sort_value(row, sort) is not None]
    empty = [row for row in chosen if _sort_value(row, sort) is None]
    present.sort(key=lambda row: _sort_value(row, sort), reverse=descending)  # type: ignore[arg-type, return-value]
    return present + empty


def overview_totals(rows: Sequence[UnitOverviewRow]) -> OverviewTotals:
    scores = [row.score for row in rows if row.score is not None]
    return OverviewTotals(
        units=len(rows),
        units_with_overdue=sum(1 for row in rows if row.tasks_overdue),
        stale_units=sum(1 for row in rows if row.stale),
        units_with_warnings=sum(1 for row in rows if row.warnings),
        tasks_total=sum(row.tasks_total for row in rows),
        tasks_done=sum(row.tasks_done for row in rows),
        tasks_cancelled=sum(row.tasks_cancelled for row in rows),
        tasks_overdue=sum(row.tasks_overdue for row in rows),
        points_lost=round(sum(row.points_lost or 0.0 for row in rows), 2),
        average_score=round(sum(scores) / len(scores), 2) if scores else None)


PERCENT_BUCKETS = ("0-20", "20-40", "40-60", "60-80", "80-100", "none")


def units_by_percent_done(rows: Iterable[UnitOverviewRow]) -> list[ChartBar]:
    """How many units have done 0-20 %, 20-40 %, ... of their tasks (100 % in the
    last bucket); 'none' counts units without tasks."""
    counts: Counter[str] = Counter()
    for row in rows:
        percent = row.percent_done
        if percent is None:
            counts["none"] += 1
        else:
            counts[PERCENT_BUCKETS[min(int(percent // 20), 4)]] += 1
    return [ChartBar(key, "", counts[key]) for key in PERCENT_BUCKETS]


_OVERDUE_BY_DOMAIN_SQL = f"""
WITH overdue AS (
    SELECT t.id, t.assessment_id FROM task AS t
    WHERE {overdue_sql("t", listed_withdrawn=True)}
),
domains AS (
    SELECT DISTINCT o.id AS task_id,
           CASE WHEN instr(c.code, '.') > 0 THEN substr(c.code, 1, instr(c.code, '.') - 1)
                ELSE c.code END AS domain
    FROM overdue AS o
    JOIN taskcriterion AS tc ON tc.task_id = o.id
    JOIN criterion AS c ON c.id = tc.criterion_id
)
SELECT domain, count(*) FROM domains GROUP BY domain
UNION ALL
SELECT '', count(*) FROM overdue AS o
WHERE NOT EXISTS (SELECT 1 FROM taskcriterion AS tc WHERE tc.task_id = o.id)
"""

_DOMAIN_TITLES_SQL = """
SELECT code, title, count(*) AS uses FROM criterion
WHERE instr(code, '.') = 0 GROUP BY code, title
"""


def domain_titles(connection: sqlite3.Connection) -> dict[str, str]:
    """Each domain code with the title most units give it (each province words its
    domains its own way)."""
    titles: dict[str, tuple[int, str]] = {}
    for code, title, uses in connection.execute(_DOMAIN_TITLES_SQL):
        if code not in titles or uses > titles[code][0]:
            titles[code] = (uses, title)
    return {code: title for code, (_uses, title) in titles.items()}


def overdue_tasks_by_domain(connection: sqlite3.Connection, today: dt.date, *,
                            withdrawn: dict[str, frozenset[int]] | None = None,
                            ) -> list[ChartBar]:
    """Overdue tasks per domain (the first part of the criteria codes they cite),
    by domain number; a task citing two domains counts in both; key '' holds the
    tasks citing no criterion. Each province words its domains, so a domain's
    label is the title most units use for it. A withdrawn task is not overdue
    (withdrawn: withdrawn_task_ids(), read if None)."""
    titles = domain_titles(connection)
    if withdrawn is None:
        withdrawn = withdrawn_task_ids(connection)
    parameters = {"today": today.isoformat(),
                  WITHDRAWN_PARAMETER: withdrawn_parameter(_every(withdrawn))}
    bars = [ChartBar(domain, titles.get(domain, ""), count)
            for domain, count in connection.execute(_OVERDUE_BY_DOMAIN_SQL, parameters)
            if count]
    return sorted(bars, key=lambda bar: (bar.key == "", int(bar.key) if bar.key else 0))
