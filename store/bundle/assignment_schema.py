"""The JSON Schema of the assignment bundle (bundle-v2, kind "assignment"), generated
from the models and shipped beside them (assignment-v2.schema.json) so that any
system can check an assignment independently of this app.

Regenerate after changing store/bundle/assignment.py:
    python -m store.bundle.assignment_schema
A test fails while the shipped file differs from what the models generate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .assignment import VERSION, AssignmentBundle

SCHEMA_FILE = Path(__file__).with_name(f"assignment-v{VERSION}.schema.json")


def assignment_json_schema() -> dict[str, Any]:
    schema = AssignmentBundle.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": f"CCHC Tracker assignment bundle, format version {VERSION}",
        "description": (
            "A supervising body's assignment to one unit (spec/bundle-v2.md, Assignment "
            "bundles). Beyond this schema a reader also checks: integrity.sha256 = SHA-256 "
            "of the RFC 8785 form without integrity and signature, then the Ed25519 "
            "signature over the same bytes; criteria parents present and codes unique per "
            "assessment; task criteria exist; scores not above max_points; rank_of >= rank; "
            "assessment and task ids unique; points with at most two decimals; integers "
            "written without a fraction; strings in NFC."),
    }


def schema_text() -> str:
    return json.dumps(assignment_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema_file(path: Path = SCHEMA_FILE) -> Path:
    path.write_text(schema_text(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_schema_file())
