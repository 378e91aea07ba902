"""config.toml: read with tomllib, written with tomli-w.

A broken file never stops the app: load_config() returns the defaults and a
ConfigProblem (file, line, column) for the UI to show, and save_config() will not
overwrite that file unless asked, and then only after moving it aside.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import BrokenConfigFile
from .mode import refuse_in_read_only
from .safe_write import write_atomically
from .vocab import WriteKind

LANGUAGES = ("vi", "en")
UNIT_LEVELS = ("xa", "phuong", "dac_khu", "other")
UNIT_CODE_PATTERN = re.compile(r"^[A-Za-z0-9._-]{1,16}$")


@dataclass
class UnitConfig:
    code: str = ""
    name: str = ""
    level: str = "xa"
    supervisor: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.code and self.name)


@dataclass
class OfficerConfig:
    """The person using this workstation; the bundle's sender."""

    name: str = ""
    position: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class DocumentsConfig:
    """What the official documents print that the database does not hold."""

    signer: str = ""  # the name under the signature (the chairman)
    # The signer's authority and title, lines separated by "/" (e.g. "KT. CHỦ TỊCH /
    # PHÓ CHỦ TỊCH"); empty: the document's usual ones (TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH).
    signer_title: str = ""
    place: str = ""  # the place name of the date line; empty: the unit's name
    issuer_short: str = ""  # the issuer in document symbols (KH-UBND); empty: UBND


@dataclass
class BackupConfig:
    keep_daily: int = 7
    keep_events: int = 5


@dataclass
class CalendarConfig:
    """The supervisor's additions to Vietnam's calendar (store.workdays): extra days
    off, and weekend days that are working days (make-up Saturdays)."""

    days_off: list[dt.date] = field(default_factory=list)
    working_days: list[dt.date] = field(default_factory=list)


@dataclass
class AssignConfig:
    """The review's assignment screen: the folders last used (its file list starts in
    the workbook's; the files go to the out folder)."""

    workbook_dir: str = ""
    out_dir: str = ""


@dataclass
class Config:
    language: str = "vi"
    theme: str = "textual-dark"
    last_export_dir: str = ""
    # The assessment the workspace showed last (its ext_id); empty: the newest.
    last_assessment: str = ""
    unit: UnitConfig = field(default_factory=UnitConfig)
    officer: OfficerConfig = field(default_factory=OfficerConfig)
    backup: BackupConfig = field(default_factory=BackupConfig)
    documents: DocumentsConfig = field(default_factory=DocumentsConfig)
    calendar: CalendarConfig = field(default_factory=CalendarConfig)
    assign: AssignConfig = field(default_factory=AssignConfig)
    # binding id -> keys, applied with App.set_keymap()
    keymap: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ConfigProblem:
    """Why a config file could not be used. Data only; the UI words it."""

    path: Path
    code: str  # "syntax" | "unreadable" | "value"
    line: int | None = None
    column: int | None = None
    detail: str = ""


_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def _section(cls: type, raw: Any, problems: list[str], name: str) -> Any:
    instance = cls()
    if not isinstance(raw, dict):
        if raw is not None:
            problems.append(name)
        return instance
    for f in fields(cls):
        if f.name not in raw:
            continue
        value = raw[f.name]
        default = getattr(instance, f.name)
        if isinstance(default, bool) or not isinstance(value, type(default)):
            problems.append(f"{name}.{f.name}")
            continue
        setattr(instance, f.name, value)
    return instance


def _dates(raw: Any) -> list[dt.date] | None:
    """A list of days written as TOML dates or "YYYY-MM-DD" strings; None when
    anything in it is not a day."""
    if not isinstance(raw, list):
        return None
    days = []
    for value in raw:
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            return None
        days.append(value)
    return sorted(set(days))


def _calendar(raw: Any, problems: list[str]) -> CalendarConfig:
    calendar = CalendarConfig()
    if raw is None:
        return calendar
    if not isinstance(raw, dict):
        problems.append("calendar")
        return calendar
    for name in ("days_off", "working_days"):
        if name in raw:
            days = _dates(raw[name])
            if days is None:
                problems.append(f"calendar.{name}")
            else:
                setattr(calendar, name, days)
    return calendar


def config_from_dict(raw: dict[str, Any]) -> tuple[Config, list[str]]:
    """Build a Config, keeping defaults for values of the wrong type.

    Returns the config and the dotted names of the values that were ignored.
    """
    problems: list[str] = []
    config = Config()
    for key in ("language", "theme", "last_export_dir", "last_assessment"):
        if key in raw:
            if isinstance(raw[key], str):
                setattr(config, key, raw[key])
            else:
                problems.append(key)
    if config.language not in LANGUAGES:
        problems.append("language")
        config.language = "vi"
    config.unit = _section(UnitConfig, raw.get("unit"), problems, "unit")
    if config.unit.level not in UNIT_LEVELS:
        problems.append("unit.level")
        config.unit.level = "xa"
    config.officer = _section(OfficerConfig, raw.get("officer"), problems, "officer")
    config.backup = _section(BackupConfig, raw.get("backup"), problems, "backup")
    config.documents = _section(DocumentsConfig, raw.get("documents"), problems, "documents")
    config.calendar = _calendar(raw.get("calendar"), problems)
    config.assign = _section(AssignConfig, raw.get("assign"), problems, "assign")
    keymap = raw.get("keymap", {})
    if isinstance(keymap, dict) and all(isinstance(v, str) for v in keymap.values()):
        config.keymap = dict(keymap)
    else:
        problems.append("keymap")
    return config, problems


def load_config(path: Path) -> tuple[Config, ConfigProblem | None]:
    """The config at path; a missing file is the defaults with no problem."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Config(), None
    except OSError as error:
        return Config(), ConfigProblem(path, "unreadable", detail=error.strerror or str(error))
    try:
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return Config(), ConfigProblem(path, "unreadable", detail="not UTF-8")
    except tomllib.TOMLDecodeError as error:
        match = _TOML_POSITION.search(str(error))
        line, column = (int(match[1]), int(match[2])) if match else (None, None)
        message = _TOML_POSITION.sub("", str(error)).strip()
        return Config(), ConfigProblem(path, "syntax", line, column, message)
    config, ignored = config_from_dict(raw)
    if ignored:
        return config, ConfigProblem(path, "value", detail=", ".join(ignored))
    return config, None


def config_to_dict(config: Config) -> dict[str, Any]:
    return asdict(config)


def file_is_broken(path: Path) -> bool:
    _, problem = load_config(path)
    return problem is not None and problem.code in ("syntax", "unreadable")


def save_config(config: Config, path: Path, *, replace_broken: bool = False) -> Path | None:
    """Write atomically. Returns where a broken file was moved aside, if one was.
    Raises ReadOnlyMode in read-only mode (store.mode), before anything is touched."""
    import tomli_w

    refuse_in_read_only(WriteKind.CONFIG, path)

    moved_to: Path | None = None
    if path.exists() and file_is_broken(path):
        if not replace_broken:
            raise BrokenConfigFile(path)
        from .clock import now_local

        moved_to = path.with_name(f"{path.name}.broken-{now_local():%Y%m%d-%H%M%S}")
        os.replace(path, moved_to)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, tomli_w.dumps(config_to_dict(config)).encode("utf-8"),
                     kind=WriteKind.CONFIG)
    return moved_to
