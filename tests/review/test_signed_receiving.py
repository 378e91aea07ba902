"""Receiving signed bundles: every row of the receiver's table in bundle-v2.md (per
sender code, a key held or not), the sequence jump, enrolment and replacement of
keys, and setting aside a wrong acceptance, down to the forged-file story of issue 12."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from store.bundle.receive import MAX_SEQUENCE_STEP, receive_bundle
from store.bundle.signing import SigningKey
from store.migrations import open_database
from store.models import Assessment, KeyEvent, ReceivedBundle, SenderKey, Task, Unit
from store.review import senders
from store.review.set_aside import (ALREADY_SET_ASIDE, AMBIGUOUS, NOT_FOUND, SET_ASIDE,
                                    UNREADABLE_FILE, set_aside)
from store.snapshot import read_unit_snapshot
from tests.bundle.factory import database_bytes
from tests.conftest import FIXED_TODAY
from tests.review import factory

FORGER = SigningKey.from_seed(b"f" * 32)
CODE = factory.unit_code(1)


@pytest.fixture
def review_db(tmp_path: Path):  # noqa: ANN201
    db = open_database(tmp_path / "review.db", journal_mode="DELETE")
    yield db
    db.dispose()


def _receive(db, bundle: dict, name: str = "bundle.json"):  # noqa: ANN001, ANN202
    return receive_bundle(db, json.dumps(bundle, ensure_ascii=False).encode(), name)


def _chain(n: int, index: int = 1, key: SigningKey | None = None) -> list[dict]:
    """Bundles 1..n of a unit, each following the one before, signed."""
    first = factory.signed(factory.bundle_of(index, FIXED_TODAY - dt.timedelta(days=n)), key)
    chain = [first]
    for _ in range(n - 1):
        chain.append(factory.signed(factory.progressed(chain[-1], FIXED_TODAY), key))
    return chain


def _held(db, code: str = CODE) -> SenderKey | None:  # noqa: ANN001
    with db.read() as session:
        return session.execute(select(SenderKey).where(
            SenderKey.sender_code == code)).scalars().first()


def _events(db, code: str = CODE) -> list[tuple[str, str | None]]:  # noqa: ANN001
    with db.read() as session:
        return [(e.action, e.by) for e in session.execute(select(KeyEvent).where(
            KeyEvent.sender_code == code).order_by(KeyEvent.id)).scalars()]


def _current_sequence(db, code: str = CODE) -> int | None:  # noqa: ANN001
    from store.bundle.receive import current_bundle

    with db.read() as session:
        current = current_bundle(session, code)
    return None if current is None else current.sequence


def _snapshot(db, code: str = CODE) -> dict:  # noqa: ANN001
    with db.read() as session:
        unit_id = session.execute(select(Unit.id).where(Unit.code == code)).scalar_one()
        return read_unit_snapshot(session, unit_id)


def _card(key: SigningKey, code: str = CODE):  # noqa: ANN202
    from store.bundle.keycard import make_key_card, read_key_card

    card = make_key_card(key, code=code, name="Phường 2",
                         created_at="2026-11-01T08:00:00+07:00")
    return read_key_card(json.dumps(card).encode()).card


# -- the receiver's table -------------------------------------------------------------------

def test_a_signature_that_does_not_verify_is_refused_as_forged_and_stores_nothing(
        review_db) -> None:  # noqa: ANN001
    first = _chain(1)[0]
    _receive(review_db, first)
    before = database_bytes(review_db.path)
    forged = factory.signed(factory.progressed(first, FIXED_TODAY))
    forged["assessments"][0]["tasks"][0]["status"] = "cancelled"
    forged["assessments"][0]["tasks"][0].update(progress=0, done_on=None)
    forged["integrity"] = {"sha256": factory.digest(forged)}  # digest redone, signature not
    result = _receive(review_db, forged)
    assert (result.verdict, result.refusal.code) == ("refused", "forged")
    assert database_bytes(review_db.path) == before


def test_no_key_held_and_a_signed_file_is_accepted_and_its_key_kept_with_a_warning(
        review_db) -> None:  # noqa: ANN001
    bundle = _chain(1)[0]
    result = _receive(review_db, bundle)
    key = factory.unit_key(1)
    assert result.verdict == "accepted" and result.fingerprint == key.fingerprint
    assert [(w.code, w.details) for w in result.warnings] == [
        ("key_taken_on_first_use", {"fingerprint": key.fingerprint})]
    held = _held(review_db)
    assert (held.public_key, held.source, held.confirmed) == (
        key.public_key_b64, "first_use", False)
    assert held.from_bundle_id == result.received_id
    assert _events(review_db) == [("first_use", None)]
    with review_db.read() as session:
        record = session.get(ReceivedBundle, result.received_id)
    assert (record.version, record.public_key, record.key_fingerprint) == (
        2, key.public_key_b64, key.fingerprint)
    assert json.loads(record.assignments_held) == []


def test_no_key_held_and_an_unsigned_file_is_accepted_with_the_warning_unsigned(
        review_db) -> None:  # noqa: ANN001
    result = _receive(review_db, factory.bundle_of(1, FIXED_TODAY))
    assert result.verdict == "accepted" and [w.code for w in result.warnings] == ["unsigned"]
    assert _held(review_db) is None


def test_key_held_and_signed_with_it_the_version_1_verdicts_apply(review_db) -> None:  # noqa: ANN001
    first, second, third = _chain(3)
    assert _receive(review_db, first).accepted
    assert _receive(review_db, first).verdict == "already_imported"
    later = _receive(review_db, third)
    assert later.verdict == "accepted"
    assert [(w.code, w.details) for w in later.warnings] == [("gap", {"first": 2, "last": 2})]
    assert _receive(review_db, second).verdict == "older_than_held"
    conflicting = factory.signed({**first, "generator": "other"})
    assert _receive(review_db, conflicting).verdict == "conflicting_id"
    fork = factory.signed(factory.progressed(third, FIXED_TODAY))
    fork["previous_sha256"] = "e" * 64
    fork = factory.signed(fork)
    forked = _receive(review_db, fork)
    assert forked.accepted and [w.code for w in forked.warnings] == ["fork"]


def test_key_held_and_signed_with_another_key_is_refused_with_both_fingerprints(
        review_db) -> None:  # noqa: ANN001
    first = _chain(1)[0]
    _receive(review_db, first)
    before = database_bytes(review_db.path)
    other = factory.signed(factory.progressed(first, FIXED_TODAY), FORGER)
    result = _receive(review_db, other)
    assert (result.verdict, result.refusal.code) == ("refused", "other_key")
    assert result.refusal.details == {"code": CODE, "held": factory.unit_key(1).fingerprint,
                                      "found": FORGER.fingerprint}
    assert database_bytes(review_db.path) == before


def test_key_held_and_an_unsigned_file_is_refused(review_db) -> None:  # noqa: ANN001
    first = _chain(1)[0]
    _receive(review_db, first)
    before = database_bytes(review_db.path)
    unsigned = factory.progressed(factory.bundle_of(1, FIXED_TODAY - dt.timedelta(days=1)),
                                  FIXED_TODAY)
    result = _receive(review_db, unsigned)
    assert (result.verdict, result.refusal.code) == ("refused", "unsigned_with_key_held")
    assert result.refusal.details["held"] == factory.unit_key(1).fingerprint
    assert database_bytes(review_db.path) == before


def test_a_key_held_for_another_unit_does_not_speak_for_this_one(review_db) -> None:  # noqa: ANN001
    _receive(review_db, _chain(1, index=1)[0])
    before = database_bytes(review_db.path)
    impostor = factory.signed(factory.bundle_of(2, FIXED_TODAY), factory.unit_key(1))
    result = _receive(review_db, impostor)
    assert result.refusal.code == "key_of_another_sender"
    assert result.refusal.details["other"] == CODE
    assert database_bytes(review_db.path) == before


def test_an_identical_file_already_held_stays_already_imported_even_unsigned(
        review_db) -> None:  # noqa: ANN001
    """Receiving a unit's whole folder again (its format 1 files, then signed ones)
    stays quiet: nothing of it is new."""
    old = factory.bundle_of(1, FIXED_TODAY - dt.timedelta(days=9))
    assert _receive(review_db, old).accepted
    assert _receive(review_db, factory.signed(factory.progressed(old, FIXED_TODAY))).accepted
    assert _receive(review_db, old).verdict == "already_imported"


@pytest.mark.parametrize("step, warned", [(MAX_SEQUENCE_STEP, "gap"),
                                          (MAX_SEQUENCE_STEP + 1, "jump")])
def test_a_sequence_more_than_100_above_is_accepted_with_a_warning_naming_the_jump(
        review_db, step: int, warned: str) -> None:  # noqa: ANN001
    first = _chain(1)[0]
    _receive(review_db, first)
    far = factory.signed(factory.progressed(first, FIXED_TODAY, sequence=1 + step))
    result = _receive(review_db, far)
    assert result.accepted and [w.code for w in result.warnings] == [warned]
    if warned == "jump":
        assert result.warnings[0].details == {"held": 1, "received": 1 + step, "jump": step}


def test_a_first_file_with_a_huge_sequence_is_flagged_too(review_db) -> None:  # noqa: ANN001
    forged = factory.signed(factory.bundle_of(1, FIXED_TODAY, sequence=2**53 - 1), FORGER)
    result = _receive(review_db, forged)
    assert result.accepted
    assert [w.code for w in result.warnings] == ["key_taken_on_first_use", "jump"]


# -- enrolment, confirmation, replacement ---------------------------------------------------

def test_a_card_enrolled_before_the_first_file_makes_it_arrive_without_warning(
        review_db) -> None:  # noqa: ANN001
    outcome = senders.enrol_card(review_db, _card(factory.unit_key(1)), "Trần Văn An")
    assert outcome.outcome == senders.ENROLLED and outcome.changed
    result = _receive(review_db, _chain(1)[0])
    assert result.accepted and result.warnings == ()
    held = _held(review_db)
    assert (held.source, held.confirmed, held.by) == ("enrolled", True, "Trần Văn An")
    assert senders.enrol_card(review_db, _card(factory.unit_key(1)), "x").outcome == \
        senders.ALREADY_HELD
    forged = factory.signed(factory.bundle_of(1, FIXED_TODAY, sequence=9), FORGER)
    assert _receive(review_db, forged).refusal.code == "other_key"


def test_enrolling_the_card_of_a_key_taken_on_first_use_confirms_it(review_db) -> None:  # noqa: ANN001
    _receive(review_db, _chain(1)[0])
    outcome = senders.enrol_card(review_db, _card(factory.unit_key(1)), "An")
    assert outcome.outcome == senders.CONFIRMED
    assert (_held(review_db).confirmed, _held(review_db).source) == (True, "first_use")
    assert _events(review_db) == [("first_use", None), ("confirmed", "An")]


def test_enrol_never_replaces_a_held_key(review_db) -> None:  # noqa: ANN001
    _receive(review_db, _chain(1)[0])
    before = database_bytes(review_db.path)
    outcome = senders.enrol_card(review_db, _card(FORGER), "An")
    assert (outcome.outcome, outcome.held) == (senders.OTHER_KEY_HELD,
                                               factory.unit_key(1).fingerprint)
    assert database_bytes(review_db.path) == before


def test_a_card_of_a_key_held_for_another_code_is_not_enrolled(review_db) -> None:  # noqa: ANN001
    senders.enrol_card(review_db, _card(factory.unit_key(1)), "An")
    outcome = senders.enrol_card(review_db, _card(factory.unit_key(1), "30999"), "An")
    assert (outcome.outcome, outcome.other) == (senders.KEY_OF_ANOTHER_SENDER, CODE)


def test_confirming_by_the_fingerprint_of_the_paper_report(review_db) -> None:  # noqa: ANN001
    _receive(review_db, _chain(1)[0])
    shown = factory.unit_key(1).fingerprint
    assert senders.confirm_key(review_db, CODE, "0000 " * 4 + "0000", "An").outcome == \
        senders.FINGERPRINT_MISMATCH
    assert senders.confirm_key(review_db, CODE, "3f2a", "An").outcome == senders.BAD_FINGERPRINT
    assert senders.confirm_key(review_db, "30999", shown, "An").outcome == senders.NO_KEY_HELD
    assert not _held(review_db).confirmed
    outcome = senders.confirm_key(review_db, CODE, shown.upper().replace(" ", ""), "An")
    assert outcome.outcome == senders.CONFIRMED and _held(review_db).confirmed


def test_a_held_key_is_replaced_only_with_the_new_fingerprint_confirmed(review_db) -> None:  # noqa: ANN001
    new_key = SigningKey.from_seed(b"n" * 32)
    first, second = _chain(2)
    _receive(review_db, first)
    card = _card(new_key)
    before = database_bytes(review_db.path)
    for code, typed, outcome in (
            ("30999", new_key.fingerprint, senders.CARD_FOR_OTHER_CODE),
            (CODE, factory.unit_key(1).fingerprint, senders.FINGERPRINT_MISMATCH),
            (CODE, "not a fingerprint", senders.BAD_FINGERPRINT)):
        assert senders.replace_key(review_db, code, card, typed, "An").outcome == outcome
    assert database_bytes(review_db.path) == before
    done = senders.replace_key(review_db, CODE, card, new_key.fingerprint, "Trần Văn An")
    assert (done.outcome, done.held, done.fingerprint) == (
        senders.REPLACED, factory.unit_key(1).fingerprint, new_key.fingerprint)
    held = _held(review_db)
    assert (held.fingerprint, held.source, held.by, held.pinned_at) == (
        new_key.fingerprint, "replaced", "Trần Văn An",
        dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.timezone.utc))
    with review_db.read() as session:
        event = session.execute(select(KeyEvent).where(
            KeyEvent.action == "replaced")).scalars().one()
    assert (event.by, event.previous_fingerprint, event.fingerprint) == (
        "Trần Văn An", factory.unit_key(1).fingerprint, new_key.fingerprint)
    assert _receive(review_db, second).refusal.code == "other_key"  # the old key is out
    assert _receive(review_db, factory.signed(factory.progressed(first, FIXED_TODAY),
                                              new_key)).accepted


# -- set aside ------------------------------------------------------------------------------

def test_setting_aside_the_current_bundle_makes_the_previous_one_current_again(
        review_db) -> None:  # noqa: ANN001
    first, second = _chain(2)
    _receive(review_db, first)
    expected = _snapshot(review_db)
    _receive(review_db, second)
    assert _snapshot(review_db) != expected
    result = set_aside(review_db, second["bundle_id"], "Trần Văn An")
    assert (result.outcome, result.sequence, result.current_sequence, result.was_current) == (
        SET_ASIDE, 2, 1, True)
    assert _snapshot(review_db) == expected
    with review_db.read() as session:
        record = session.execute(select(ReceivedBundle).where(
            ReceivedBundle.bundle_id == second["bundle_id"])).scalars().one()
    assert record.set_aside_by == "Trần Văn An" and record.set_aside_at is not None
    again = _receive(review_db, second)
    assert (again.verdict, again.set_aside) == ("already_imported", True)
    assert set_aside(review_db, second["bundle_id"], "x").outcome == ALREADY_SET_ASIDE
    assert _held(review_db) is not None  # bundle 1 is still signed with the key


def test_setting_aside_an_older_bundle_keeps_the_current_one(review_db) -> None:  # noqa: ANN001
    first, second = _chain(2)
    _receive(review_db, first)
    _receive(review_db, second)
    current = _snapshot(review_db)
    result = set_aside(review_db, first["bundle_id"][:8], None)
    assert (result.outcome, result.was_current, result.current_sequence) == (SET_ASIDE, False, 2)
    assert _snapshot(review_db) == current


def test_references_that_name_no_bundle_or_several(review_db, tmp_path: Path) -> None:  # noqa: ANN001
    _receive(review_db, _chain(1)[0])
    assert set_aside(review_db, "0123abcd-0000-4000-8000-000000000000", None).outcome == \
        NOT_FOUND
    assert set_aside(review_db, "abc", None).outcome == NOT_FOUND  # too short for a prefix
    junk = tmp_path / "junk.json"
    junk.write_text("[1, 2]")
    assert set_aside(review_db, str(junk), None).outcome == UNREADABLE_FILE
    twins = []
    for index, last in ((2, "1"), (3, "2")):
        bundle = factory.bundle_of(index, FIXED_TODAY)
        bundle["bundle_id"] = f"abcdef01-0000-4000-8000-00000000000{last}"
        bundle["integrity"] = {"sha256": factory.digest(bundle)}
        assert _receive(review_db, bundle).accepted
        twins.append(bundle["bundle_id"])
    before = database_bytes(review_db.path)
    result = set_aside(review_db, "ABCDEF01", None)
    assert (result.outcome, result.matches) == (AMBIGUOUS, tuple(twins))
    assert database_bytes(review_db.path) == before
    written = tmp_path / "twin.json"
    written.write_text(json.dumps({"bundle_id": twins[1]}))
    assert set_aside(review_db, str(written), None).unit_code == factory.unit_code(3)


def test_the_forged_file_story_when_it_came_first(review_db) -> None:  # noqa: ANN001
    """Issue 12: a file in unit 30316's name with sequence 2^53 - 1, every task done and
    score 100, arrives before any genuine file. It is accepted (its key taken on first
    use, the jump named); the genuine files are then refused. Set aside, it stays on
    record, its key is let go, and the genuine unit's files are received."""
    genuine = _chain(2)
    forged = factory.signed(factory.bundle_of(1, FIXED_TODAY, sequence=2**53 - 1), FORGER)
    for task in forged["assessments"][0]["tasks"]:
        task.update(status="done", progress=100, done_on=FIXED_TODAY.isoformat())
    forged["assessments"][0]["score"] = 100.0
    forged = factory.signed(forged, FORGER)
    assert _receive(review_db, forged).accepted
    assert _receive(review_db, genuine[0]).refusal.code == "other_key"
    result = set_aside(review_db, forged["bundle_id"], "An")
    assert (result.current_sequence, result.key_dropped) == (None, FORGER.fingerprint)
    with review_db.read() as session:
        assert session.execute(select(Assessment.id)).first() is None  # nothing current
        assert session.execute(select(Unit.code)).scalars().all() == [CODE]
    assert _held(review_db) is None
    assert [a for a, _by in _events(review_db)] == ["first_use", "dropped"]
    first = _receive(review_db, genuine[0])
    assert first.accepted and first.warnings[0].code == "key_taken_on_first_use"
    assert _receive(review_db, genuine[1]).accepted
    assert _held(review_db).fingerprint == factory.unit_key(1).fingerprint
    assert _snapshot(review_db)["assessments"][0]["score"] != 100.0
    assert _receive(review_db, forged).verdict == "already_imported"  # and changes nothing


