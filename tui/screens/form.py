"""The workspace's modal form: every problem shown under its field at once, checked
while the official types, saving in a worker thread, and Esc asking before it
throws changes away. The words for refusals come from tui.words."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import (Button, Checkbox, Input, Label, Select, SelectionList,
                             Static, TextArea)

from tui.i18n import _
from tui.widgets.keys_footer import KeysFooter
from tui.words.edits import edit_refusal
from tui.words.errors import save_failure, stale_edit
from tui.words.plain import plain

if TYPE_CHECKING:
    from tui.services.workspace import Workspace

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")

# What a form or dialog focuses when it opens: its first field. Textual's default
# ("*") would focus the scrolling box that holds the fields, so typing went nowhere.
FIRST_FIELD = "Input, TextArea, Select, SelectionList, Checkbox, Button"


def field_value(widget: Widget) -> object:
    """What a form's field holds, to tell whether the official changed it."""
    if isinstance(widget, Input):
        return widget.value
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, SelectionList):
        return tuple(sorted(widget.selected))
    if isinstance(widget, (Select, Checkbox)):
        return widget.value
    return None


def show_below_field(field: Widget, problem: Widget) -> None:
    """Scroll so that a field and the problem line under it are both in sight,
    once the line has its height (at 80x24 it sat below the visible part)."""

    def scroll() -> None:
        field.scroll_visible(animate=False)
        problem.scroll_visible(animate=False)

    field.call_after_refresh(scroll)


