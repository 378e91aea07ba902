"""A database with a large number of tasks for the demo commune, made in seconds
with executemany (benchmarks and the large-list tests use it)."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import uuid
from pathlib import Path

WORDS = ("Rà soát", "Cập nhật", "Khắc phục", "Bổ sung", "Hướng dẫn", "Nâng cao", "Số hóa",
         "Công khai", "Tuyên truyền", "Đăng tải", "Kiểm tra", "Chấn chỉnh")
OBJECTS = ("hồ sơ trễ hạn", "thủ tục hành chính", "tin bài CCHC", "văn bản QPPL",
           "phần mềm một cửa", "chữ ký số", "quy chế chi tiêu nội bộ", "máy tính",
           "dịch vụ công trực tuyến", "phiếu xin lỗi", "kết quả giải quyết TTHC")


def make_big_database(path: Path, tasks: int, seed: int = 7) -> None:
    """The demo commune plus `tasks` generated tasks in its assessment."""
    from store.demo import OWNERS, seed_demo
    from store.derive import leaf_points_at_stake, task_search_key
    from store.text import fold

    seed_demo(path)
    rng = random.Random(seed)
    connection = sqlite3.connect(path)
    try:
        assessment_id = connection.execute("SELECT id FROM assessment").fetchone()[0]
        criteria = connection.execute(
            "SELECT id, code, title, finding, max_points, score FROM criterion "
            "WHERE code LIKE '%.%'").fetchall()
        today = dt.date(2026, 11, 21)
        now = "2026-11-01 02:00:00.000000"
        rows, links = [], []
        first_id = connection.execute("SELECT coalesce(max(id), 0) FROM task").fetchone()[0] + 1
        for n in range(tasks):
            cited = rng.sample(criteria, rng.choice((1, 1, 1, 2)))
            owner = rng.choice(OWNERS)
            title = f"{rng.choice(WORDS)} {rng.choice(OBJECTS)} (đợt {n})"
            detail = f"{rng.choice(WORDS)} {rng.choice(OBJECTS)} theo kế hoạch"
            status = rng.choice(("todo", "todo", "in_progress", "in_progress", "done", "cancelled"))
            progress = 100 if status == "done" else rng.randrange(0, 100, 5)
            due = today + dt.timedelta(days=rng.randint(-120, 240))
            done_on = (due - dt.timedelta(days=2)).isoformat() if status == "done" else None
            rows.append((first_id + n, str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                         assessment_id, title, detail, owner, due.isoformat(), status, progress,
                         None, done_on, now,
                         task_search_key(title, detail, owner, None,
                                         [(c[1], c[2], c[3]) for c in cited]),
                         fold(owner),
                         leaf_points_at_stake((c[1], c[4], c[5]) for c in cited)))
            links.extend((first_id + n, c[0]) for c in cited)
        with connection:
            connection.executemany(
                "INSERT INTO task (id, uid, assessment_id, title, detail, owner, due, status, "
                "progress, result, done_on, updated_at, search_key, owner_key, points_at_stake) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            connection.executemany(
                "INSERT INTO taskcriterion (task_id, criterion_id) VALUES (?, ?)", links)
        connection.execute("ANALYZE")
    finally:
        connection.close()
