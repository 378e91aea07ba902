"""The import contracts of the layout (README, "For developers"), checked statically.

Every module of the project is parsed with ast; its imports, including the ones
inside functions and under TYPE_CHECKING (they are how cycles hide), are the
edges of a graph. A contract is one line of CONTRACTS; a new rule is one more.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("store", "tui")

Graph = dict[str, set[str]]


def module_name(root: Path, file: Path) -> str:
    parts = file.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool,
              known: set[str]) -> Iterable[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:  # relative: resolved against the importing module's package
        package = module if is_package else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = ".".join(part for part in (package, node.module) if part)
    else:
        base = node.module or ""
    # `from pkg import sub` imports the module pkg.sub when there is one.
    found = [f"{base}.{alias.name}" for alias in node.names
             if f"{base}.{alias.name}" in known]
    return found if len(found) == len(node.names) else [base, *found]


def import_graph(root: Path, packages: Iterable[str]) -> Graph:
    """module -> every module name it imports (project modules and others alike)."""
    files = {module_name(root, file): file
             for package in packages for file in sorted((root / package).rglob("*.py"))}
    known = set(files)
    graph: Graph = {}
    for module, file in files.items():
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        is_package = file.name == "__init__.py"
        graph[module] = {target for node in ast.walk(tree)
                         if isinstance(node, (ast.Import, ast.ImportFrom))
                         for target in _imported(node, module, is_package, known)}
    return graph


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


@dataclass(frozen=True)
class Forbidden:
    """No module of `source` imports any of `targets` (or anything inside them)."""

    source: str
    targets: tuple[str, ...]

    def violations(self, graph: Graph) -> list[str]:
        return sorted(f"{module} imports {target}"
                      for module, imports in graph.items() if _inside(module, self.source)
                      for target in imports
                      if any(_inside(target, forbidden) for forbidden in self.targets))


@dataclass(frozen=True)
class Acyclic:
    """No import cycle among the modules of `package`."""

    package: str

    def violations(self, graph: Graph) -> list[str]:
        inside = {module: {t for t in imports if t in graph and _inside(t, self.package)}
                  for module, imports in graph.items() if _inside(module, self.package)}
        return [" -> ".join(cycle) for cycle in _cycles(inside)]


@dataclass(frozen=True)
class Leaves:
    """The bottom of the house: these modules import the standard library and each
    other, nothing else (no other project module, no third-party package)."""

    modules: tuple[str, ...]

    def violations(self, graph: Graph) -> list[str]:
        found = []
        for module in self.modules:
            if module not in graph:
                found.append(f"{module} does not exist")
                continue
            for target in sorted(graph[module]):
                top = target.partition(".")[0]
                if target in self.modules or (top in sys.stdlib_module_names
                                              and top not in PACKAGES):
                    continue
                found.append(f"{module} imports {target}")
        return found


def _cycles(graph: Graph) -> list[list[str]]:
    """One cycle (a -> b -> a) per strongly connected component with more than one
    module, or a module importing itself (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    components.append(sorted(component))
    return [_one_cycle(graph, set(component)) for component in components]


def _one_cycle(graph: Graph, component: set[str]) -> list[str]:
    """A path from the component's first module back to itself, for the message."""
    start = min(component)
    path, seen = [start], {start}
    while True:
        following = sorted(t for t in graph[path[-1]] if t in component)
        if start in following:
            return path + [start]
        step = next((t for t in following if t not in seen), following[0])
        if step in seen:
            return path + [step]
        path.append(step)
        seen.add(step)


CONTRACTS = (
    Forbidden("store", ("tui", "textual")),
    Forbidden("tui.words", ("tui.screens", "tui.widgets", "tui.review", "tui.app",
                            "tui.app_base", "textual")),
    Acyclic("store"),
    Leaves(("store.vocab", "store.errors", "store.mode", "store.connect", "store.clock",
            "store.text",
            "store.overdue", "store.task_fields", "store.read", "store.read.unit_counts")),
)


@pytest.fixture(scope="module")
def project_graph() -> Graph:
    return import_graph(ROOT, PACKAGES)


@pytest.mark.parametrize("contract", CONTRACTS, ids=repr)
def test_contract_holds(contract, project_graph: Graph) -> None:  # noqa: ANN001
    assert contract.violations(project_graph) == []


# -- the checker itself, on a made-up project ------------------------------------------

def _project(root: Path, files: dict[str, str]) -> Graph:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return import_graph(root, ("fake", "tui"))


def test_a_cycle_closed_inside_a_function_is_found(tmp_path: Path) -> None:
    graph = _project(tmp_path, {
        "fake/__init__.py": "",
        "fake/a.py": "from . import b\n",
        "fake/b.py": "from .c import thing\n",
        "fake/c.py": "def later():\n    from fake.a import x\n",
        "fake/d.py": "from fake import a\n",
    })
    assert Acyclic("fake").violations(graph) == ["fake.a -> fake.b -> fake.c -> fake.a"]


def test_imports_under_type_checking_and_relative_parents_are_edges(tmp_path: Path) -> None:
    graph = _project(tmp_path, {
        "fake/__init__.py": "",
        "fake/sub/__init__.py": "from typing import TYPE_CHECKING\n"
                                "if TYPE_CHECKING:\n    from ..top import T\n",
        "fake/top.py": "from fake.sub import anything\n",
    })
    assert graph["fake.sub"] == {"typing", "fake.top"}
    assert Acyclic("fake").violations(graph) == ["fake.sub -> fake.top -> fake.sub"]


def test_no_cycle_no_violation(tmp_path: Path) -> None:
    graph = _project(tmp_path, {"fake/__init__.py": "", "fake/a.py": "from . import b\n",
                                "fake/b.py": "import json\n"})
    assert Acyclic("fake").violations(graph) == []


def test_an_upward_import_is_found(tmp_path: Path) -> None:
    graph = _project(tmp_path, {
        "fake/__init__.py": "",
        "fake/a.py": "def f():\n    import tui.app\n",
        "fake/b.py": "from textual.widgets import Static\n",
        "fake/c.py": "import textualize\n",  # a name that only starts the same
        "tui/__init__.py": "", "tui/app.py": "",
    })
    assert Forbidden("fake", ("tui", "textual")).violations(graph) == [
        "fake.a imports tui.app", "fake.b imports textual.widgets"]


def test_a_leaf_importing_a_project_or_third_party_module_is_found(tmp_path: Path) -> None:
    graph = _project(tmp_path, {
        "fake/__init__.py": "",
        "fake/low.py": "import sqlite3\nfrom . import other\n",
        "fake/other.py": "import json\nfrom . import low\nimport sqlalchemy\n",
        "fake/heavy.py": "",
    })
    assert Leaves(("fake.low", "fake.other")).violations(graph) == [
        "fake.other imports sqlalchemy"]
    assert Leaves(("fake.low",)).violations(graph) == ["fake.low imports fake.other"]
    assert Leaves(("fake.gone",)).violations(graph) == ["fake.gone does not exist"]
