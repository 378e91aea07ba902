"""The workspace's modal form: each problem shown under its field, saving in a
worker thread. The words for refusals come from tui.words."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Footer, Label, Static

from tui.i18n import _
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
    it is defined, not when a user opens the form."""

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

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-box"):
            yield Static(plain(self.TITLE_TEXT), classes="form-title")
            yield Static("", id="form-error", classes="field-error")
            with VerticalScroll(classes="form-body"):
                yield from self.compose_fields()
            with Horizontal(classes="buttons"):
                yield Button(_("Save"), variant="primary", id="form-save")
                yield Button(_("Cancel"), id="form-cancel")
        yield Footer()

    @staticmethod
    def field(name: str, label: str, widget: Widget, hint: str = "") -> Iterator[Widget]:
        """Label, the input (id f-<name>) and the place for its problem."""
        widget.id = f"f-{name}"
        yield Label(plain(label), classes="field-label")
        yield widget
        if hint:
            yield Static(plain(hint), classes="hint")
        yield Static("", id=f"{name}-error", classes="field-error")

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
        self.dismiss(None)

    def save_in_worker(self, work: Callable[[Any], R], done: Callable[[R], None],
                       prepare: Callable[[], Any] | None = None) -> None:
        """Run work(session, prepared) in one write transaction on a worker thread;
        `prepare` (e.g. hashing a file) runs first, outside the transaction.
        done(result) runs on the UI thread; a refusal shows under its field."""
        from store.errors import EditRefused, StaleEdit

        if self._saving:
            return
        self._saving = True

        def run() -> None:
            try:
                prepared = prepare() if prepare is not None else None
                with self.workspace.edit(self.TITLE_TEXT) as session:
                    result = work(session, prepared)
            except EditRefused as error:
                self.app.call_from_thread(self._failed, {error.field: edit_refusal(error)})
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
        self.show_problems(problems)

    def _saved(self, done: Callable[[R], None], result: R) -> None:
        self._saving = False
        done(result)
