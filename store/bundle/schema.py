"""The JSON Schema of bundle-v1, generated from the models and shipped beside them
(bundle-v1.schema.json) so a supervisor's own systems can validate bundles.

Regenerate after changing the models:  python -m store.bundle.schema
A test fails while the shipped file differs from what the models generate.

The schema says what a JSON Schema can: types, members, ranges, patterns, lengths.
The rules between values (rules.py), the integrity digest, "at most two decimals"
and "12.0 is not an integer" need a reader such as store.bundle.reader.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .models import VERSION, Bundle

SCHEMA_FILE = Path(__file__).with_name(f"bundle-v{VERSION}.schema.json")


def bundle_json_schema() -> dict[str, Any]:
    schema = Bundle.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": f"CCHC Tracker progress bundle, format version {VERSION}",
        "description": (
            "One unit's remediation snapshot (spec/bundle-v1.md). Beyond this schema a "
            "reader also checks: integrity.sha256 = SHA-256 of the RFC 8785 form without "
            "integrity and signature; criteria parents present and codes unique; task "
            "criteria exist; status done <=> done_on given, and progress 100; scores not "
            "above max_points; rank_of >= rank; ids unique; points with at most two "
            "decimals; integers written without a fraction; strings in NFC; every date-time "
            "within the years 2000-2100 both in UTC and in Vietnam's time (UTC+07:00)."),
    }


def schema_text() -> str:
    return json.dumps(bundle_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema_file(path: Path = SCHEMA_FILE) -> Path:
    path.write_text(schema_text(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_schema_file())
