"""The overview's chain warnings (store.review.bundles.chain_warnings_by_unit, found
by SQLite) say what walking each unit's links in order says (_walk, the unit's
detail): the same missing sequences and forks, for chains with gaps, forks, both
and bundles set aside."""

from __future__ import annotations

import random
import sqlite3

from store.review.bundles import ChainWarnings, _Link, _walk, chain_warnings_by_unit


def _fleet(seed: int) -> list[tuple[str, int, str, str | None, str | None]]:
    rows = []
    chooser = random.Random(seed)
    for unit in range(400):
        code, sequence, previous = f"{unit:05d}", 0, None
        for _bundle in range(chooser.randint(1, 6)):
            sequence += chooser.choice((1, 1, 1, 2, 4))  # steps and gaps (a receiver
            # accepts a sequence only above the last it holds)
            digest = f"{code}-{sequence}-{chooser.random()}"
            sent_previous = chooser.choice((previous, previous, None, "another"))
            set_aside = "2026-11-20" if chooser.random() < 0.1 else None
            rows.append((code, sequence, digest, sent_previous, set_aside))
            previous = digest
    return rows


def _walked(rows: list[tuple[str, int, str, str | None, str | None]]) -> dict:
    links: dict[str, list[_Link]] = {}
    for code, sequence, digest, previous, set_aside in sorted(rows, key=lambda r: r[:2]):
        if set_aside is None:
            links.setdefault(code, []).append(_Link(sequence, digest, previous))
    found = {}
    for code, chain in links.items():
        walked = _walk(chain)
        warnings = ChainWarnings(tuple(n for missing, _ in walked for n in missing),
                                 any(forked for _, forked in walked))
        if warnings != ChainWarnings((), False):
            found[code] = warnings
    return found


def test_the_chain_breaks_found_by_sqlite_are_those_of_the_walk() -> None:
    for seed in range(5):
        rows = _fleet(seed)
        connection = sqlite3.connect(":memory:")
        connection.execute("CREATE TABLE receivedbundle (id INTEGER PRIMARY KEY, "
                           "unit_code TEXT, sequence INTEGER, sha256 TEXT, "
                           "previous_sha256 TEXT, set_aside_at TEXT)")
        # Inserted in a shuffled order: the query orders the links itself.
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        connection.executemany("INSERT INTO receivedbundle (unit_code, sequence, sha256, "
                               "previous_sha256, set_aside_at) VALUES (?, ?, ?, ?, ?)",
                               shuffled)
        expected = _walked(rows)
        assert len(expected) > 50  # the fleet does break chains
        assert chain_warnings_by_unit(connection) == expected
