"""The JSON Schemas of the progress bundle, format versions 1 and 2, generated from
the models and shipped beside them (bundle-v1.schema.json, bundle-v2.schema.json) so
a supervisor's own systems can validate bundles.

Regenerate after changing the models:  python -m store.bundle.schema
A test fails while a shipped file differs from what the models generate.

The schema says what a JSON Schema can: types, members, ranges, patterns, lengths.
The rules between values (rules.py), the integrity digest, the signature, "at most
two decimals" and "12.0 is not an integer" need a reader such as
store.bundle.reader.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .models import Bundle, BundleV2

SCHEMA_VERSIONS = (1, 2)
_MODELS = {1: Bundle, 2: BundleV2}
_READER_ALSO_CHECKS = (
    "integrity.sha256 = SHA-256 of the RFC 8785 form without integrity and signature; "
    "criteria parents present and codes unique; task criteria exist; status done <=> "
    "done_on given, and progress 100; scores not above max_points; rank_of >= rank; ids "
    "unique; points with at most two decimals; integers written without a fraction; "
    "strings in NFC")
_DESCRIPTIONS = {
    1: "One unit's remediation snapshot (spec/bundle-v1.md). Beyond this schema a reader "
       f"also checks: {_READER_ALSO_CHECKS}.",
    2: "One unit's remediation snapshot, signed (spec/bundle-v2.md). Beyond this schema a "
       f"reader also checks: {_READER_ALSO_CHECKS}; each issuer at most once in "
       "assignments_held; signature.value is the Ed25519 signature, by "
       "signature.public_key (32 bytes), of the same RFC 8785 bytes as the digest.",
}


def schema_file(version: int) -> Path:
    return Path(__file__).with_name(f"bundle-v{version}.schema.json")


def bundle_json_schema(version: int = 2) -> dict[str, Any]:
    schema = _MODELS[version].model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": f"CCHC Tracker progress bundle, format version {version}",
        "description": _DESCRIPTIONS[version],
    }


def schema_text(version: int = 2) -> str:
    return json.dumps(bundle_json_schema(version), indent=2, ensure_ascii=False) + "\n"


def write_schema_files() -> list[Path]:
    written = []
    for version in SCHEMA_VERSIONS:
        path = schema_file(version)
        path.write_text(schema_text(version), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_schema_files():
        print(written_path)
