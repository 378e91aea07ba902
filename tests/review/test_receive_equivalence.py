"""What a receive stores, compared at the level of queries with what the receiver
before the fast write path (issue 16) stored for the same files: every table's rows,
the verdicts with their warnings and refusals, the search index's own tables and the
planner statistics. The expectation (receive_expectation.json) was written by
`python -m tests.review.receive_fleet` on the commit before the receive was changed;
the comparison is exact, ids included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.review.receive_fleet import (EXPECTATION, database_dump, digest_of,
                                        receive_batches)


@pytest.mark.parametrize(("alone", "processes"), [(True, 2), (False, 1)],
                         ids=["grouped-in-a-pool", "one-by-one"])
def test_a_receive_stores_what_the_old_receiver_stored(tmp_path: Path, alone: bool,
                                                       processes: int) -> None:
    expected = json.loads(EXPECTATION.read_text(encoding="utf-8"))
    records = receive_batches(tmp_path / "files", tmp_path / "review.db", alone=alone,
                              processes=processes)
    dump = database_dump(tmp_path / "review.db")

    assert records == expected["verdicts"]
    found = {table: {"rows": len(rows), "sha256": digest_of(rows)}
             for table, rows in dump.items()}
    # A table added to the schema after the expectation was written (the commune's
    # removal log, schema 6) is no receiver's business: it must stay empty.
    added = {table for table in found.keys() - expected["tables"].keys()
             if table != "sqlite_stat1"}
    assert {table: found[table]["rows"] for table in added} == dict.fromkeys(added, 0)
    differing = sorted(table for table in expected["tables"].keys() | found.keys() - added
                       if expected["tables"].get(table) != found.get(table))
    assert differing == []
    # The fleet meets what it is there for (a fleet that stopped doing so would prove
    # little): every verdict, and the warnings of a chain.
    verdicts = {record["verdict"] for record in records}
    assert verdicts == {"accepted", "already_imported", "conflicting_id", "older_than_held",
                        "refused"}
    warnings = {warning["code"] for record in records for warning in record["warnings"]}
    assert warnings >= {"gap", "fork", "jump", "unsigned", "key_taken_on_first_use"}
