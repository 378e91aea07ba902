"""The keys a review database holds per sender code (spec/bundle-v2.md, Signatures
and keys), and what may change them.

A key is held from the first signed file of a unit (trust on first use: held, but
not confirmed), or enrolled from the unit's key card (confirmed: the supervisor
compared its fingerprint with the unit's signed paper report). A held key is
replaced only by an explicit command naming the new fingerprint, for a unit that
lost its machine and its backups. Every change is a KeyEvent with who and when.

Each function is one write transaction and returns a typed outcome (data; the UI
words it); nothing is changed unless the outcome says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select

from store.bundle.signing import normalise_fingerprint
from store.clock import now_utc
from store.vocab import KeySource
from store.models import KeyEvent, SenderKey, Unit

if TYPE_CHECKING:
    from sqlmodel import Session

    from store.bundle.keycard import KeyCard
    from store.db import Database

# KeyEvent actions besides the sources (vocab.KeySource)
KEY_CONFIRMED = "confirmed"
KEY_DROPPED = "dropped"

# Outcomes
ENROLLED = "enrolled"  # a key is now held (was none)
CONFIRMED = "confirmed"  # the key taken on first use is the card's: now confirmed
ALREADY_HELD = "already_held"  # the same key was held and confirmed: nothing changed
REPLACED = "replaced"
OTHER_KEY_HELD = "other_key_held"  # enrol refuses; --replace is the way
KEY_OF_ANOTHER_SENDER = "key_of_another_sender"  # the key is held for another code
CARD_FOR_OTHER_CODE = "card_for_other_code"
FINGERPRINT_MISMATCH = "fingerprint_mismatch"  # the typed fingerprint is not the card's
BAD_FINGERPRINT = "bad_fingerprint"  # what was typed is not a fingerprint at all
NO_KEY_HELD = "no_key_held"

CHANGED = (ENROLLED, CONFIRMED, REPLACED)


@dataclass(frozen=True)
class HeldKey:
    sender_code: str
    name: str | None  # the unit's name, when the review holds the unit
    fingerprint: str
    source: str  # a store.vocab.KeySource
    pinned_at: dt.datetime
    confirmed: bool
    confirmed_at: dt.datetime | None
    by: str | None

    @property
    def unconfirmed(self) -> bool:
        return self.source == KeySource.FIRST_USE and not self.confirmed


@dataclass(frozen=True)
class KeyOutcome:
    """What an enrol, replace or confirm did. fingerprint: the card's (or the held
    key's for confirm); held: the fingerprint held before, when it matters;
    other: the code the key is held for (KEY_OF_ANOTHER_SENDER) or the card's code
    (CARD_FOR_OTHER_CODE)."""

    outcome: str
    code: str
    fingerprint: str | None = None
    held: str | None = None
    other: str | None = None
    name: str | None = None

    @property
    def changed(self) -> bool:
        return self.outcome in CHANGED


def _held(session: "Session", code: str) -> SenderKey | None:
    return session.execute(select(SenderKey).where(
        SenderKey.sender_code == code)).scalars().first()


def held_keys(session: "Session") -> list[HeldKey]:
    """Every key held, by sender code."""
    rows = session.execute(select(SenderKey, Unit.name).outerjoin(
        Unit, Unit.code == SenderKey.sender_code).order_by(SenderKey.sender_code)).all()
    return [HeldKey(sender_code=key.sender_code, name=name, fingerprint=key.fingerprint,
                    source=key.source, pinned_at=key.pinned_at, confirmed=key.confirmed,
                    confirmed_at=key.confirmed_at, by=key.by) for key, name in rows]


def key_history(session: "Session", code: str) -> list[KeyEvent]:
    """What happened to the keys of one sender, oldest first."""
    return list(session.execute(select(KeyEvent).where(KeyEvent.sender_code == code)
                                .order_by(KeyEvent.at, KeyEvent.id)).scalars())


def _event(session: "Session", code: str, action: str, fingerprint: str, by: str | None,
           at: dt.datetime, previous: str | None = None) -> None:
    session.add(KeyEvent(sender_code=code, at=at, by=by, action=action,
                         fingerprint=fingerprint, previous_fingerprint=previous))


def _holder_of(session: "Session", public_key: str, code: str) -> str | None:
    return session.execute(select(SenderKey.sender_code).where(
        SenderKey.public_key == public_key, SenderKey.sender_code != code)).scalars().first()


def enrol_card(db: "Database", card: "KeyCard", by: str | None) -> KeyOutcome:
    """Hold the card's key for its holder's code, confirmed. A key taken on first use
    that is the card's becomes confirmed; another key held is not replaced here."""
    base = {"code": card.code, "fingerprint": card.fingerprint, "name": card.name}
    with db.write() as session:
        now = now_utc()
        held = _held(session, card.code)
        if held is None:
            other = _holder_of(session, card.public_key_b64, card.code)
            if other is not None:
                return KeyOutcome(KEY_OF_ANOTHER_SENDER, other=other, **base)
            session.add(SenderKey(sender_code=card.code, public_key=card.public_key_b64,
                                  fingerprint=card.fingerprint, pinned_at=now,
                                  source=KeySource.ENROLLED, confirmed=True, confirmed_at=now,
                                  by=by))
            _event(session, card.code, KeySource.ENROLLED, card.fingerprint, by, now)
            return KeyOutcome(ENROLLED, **base)
        if held.public_key != card.public_key_b64:
            return KeyOutcome(OTHER_KEY_HELD, held=held.fingerprint, **base)
        if held.confirmed:
            return KeyOutcome(ALREADY_HELD, **base)
        held.confirmed, held.confirmed_at, held.by = True, now, by
        _event(session, card.code, KEY_CONFIRMED, card.fingerprint, by, now)
        return KeyOutcome(CONFIRMED, **base)


