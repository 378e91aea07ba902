"""The format description (store/bundle/FORMAT.md) tells the truth: its Python that checks
a file with `cryptography` and `rfc8785` alone fits in ten lines and works on files the
app exports, and refuses altered ones."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from store.bundle.export import ExportDone, export_bundle
from store.demo import DEMO_OFFICER, DEMO_UNIT
from tests.bundle.factory import REPO_ROOT, fixed_key, seal, to_bytes, v2_example_paths

FORMAT_MD = REPO_ROOT / "store" / "bundle" / "FORMAT.md"
FILE_IN_THE_TEXT = '"cchc-30316-20261121-0001.json"'


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", FORMAT_MD.read_text(encoding="utf-8"), re.S)


def _signature_check() -> str:
    [block] = [b for b in _python_blocks() if "Ed25519PublicKey" in b]
    return block


def _run(code: str, path: Path) -> str:
    assert FILE_IN_THE_TEXT in code
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code.replace(FILE_IN_THE_TEXT, repr(str(path))), "FORMAT.md", "exec"), {})
    return out.getvalue().strip()


def test_the_signature_check_is_ten_lines_of_python_with_two_packages() -> None:
    code = _signature_check()
    assert len(code.rstrip("\n").splitlines()) <= 10
    imported = set(re.findall(r"^(?:from|import) ([\w.]+)", code, re.M))
    imported |= {name.strip() for line in re.findall(r"^import (.+)$", code, re.M)
                 for name in line.split(",")}
    assert {name.split(".")[0] for name in imported} <= {
        "base64", "hashlib", "json", "rfc8785", "cryptography"}


def test_it_verifies_an_exported_file_and_names_its_signer(demo_db, tmp_path: Path) -> None:  # noqa: ANN001
    key = fixed_key(11)
    done = export_bundle(demo_db, unit=DEMO_UNIT, officer=DEMO_OFFICER, target_dir=tmp_path,
                         generator="cchc test", key=key)
    assert isinstance(done, ExportDone)
    assert _run(_signature_check(), done.path) == f"signed by {key.fingerprint}"
    assert _run(_signature_check(), v2_example_paths()[0]).startswith("signed by ")


def test_it_stops_on_an_altered_or_forged_file(tmp_path: Path) -> None:
    from cryptography.exceptions import InvalidSignature

    document = json.loads(v2_example_paths()[0].read_bytes())
    document["assessments"][0]["score"] = 99.0
    altered = tmp_path / "altered.json"
    altered.write_bytes(to_bytes(document))
    with pytest.raises(AssertionError, match="altered"):
        _run(_signature_check(), altered)
    forged = tmp_path / "forged.json"
    forged.write_bytes(to_bytes(seal(document)))  # the check code redone, not the signature
    with pytest.raises(InvalidSignature):
        _run(_signature_check(), forged)


def test_the_check_code_snippet_still_works_on_a_signed_file() -> None:
    [block] = [b for b in _python_blocks() if "Ed25519PublicKey" not in b]
    assert _run(block, v2_example_paths()[0]) == "intact"
