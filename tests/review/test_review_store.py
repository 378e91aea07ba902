"""The review database's read side: overview, totals, chart data, all tasks, the
bundle record and the change view, against a small database of six units."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing

import pytest

from tests.conftest import FIXED_TODAY
from tests.review import factory
from tests.review.conftest import review_bundles


def _overview(review_db):  # noqa: ANN001, ANN202
    from contextlib import closing

    from store.review import open_overview_connection
    from store.review.overview import unit_overview

    with closing(open_overview_connection(review_db.path)) as connection:
        return {row.code: row for row in unit_overview(connection, FIXED_TODAY)}


def test_overview_has_one_row_per_unit_with_its_latest_bundle(review_db) -> None:  # noqa: ANN001
    rows = _overview(review_db)
    assert sorted(rows) == [factory.unit_code(i) for i in range(1, 7)]
    first = rows[factory.unit_code(1)]
    assert (first.bundles_received, first.last_sequence) == (2, 2)
    assert first.last_bundle_on == FIXED_TODAY and first.days_since_bundle == 0
    assert first.name == "Phường 2" and first.level == "phuong"
    latest = review_bundles()[1]["assessments"][0]
    tasks = latest["tasks"]
    assert first.tasks_total == len(tasks)
    assert first.tasks_done == sum(t["status"] == "done" for t in tasks)
    assert first.tasks_cancelled == sum(t["status"] == "cancelled" for t in tasks)
    overdue = [t for t in tasks if t["status"] in ("todo", "in_progress") and t["due"]
               and t["due"] < FIXED_TODAY.isoformat()]
    assert first.tasks_overdue == len(overdue)
    upcoming = sorted(t["due"] for t in tasks if t["status"] in ("todo", "in_progress")
                      and t["due"] and t["due"] >= FIXED_TODAY.isoformat())
    assert first.next_due == dt.date.fromisoformat(upcoming[0])
    assert first.score == latest["score"] and first.rank == latest["rank"]
    assert first.points_lost == round(100 - latest["score"], 2)
    counted = first.tasks_total - first.tasks_cancelled
    assert first.percent_done == round(100 * first.tasks_done / counted, 1)
    assert first.warnings == ()


def test_overview_flags_gap_fork_and_stale_units(review_db) -> None:  # noqa: ANN001
    rows = _overview(review_db)
    assert rows[factory.unit_code(2)].missing_sequences == (2, 3)
    assert rows[factory.unit_code(2)].warnings == ("gap",)
    assert rows[factory.unit_code(3)].forked and rows[factory.unit_code(3)].warnings == ("fork",)
    stale = rows[factory.unit_code(4)]
    assert stale.days_since_bundle == 60 and stale.warnings == ("stale",)
    empty = rows[factory.unit_code(5)]
    assert (empty.tasks_total, empty.percent_done, empty.next_due) == (0, None, None)


def test_select_units_sorts_filters_and_searches_folded(review_db) -> None:  # noqa: ANN001
    from store.review.overview import SORT_COLUMNS, select_units

    rows = list(_overview(review_db).values())
    by_overdue = select_units(rows, sort="tasks_overdue", descending=True)
    assert [r.tasks_overdue for r in by_overdue] == sorted(
        (r.tasks_overdue for r in rows), reverse=True)
    by_percent = select_units(rows, sort="percent_done")
    assert by_percent[-1].code == factory.unit_code(5)  # no tasks: empty value sorts last
    assert select_units(rows, sort="percent_done", descending=True)[-1].code == \
        factory.unit_code(5)
    for column in SORT_COLUMNS:
        assert len(select_units(rows, sort=column)) == len(rows)
    with pytest.raises(ValueError):
        select_units(rows, sort="nonsense")
    assert {r.code for r in select_units(rows, filters=["warnings"])} == {
        factory.unit_code(i) for i in (2, 3, 4)}
    assert [r.code for r in select_units(rows, filters=["stale"])] == [factory.unit_code(4)]
    assert all(r.tasks_overdue > 0 for r in select_units(rows, filters=["overdue"]))
    # "phuong" finds "Phường 1" (unit 1 is a ward in the factory: index % 4 == 1)
    assert [r.code for r in select_units(rows, search="PHUONG")] == [factory.unit_code(1),
                                                                     factory.unit_code(5)]
    assert [r.code for r in select_units(rows, search="10003")] == [factory.unit_code(3)]


def test_totals_add_up_across_units(review_db) -> None:  # noqa: ANN001
    from store.review.overview import overview_totals

    rows = list(_overview(review_db).values())
    totals = overview_totals(rows)
    assert totals.units == 6
    assert totals.tasks_total == sum(r.tasks_total for r in rows)
    assert totals.tasks_overdue == sum(r.tasks_overdue for r in rows)
    assert totals.units_with_warnings == 3 and totals.stale_units == 1
    assert totals.average_score == round(sum(r.score for r in rows) / 6, 2)


def test_chart_data(review_db) -> None:  # noqa: ANN001
    from store.review import open_overview_connection
    from store.review.overview import (PERCENT_BUCKETS, overdue_tasks_by_domain,
                                       units_by_percent_done)

    rows = list(_overview(review_db).values())
    bars = units_by_percent_done(rows)
    assert [b.key for b in bars] == list(PERCENT_BUCKETS)
    assert sum(b.value for b in bars) == 6 and bars[-1].value == 1
    with closing(open_overview_connection(review_db.path)) as connection:
        domains = overdue_tasks_by_domain(connection, FIXED_TODAY)
    assert domains and all(b.value > 0 for b in domains)
    assert [b.key for b in domains if b.key] == sorted((b.key for b in domains if b.key), key=int)
    titled = {b.key: b.label for b in domains}
    if "3" in titled:
        assert titled["3"] == "Cải cách thủ tục hành chính"
    # every overdue task is counted at least once
    assert sum(b.value for b in domains) >= sum(r.tasks_overdue for r in rows)


def test_all_tasks_pages_filters_and_searches(review_db) -> None:  # noqa: ANN001
    from store.review.tasks import TaskQuery, count_tasks, plan_tasks, task_page

    today = FIXED_TODAY
    rows = _overview(review_db)
    with review_db.read() as session:
        everything = TaskQuery()
        total = count_tasks(session, everything, today)
        assert total == sum(r.tasks_total for r in rows.values())
        page = task_page(session, everything, today, offset=0, limit=total + 5)
        assert len(page) == total
        points = [r.points_at_stake for r in page]
        assert points == sorted(points, reverse=True)
        assert task_page(session, everything, today, offset=10, limit=5) == page[10:15]

        overdue = everything.but(status="overdue")
        assert count_tasks(session, overdue, today) == sum(r.tasks_overdue for r in rows.values())
        assert all(r.overdue(today) for r in task_page(session, overdue, today, offset=0,
                                                        limit=1000))

        unit = rows[factory.unit_code(1)]
        mine = everything.but(unit_id=unit.unit_id)
        assert count_tasks(session, mine, today) == unit.tasks_total
        assert {r.unit_code for r in task_page(session, mine, today, offset=0, limit=100)} == {
            unit.code}

        found = everything.but(search="CAI DAT phan mem chong MA DOC")
        hits = task_page(session, found, today, offset=0, limit=1000)
        assert hits and all("Cài đặt phần mềm chống mã độc" in r.title for r in hits)
        assert count_tasks(session, found, today) == len(hits)
        assert count_tasks(session, everything.but(search="100%_"), today) == 0
        # the planner hint (scan for a rare match, index walk for a common one)
        # never changes the result
        for words in ("ma doc", "bao cao", "1.2", "x", "phan mem chong"):
            wanted = everything.but(search=words)
            plan = plan_tasks(session, wanted, today)
            assert plan.count == count_tasks(session, wanted, today)
            for offset in (0, 3):
                assert task_page(session, wanted, today, offset=offset, limit=7,
                                 plan=plan) == task_page(
                    session, wanted, today, offset=offset, limit=7)

        by_due = task_page(session, everything.but(sort="due"), today, offset=0, limit=1000)
        dues = [r.due for r in by_due if r.due is not None]
        assert dues == sorted(dues) and by_due[-1].due is None
        by_unit = task_page(session, everything.but(sort="unit"), today, offset=0, limit=1000)
        assert [r.unit_code for r in by_unit] == sorted(r.unit_code for r in by_unit)


def test_received_bundles_newest_first_with_chain_warnings(review_db) -> None:  # noqa: ANN001
    from store.review.bundles import received_bundles

    with review_db.read() as session:
        gap = received_bundles(session, factory.unit_code(2))
        fork = received_bundles(session, factory.unit_code(3))
        assert received_bundles(session, "nobody") == []
    assert [b.sequence for b in gap] == [4, 1]
    assert gap[0].missing_before == (2, 3) and not gap[0].forked
    assert fork[0].forked and fork[1].missing_before == () and not fork[1].forked
    assert gap[0].file_name.startswith("cchc-10002-")


def test_change_view_between_the_last_two_bundles(review_db) -> None:  # noqa: ANN001
    from store.review.bundles import received_bundles
    from store.review.changes import KIND_CHANGED, KIND_NEW, KIND_REMOVED, bundle_changes

    first, second = review_bundles()[:2]
    with review_db.read() as session:
        changes = bundle_changes(session, factory.unit_code(1))
        oldest = received_bundles(session, factory.unit_code(1))[-1]
        assert bundle_changes(session, factory.unit_code(1), oldest.id) is None
        assert bundle_changes(session, factory.unit_code(6)) is None
    assert changes is not None
    assert (changes.older_sequence, changes.newer_sequence) == (1, 2)
    assert changes.newer_created_at == second["created_at"]
    old_tasks = {t["id"]: t for t in first["assessments"][0]["tasks"]}
    opened = [t for t in old_tasks.values() if t["status"] in ("todo", "in_progress")]
    done = next(c for c in changes.tasks if c.task_id == opened[0]["id"])
    assert done.kind == KIND_CHANGED and done.status == "done"
    fields = {f.field: (f.old, f.new) for f in done.fields}
    assert fields["status"] == (opened[0]["status"], "done")
    assert fields["progress"] == (opened[0]["progress"], 100)
    assert fields["result"] == (None, "Đã hoàn thành, có báo cáo")
    assert done.evidence_added == ("Báo cáo hoàn thành",)
    advanced = next(c for c in changes.tasks if c.task_id == opened[1]["id"])
    assert {f.field for f in advanced.fields} == {"progress"} | (
        {"status"} if opened[1]["status"] == "todo" else set())
    assert changes.count(KIND_NEW) == 1 and changes.count(KIND_REMOVED) == 1
    removed = next(c for c in changes.tasks if c.kind == KIND_REMOVED)
    assert removed.task_id == first["assessments"][0]["tasks"][-1]["id"]
    unchanged = set(old_tasks) - {c.task_id for c in changes.tasks}
    assert len(unchanged) == len(old_tasks) - 3


def test_review_database_is_read_without_creating_files(review_db_path) -> None:  # noqa: ANN001
    import hashlib

    from store.review import (ensure_review_database, open_overview_connection,
                              open_review_read_only)
    from store.review.overview import unit_overview
    from store.review.tasks import TaskQuery, count_tasks

    before = (hashlib.sha256(review_db_path.read_bytes()).hexdigest(),
              review_db_path.stat().st_mtime_ns)
    siblings = sorted(p.name for p in review_db_path.parent.iterdir())
    ensure_review_database(review_db_path)
    db = open_review_read_only(review_db_path)
    try:
        with closing(open_overview_connection(review_db_path)) as connection:
            assert len(unit_overview(connection, FIXED_TODAY)) == 6
            assert sorted(p.name for p in review_db_path.parent.iterdir()) == siblings
            with pytest.raises(sqlite3.OperationalError, match="readonly"):
                connection.execute("DELETE FROM unit")
        with db.read() as session:
            assert count_tasks(session, TaskQuery(), FIXED_TODAY) == 100
        with pytest.raises(Exception, match="readonly"):
            with db.reader.begin() as connection:
                connection.exec_driver_sql("DELETE FROM unit")
    finally:
        db.dispose()
    after = (hashlib.sha256(review_db_path.read_bytes()).hexdigest(),
             review_db_path.stat().st_mtime_ns)
    assert after == before
    assert sorted(p.name for p in review_db_path.parent.iterdir()) == siblings


def test_ensure_review_database_creates_an_empty_one(locations) -> None:  # noqa: ANN001
    from store.review import (ensure_review_database, open_overview_connection,
                              open_review_read_only)
    from store.review.overview import unit_overview

    ensure_review_database(locations.review_db_path)
    open_review_read_only(locations.review_db_path).dispose()
    with closing(open_overview_connection(locations.review_db_path)) as connection:
        assert unit_overview(connection, FIXED_TODAY) == []
    assert not any(p.name.endswith(("-wal", "-shm", "-journal"))
                   for p in locations.data_dir.iterdir())


def test_a_batch_killed_in_wal_mode_is_put_back_before_a_view(locations) -> None:  # noqa: ANN001
    from store.review import (_journal_mode_is_delete, close_after_receiving,
                              ensure_review_database, open_review_for_receiving)

    path = locations.review_db_path
    db = open_review_for_receiving(path, alone=True)
    with db.write() as session:
        factory.store_received(session, factory.bundle_of(1, FIXED_TODAY),
                               dt.datetime(2026, 11, 21, tzinfo=dt.timezone.utc))
    db.dispose()  # as if killed: close_after_receiving never ran
    assert not _journal_mode_is_delete(path)
    ensure_review_database(path)
    assert _journal_mode_is_delete(path)
    assert not any(p.name.endswith(("-wal", "-shm")) for p in path.parent.iterdir())
    db = open_review_for_receiving(path, alone=True)
    close_after_receiving(db)
    assert _journal_mode_is_delete(path)


def test_grouped_receiving_gives_the_same_verdicts_as_one_by_one(tmp_path) -> None:  # noqa: ANN001
    from store.review import close_after_receiving, open_review_for_receiving
    from store.review.receiving import receive_files

    folder = tmp_path / "in"
    folder.mkdir()
    first = factory.bundle_of(1, FIXED_TODAY - dt.timedelta(days=2))
    files = [factory.write_bundle(folder, first),
             factory.write_bundle(folder, factory.progressed(first, FIXED_TODAY, sequence=3))]
    files += [factory.write_bundle(folder, factory.bundle_of(i, FIXED_TODAY))
              for i in range(2, 6)]
    duplicate = folder / "copy.json"
    duplicate.write_bytes(files[-1].read_bytes())
    (folder / "cut.json").write_bytes(files[-1].read_bytes()[:500])
    files += [duplicate, folder / "cut.json"]
    outcomes = {}
    for group in (1, 3):
        db = open_review_for_receiving(tmp_path / f"review-{group}.db", alone=group > 1)
        seen = []
        totals = receive_files(db, files, group=group, processes=1,
                               on_result=lambda i, path, r, seen=seen: seen.append(
                                   (i, path.name, r.verdict, tuple(w.code for w in r.warnings))))
        close_after_receiving(db)
        outcomes[group] = (totals, seen)
    assert outcomes[1] == outcomes[3]
    totals, seen = outcomes[3]
    # all six accepted files are unsigned (format 1), so each comes with a warning
    assert (totals.accepted, totals.already_imported, totals.refused, totals.warnings) == (
        6, 1, 1, 6)
    assert [codes for *_, verdict, codes in seen if verdict == "accepted"][1] == (
        "unsigned", "gap")
    assert [i for i, *_ in seen] == list(range(8))


def test_a_failing_group_is_rolled_back_and_not_reported(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import store.bundle.receive as receive
    from store.review import close_after_receiving, open_review_for_receiving
    from store.review.receiving import receive_files

    folder = tmp_path / "in"
    folder.mkdir()
    files = [factory.write_bundle(folder, factory.bundle_of(i, FIXED_TODAY)) for i in range(5)]
    real = receive.store_received
    calls = []

    def failing(db, prepared, name, task_owners=None):  # noqa: ANN001, ANN202
        calls.append(name)
        if len(calls) == 4:
            raise OSError("disk full")
        return real(db, prepared, name, task_owners)

    monkeypatch.setattr(receive, "store_received", failing)
    db = open_review_for_receiving(tmp_path / "review.db", alone=True)
    reported = []
    with pytest.raises(OSError):
        receive_files(db, files, group=3, processes=1,
                      on_result=lambda i, path, r: reported.append(path.name))
    close_after_receiving(db)
    kept = [code for code, in sqlite3.connect(tmp_path / "review.db").execute(
        "SELECT code FROM unit ORDER BY code")]
    assert reported == [f.name for f in sorted(files)[:3]]
    assert kept == [factory.unit_code(i) for i in range(3)]
