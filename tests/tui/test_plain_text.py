"""Data is plain text on every screen (issue 10, item 1), by construction.

Textual reads a str as content markup in the widgets below (Static, Label, Button,
Option, Select, a DataTable's or a rich Table's cells...): a unit's title "[/]"
stops the app, "[@click=app.quit]" becomes a link that quits. This test reads
every module of tui/ and fails where a text reaches one of them other than as a
constant of ours (a literal, _("...") without .format) or as a rich Text made by
plain() (tui/words/plain.py), which also shows control, bidi and zero-width
characters as visible escapes. What is plain by construction elsewhere
(notifications, titles, the palette, table cells) is held by tests in
tests/tui/test_markup_in_data.py.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

TUI_DIR = Path(__file__).resolve().parents[2] / "tui"
EVERY = None  # every positional argument

# What reads a str as markup: callable name -> (positions of its text arguments,
# names of its text keywords).
TEXT_SINKS: dict[str, tuple[tuple[int, ...] | None, frozenset[str]]] = {
    "Static": ((0,), frozenset({"content"})),
    "Label": ((0,), frozenset({"content"})),
    "Button": ((0,), frozenset({"label"})),
    "Option": ((0,), frozenset({"prompt"})),
    "TabPane": ((0,), frozenset({"title"})),
    "Tab": ((0,), frozenset({"label"})),
    "Collapsible": ((), frozenset({"title"})),
    "Checkbox": ((0,), frozenset({"label"})),
    "RadioButton": ((0,), frozenset({"label"})),
    "Link": ((0,), frozenset({"text"})),
    "Tree": ((0,), frozenset({"label"})),
    "add_leaf": ((0,), frozenset({"label"})),
    "update": ((0,), frozenset({"content"})),  # Static.update, Label.update
    "add_row": (EVERY, frozenset()),  # DataTable, rich Table
    "add_column": ((0,), frozenset({"label", "header"})),
    "Table": (EVERY, frozenset({"title", "caption"})),
    # Take a str only (no Text): our own words, or a code's label (tui/words/labels.py).
    "Select": ((), frozenset({"prompt"})),
    "exit": ((), frozenset({"message"})),
    # Not markup, but text shown as it is, invisible characters included.
    "Text": ((0,), frozenset({"text"})),
    "Content": ((0,), frozenset({"text"})),
}
# Whose first argument is a list of (prompt, value) choices or of Options.
OPTION_SINKS = frozenset({"Select", "set_options", "add_options"})
# Whose every argument is one choice: (prompt, value, ...) or an Option.
CHOICE_SINKS = frozenset({"SelectionList", "OptionList"})
TEXT_ATTRIBUTES = frozenset({"border_title", "border_subtitle", "tooltip"})
# Calls that make a Text from anything (their own arguments are checked as sinks).
PLAIN_MAKERS = frozenset({"plain", "plain_lines", "plain_options", "Text", "Content"})
# The visible() rules themselves, for a Text (a str they return is still read as
# markup by the other sinks): plain() and the table's cells are made with them.
VISIBLE_RULES = frozenset({"visible", "one_line"})
TRANSLATIONS = frozenset({"_", "ngettext"})
# A function returning one of these builds its renderable from checked parts.
RENDERABLE_TYPES = ("Text", "Table", "Content")
# Only the help screen shows Markdown: the packaged guide, never data.
MARKDOWN_MODULES = frozenset({"tui/screens/help.py"})


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Subscript):  # SelectionList[int](...)
        return _name(func.value)
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _assignments(node: ast.AST) -> dict[str, list[ast.expr]]:
    found: dict[str, list[ast.expr]] = {}
    for child in ast.walk(node):
        if isinstance(child, ast.Assign):
            for target in child.targets:
                if isinstance(target, ast.Name):
                    found.setdefault(target.id, []).append(child.value)
        elif isinstance(child, (ast.AnnAssign, ast.AugAssign)) \
                and isinstance(child.target, ast.Name) and child.value is not None:
            found.setdefault(child.target.id, []).append(child.value)
    return found


def _annotated_renderable(annotation: ast.expr | None) -> bool:
    return annotation is not None and any(kind in ast.unparse(annotation)
                                          for kind in RENDERABLE_TYPES)


@dataclass
class Scope:
    """What a name in the checked expression can hold: the function's own
    assignments and Text parameters, then the module's assignments."""

    local: dict[str, list[ast.expr]] = field(default_factory=dict)
    text_parameters: set[str] = field(default_factory=set)
    module: dict[str, list[ast.expr]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)  # names being resolved (a += loop)