class FormScreen(ModalScreen[T]):
    """A modal form. Subclasses define compose_fields() (yielding fields made with
    field()) and action_save() (which calls save_in_worker()); problems come back as
    {field: sentence} under each field. A subclass missing either is refused when
    it is defined, not when a user opens the form. A subclass that can tell
    problems without saving defines read_fields(): they are shown as the official
    types (for the fields already changed) and all at once on save (checked())."""

    REQUIRED_HOOKS = ("compose_fields", "action_save")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        missing = [name for name in cls.REQUIRED_HOOKS if not hasattr(cls, name)]
        if missing:
            raise TypeError(f"{cls.__name__} must define {', '.join(missing)}")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", _("Save"), id="form.save"),
        Binding("escape", "cancel", _("Cancel"), id="form.cancel"),
        Binding("f1", "app.help", _("Help"), id="form.help"),
    ]

    AUTO_FOCUS = FIRST_FIELD
    TITLE_TEXT = ""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self._saving = False
        self._initial: dict[str, object] = {}
        self._initial_problems: dict[str | None, str] = {}
        self._touched: set[str] = set()

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-box"):
            yield Static(plain(self.TITLE_TEXT), classes="form-title")
            yield Static("", id="form-error", classes="field-error")
            with VerticalScroll(classes="form-body"):
                yield from self.compose_fields()
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), variant="primary", id="form-save")
                yield Button(_("Cancel"), id="form-cancel")
        yield KeysFooter()

    @staticmethod
    def field(name: str, label: str, widget: Widget, hint: str = "") -> Iterator[Widget]:
        """Label, the input (id f-<name>) and the place for its problem."""
        widget.id = f"f-{name}"
        yield Label(plain(label), classes="field-label")
        yield widget
        if hint:
            yield Static(plain(hint), classes="hint")
        yield Static("", id=f"{name}-error", classes="field-error")

    def field_values(self) -> dict[str, object]:
        """Every field's value by name (the f-<name> widgets)."""
        return {str(widget.id)[2:]: field_value(widget) for widget in self.query("*")
                if widget.id and widget.id.startswith("f-")}

    def on_mount(self) -> None:
        # Focusing the first field scrolled the form past that field's label (at
        # 80x24 the official saw an unnamed box): the form opens at its top.
        self.call_after_refresh(self.query_one(".form-body").scroll_home, animate=False)
        self._initial = self.field_values()
        # What is wrong at opening (an empty required field) waits for a save or
        # for its field to be changed; a problem a change causes elsewhere shows.
        self._initial_problems = self.read_fields()[1]

    def changed(self) -> bool:
        """Whether the official changed any field since the form opened."""
        return self.field_values() != self._initial

    def read_fields(self) -> tuple[dict, dict[str | None, str]]:
        """The values read from the fields and every problem found without saving
        (a text that is not a number or a date, the store's own rules)."""
        return {}, {}

    @staticmethod
    def with_rules(problems: dict[str | None, str], check: Callable[..., Any],
                   *args: Any) -> dict[str | None, str]:
        """`problems` (what could not be read), then each refusal of the store's
        check(*args) for a field that has none yet: one place for the rules."""
        from store.write.rules import refusals_of

        for refusal in refusals_of(check, *args):
            problems.setdefault(refusal.field, edit_refusal(refusal))
        return problems

    def checked(self) -> dict | None:
        """The values, or None once every problem is shown under its field."""
        values, problems = self.read_fields()
        if problems:
            self._touched.update(name for name in problems if name is not None)
            self.show_problems(problems)
            return None
        return values

    def _check_as_typed(self, widget: Widget | None) -> None:
        if widget is None or not widget.id or not widget.id.startswith("f-"):
            return
        name = widget.id[2:]
        if self._initial and field_value(widget) != self._initial.get(name):
            self._touched.add(name)
        _values, problems = self.read_fields()
        caused = {name for name, text in problems.items()
                  if name is not None and self._initial_problems.get(name) != text}
        for shown in self._touched | caused:
            if self.query(f"#{shown}-error"):
                self._show_line(f"#{shown}-error", problems.get(shown, ""))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._check_as_typed(event.input)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._check_as_typed(event.text_area)

    def on_select_changed(self, event: Select.Changed) -> None:
        self._check_as_typed(event.select)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        self._check_as_typed(event.selection_list)

    def _show_line(self, target: str, text: str) -> None:
        shown = self.query_one(target, Static)
        shown.update(plain(text))
        shown.set_class(bool(text), "-shown")

    def show_problems(self, problems: dict[str | None, str]) -> None:
        """Each sentence under its field (None: at the top); focus the first."""
        for error in self.query(".field-error"):
            if isinstance(error, Static):
                error.update("")
                error.remove_class("-shown")
        first = None
        for name, text in problems.items():
            target = "#form-error"
            if name is not None and self.query(f"#{name}-error"):
                target = f"#{name}-error"
                first = first or name
            shown = self.query_one(target, Static)
            shown.update(plain(text))
            shown.add_class("-shown")
        if first is not None:
            widget = self.query_one(f"#f-{first}")
            if widget.focusable:
                widget.focus()
            show_below_field(widget, self.query_one(f"#{first}-error"))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "form-save":
            self.action_save()
        elif event.button.id == "form-cancel":
            self.action_cancel()

    def action_cancel(self) -> None:
        """Close; when a field was changed, ask first: Esc is easily pressed."""
        if not self.changed():
            self.dismiss(None)
            return
        from tui.screens.dialogs import ConfirmDialog

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog(
            _("Throw away the changes made in this form?"), yes=_("Throw away"),
            no=_("Keep editing"), tone="warning"), answered)

    def save_in_worker(self, work: Callable[[Any], R], done: Callable[[R], None],
                       prepare: Callable[[], Any] | None = None) -> None:
        """Run work(session, prepared) in one write transaction on a worker thread;
        `prepare` (e.g. hashing a file) runs first, outside the transaction.
        done(result) runs on the UI thread; a refusal shows under its field."""
        from store.errors import EditRefused, EditsRefused, StaleEdit

        if self._saving:
            return
        self._saving = True

        def run() -> None:
            try:
                prepared = prepare() if prepare is not None else None
                with self.workspace.edit(self.TITLE_TEXT) as session:
                    result = work(session, prepared)
            except EditRefused as error:
                every = error.problems if isinstance(error, EditsRefused) else [error]
                self.app.call_from_thread(self._failed, {
                    problem.field: edit_refusal(problem) for problem in every})
            except StaleEdit:
                self.app.call_from_thread(self._failed, {None: stale_edit()})
            except Exception as error:
                log.exception("saving failed")
                self.app.call_from_thread(self._failed, {None: save_failure(error)})
            else:
                self.app.call_from_thread(self._saved, done, result)

        self.run_worker(run, thread=True, exclusive=True, group="save")

    def _failed(self, problems: dict[str | None, str]) -> None:
        self._saving = False
        self._touched.update(name for name in problems if name is not None)
        self.show_problems(problems)

    def _saved(self, done: Callable[[R], None], result: R) -> None:
        self._saving = False
        done(result)
