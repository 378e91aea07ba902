"""The assignment format: files our code writes and the spec's own example pass the
models, the reader and the shipped JSON Schema (an independent reading of the spec);
the schema is what the models generate; task ids are the spec's uuid5."""

from __future__ import annotations

import json

import jsonschema
import pytest

from store.assign.issue import default_assessment_id, task_uid
from store.bundle.assignment_read import read_assignment
from store.bundle.assignment_schema import SCHEMA_FILE, schema_text
from tests.assign.conftest import file_for
from tests.bundle.factory import shared_dir


def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _spec_example():  # noqa: ANN202
    shared = shared_dir()
    path = shared / "spec" / "examples" / "v2" / "cchc-assign-30316-20230605-0001.json" \
        if shared else None
    if path is None or not path.exists():
        pytest.skip("shared/spec is not beside the repository")
    return path


def test_the_shipped_schema_is_the_generated_one() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "run: python -m store.bundle.assignment_schema")


def test_every_file_we_write_passes_the_reader_and_the_schema(issue) -> None:  # noqa: ANN001
    done = issue()
    validator = _validator()
    for path in done.paths:
        data = path.read_bytes()
        read = read_assignment(data)
        assert read.ok, read.refusal
        assert read.sha256 == json.loads(data)["integrity"]["sha256"]
        assert list(validator.iter_errors(json.loads(data))) == []


def test_the_spec_example_passes_the_reader_and_the_schema() -> None:
    data = _spec_example().read_bytes()
    read = read_assignment(data)
    assert read.ok, read.refusal
    assert read.bundle.notes[1].text.count("\n") == 1
    assert list(_validator().iter_errors(json.loads(data))) == []


def test_our_files_have_the_members_of_the_spec_example(issue) -> None:  # noqa: ANN001
    spec = json.loads(_spec_example().read_bytes())
    ours = json.loads(file_for(issue()).read_bytes())
    assert list(ours) == list(spec)
    assert list(ours["assessments"][0]) == list(spec["assessments"][0])
    assert list(ours["assessments"][0]["tasks"][0]) == list(spec["assessments"][0]["tasks"][0])


def test_task_ids_are_the_spec_uuid5_of_issuer_assessment_unit_and_criterion() -> None:
    assert task_uid("SNV-87", "sadec-cchc-2022", "30316", "1.1.2") == \
        "c2f2e00c-78ce-5ebf-bd23-144671f4cb76"
    assert task_uid("SNV-87", "sadec-cchc-2022", "30316", None) == \
        "9be6d1fc-0c36-59d2-b5f0-e145fc63c9c0"
    assert default_assessment_id("SNV-87", "PAR", 2025) == "snv-87-par-2025"


def test_the_spec_example_tasks_are_what_our_rule_makes() -> None:
    """The example's tasks: one per criterion that lost points without a child that lost
    points, then the report task, ids by the spec's uuid5."""
    spec = json.loads(_spec_example().read_bytes())
    assessment = spec["assessments"][0]
    criteria = assessment["criteria"]
    lost = {c["code"] for c in criteria if c["score"] is not None and c["score"] < c["max_points"]}
    leaves = [c["code"] for c in criteria if c["code"] in lost
              and not any(o.startswith(c["code"] + ".") and o in lost for o in lost)]
    assert [t["criteria"] for t in assessment["tasks"]] == [[code] for code in leaves] + [[]]
    assert [t["id"] for t in assessment["tasks"]] == [
        task_uid(spec["issuer"]["code"], assessment["id"], spec["unit"]["code"], code)
        for code in leaves + [None]]


def test_the_schema_refuses_what_the_models_refuse_structurally(issue) -> None:  # noqa: ANN001
    document = json.loads(file_for(issue()).read_bytes())
    document["kind"] = "progress"
    document["extra"] = 1
    document["issuer"]["code"] = "SNV 87"
    document["assessments"][0]["tasks"][0]["status"] = "todo"
    document["notes"] = [{"task_id": "x", "at": "2026-01-01T00:00:00+07:00", "by": "A",
                          "text": "t"}]
    messages = " ".join(error.message for error in _validator().iter_errors(document))
    for expected in ("'assignment' was expected", "extra", "SNV 87", "status", "'x'"):
        assert expected in messages, expected