def replace_key(db: "Database", code: str, card: "KeyCard", typed_fingerprint: str,
                by: str | None) -> KeyOutcome:
    """Hold the card's key for `code` in place of the one held, only when the card is
    the unit's and the typed fingerprint is the card's (the supervisor read it off the
    unit's signed paper report)."""
    base = {"code": code, "fingerprint": card.fingerprint, "name": card.name}
    if card.code != code:
        return KeyOutcome(CARD_FOR_OTHER_CODE, other=card.code, **base)
    typed = normalise_fingerprint(typed_fingerprint)
    if not typed:
        return KeyOutcome(BAD_FINGERPRINT, **base)
    if typed != card.fingerprint:
        return KeyOutcome(FINGERPRINT_MISMATCH, held=typed, **base)
    with db.write() as session:
        now = now_utc()
        other = _holder_of(session, card.public_key_b64, code)
        if other is not None:
            return KeyOutcome(KEY_OF_ANOTHER_SENDER, other=other, **base)
        held = _held(session, code)
        if held is None:
            session.add(SenderKey(sender_code=code, public_key=card.public_key_b64,
                                  fingerprint=card.fingerprint, pinned_at=now,
                                  source=KeySource.ENROLLED, confirmed=True, confirmed_at=now,
                                  by=by))
            _event(session, code, KeySource.ENROLLED, card.fingerprint, by, now)
            return KeyOutcome(ENROLLED, **base)
        if held.public_key == card.public_key_b64:
            if held.confirmed:
                return KeyOutcome(ALREADY_HELD, **base)
            held.confirmed, held.confirmed_at, held.by = True, now, by
            _event(session, code, KEY_CONFIRMED, card.fingerprint, by, now)
            return KeyOutcome(CONFIRMED, **base)
        previous = held.fingerprint
        held.public_key, held.fingerprint, held.pinned_at = (card.public_key_b64,
                                                             card.fingerprint, now)
        held.source, held.confirmed, held.confirmed_at, held.by = KeySource.REPLACED, True, now, by
        held.from_bundle_id = None
        _event(session, code, KeySource.REPLACED, card.fingerprint, by, now, previous)
        return KeyOutcome(REPLACED, held=previous, **base)


def confirm_key(db: "Database", code: str, typed_fingerprint: str,
                by: str | None) -> KeyOutcome:
    """Confirm a key taken on first use, by the fingerprint read off the unit's signed
    paper report (no card needed)."""
    typed = normalise_fingerprint(typed_fingerprint)
    if not typed:
        return KeyOutcome(BAD_FINGERPRINT, code=code)
    with db.write() as session:
        held = _held(session, code)
        if held is None:
            return KeyOutcome(NO_KEY_HELD, code=code)
        if typed != held.fingerprint:
            return KeyOutcome(FINGERPRINT_MISMATCH, code=code, fingerprint=held.fingerprint,
                              held=typed)
        if held.confirmed:
            return KeyOutcome(ALREADY_HELD, code=code, fingerprint=held.fingerprint)
        now = now_utc()
        held.confirmed, held.confirmed_at, held.by = True, now, by
        _event(session, code, KEY_CONFIRMED, held.fingerprint, by, now)
        return KeyOutcome(CONFIRMED, code=code, fingerprint=held.fingerprint)


def drop_unconfirmed_key(session: "Session", code: str, by: str | None) -> str | None:
    """Let go of a key taken on first use and never confirmed once no current bundle
    of the unit is signed with it (its bundle was set aside). Returns the dropped
    fingerprint, or None when the key stays."""
    from store.models import ReceivedBundle

    held = _held(session, code)
    if held is None or held.source != KeySource.FIRST_USE or held.confirmed:
        return None
    still_used = session.execute(select(ReceivedBundle.id).where(
        ReceivedBundle.unit_code == code, ReceivedBundle.set_aside_at.is_(None),
        ReceivedBundle.public_key == held.public_key).limit(1)).first()
    if still_used is not None:
        return None
    fingerprint = held.fingerprint
    session.delete(held)
    _event(session, code, KEY_DROPPED, fingerprint, by, now_utc())
    return fingerprint
