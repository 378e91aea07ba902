"""A task the supervisor withdrew (a later assignment no longer holds it) is no longer
open: its deadline binds nobody, so it is not overdue or due soon anywhere the unit
counts them: the summary, Hôm nay, the deadline groups, the task list's filters, the
export's preview and the official report (store.overdue, one rule). The same task
put back (not withdrawn) counts again in each: the test can tell them apart."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from store.bundle.export import export_preview
from store.db import Database
from store.demo import DEMO_UNIT as UNIT  # the assigned fixture is the demo commune
from store.models import Assessment, Task
from store.read.deadlines import deadline_counts
from store.read.tasks import TaskFilter, count_tasks, open_task_list
from store.read.today import today_list
from store.read.units import unit_summary
from store.report.remediation import remediation_facts
from tests.assign.test_unit_app import Assigned, assigned  # noqa: F401 - the fixture
from tests.conftest import FIXED_TODAY


def _overdue_everywhere(db: Database, task_id: int) -> dict[str, int]:
    with db.read() as session:
        task = session.get(Task, task_id)
        assert task is not None
        aid = task.assessment_id
        assessment = session.get(Assessment, aid)
        assert assessment is not None
        unit_id = assessment.unit_id
        facts = remediation_facts(session, unit_id, FIXED_TODAY, aid)
        listed = open_task_list(session, aid, TaskFilter(overdue=True), FIXED_TODAY,
                                count_many=False)
        return {
            "summary": unit_summary(session, unit_id, FIXED_TODAY, aid).tasks_overdue,
            "today": today_list(session, aid, FIXED_TODAY).overdue,
            "deadlines": deadline_counts(session, aid, FIXED_TODAY)["overdue"],
            "filter": count_tasks(session, listed),
            "report": facts.counts.overdue,
            "export": export_preview(db, UNIT["code"], FIXED_TODAY).overdue,
        }


def test_a_withdrawn_task_is_not_overdue_anywhere(assigned: Assigned) -> None:  # noqa: F811
    db = Database(assigned.db_path)
    try:
        with db.write() as session:
            task = session.execute(select(Task).where(Task.uid == assigned.withdrawn_uid)
                                   ).scalar_one()
            assert task.withdrawn_at is not None
            task_id, withdrawn_at = task.id, task.withdrawn_at
            session.execute(update(Task).where(Task.id == task_id).values(
                due=FIXED_TODAY - dt.timedelta(days=10), status="todo"))
        withdrawn = _overdue_everywhere(db, task_id)
        with db.write() as session:
            session.execute(update(Task).where(Task.id == task_id).values(withdrawn_at=None))
        put_back = _overdue_everywhere(db, task_id)
        assert {place: put_back[place] - withdrawn[place] for place in put_back} == \
            dict.fromkeys(put_back, 1), (withdrawn, put_back)
        with db.write() as session:
            session.execute(update(Task).where(Task.id == task_id).values(
                withdrawn_at=withdrawn_at))
    finally:
        db.dispose()
