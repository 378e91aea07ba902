"""The codes the store hands to tui are enumerable: every EditRefused raised in
store/ names a vocab.EditRefusal member, so tui can prove each has a sentence."""

from __future__ import annotations

import ast
from pathlib import Path

from store.vocab import EditRefusal

STORE = Path(__file__).resolve().parents[2] / "store"


def _refusal_codes(tree: ast.AST) -> list[str]:
    """The first argument of every EditRefused(...) call, as written."""
    return [ast.unparse(node.args[0]) if node.args else "<none>"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "EditRefused"]


def test_every_edit_refusal_names_a_member_of_the_enum() -> None:
    members = {f"EditRefusal.{member.name}" for member in EditRefusal}
    written = {code for file in STORE.rglob("*.py")
               for code in _refusal_codes(ast.parse(file.read_text(encoding="utf-8")))}
    assert written, "no EditRefused found: the scan looks in the wrong place"
    assert written <= members
    # Every member is raised somewhere: a code no rule raises is a sentence nobody reads.
    assert members <= written


def test_the_scan_sees_a_code_written_as_a_string() -> None:
    tree = ast.parse('raise EditRefused("made_up", "title")\n'
                     'raise EditRefused(EditRefusal.REQUIRED, "title")\n')
    assert _refusal_codes(tree) == ["'made_up'", "EditRefusal.REQUIRED"]