class Checker:
    def __init__(self, renderable_functions: set[str]) -> None:
        self.renderable_functions = renderable_functions

    def safe(self, expr: ast.expr, scope: Scope) -> bool:
        """expr is a constant of ours or a Text made of checked parts."""
        if isinstance(expr, ast.Constant):
            return True
        if isinstance(expr, ast.Call):
            name = _name(expr.func)
            if name in TRANSLATIONS and isinstance(expr.func, ast.Name):
                return True
            if isinstance(expr.func, ast.Attribute) and isinstance(expr.func.value, ast.Name) \
                    and expr.func.value.id == "labels":  # a code's short name
                return True
            if name in PLAIN_MAKERS or name in self.renderable_functions:
                return True
            if name == "join" and isinstance(expr.func, ast.Attribute):
                receiver = expr.func.value
                return (isinstance(receiver, ast.Call) and _name(receiver.func) in PLAIN_MAKERS
                        and all(self.safe(arg, scope) for arg in expr.args))
            return False
        if isinstance(expr, ast.Name):
            return self._safe_name(expr.id, scope, self.safe)
        if isinstance(expr, ast.IfExp):
            return self.safe(expr.body, scope) and self.safe(expr.orelse, scope)
        if isinstance(expr, ast.BoolOp):
            return all(self.safe(value, scope) for value in expr.values)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return self.safe(expr.left, scope) and self.safe(expr.right, scope)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Mult):  # " " * width
            return any(isinstance(side, ast.Constant) and isinstance(side.value, str)
                       for side in (expr.left, expr.right))
        if isinstance(expr, ast.Starred):
            return self.safe(expr.value, scope)
        if isinstance(expr, (ast.List, ast.Tuple)):
            return all(self.safe(element, scope) for element in expr.elts)
        if isinstance(expr, (ast.ListComp, ast.GeneratorExp)):
            return self.safe(expr.elt, scope)
        return False

    def safe_options(self, expr: ast.expr, scope: Scope) -> bool:
        """expr is a list of choices whose prompts are safe (or of Options,
        checked as sinks themselves)."""
        if isinstance(expr, (ast.List, ast.Tuple)):
            return all(self.safe_choice(element, scope) for element in expr.elts)
        if isinstance(expr, (ast.ListComp, ast.GeneratorExp)):
            return self.safe_choice(expr.elt, scope)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return self.safe_options(expr.left, scope) and self.safe_options(expr.right, scope)
        if isinstance(expr, ast.Name):
            return self._safe_name(expr.id, scope, self.safe_options)
        if isinstance(expr, ast.Call):
            name = _name(expr.func)
            return name == "plain_options" or name in self.renderable_functions
        return False

    def safe_choice(self, element: ast.expr, scope: Scope) -> bool:
        if isinstance(element, ast.Starred):
            return self.safe_options(element.value, scope)
        if isinstance(element, ast.Tuple) and element.elts:
            return self.safe(element.elts[0], scope)
        return isinstance(element, ast.Call) and _name(element.func) == "Option"

    @staticmethod
    def _safe_name(name: str, scope: Scope, judge) -> bool:  # noqa: ANN001 - safe or safe_options
        if name in scope.text_parameters:
            return True
        if name in scope.seen:
            return True  # its other assignments decide
        values = scope.local.get(name) or scope.module.get(name)
        if not values:
            return False
        scope.seen.add(name)
        try:
            return all(judge(value, scope) for value in values)
        finally:
            scope.seen.discard(name)


