"""Opening the unit's database for the app (runs in a worker thread: it imports
SQLModel, which must stay off the path to the first frame)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
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
    # Working days for the deadlines (store.workdays.WorkCalendar): Vietnam's, with
    # the days config.toml adds; None: Vietnam's alone.
    calendar: Any = None

    # The last edit of this session, for undo (store.undo.UndoPoint).
    last_edit: Any = None
    # A unit of a review: the ids of its tasks the supervisor withdrew, which the
    # review database's rows do not mark (store.assign.overview.withdrawn_task_ids);
    # the summary does not count them as overdue. Empty for the unit's own database.
    withdrawn_task_ids: frozenset[int] = frozenset()
    # Where evidence files are copied (store.evidence_files); None: a unit of a review.
    evidence_dir: Path | None = None
    # Whether recorded evidence files are still there and the same, cached for the
    # session (store.evidence_files.FileChecker).
    file_checker: Any = None

    @property
    def evidence_files(self):  # noqa: ANN201 - FileChecker
        from store.evidence_files import FileChecker

        if self.file_checker is None:
            self.file_checker = FileChecker()
        return self.file_checker

    @contextmanager
    def edit(self, label: str) -> Iterator[Any]:
        """One edit in one write transaction (yields its Session), kept as the
        session's last edit so that undo() can take it back."""
        from store.undo import capture, undo_point

        before = capture(self.db.path)
        with self.db.write() as session:
            yield session
        self.last_edit = undo_point(self.db.path, label, before)

    def undo(self) -> tuple[str, bool] | None:
        """Take back the last edit: None when there is none, else (its label,
        whether it was undone). It is not undone when the data changed since (an
        export, an import, another window): their work is not lost to an undo."""
        from store.undo import undo

        point, self.last_edit = self.last_edit, None
        if point is None:
            return None
        return point.label, undo(self.db.path, point)

    @property
    def work_calendar(self):  # noqa: ANN201 - WorkCalendar, imported when asked
        from store.workdays import WorkCalendar
        from tui.i18n import language

        if self.calendar is None:
            self.calendar = WorkCalendar.of(language=language())
        return self.calendar

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
                     officer=context.config.officer.name or None, notices=notices, key=key,
                     calendar=work_calendar(context), evidence_dir=locations.evidence_dir)


def work_calendar(context: AppContext):  # noqa: ANN201 - WorkCalendar
    """Vietnam's working days with the [calendar] days of config.toml, holidays
    named in the interface language."""
    from store.workdays import WorkCalendar
    from tui.i18n import language

    calendar = context.config.calendar
    return WorkCalendar.of(calendar.days_off, calendar.working_days, language())


def unit_key_state(context: AppContext, db: Database):  # noqa: ANN201 - OwnKeyState
    """The unit's signing key, made on the first writable start of a workspace that
    has none (a new one, or one from before keys existed)."""
    from store.keys import key_path_for, own_key_state

    return own_key_state(db, key_path_for(context.locations.db_path), create=not db.read_only)


def remember_assessment(context: AppContext, ext_id: str) -> None:
    """Keep the assessment chosen as config.last_assessment, for the next start (not
    in read-only mode: nothing is written then)."""
    if context.read_only or context.config.last_assessment == ext_id:
        return
    context.config.last_assessment = ext_id
    save_remembered(context)


def save_remembered(context: AppContext) -> None:
    """Save the settings after a value kept for convenience changed (the last export
    folder, the assessment shown). A settings file with a problem is left alone
    (saving would drop the values the user still has to fix), and a failure to save
    is not worth a word: what was done is done, only the memory of it is lost."""
    from store.config import save_config
    from store.errors import BrokenConfigFile, ReadOnlyMode

    if context.config_problem is not None:
        return
    try:
        save_config(context.config_to_save(), context.locations.config_file)
    except (BrokenConfigFile, ReadOnlyMode, OSError):
        pass