def test_the_forged_file_story_once_the_key_is_held(review_db) -> None:  # noqa: ANN001
    genuine = _chain(2)
    _receive(review_db, genuine[0])
    before = database_bytes(review_db.path)
    for key in (FORGER, None):
        forged = factory.bundle_of(1, FIXED_TODAY, sequence=2**53 - 1)
        document = forged if key is None else factory.signed(forged, key)
        result = _receive(review_db, document)
        assert result.verdict == "refused"
        assert result.refusal.code == ("unsigned_with_key_held" if key is None else "other_key")
    assert database_bytes(review_db.path) == before
    assert _receive(review_db, genuine[1]).accepted


def test_an_unsigned_forgery_after_unsigned_genuine_files_is_set_aside_and_the_next_accepted(
        review_db) -> None:  # noqa: ANN001
    """Before the unit signs: the forged file makes genuine files "older"; once it is
    set aside, the next genuine file is accepted against the genuine current one."""
    first = factory.bundle_of(1, FIXED_TODAY - dt.timedelta(days=3))
    second = factory.progressed(first, FIXED_TODAY)
    _receive(review_db, first)
    forged = factory.bundle_of(1, FIXED_TODAY, sequence=2**53 - 1)
    jumped = _receive(review_db, forged)
    assert jumped.accepted and "jump" in [w.code for w in jumped.warnings]
    assert _receive(review_db, second).verdict == "older_than_held"
    assert set_aside(review_db, forged["bundle_id"], "An").current_sequence == 1
    result = _receive(review_db, second)
    assert result.accepted and [w.code for w in result.warnings] == ["unsigned"]
    assert _current_sequence(review_db) == 2