def _functions(tree: ast.Module) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def renderable_functions(trees: list[ast.Module]) -> set[str]:
    """Names of the functions (and methods) of tui/ that return a renderable,
    whichever of the same name is called."""
    kinds: dict[str, list[bool]] = {}
    for tree in trees:
        for function in _functions(tree):
            kinds.setdefault(function.name, []).append(_annotated_renderable(function.returns))
    return {name for name, renderable in kinds.items() if all(renderable)}


def _text_arguments(call: ast.Call, positions: tuple[int, ...] | None,
                    keywords: frozenset[str]) -> list[ast.expr]:
    arguments = list(call.args) if positions is None else [
        call.args[i] for i in positions if i < len(call.args)]
    return arguments + [k.value for k in call.keywords if k.arg in keywords]


def problems_in(source: str, where: str, checker: Checker) -> list[str]:
    """Where in `source` a text that is not plain reaches a widget that reads markup."""
    tree = ast.parse(source)
    module = _assignments(tree)
    found: list[tuple[int, str]] = []

    def report(node: ast.AST, what: str) -> None:
        found.append((getattr(node, "lineno", 0), what))

    def check_calls(body: ast.AST, scope: Scope) -> None:
        for node in ast.walk(body):
            if isinstance(node, ast.Call):
                check_call(node, scope)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr in TEXT_ATTRIBUTES \
                            and not checker.safe(node.value, scope):
                        report(node, f"{target.attr} = {ast.unparse(node.value)}")

    def check_call(call: ast.Call, scope: Scope) -> None:
        name = _name(call.func)
        if name == "Markdown" and where not in MARKDOWN_MODULES:
            report(call, "Markdown shows only the packaged guide (tui/screens/help.py)")
        for keyword in call.keywords:
            if keyword.arg == "markup" and not (isinstance(keyword.value, ast.Constant)
                                                 and keyword.value.value is False):
                report(call, f"{name}(markup={ast.unparse(keyword.value)})")
        if name in TEXT_SINKS:
            positions, keywords = TEXT_SINKS[name]
            for argument in _text_arguments(call, positions, keywords):
                # dict.update and set.update share the name: pairs are no text
                if name == "update" and isinstance(argument, (ast.GeneratorExp, ast.Dict)):
                    continue
                if name in ("Text", "Content") and isinstance(argument, ast.Call) \
                        and _name(argument.func) in VISIBLE_RULES:
                    continue
                if not checker.safe(argument, scope):
                    report(call, f"{name}({ast.unparse(argument)})")
        if name in OPTION_SINKS:
            for argument in _text_arguments(call, (0,), frozenset({"options"})):
                if not checker.safe_options(argument, scope):
                    report(call, f"{name}({ast.unparse(argument)}): prompts as plain()")
        if name in CHOICE_SINKS:
            for argument in call.args:
                if not checker.safe_choice(argument, scope):
                    report(call, f"{name}({ast.unparse(argument)}): prompts as plain()")
        if name in ("append", "append_text") and isinstance(call.func, ast.Attribute) \
                and isinstance(call.func.value, ast.Name):
            receiver = call.func.value.id
            made = scope.local.get(receiver, [])
            if made and all(isinstance(v, ast.Call) and _name(v.func) in PLAIN_MAKERS
                            for v in made):  # a Text built here
                for argument in call.args[:1]:
                    if not checker.safe(argument, scope):
                        report(call, f"{receiver}.{name}({ast.unparse(argument)})")

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "from_markup":
            report(node, "from_markup reads markup")
    functions = list(_functions(tree))
    inner = {id(child) for function in functions for child in ast.walk(function)
             if child is not function}
    for function in functions:
        if id(function) in inner:
            continue  # checked with the function around it (its scope holds both)
        arguments = function.args
        parameters = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        for nested in ast.walk(function):
            if isinstance(nested, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) \
                    and nested is not function:
                parameters.extend([*nested.args.posonlyargs, *nested.args.args,
                                   *nested.args.kwonlyargs])
        text_parameters = {p.arg for p in parameters if _annotated_renderable(p.annotation)}
        check_calls(function, Scope(_assignments(function), text_parameters, module))
    outside = ast.Module(body=[n for n in tree.body if id(n) not in
                               {id(f) for f in functions}], type_ignores=[])
    for statement in outside.body:
        if not isinstance(statement, ast.ClassDef):
            check_calls(statement, Scope(module=module))
        else:
            for item in statement.body:
                if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    check_calls(item, Scope(module=module))
    return [f"{where}:{line}: {what}" for line, what in sorted(found)]


