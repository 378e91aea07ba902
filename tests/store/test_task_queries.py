"""The task list's pages, filters, search plans and sorts, on the demo commune."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

from store.read.criteria import criteria_rows, domains
from store.read.deadlines import deadline_bounds, deadline_counts, deadline_page
from store.read.task_detail import task_detail
from store.read.tasks import TaskFilter, open_task_list, task_owners, task_page
from store.read.units import unit_summary

TODAY = dt.date(2026, 11, 21)


def _ids(session, assessment_id, flt):  # noqa: ANN001, ANN202
    task_list = open_task_list(session, assessment_id, flt, TODAY)
    rows = task_page(session, task_list, 0, 1000)
    assert len(rows) == task_list.count
    return rows


def _assessment(session) -> int:  # noqa: ANN001
    return unit_summary(session, 1, TODAY).assessment_id


def test_summary_counts_the_current_assessment(demo_db) -> None:  # noqa: ANN001
    with demo_db.read() as session:
        summary = unit_summary(session, 1, TODAY)
    assert (summary.score, summary.rank, summary.rank_of) == (86.1, 6, 9)
    assert summary.points_lost == 13.9
    assert summary.tasks_total == 20
    assert summary.tasks_done == 4
    assert summary.tasks_overdue == 5
    assert summary.next_due == TODAY + dt.timedelta(days=2)


def test_default_order_is_open_tasks_by_deadline_then_closed(demo_db) -> None:  # noqa: ANN001
    with demo_db.read() as session:
        rows = _ids(session, _assessment(session), TaskFilter())
    open_rows = [r for r in rows if r.is_open]
    assert rows[:len(open_rows)] == open_rows
    dues = [r.due for r in open_rows]
    assert dues == sorted(dues)
    assert rows[0].overdue(TODAY)


def test_sorts(demo_db) -> None:  # noqa: ANN001
    with demo_db.read() as session:
        assessment = _assessment(session)
        points = _ids(session, assessment, TaskFilter(sort="points"))
        status = _ids(session, assessment, TaskFilter(sort="status"))
        owner = _ids(session, assessment, TaskFilter(sort="owner"))
    assert [r.points_at_stake for r in points] == sorted(
        (r.points_at_stake for r in points), reverse=True)
    order = ["todo", "in_progress", "done", "cancelled"]
    assert [order.index(r.status) for r in status] == sorted(order.index(r.status)
                                                              for r in status)
    from store.text import fold

    keys = [fold(r.owner) for r in owner]
    assert keys == sorted(keys)


def test_every_sort_walks_an_index(demo_db) -> None:  # noqa: ANN001
    from sqlalchemy import select
    from sqlalchemy.dialects import sqlite

    from store.read.tasks import ROW_COLUMNS, _order, task_conditions

    with demo_db.read() as session:
        for sort in ("deadline", "points", "status", "owner"):
            statement = (select(*ROW_COLUMNS)
                         .where(*task_conditions(1, TaskFilter(sort=sort), TODAY))
                         .order_by(*_order(sort)).limit(64))
            sql = str(statement.compile(dialect=sqlite.dialect(),
                                        compile_kwargs={"literal_binds": True}))
            plan = " ".join(str(row) for row in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
            assert f"ix_task_by_{sort}" in plan
            assert "TEMP B-TREE" not in plan


def test_filters(demo_db) -> None:  # noqa: ANN001
    with demo_db.read() as session:
        assessment = _assessment(session)
        overdue = _ids(session, assessment, TaskFilter(overdue=True))
        soon = _ids(session, assessment, TaskFilter(due_within=7))
        done = _ids(session, assessment, TaskFilter(status="done"))
        domain3 = _ids(session, assessment, TaskFilter(criterion="3"))
        exact = _ids(session, assessment, TaskFilter(criterion="3.3"))
        owners = task_owners(session, assessment)
        by_owner = _ids(session, assessment, TaskFilter(owner_key="dang thi my dung"))
        combined = _ids(session, assessment, TaskFilter(overdue=True, due_within=7))
    assert len(overdue) == 5 and all(r.overdue(TODAY) for r in overdue)
    assert soon and all(r.due_soon(TODAY) for r in soon)
    assert len(combined) == len(overdue) + len(soon)
    assert len(done) == 4 and all(r.status == "done" for r in done)
    assert domain3 and all(any(c.startswith("3.") for c in r.criteria.split(", "))
                           for r in domain3)
    assert {r.title for r in exact} == {"Thực hiện nghiêm túc thư xin lỗi đối với hồ sơ trễ hạn",
                                        "Rà soát quy trình nội bộ giải quyết hồ sơ đất đai"}
    assert ("Đặng Thị Mỹ Dung", "dang thi my dung") in owners
    assert by_owner and all(r.owner == "Đặng Thị Mỹ Dung" for r in by_owner)


def test_folded_search_finds_accented_text_both_ways(demo_db) -> None:  # noqa: ANN001
    with demo_db.read() as session:
        assessment = _assessment(session)
        fix = _ids(session, assessment, TaskFilter(search="khac phuc"))
        dang = _ids(session, assessment, TaskFilter(search="DANG"))
        short = _ids(session, assessment, TaskFilter(search="ma"))
        by_code = _ids(session, assessment, TaskFilter(search="7.5"))
        by_finding = _ids(session, assessment, TaskFilter(search="chua cai"))
        nothing = _ids(session, assessment, TaskFilter(search="zzqq"))
        odd = _ids(session, assessment, TaskFilter(search='"%_\\'))
    assert any("Khắc phục" in r.title or "khắc phục" in r.title for r in fix)
    assert any(r.owner == "Đặng Thị Mỹ Dung" for r in dang)
    assert short
    assert [r.criteria for r in by_code] == ["7.5"]
    assert [r.criteria for r in by_finding] == ["7.5"]
    assert nothing == [] and odd == []


def test_trigram_and_like_plans_agree(demo_db) -> None:  # noqa: ANN001
    from dataclasses import replace

    with demo_db.read() as session:
        assessment = _assessment(session)
        for query in ("khac phuc", "ho so", "nguyen thi lan", "so hoa"):
            task_list = open_task_list(session, assessment, TaskFilter(search=query), TODAY)
            a = task_page(session, replace(task_list, trigram=True), 0, 100)
            b = task_page(session, replace(task_list, trigram=False), 0, 100)
            assert [r.id for r in a] == [r.id for r in b]
            assert len(a) == task_list.count


def test_search_index_follows_edits_and_deletes(demo_db) -> None:  # noqa: ANN001
    from store.write.tasks import update_task

    with demo_db.write() as session:
        update_task(session, 1, {"title": "Xử lý khẩn cấp quạt trần"}, by="test")
    with demo_db.read() as session:
        assessment = _assessment(session)
        assert [r.id for r in _ids(session, assessment, TaskFilter(search="quat tran"))] == [1]
        assert _ids(session, assessment, TaskFilter(search="con lai cua ke hoach")) == []
    with demo_db.write() as session:
        session.execute(text("DELETE FROM assessment"))
    with demo_db.read() as session:
        leftover = session.execute(text(
            "SELECT count(*) FROM task_search WHERE task_search MATCH '\"quat tran\"'")).scalar()
    assert leftover == 0


def test_deadline_groups(demo_db) -> None:  # noqa: ANN001
    bounds = deadline_bounds(TODAY)  # Saturday 21/11/2026
    assert bounds["week"] == (TODAY, dt.date(2026, 11, 22))
    assert bounds["month"] == (dt.date(2026, 11, 23), dt.date(2026, 11, 30))
    with demo_db.read() as session:
        assessment = _assessment(session)
        counts = deadline_counts(session, assessment, TODAY)
        overdue = deadline_page(session, assessment, "overdue", TODAY, 0, 100)
        later = deadline_page(session, assessment, "later", TODAY, 0, 100)
    assert counts["overdue"] == 5 == len(overdue)
    assert sum(counts.values()) == 15  # the open tasks
    assert all(r.due > bounds["month"][1] for r in later)


def test_criteria_tree_and_tasks_per_criterion(demo_db) -> None:  # noqa: ANN001
    with demo_db.read() as session:
        assessment = _assessment(session)
        rows = criteria_rows(session, assessment)
        tops = domains(session, assessment)
    codes = [r.code for r in rows]
    assert codes[:4] == ["1", "1.1", "1.1.1", "1.1.2"]
    by_code = {r.code: r for r in rows}
    assert by_code["3.3"].tasks == 2
    assert by_code["3"].tasks == 7
    assert by_code["1.1"].tasks == 1  # through its sub-criterion 1.1.2
    assert by_code["3.2"].points_lost == 1.0
    assert not any(r.needs_task for r in rows)
    assert by_code["1"].has_children and not by_code["1.1.1"].has_children
    assert tops[0] == ("1", "Công tác chỉ đạo, điều hành cải cách hành chính")
    assert len(tops) == 8


def test_task_detail(demo_db) -> None:  # noqa: ANN001
    with demo_db.read() as session:
        detail = task_detail(session, 1)
        missing = task_detail(session, 9999)
    assert missing is None
    assert detail.status == "done"
    assert [c.code for c in detail.criteria] == ["1.1.2"]
    assert detail.evidence[0].number == "40/BC-UBND"
    assert detail.history[0].field == "status"  # newest first


def test_a_list_opened_without_its_count_counts_later(demo_db) -> None:  # noqa: ANN001
    from store.read.tasks import count_tasks

    with demo_db.read() as session:
        assessment = _assessment(session)
        short = open_task_list(session, assessment, TaskFilter(search="ma"), TODAY,
                               count_many=False)
        few = open_task_list(session, assessment, TaskFilter(search="chong ma doc"), TODAY,
                             count_many=False)
        assert short.count is None and not short.trigram
        assert few.count == 1  # few matches: counted at once through the trigram index
        counted = count_tasks(session, short)
        assert counted == len(task_page(session, short, 0, 1000)) > 0
