"""Valid bundles to start from, and the means to change them and seal them again."""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import subprocess
from pathlib import Path
from typing import Any

from store.bundle.digest import bundle_digest, canonical_bytes
from store.bundle.signing import SigningKey, signature_member

REPO_ROOT = Path(__file__).resolve().parents[2]


EXAMPLES_DIR = REPO_ROOT / "tests" / "examples"


@functools.cache
def shared_dir() -> Path | None:
    """The product brief, `shared/`, beside the repository, or None when it is not there.

    The suite stands alone: only comparisons with the spec's own files use it, and they
    skip without it. In a git worktree the checkout is elsewhere; then it is found beside
    the main repository, whose .git folder git names as the common dir.
    """
    candidates = [REPO_ROOT.parent / "shared"]
    try:
        common = subprocess.run(["git", "rev-parse", "--git-common-dir"], cwd=REPO_ROOT,
                                capture_output=True, text=True, check=True).stdout.strip()
        candidates.append((REPO_ROOT / common).resolve().parent.parent / "shared")
    except (OSError, subprocess.CalledProcessError):
        pass
    for candidate in candidates:
        if (candidate / "spec" / "examples").is_dir():
            return candidate
    return None


def example_paths() -> list[Path]:
    """The project's own format 1 example bundles (tests/examples/v1): the base of the
    tests of the version 1 rules, which a version 2 reader still applies to them."""
    return sorted((EXAMPLES_DIR / "v1").glob("*.json"))


def v2_example_paths() -> list[Path]:
    """The project's own signed format 2 bundles (tests/examples/v2, made by
    make_examples.py), without the key cards beside them."""
    return sorted(p for p in (EXAMPLES_DIR / "v2").glob("*.json")
                  if not p.name.startswith("key-"))


def key_card_paths() -> list[Path]:
    """The project's own key cards (tests/examples/v2/key-*.json)."""
    return sorted((EXAMPLES_DIR / "v2").glob("key-*.json"))


def spec_example_paths() -> list[Path]:
    """The spec's version 1 examples, or [] when the brief is not beside the repository."""
    shared = shared_dir()
    return sorted((shared / "spec" / "examples").glob("*.json")) if shared else []


def spec_v2_paths() -> list[Path]:
    """The spec's version 2 examples (bundles, an assignment, key cards), or []."""
    shared = shared_dir()
    return sorted((shared / "spec" / "examples" / "v2").glob("*.json")) if shared else []


@functools.cache
def _example() -> dict[str, Any]:
    return json.loads(example_paths()[0].read_bytes())


def example_document() -> dict[str, Any]:
    """A fresh, valid, sealed bundle (the spec's example) to change."""
    return copy.deepcopy(_example())


def seal(document: dict[str, Any]) -> dict[str, Any]:
    """Set integrity.sha256 to the digest of the document as it now is."""
    document["integrity"] = {"sha256": bundle_digest(document)}
    return document


def fixed_key(seed: int = 0) -> SigningKey:
    """A deterministic signing key (the same seed, the same key)."""
    return SigningKey.from_seed(hashlib.sha256(f"cchc tests key {seed}".encode()).digest())


def sign(document: dict[str, Any], key: SigningKey | None = None) -> dict[str, Any]:
    """Seal the document as it now is and sign it (default: fixed_key())."""
    seal(document)
    document["signature"] = signature_member(key or fixed_key(), canonical_bytes(document))
    return document


def as_version_2(document: dict[str, Any], key: SigningKey | None = None) -> dict[str, Any]:
    """A version 1 document made a signed version 2 one: version 2, every criterion
    with a cause (none) and cause kind (none), no assignments held."""
    document["version"] = 2
    for assessment in document["assessments"]:
        for criterion in assessment["criteria"]:
            criterion.setdefault("cause", None)
            criterion.setdefault("cause_kind", None)
    document.setdefault("assignments_held", [])
    return sign(document, key)


def to_bytes(document: Any, indent: int | None = 2) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=indent).encode("utf-8")


def sealed_bytes(document: dict[str, Any]) -> bytes:
    return to_bytes(seal(document))


def first_task(document: dict[str, Any]) -> dict[str, Any]:
    return document["assessments"][0]["tasks"][0]


def with_new_ids(document: dict[str, Any], unit_code: str | None = None,
                 seed: int = 0) -> dict[str, Any]:
    """The same content under a new bundle id (and, given a unit code, new task and
    evidence ids, as another unit would have), sealed."""
    generator = random_uuids(seed)
    document["bundle_id"] = next(generator)
    if unit_code is not None:
        document["unit"]["code"] = unit_code
        for assessment in document["assessments"]:
            for task in assessment["tasks"]:
                task["id"] = next(generator)
                for evidence in task["evidence"]:
                    evidence["id"] = next(generator)
    return seal(document)


def random_uuids(seed: int):  # noqa: ANN201 - an iterator of lowercase UUID strings
    import random
    import uuid

    source = random.Random(seed)
    while True:
        yield str(uuid.UUID(int=source.getrandbits(128), version=4))


def database_bytes(path: Path) -> tuple[bytes, bytes]:
    """The database file and its write-ahead log, to prove nothing was written."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes(), wal.read_bytes() if wal.exists() else b""
