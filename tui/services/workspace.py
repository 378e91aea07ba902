"""Opening the unit's database for the app (runs in a worker thread: it imports
SQLModel, which must stay off the path to the first frame)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from store.db import Database
from tui.context import AppContext


@dataclass
class Workspace:
    """What the workspace screens show: one unit of one database.

    The unit's own database, or (issue 5) a unit of the supervisor's review
    database shown read-only. `officer` signs the edits (Change.by)."""

    db: Database
    unit_id: int | None
    read_only: bool = False
    officer: str | None = None
    # Warnings for the user (already in their language), e.g. unsafe storage.
    # The app shows them once the data is on screen.
    notices: list[str] = field(default_factory=list)
    # The unit's signing key (store.keys.OwnKeyState); None for a unit of a review.
    key: Any = None

    @property
    def editable(self) -> bool:
        return not (self.read_only or self.db.read_only) and self.unit_id is not None


def open_workspace(context: AppContext) -> Workspace:
    from sqlalchemy import select

    from store.demo import seed_demo
    from store.migrations import open_database
    from store.models import Unit
    from store.snapshot import upsert_unit
    from store.keys import KEY_CREATED
    from tui.services.startup_checks import before_open_checks
    from tui.words.keys import own_key_notice

    locations = context.locations
    notices = before_open_checks(context)
    if context.demo:
        seed_demo(locations.db_path)
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
    key = unit_key_state(context, db)
    notice = own_key_notice(key)
    # The demo commune's key signs only demo files: its making is not worth a word.
    if notice is not None and not (context.demo and key.status == KEY_CREATED):
        notices.append(notice)
    return Workspace(db=db, unit_id=unit_id, read_only=context.read_only,
                     officer=context.config.officer.name or None, notices=notices, key=key)


def unit_key_state(context: AppContext, db: Database):  # noqa: ANN201 - OwnKeyState
    """The unit's signing key, made on the first writable start of a workspace that
    has none (a new one, or one from before keys existed)."""
    from store.keys import key_path_for, own_key_state

    return own_key_state(db, key_path_for(context.locations.db_path), create=not db.read_only)
