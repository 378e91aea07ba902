"""Progress bundle: export and receive times.

Targets (shared/guide/quality.md): export of one commune under 50 ms in process;
3,321 unit bundles received under 30 s on 2 cores. Also shown: a 5,000-task unit,
and one typical bundle received, split into the parse (runs in worker processes)
and the store (the single writer).
Run: python tests/bench/bench_bundle.py
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from store.bundle.digest import bundle_digest, canonical_bytes  # noqa: E402
from store.bundle.export import export_bundle  # noqa: E402
from store.bundle.signing import SigningKey, signature_member  # noqa: E402
from store.bundle.receive import parse_for_receive, receive_bundle, store_received  # noqa: E402
from store.demo import DEMO_OFFICER, DEMO_UNIT, demo_assessment, seed_demo  # noqa: E402
from store.migrations import open_database  # noqa: E402
from store.snapshot import replace_unit_snapshot  # noqa: E402

EXPORT_TARGET_MS = 50.0
PROVINCE_UNITS = 3321
PROVINCE_TARGET_S = 30.0
SAMPLE_UNITS = 400


def timed(action, runs: int) -> list[float]:  # noqa: ANN001
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def line(label: str, times: list[float], target: float | None = None) -> None:
    median = statistics.median(times)
    ratio = f"   {median / target:4.2f}x of the {target:.0f} ms target" if target else ""
    print(f"{label:<44} median {median:8.1f} ms  best {min(times):8.1f} ms{ratio}")


def large_assessment(tasks: int) -> dict:
    assessment = demo_assessment()
    template = assessment["tasks"]
    codes = [c["code"] for c in assessment["criteria"]]
    assessment["tasks"] = []
    for n in range(tasks):
        task = copy.deepcopy(template[n % len(template)])
        task["id"] = str(uuid.uuid4())
        task["criteria"] = [codes[n % len(codes)]]
        task["title"] = f"{task['title']} ({n + 1})"
        for evidence in task["evidence"]:
            evidence["id"] = str(uuid.uuid4())
        assessment["tasks"].append(task)
    return assessment


def unit_bundle(base: dict, index: int) -> bytes:
    document = copy.deepcopy(base)
    document["unit"]["code"] = f"{index:05d}"
    document["bundle_id"] = str(uuid.uuid4())
    for assessment in document["assessments"]:
        for task in assessment["tasks"]:
            task["id"] = str(uuid.uuid4())
            for evidence in task["evidence"]:
                evidence["id"] = str(uuid.uuid4())
    document["integrity"] = {"sha256": bundle_digest(document)}
    # each unit signs with its own key, as its app does
    key = SigningKey.from_seed(hashlib.sha256(f"bench unit {index}".encode()).digest())
    document["signature"] = signature_member(key, canonical_bytes(document))
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        out = root / "out"
        out.mkdir()

        seed_demo(root / "demo.db")
        demo = open_database(root / "demo.db")
        key = SigningKey.generate()
        export = lambda db: export_bundle(db, unit=DEMO_UNIT, officer=DEMO_OFFICER,  # noqa: E731
                                          target_dir=out, generator="cchc bench", key=key)
        line("export, demo commune (49 criteria, 20 tasks)", timed(lambda: export(demo), 30),
             EXPORT_TARGET_MS)
        typical = export(demo).path.read_bytes()
        demo.dispose()

        big = open_database(root / "big.db")
        with big.write() as session:
            replace_unit_snapshot(session, DEMO_UNIT, [large_assessment(5000)])
        size = len(export(big).path.read_bytes())
        line(f"export, 5,000-task unit ({size / 1e6:.1f} MB)", timed(lambda: export(big), 5))
        big.dispose()

        review = open_database(root / "review.db")
        base = json.loads(typical)
        samples = [unit_bundle(base, i) for i in range(SAMPLE_UNITS)]
        cpu = time.process_time()
        parse_times = timed(lambda: parse_for_receive(typical), 50)
        parse_cpu = (time.process_time() - cpu) / 50 * 1000
        line("receive one typical bundle: parse", parse_times)
        prepared = iter([parse_for_receive(data) for data in samples[:50]])
        cpu = time.process_time()
        store_times = timed(lambda: store_received(review, next(prepared), "bench.json"), 50)
        store_cpu = (time.process_time() - cpu) / 50 * 1000
        line("receive one typical bundle: store", store_times)
        rest = iter(samples[50:100])
        line("receive one typical bundle: parse + store", timed(
            lambda: receive_bundle(review, next(rest), "bench.json"), 50))
        floor = (parse_cpu + store_cpu) / 2 * PROVINCE_UNITS / 1000
        print(f"{'  CPU per unit: parse + store':<44} {parse_cpu:.1f} + {store_cpu:.1f} ms: at "
              f"least {floor:.1f} s for 3,321 units on 2 idle cores")

        start = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as pool:
            for ready in pool.map(parse_for_receive, samples[100:], chunksize=8):
                assert store_received(review, ready, "bench.json").accepted
        per_unit = (time.perf_counter() - start) / (SAMPLE_UNITS - 100)
        province = per_unit * PROVINCE_UNITS
        print(f"{'receive 3,321 units (2-process pool + writer)':<44} "
              f"{province:8.1f} s projected from {SAMPLE_UNITS - 100} "
              f"({per_unit * 1000:.1f} ms/unit)   {province / PROVINCE_TARGET_S:4.2f}x of the "
              f"{PROVINCE_TARGET_S:.0f} s target")
        review.dispose()
    print(f"(load average while measuring: {os.getloadavg()[0]:.2f} on {os.cpu_count()} "
          "cores; other work on the machine stretches the wall-clock figures)")


if __name__ == "__main__":
    main()
