"""The evidence documents of a task (tài liệu kiểm chứng). The file itself stays
where it is; its name, size and SHA-256 are kept."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from ..clock import now_utc, today
from ..errors import EditRefused
from ..models import Evidence, Task
from ..text import nfc
from ..vocab import TITLE_LIMIT, EditRefusal, RemovalKind
from .history import record_change, touch_task
from .removals import record_removal
from .rules import Problems, clean_text


@dataclass(frozen=True)
class FileFacts:
    """What the app keeps about an evidence file (the file itself stays put)."""

    name: str
    size: int
    sha256: str
    path: str


def check_file_path(path: str | Path) -> None:
    """What describe_file would refuse at once, without reading the file: there is
    nothing at the path, or a folder (a form asks it while the path is typed)."""
    file = Path(path).expanduser()
    try:
        if not file.exists():
            raise EditRefused(EditRefusal.FILE_MISSING, "file", str(file))
        if file.is_dir():
            raise EditRefused(EditRefusal.NOT_A_FILE, "file", str(file))
    except OSError as error:  # a name the system cannot even look up
        raise EditRefused(EditRefusal.FILE_UNREADABLE, "file", str(file)) from error


def describe_file(path: str | Path) -> FileFacts:
    """Name, size and SHA-256 of a file, read in 1 MiB blocks (digest_file)."""
    from ..evidence_files import digest_file

    file = Path(path).expanduser()
    sha256, size = digest_file(file)
    return FileFacts(name=nfc(file.name) or file.name, size=size, sha256=sha256,
                     path=str(file.absolute()))


EVIDENCE_FIELDS = ("title", "number", "date", "issuer", "locator", "file")


def check_evidence(values: dict[str, Any]) -> dict[str, Any]:
    """The evidence's fields as stored, or every refusal at once."""
    unknown = set(values) - set(EVIDENCE_FIELDS)
    if unknown:
        raise EditRefused(EditRefusal.UNKNOWN_FIELD, sorted(unknown)[0])
    problems = Problems()
    date = values.get("date")
    if date is not None and not isinstance(date, dt.date):
        problems.add(EditRefused(EditRefusal.NOT_A_DATE, "date", date))
    elif date is not None and date > today():
        problems.add(EditRefused(EditRefusal.DATE_IN_FUTURE, "date", date))
    file = values.get("file")
    if file is not None and not isinstance(file, FileFacts):
        problems.add(EditRefused(EditRefusal.NOT_A_FILE, "file", file))
        file = None
    texts = {name: problems.take(clean_text, name, values.get(name), required=name == "title",
                                 limit=TITLE_LIMIT)
             for name in ("title", "number", "issuer", "locator")}
    problems.raise_any()
    return {
        **texts,
        "date": date,
        "file_name": file.name if file else None,
        "file_size": file.size if file else None,
        "file_sha256": file.sha256 if file else None,
        "file_path": file.path if file else None,
    }


def evidence_label(number: str | None, title: str) -> str:
    """How an evidence document is named in the history: "45/BC-UBND Báo cáo ..."."""
    return f"{number} {title}" if number else title


def add_evidence(session: Session, task_id: int, values: dict[str, Any], *,
                 by: str | None) -> int:
    if session.get(Task, task_id) is None:
        raise EditRefused(EditRefusal.NOT_FOUND, None, task_id)
    clean = check_evidence(values)
    position = session.execute(select(func.coalesce(func.max(Evidence.position) + 1, 0))
                               .where(Evidence.task_id == task_id)).scalar_one()
    evidence = Evidence(uid=str(uuid.uuid4()), task_id=task_id, position=position, **clean)
    session.add(evidence)
    session.flush()
    at = now_utc()
    record_change(session, task_id, by, "evidence", None,
                  evidence_label(clean["number"], clean["title"]), at)
    touch_task(session, task_id, at)
    assert evidence.id is not None
    return evidence.id


def update_evidence(session: Session, evidence_id: int, values: dict[str, Any], *,
                    by: str | None) -> bool:
    """Replace an evidence record's fields. A missing "file" key keeps the file."""
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise EditRefused(EditRefusal.NOT_FOUND, None, evidence_id)
    if "file" not in values and evidence.file_name is not None:
        values = {**values, "file": FileFacts(evidence.file_name, evidence.file_size or 0,
                                              evidence.file_sha256 or "",
                                              evidence.file_path or "")}
    clean = check_evidence(values)
    if all(getattr(evidence, name) == value for name, value in clean.items()):
        return False
    old = evidence_label(evidence.number, evidence.title)
    for name, value in clean.items():
        setattr(evidence, name, value)
    session.add(evidence)
    at = now_utc()
    record_change(session, evidence.task_id, by, "evidence", old,
                  evidence_label(clean["number"], clean["title"]), at)
    touch_task(session, evidence.task_id, at)
    return True


def remove_evidence(session: Session, evidence_id: int, *, by: str | None) -> None:
    evidence = session.get(Evidence, evidence_id)
    if evidence is None:
        raise EditRefused(EditRefusal.NOT_FOUND, None, evidence_id)
    task_id = evidence.task_id
    old = evidence_label(evidence.number, evidence.title)
    task = session.get(Task, task_id)
    # On the removals' list too (the task's history says it, but goes with the task).
    record_removal(session, RemovalKind.EVIDENCE, old, by=by,
                   assessment_id=task.assessment_id if task is not None else None)
    session.delete(evidence)
    at = now_utc()
    record_change(session, task_id, by, "evidence", old, None, at)
    touch_task(session, task_id, at)
