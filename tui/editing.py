"""What the workspace's forms share: words for the store's refusals, and a modal
form that shows each problem under its field and saves in a worker thread."""

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

from tui import fmt
from tui.i18n import _

if TYPE_CHECKING:
    from store.edits import EditRefused
    from tui.workspace import Workspace

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")


def refusal_text(error: EditRefused) -> str:
    """A sentence for a refused edit, to show next to the field at fault."""
    value = error.value
    code = error.code
    if code == "required":
        return _("This cannot be empty.")
    if code == "too_long":
        return _("At most {limit} characters.").format(limit=fmt.number(value))
    if code == "control_characters":
        return _("Remove the control characters (they come from some copy and paste).")
    if code in ("not_a_date",):
        return _("Write the date as dd/mm/yyyy, e.g. 05/02/2024.")
    if code == "progress_range":
        return _("Progress is a whole number from 0 to 100.")
    if code == "done_needs_full_progress":
        return _("A finished task has progress 100%.")
    if code == "done_needs_date":
        return _("Enter the completion date.")
    if code == "done_on_only_when_done":
        return _("Only a finished task has a completion date.")
    if code == "date_in_future":
        return _("This date is after today ({today}).").format(today=_today_text())
    if code == "unknown_criterion":
        return _("This criterion is not part of the assessment.")
    if code == "file_missing":
        return _("There is no file at {path}.").format(path=value)
    if code == "not_a_file":
        return _("{path} is a folder, not a file.").format(path=value)
    if code == "file_unreadable":
        return _("The file {path} cannot be read.").format(path=value)
    if code == "bad_code":
        return _("A code is numbers joined by dots, e.g. 3, 3.2 or 3.2.1.")
    if code == "parent_missing":
        return _("Enter criterion {code} first: it is the parent of this one.").format(
            code=value)
    if code == "duplicate_code":
        return _("Criterion {code} already exists in this assessment.").format(code=value)
    if code == "score_above_max":
        score, largest = value
        return _("The score ({score}) is above the maximum ({max}).").format(
            score=fmt.points(score), max=fmt.points(largest))
    if code == "too_many_decimals":
        return _("Points have at most two decimals.")
    if code == "negative":
        return _("This cannot be negative.")
    if code == "must_be_positive":
        return _("This must be more than 0.")
    if code in ("not_a_number", "not_a_whole_number"):
        return _("Write a whole number.") if code == "not_a_whole_number" else _(
            "Write a number of points, e.g. 82,5.")
    if code == "out_of_range":
        low, high = value
        if high is None:
            return _("At least {low}.").format(low=low)
        return _("From {low} to {high}.").format(low=low, high=high)
    if code == "rank_above_count":
        return _("The number of units ranked cannot be below the rank.")
    if code == "max_below_criteria":
        return _("The maximum is below the maximum of one of its domains.")
    if code == "has_children":
        return _("Criterion {code} has sub-criteria; change or remove them first.").format(
            code=value)
    if code == "cited_by_tasks":
        return _("Tasks work on criterion {code}; unlink them first.").format(code=value)
    if code == "no_points_lost":
        return _("Criterion {code} lost no points: there is no cause to record.").format(
            code=value)
    if code == "kind_needs_cause":
        return _("Write the cause before choosing its kind.")
    if code == "unknown_cause_kind":
        return _("Choose objective, subjective or both.")
    if code == "not_found":
        return _("It no longer exists (it was removed elsewhere).")
    return _("This value is not accepted ({code}).").format(code=code)


def _today_text() -> str:
    from store.clock import today

    return fmt.date(today())


def stale_text() -> str:
    return _("This task was changed elsewhere (another window?) since you opened it. "
             "Nothing was saved: close the form and open the task again.")


def failure_text(error: BaseException) -> str:
    """Words for an unexpected failure while saving (busy or read-only database...)."""
    from tui.messages import database_error

    known = database_error(error)
    if known:
        return known
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return _("The database is busy (another window is saving). Try again in a moment.")
    if "readonly" in text or "read-only" in text:
        return _("This database is open read only; nothing can be saved.")
    return _("Nothing was saved: {reason}").format(reason=error)


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

    TITLE_TEXT = ""

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self._saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-box"):
            yield Static(self.TITLE_TEXT, classes="form-title")
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
        yield Label(label, classes="field-label")
        yield widget
        if hint:
            yield Static(hint, classes="hint")
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
            shown.update(text)
            shown.add_class("-shown")
        if first is not None:
            widget = self.query_one(f"#f-{first}")
            if widget.focusable:
                widget.focus()
            widget.scroll_visible()

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
        from store.edits import EditRefused, StaleEdit

        if self._saving:
            return
        self._saving = True

        def run() -> None:
            try:
                prepared = prepare() if prepare is not None else None
                with self.workspace.db.write() as session:
                    result = work(session, prepared)
            except EditRefused as error:
                self.app.call_from_thread(self._failed, {error.field: refusal_text(error)})
            except StaleEdit:
                self.app.call_from_thread(self._failed, {None: stale_text()})
            except Exception as error:  # noqa: BLE001 - worded for the user, logged in full
                log.exception("saving failed")
                self.app.call_from_thread(self._failed, {None: failure_text(error)})
            else:
                self.app.call_from_thread(self._saved, done, result)

        self.run_worker(run, thread=True, exclusive=True, group="save")

    def _failed(self, problems: dict[str | None, str]) -> None:
        self._saving = False
        self.show_problems(problems)

    def _saved(self, done: Callable[[R], None], result: R) -> None:
        self._saving = False
        done(result)
