"""store/ never imports textual or tui; --version and --help stay light."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STORE_MODULES = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for p in (ROOT / "store").rglob("*.py"))


def _loaded_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(sys.modules))"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    return set(result.stdout.split())


@pytest.mark.parametrize("module", STORE_MODULES)
def test_store_module_imports_no_ui(module: str) -> None:
    loaded = _loaded_after(f"import {module}")
    assert not {m for m in loaded if m == "textual" or m.startswith(("textual.", "tui"))}


def test_version_imports_neither_textual_nor_sqlmodel() -> None:
    loaded = _loaded_after("from tui.cli import main\nmain(['--version'])")
    assert "textual" not in loaded
    assert "sqlmodel" not in loaded and "sqlalchemy" not in loaded


def test_help_imports_neither_textual_nor_sqlmodel() -> None:
    loaded = _loaded_after(
        "from tui.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass")
    assert "textual" not in loaded
    assert "sqlmodel" not in loaded and "sqlalchemy" not in loaded