def test_an_enrolled_key_stays_when_its_bundle_is_set_aside(review_db) -> None:  # noqa: ANN001
    senders.enrol_card(review_db, _card(factory.unit_key(1)), "An")
    first = _chain(1)[0]
    _receive(review_db, first)
    assert set_aside(review_db, first["bundle_id"], "An").key_dropped is None
    assert _held(review_db).confirmed


def test_the_overview_marks_a_key_taken_on_first_use_until_it_is_confirmed(
        review_db) -> None:  # noqa: ANN001
    import sqlite3

    from store.review.overview import unit_overview

    _receive(review_db, _chain(1, index=1)[0])
    _receive(review_db, _chain(1, index=2)[0])
    _receive(review_db, factory.bundle_of(3, FIXED_TODAY))
    senders.confirm_key(review_db, factory.unit_code(2), factory.unit_key(2).fingerprint, "An")
    connection = sqlite3.connect(review_db.path)
    try:
        rows = {row.code: row for row in unit_overview(connection, FIXED_TODAY)}
    finally:
        connection.close()
    first, second, third = (rows[factory.unit_code(i)] for i in (1, 2, 3))
    assert "key_unconfirmed" in first.warnings and first.key_unconfirmed
    assert first.key_fingerprint == factory.unit_key(1).fingerprint and first.current_signed
    assert first.key_pinned_at == dt.datetime(2026, 11, 21, 2, 0, tzinfo=dt.timezone.utc)
    assert "key_unconfirmed" not in second.warnings and second.key_confirmed
    assert third.key_fingerprint is None and not third.current_signed
    assert "key_unconfirmed" not in third.warnings


def test_set_aside_bundles_leave_the_chain_and_the_overview(review_db) -> None:  # noqa: ANN001
    import sqlite3

    from store.review.bundles import received_bundles
    from store.review.overview import unit_overview

    first = _chain(1)[0]
    _receive(review_db, first)
    forged = factory.signed(factory.progressed(first, FIXED_TODAY, sequence=500))
    _receive(review_db, forged)
    set_aside(review_db, forged["bundle_id"], "An")
    connection = sqlite3.connect(review_db.path)
    try:
        [row] = unit_overview(connection, FIXED_TODAY)
    finally:
        connection.close()
    assert (row.last_sequence, row.missing_sequences, row.bundles_received) == (1, (), 1)
    with review_db.read() as session:
        rows = received_bundles(session, CODE)
        tasks = session.execute(select(Task.uid)).scalars().all()
    assert [(r.sequence, r.set_aside_by is not None) for r in rows] == [(500, True), (1, False)]
    assert rows[0].missing_before == () and rows[1].key_fingerprint is not None
    assert sorted(tasks) == sorted(t["id"] for t in first["assessments"][0]["tasks"])
