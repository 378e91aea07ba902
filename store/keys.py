"""This database's own signing key (spec/bundle-v2.md, Signatures and keys).

The private key is a file beside its database, named after it (cchc.key beside
cchc.db for a unit, review.key beside review.db for a supervisor), readable by the
user alone. Backups carry it beside the database copy and a restore puts it back
(store.backup), so a restore keeps the identity. It never goes into a bundle, a
log or a report: SigningKey.__repr__ shows the fingerprint only.

The database records the public half (models.OwnKey). That record is what tells
"this workspace never had a key" (make one, once) from "its key is gone" (say so;
a new key would make the supervisor refuse every later file until it is enrolled
again): own_key_state() decides, and never raises for a bad file.
"""

from __future__ import annotations

import logging
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .bundle.signing import SigningKey
from .vocab import KeyStatus

if TYPE_CHECKING:
    from .db import Database

log = logging.getLogger(__name__)

KEY_FILE_SUFFIX = ".key"
# A PEM PKCS#8 Ed25519 key is 119 bytes; anything much larger is not one.
MAX_KEY_FILE_BYTES = 4096
OWNER_ONLY = 0o600

# own_key_state() statuses, by their short names here
KEY_READY, KEY_CREATED, KEY_NONE = KeyStatus.READY, KeyStatus.CREATED, KeyStatus.NONE
KEY_MISSING, KEY_DAMAGED = KeyStatus.MISSING, KeyStatus.DAMAGED
KEY_MISMATCH, KEY_UNREADABLE = KeyStatus.MISMATCH, KeyStatus.UNREADABLE
KEY_UNWRITABLE = KeyStatus.UNWRITABLE


def key_path_for(db_path: Path) -> Path:
    """The private key file of a database (or of a database backup)."""
    return Path(db_path).with_suffix(KEY_FILE_SUFFIX)


def restrict_to_owner(path: Path, platform: str | None = None) -> None:
    """Make a file readable and writable by its owner only.

    POSIX: mode 0600. Windows: nothing to change; the data folder lies in the
    user's profile (%LOCALAPPDATA%), whose access list already admits the user
    alone (and administrators), and chmod there can only set read-only."""
    if (sys.platform if platform is None else platform) == "win32":
        return
    os.chmod(path, OWNER_ONLY)


def readable_by_others(path: Path, platform: str | None = None) -> bool:
    """True when a POSIX file's mode lets the group or others in (never on Windows,
    where file modes say nothing about other users)."""
    if (sys.platform if platform is None else platform) == "win32":
        return False
    return bool(os.stat(path).st_mode & (stat.S_IRWXG | stat.S_IRWXO))


def key_file_bytes(key: SigningKey) -> bytes:
    """The private key as an unencrypted PEM PKCS#8 file: the file's permissions
    protect it, as for an SSH key (a passphrase would be asked at every export)."""
    from cryptography.hazmat.primitives.serialization import (Encoding, NoEncryption,
                                                              PrivateFormat)

    return key.private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())


def write_key_file(path: Path, data: bytes) -> None:
    """Write private key bytes crash-safely, created 0600 (never readable by
    others, not even while written)."""
    from .mode import refuse_in_read_only
    from .safe_write import write_atomically
    from .vocab import WriteKind

    refuse_in_read_only(WriteKind.KEY, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data, mode=OWNER_ONLY, kind=WriteKind.KEY)
    restrict_to_owner(path)


@dataclass(frozen=True)
class KeyFileRead:
    status: str  # KEY_READY, KEY_MISSING, KEY_DAMAGED or KEY_UNREADABLE
    key: SigningKey | None = None
    detail: str = ""


