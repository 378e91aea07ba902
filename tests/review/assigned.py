"""The six-unit review database after the supervisor issued assignments to three of
its units (10001-10003): twice, the second time with a corrected score, so a task of
each unit is withdrawn; unit 10001 reports holding the second."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.review import factory

UNITS = (1, 2, 3)
ISSUER = "SNV-87"


def unit_rows_of(index: int) -> list[tuple[Any, ...]]:
    from tests.assign.factory import unit_rows

    unit = factory.unit_of(index)
    return unit_rows(unit["code"], unit["name"], "xã", seed=index)


def corrected(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows with the first leaf that lost points given its full score (and its
    parents made to add up), so its task is withdrawn when issued again."""
    leaf = next(r for r in rows if r[6] is not None and r[6] < r[5] and r[7])
    gained = leaf[5] - leaf[6]
    code = leaf[3]
    parents = {code.rsplit(".", i)[0] for i in range(1, code.count(".") + 1)}
    out = []
    for row in rows:
        if row[3] == code:
            row = (*row[:6], row[5], None)
        elif row[3] in parents:
            row = (*row[:6], round(row[6] + gained, 2), row[7])
        out.append(row)
    return out


def issue_twice(review_db_path: Path, out: Path) -> Any:
    """Issue to units 1-3, then again with a corrected score; the second IssueDone."""
    from store.assign.issue import IssueDone, issue_assignments
    from store.assign.workbook import read_workbook
    from store.review import close_after_receiving, open_review_for_receiving
    from tests.assign.conftest import SENDER, issue_options
    from tests.assign.factory import signer, workbook_bytes

    first = [row for i in UNITS for row in unit_rows_of(i)]
    second = [row for i in UNITS for row in corrected(unit_rows_of(i))]
    out.mkdir(parents=True, exist_ok=True)
    db = open_review_for_receiving(review_db_path)
    try:
        done = None
        for n, rows in enumerate((first, second), start=1):
            read = read_workbook(workbook_bytes(rows))
            assert read.ok, read.errors
            done = issue_assignments(db, read, issue_options(), out / str(n),
                                     generator="cchc test", sender=SENDER, sign=signer())
            assert isinstance(done, IssueDone), done
    finally:
        close_after_receiving(db)
    return done


def report_holding(review_db_path: Path, index: int, done: Any) -> None:
    """The unit's newest bundle says it holds the issue `done` made for it."""
    from store.connect import connect

    code = factory.unit_code(index)
    unit = next(u for u in done.preview.units if u.unit_code == code)
    held = [{"issuer": ISSUER, "sequence": unit.sequence, "sha256": unit.sha256}]
    connection = connect(review_db_path)
    try:
        connection.execute(
            "UPDATE receivedbundle SET assignments_held = ? WHERE id = (SELECT id FROM "
            "receivedbundle WHERE unit_code = ? ORDER BY sequence DESC LIMIT 1)",
            (json.dumps(held), code))
        connection.commit()
    finally:
        connection.close()
