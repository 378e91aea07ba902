"""Reading untrusted bytes into an assignment bundle: the one reader
(store.bundle.reader) with kinds=("assignment",), so every hostile case it refuses
is refused here alike, and a progress bundle offered as an assignment is refused
as wrong_kind. The signature is verified there too, over the same canonical bytes
as the digest; whether its key is the one held for the issuer is the unit's
import's to judge (store.assign.importing).
"""

from __future__ import annotations

import os

from .assignment import KIND
from .reader import read_bundle, read_bundle_file
from .results import BundleRead


def read_assignment(data: bytes) -> BundleRead:
    """Untrusted bytes -> a valid assignment (BundleRead.bundle) or a refusal."""
    return read_bundle(data, kinds=(KIND,))


def read_assignment_file(path: str | os.PathLike[str]) -> BundleRead:
    """Like read_assignment(), for a file whose size is checked before it is read."""
    return read_bundle_file(path, kinds=(KIND,))