def read_key_file(path: Path) -> KeyFileRead:
    """The private key in path, or why not. Never raises."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        if os.stat(path).st_size > MAX_KEY_FILE_BYTES:
            return KeyFileRead(KEY_DAMAGED, detail="too large")
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return KeyFileRead(KEY_MISSING)
    except OSError as error:
        return KeyFileRead(KEY_UNREADABLE, detail=error.strerror or type(error).__name__)
    try:
        private = load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:  # not PEM, encrypted, truncated, ...
        return KeyFileRead(KEY_DAMAGED, detail=type(error).__name__)
    except Exception as error:  # noqa: BLE001 - a bad file must never stop the app
        log.warning("the key file %s could not be loaded: %s", path, type(error).__name__)
        return KeyFileRead(KEY_DAMAGED, detail=type(error).__name__)
    if not isinstance(private, Ed25519PrivateKey):
        return KeyFileRead(KEY_DAMAGED, detail="not an Ed25519 key")
    return KeyFileRead(KEY_READY, SigningKey.of(private))


@dataclass(frozen=True)
class OwnKeyState:
    """Whether this database can sign, and if not, why (data; the UI words it).

    key: the signing key when ok; fingerprint: of that key, or of the key the
    database records when the file is missing, damaged or holds another key;
    tightened: the file was readable by others and was made private again."""

    status: str
    path: Path
    key: SigningKey | None = None
    fingerprint: str | None = None
    detail: str = ""
    tightened: bool = False

    @property
    def ok(self) -> bool:
        return self.status in (KEY_READY, KEY_CREATED)


def _recorded(db: "Database"):  # noqa: ANN202 - OwnKey | None
    from sqlalchemy import select

    from .models import OwnKey

    with db.read() as session:
        return session.execute(select(OwnKey).where(OwnKey.retired_at.is_(None))
                               .order_by(OwnKey.id.desc()).limit(1)).scalars().first()


def _record(db: "Database", key: SigningKey) -> None:
    from sqlalchemy import select

    from .clock import now_utc
    from .models import OwnKey

    with db.write() as session:
        now = now_utc()
        for row in session.execute(select(OwnKey).where(OwnKey.retired_at.is_(None))).scalars():
            if row.public_key != key.public_key_b64:
                row.retired_at = now
        held = session.execute(select(OwnKey).where(
            OwnKey.public_key == key.public_key_b64)).scalars().first()
        if held is None:
            session.add(OwnKey(public_key=key.public_key_b64, fingerprint=key.fingerprint,
                               created_at=now))
        else:
            held.retired_at = None


def own_key_state(db: "Database", path: Path, *, create: bool = True) -> OwnKeyState:
    """The database's signing key from its file, made (once) when the database
    never had one and create is set and the database is writable.

    Never raises for a bad key file; database errors come out as they are."""
    path = Path(path)
    recorded = _recorded(db)
    expected = recorded.fingerprint if recorded is not None else None
    writable = not db.read_only
    found = read_key_file(path)
    if found.status == KEY_READY:
        assert found.key is not None
        if recorded is not None and recorded.public_key != found.key.public_key_b64:
            return OwnKeyState(KEY_MISMATCH, path, fingerprint=expected)
        if recorded is None and writable:
            _record(db, found.key)  # a key file from before the record (or a rebuilt db)
        return _ready(path, found.key)
    if found.status == KEY_MISSING and recorded is None:
        if not (create and writable):
            return OwnKeyState(KEY_NONE, path)
        key = SigningKey.generate()
        try:
            write_key_file(path, key_file_bytes(key))
        except OSError as error:  # a full disk must not keep the app from opening
            log.warning("the signing key %s could not be written: %s", path, error)
            return OwnKeyState(KEY_UNWRITABLE, path,
                               detail=error.strerror or type(error).__name__)
        _record(db, key)
        log.info("made a signing key %s for %s", key.fingerprint, db.path.name)
        return OwnKeyState(KEY_CREATED, path, key, key.fingerprint)
    return OwnKeyState(found.status, path, fingerprint=expected, detail=found.detail)


def _ready(path: Path, key: SigningKey) -> OwnKeyState:
    """KEY_READY, the file made private again if it was readable by others."""
    tightened = False
    try:
        if readable_by_others(path):
            restrict_to_owner(path)
            tightened = True
    except OSError:
        log.warning("could not make %s private", path)
    return OwnKeyState(KEY_READY, path, key, key.fingerprint, tightened=tightened)


def ready_key_state(database: Path, path: Path) -> OwnKeyState | None:
    """own_key_state() at the usual start, in plain sqlite3 (no SQLAlchemy before the
    review's first frame): KEY_READY when the key file holds the key the database
    (opened mode=ro) records; None for every other case, which own_key_state()
    judges."""
    found = read_key_file(path)
    if found.status != KEY_READY:
        return None
    assert found.key is not None
    recorded = _recorded_public_key(database)
    if recorded is None or recorded != found.key.public_key_b64:
        return None
    return _ready(path, found.key)


def key_on_record(database: Path, path: Path) -> bool:
    """Whether the key file is there and the database (opened mode=ro) records a key:
    the usual start, whose full check (own_key_state) may wait until the window shows;
    plain sqlite3 and a stat, without loading cryptography."""
    return path.is_file() and _recorded_public_key(database) is not None


def _recorded_public_key(database: Path) -> str | None:
    """The public key the database records (plain sqlite3, mode=ro), None when it
    records none or cannot be read."""
    import sqlite3

    from .connect import connect

    try:
        connection = connect(database, read_only=True)
        try:
            recorded = connection.execute(
                "SELECT public_key FROM ownkey WHERE retired_at IS NULL "
                "ORDER BY id DESC LIMIT 1").fetchone()
        finally:
            connection.close()
    except sqlite3.Error:
        return None
    return None if recorded is None else recorded[0]


def make_new_key(db: "Database", path: Path, backups_dir: Path | None = None) -> OwnKeyState:
    """Replace the database's key by a new one (its key was lost with its backups).

    The old file, if any, is kept in backups_dir (or beside it) under a dated name;
    the old public key stays on record, retired. The receivers must then enrol the
    new key card by an explicit replacement."""
    from .clock import now_local

    path = Path(path)
    if path.exists():
        keep_in = backups_dir if backups_dir is not None else path.parent
        keep_in.mkdir(parents=True, exist_ok=True)
        kept = keep_in / f"{path.stem}-{now_local():%Y%m%d-%H%M%S}-replaced{KEY_FILE_SUFFIX}"
        os.replace(path, kept)
    key = SigningKey.generate()
    write_key_file(path, key_file_bytes(key))
    _record(db, key)
    log.info("made a new signing key %s for %s", key.fingerprint, db.path.name)
    return OwnKeyState(KEY_CREATED, path, key, key.fingerprint)