def tui_sources() -> dict[str, str]:
    root = TUI_DIR.parent
    return {str(path.relative_to(root)): path.read_text(encoding="utf-8")
            for path in sorted(TUI_DIR.rglob("*.py"))}


def test_no_str_reaches_a_widget_that_reads_markup() -> None:
    sources = tui_sources()
    checker = Checker(renderable_functions([ast.parse(s) for s in sources.values()]))
    found = [problem for where, source in sources.items()
             for problem in problems_in(source, where, checker)]
    assert not found, ("text shown without plain() (tui/words/plain.py):\n"
                       + "\n".join(found))


# -- the scanner itself -----------------------------------------------------------------


def _problems(snippet: str) -> list[str]:
    source = textwrap.dedent(snippet)
    checker = Checker(renderable_functions([ast.parse(source)]))
    return problems_in(source, "snippet.py", checker)


def test_the_scanner_finds_data_reaching_a_widget() -> None:
    assert _problems("""
        def compose(self, row):
            yield Static(row.title)
            yield Label(f"{row.code} {row.name}")
            yield Button(_("Remove {title}").format(title=row.title))
            self.query_one(Static).update(" · ".join(row.parts))
            table.add_row(_("Owner"), row.owner or "—")
            yield Select([(name, key) for name, key in row.owners])
            yield Static(Text.from_markup("[b]x[/b]"))
            self.notify(row.title, markup=True)
            line = Text(row.title)
            line.append(row.detail)
            self.border_title = row.title
            yield SelectionList[int](*[(f"{c.code} {c.title}", c.id) for c in row.criteria])
    """) == [
        "snippet.py:3: Static(row.title)",
        "snippet.py:4: Label(f'{row.code} {row.name}')",
        "snippet.py:5: Button(_('Remove {title}').format(title=row.title))",
        "snippet.py:6: update(' · '.join(row.parts))",
        "snippet.py:7: add_row(row.owner or '—')",
        "snippet.py:8: Select([(name, key) for name, key in row.owners]): prompts as plain()",
        "snippet.py:9: Static(Text.from_markup('[b]x[/b]'))",
        "snippet.py:9: from_markup reads markup",
        "snippet.py:10: notify(markup=True)",
        "snippet.py:11: Text(row.title)",
        "snippet.py:12: line.append(row.detail)",
        "snippet.py:13: border_title = row.title",
        "snippet.py:14: SelectionList(*[(f'{c.code} {c.title}', c.id) for c in row.criteria]): "
        "prompts as plain()",
    ]


def test_the_scanner_lets_plain_text_and_our_own_words_through() -> None:
    assert _problems("""
        LANGUAGES = (("Tiếng Việt", "vi"), ("English", "en"))

        def head(detail) -> Text:
            text = plain(detail.title, style="bold")
            text.append(" · ")
            text.append(plain(detail.owner))
            return text

        def compose(self, row, today):
            yield Static(_("READ ONLY"), id="marker")
            yield Static("")
            yield Label(plain(row.title))
            yield Static(head(row))
            yield Select(LANGUAGES, value="vi")
            yield Select(plain_options(row.owners))
            yield Select([(plain(name), key) for name, key in row.owners])
            yield Static(Text("\\n").join([plain(row.a), plain(row.b)]))
            shown = plain(row.title) if row.title else _("No title")
            self.query_one(Static).update(shown)
            table.add_row(_("Owner"), plain(row.owner or "—"))
            self.read.update((task.id, task) for task in row.tasks)
            yield Option(plain(row.path))
            yield SelectionList[int](*[(plain(c.title), c.id, True) for c in row.criteria])
    """) == []
