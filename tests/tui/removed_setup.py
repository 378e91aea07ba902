"""The demo commune with a few removals on record, made with the store's own removals
(a criterion no task cites, a piece of evidence, a task), as an official would."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select


def demo_with_removals(data_dir: Path) -> Path:
    """Seed the demo commune in data_dir and remove three things from it, oldest
    first: a criterion, a piece of evidence, a task. Returns the database's path."""
    from store.demo import seed_demo
    from store.migrations import open_database
    from store.models import Criterion, Evidence, Task
    from store.paths import resolve
    from store.write.criteria import remove_criterion
    from store.write.evidence import remove_evidence
    from store.write.removals import remove_task

    locations = resolve(data_dir, demo=True).ensure()
    seed_demo(locations.db_path)
    db = open_database(locations.db_path)
    try:
        with db.write() as session:  # 1.1.1, a criterion that lost nothing, no task cites
            criterion = session.execute(select(Criterion).where(
                Criterion.code == "1.1.1")).scalar_one()
            remove_criterion(session, criterion.id, by="Lê Văn Cường")
        with db.write() as session:
            evidence = session.execute(select(Evidence).order_by(Evidence.id)).scalars().first()
            remove_evidence(session, evidence.id, by="Trần Văn Bình")
        with db.write() as session:
            task = session.execute(select(Task).where(Task.assigned_by.is_(None))
                                   .order_by(Task.id.desc())).scalars().first()
            remove_task(session, task.id, by="Nguyễn Thị Hoa")
    finally:
        db.dispose()
    return locations.db_path
