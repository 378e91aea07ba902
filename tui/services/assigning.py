"""Issuing assignments with the review's own key, for the command line and the review
app's assignment screen alike (no Textual): the review database opened writable for
the one step and closed after, the key made at its first use, a dry run writing
nothing (not even a review database that does not exist yet)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui import __version__

GENERATOR = f"cchc {__version__}"


@dataclass(frozen=True)
class IssueOutcome:
    """What issuing gave (store.assign.issue.IssueResult), or None when the review's
    key cannot sign (key_notice says why); key_notice also tells of a key just made."""

    result: Any
    key_notice: str | None
    fingerprint: str | None


def officer_sender(config: Any) -> dict[str, str]:
    """The officer of the settings, as an assignment's sender."""
    officer = config.officer
    return {"name": officer.name, "position": officer.position, "phone": officer.phone,
            "email": officer.email}


def issue_with_review_key(locations: Any, out: Path, sender: dict[str, Any], *,
                          source: tuple[Any, Any] | None, dry_run: bool) -> IssueOutcome:
    """source: (WorkbookRead, IssueOptions), or None to send the notes waiting alone."""
    from store.assign.issue import issue_assignments, issue_notes_only
    from store.bundle.signing import SigningKey, signature_member
    from store.keys import key_path_for, own_key_state
    from store.review import close_after_receiving, open_review_for_receiving
    from tui.words.keys import own_key_notice

    with tempfile.TemporaryDirectory() as scratch:
        review_path = locations.review_db_path
        if dry_run and not review_path.exists():
            review_path = Path(scratch) / "review.db"
        db = open_review_for_receiving(review_path, locations.backups_dir)
        try:
            # A dry run signs nothing it keeps: without a key it checks its files with
            # a key of the moment, and makes none.
            state = own_key_state(db, key_path_for(review_path), create=not dry_run)
            notice = own_key_notice(state, review=True)
            key = state.key if state.ok else (SigningKey.generate() if dry_run else None)
            if key is None:
                return IssueOutcome(None, notice, None)
            common = dict(generator=GENERATOR, sender=sender, dry_run=dry_run,
                          sign=lambda canonical: signature_member(key, canonical))
            if source is None:
                result = issue_notes_only(db, out, **common)
            else:
                read, options = source
                result = issue_assignments(db, read, options, out, **common)
        finally:
            close_after_receiving(db)
    return IssueOutcome(result, notice, key.fingerprint)
