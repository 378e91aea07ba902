"""Opening the unit's database for the app (runs in a worker thread: it imports
SQLModel, which must stay off the path to the first frame)."""

from __future__ import annotations

from dataclasses import dataclass, field

from store.db import Database
from tui.context import AppContext


@dataclass
class Workspace:
    db: Database
    unit_id: int | None
    # Warnings for the user (already in their language), e.g. unsafe storage.
    # The app shows them once the data is on screen.
    notices: list[str] = field(default_factory=list)


def open_workspace(context: AppContext) -> Workspace:
    from sqlalchemy import select

    from store.demo import seed_demo
    from store.migrations import open_database
    from store.models import Unit
    from store.snapshot import upsert_unit

    from tui.safety import before_open_checks

    locations = context.locations
    notices = before_open_checks(context)
    if context.demo:
        seed_demo(locations.db_path, locations.backups_dir)
    db = open_database(locations.db_path, read_only=context.read_only,
                       backups_dir=locations.backups_dir)
    unit = context.config.unit
    with db.read() as session:
        row = session.execute(select(Unit).where(Unit.code == unit.code)).scalars().first()
        same = row is not None and (row.name, row.level, row.supervisor) == (
            unit.name, unit.level, unit.supervisor)
        unit_id = row.id if row is not None else None
    if unit.configured and not same and not db.read_only:
        with db.write() as session:
            unit_id = upsert_unit(session, {"code": unit.code, "name": unit.name,
                                            "level": unit.level, "supervisor": unit.supervisor})
    return Workspace(db=db, unit_id=unit_id, notices=notices)
