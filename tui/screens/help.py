"""F1: a short guide to the workflow (packaged Markdown per language), then the
keys, read from the bindings themselves so that the help cannot drift from them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

from tui.i18n import _, language
from tui.widgets.keys_footer import KeysFooter

HELP_DIR = Path(__file__).resolve().parent.parent / "help"


def help_text(lang: str) -> str:
    path = HELP_DIR / f"{lang}.md"
    if not path.exists():
        path = HELP_DIR / "en.md"
    return path.read_text(encoding="utf-8")


_KEY_NAMES = {"escape": "Esc", "question_mark": "?", "slash": "/", "delete": "Delete",
              "enter": "Enter", "pageup": "PgUp", "pagedown": "PgDn", "comma": ","}


def key_name(key: str) -> str:
    """'ctrl+e' -> 'Ctrl+E', 'f2' -> 'F2', 'escape' -> 'Esc'; a letter alone stays
    small ('n'), as typed."""
    *modifiers, last = key.split("+")
    name = _KEY_NAMES.get(last, last.upper() if modifiers or last[0] == "f" else last)
    return "+".join([*(m.capitalize() for m in modifiers), name])


def _described(node_classes: Iterable[type[DOMNode]]) -> Iterable[Binding]:
    """The project's keys of these classes (each has an id) that say what they do,
    then Textual's ctrl+q, which the app keeps."""
    for node_class in node_classes:
        for klass in reversed(node_class.__mro__):
            for binding in klass.__dict__.get("BINDINGS", ()):
                if not isinstance(binding, Binding) or not binding.description:
                    continue
                if binding.id is not None or binding.action == "quit":
                    yield binding


def key_table(node_classes: Iterable[type[DOMNode]], keymap: Mapping[str, str]) -> str:
    """A Markdown table: the keys (remapped ones as remapped) and what they do;
    keys that do the same thing share a row."""
    rows: dict[tuple[str, str], list[str]] = {}
    for binding in _described(node_classes):
        keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
        what = (binding.action.removeprefix("app."), _(binding.description))
        shown = rows.setdefault(what, [])
        for key in keys.split(","):
            if key_name(key.strip()) not in shown:
                shown.append(key_name(key.strip()))
    lines = [f"| {_('Key')} | {_('Action')} |", "|---|---|"]
    lines += [f"| {' / '.join(keys)} | {what} |" for (_action, what), keys in rows.items()]
    return "\n".join(lines)


def key_tables(keymap: Mapping[str, str]) -> str:
    """The commune app's keys, screen by screen."""
    from tui.app import CchcApp
    from tui.screens.backups import BackupsPanel, BackupsScreen
    from tui.screens.criteria import CriteriaPane, CriteriaTable
    from tui.screens.export import ExportScreen
    from tui.screens.form import FormScreen
    from tui.screens.task_detail import EvidenceTable, TaskScreen
    from tui.screens.tasks import TasksPane
    from tui.screens.workspace import WorkspaceScreen
    from tui.widgets.task_table import TaskTable

    groups = [
        (_("Everywhere"), [CchcApp]),
        (_("Tasks, criteria, deadlines"),
         [WorkspaceScreen, TasksPane, TaskTable, CriteriaPane, CriteriaTable]),
        (_("A task"), [TaskScreen, EvidenceTable]),
        (_("Forms"), [FormScreen]),
        (_("Export"), [ExportScreen]),
        (_("Backups"), [BackupsScreen, BackupsPanel]),
    ]
    parts = [f"## {_('Keys')}"]
    for title, node_classes in groups:
        parts += [f"### {title}", key_table(node_classes, keymap)]
    return "\n\n".join(parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", _("Close"), id="help.close"),
        Binding("f1", "close", _("Close"), show=False, id="help.f1"),
        Binding("q", "close", _("Close"), show=False, id="help.q"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            keymap = getattr(self.app, "context", None)
            keymap = keymap.config.keymap if keymap is not None else {}
            yield Markdown(help_text(language()) + "\n\n" + key_tables(keymap), id="help-text")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()

    def action_close(self) -> None:
        self.dismiss()
