"""The export log: every progress bundle a unit's database wrote, appended and
fsynced to a small file beside the database (<stem>-exports.log), so that the
counter survives what the database itself forgets:

- a restore of an older backup brings back that backup's ExportRecords (the
  counter would restart at its number, and the supervisor refuse what follows
  as older);
- a kill between the file's rename and the database's commit leaves a file the
  database does not know (the next export would take its number again).

One JSON object a line, written in one append: a line torn by a kill is skipped
when read. The log is never part of a backup, so a restore never takes it back.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from ..platform_files import append_durably
from ..safe_write import fsync_directory

LOG_SUFFIX = "-exports.log"


@dataclass(frozen=True)
class SentBundle:
    """One bundle that was written: its number, digest (integrity.sha256), where it
    was written, and created_at as the bundle says it (RFC 3339, offset kept)."""

    sequence: int
    sha256: str
    path: str
    created_at: str
    bundle_id: str = ""
    unit_code: str = ""


def log_path_for(db_path: Path) -> Path:
    """cchc.db -> cchc-exports.log in the same folder."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + LOG_SUFFIX)


def _entry(line: str) -> SentBundle | None:
    try:
        fields = json.loads(line)
        entry = SentBundle(sequence=int(fields["sequence"]), sha256=str(fields["sha256"]),
                           path=str(fields["path"]), created_at=str(fields["created_at"]),
                           bundle_id=str(fields.get("bundle_id", "")),
                           unit_code=str(fields.get("unit_code", "")))
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return entry if entry.sequence > 0 and re.fullmatch(r"[0-9a-f]{64}", entry.sha256) else None


def read_log(path: Path) -> list[SentBundle]:
    """The log's entries by sequence (for one sequence, the last line written); [] if
    there is no log yet. Lines that do not parse (torn by a kill) are skipped. Raises
    OSError if the log is there but cannot be read: a counter read without it could
    go back."""
    try:
        text = Path(path).read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return []
    by_sequence: dict[int, SentBundle] = {}
    for line in text.splitlines():
        entry = _entry(line)
        if entry is not None:
            by_sequence[entry.sequence] = entry
    return [by_sequence[sequence] for sequence in sorted(by_sequence)]


def append_to_log(path: Path, entry: SentBundle) -> None:
    """Add entry to the log, durably (fsynced, and the folder too when the log is
    new). Raises OSError."""
    line = json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True) + "\n"
    # A torn line before this one (a kill mid-append) must not swallow it.
    data = line.encode("utf-8")
    path = Path(path)
    if path.exists() and not _ends_with_newline(path):
        data = b"\n" + data
    if append_durably(path, data):
        fsync_directory(path.parent)


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        if handle.tell() == 0:
            return True
        handle.seek(-1, 2)
        return handle.read(1) == b"\n"
