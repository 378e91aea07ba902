"""Add or edit a task: title, detail, criteria, owner, deadline, status, progress,
completion date, result. Marking it done sets progress to 100 and asks for the
completion date. Saved through store.write.tasks in one transaction, with history."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Input, Select, SelectionList, TextArea

from tui.i18n import _
from tui.screens.form import FormScreen
from tui.words import format as fmt, labels, parse
from tui.words.plain import plain, plain_options

if TYPE_CHECKING:
    from store.read.task_detail import TaskDetail
    from tui.services.workspace import Workspace

STATUSES = ("todo", "in_progress", "done", "cancelled")


def ticked_first(criteria: list[tuple[int, str, str]],
                 cited: set[int]) -> list[tuple[int, str, str]]:
    """The criteria a task cites first, then the others, each in code order: the
    picker shows a few of some fifty lines, and the ticked ones were out of sight."""
    return ([c for c in criteria if c[0] in cited] + [c for c in criteria if c[0] not in cited])


class TaskForm(FormScreen["int | None"]):
    """Dismisses with the task's id once saved, None if cancelled."""

    def __init__(self, workspace: Workspace, assessment_id: int,
                 task_id: int | None = None) -> None:
        super().__init__(workspace)
        self.assessment_id = assessment_id
        self.task_id = task_id
        self.TITLE_TEXT = _("Edit task") if task_id else _("New task")
        self.detail: TaskDetail | None = None
        self._criteria: list[tuple[int, str, str]] = []
        self._owners: list[str] = []
        self._status = "todo"
        self._load()

    def _load(self) -> None:
        from store.read.criteria import criteria_rows
        from store.read.task_detail import task_detail
        from store.read.tasks import task_owners

        with self.workspace.db.read() as session:
            if self.task_id is not None:
                self.detail = task_detail(session, self.task_id)
            self._criteria = [(c.id, c.code, c.title)
                              for c in criteria_rows(session, self.assessment_id)]
            self._owners = [name for name, _key in task_owners(session, self.assessment_id)]
        if self.detail is not None:
            self._status = self.detail.status

    def compose_fields(self) -> Iterator[Widget]:
        d = self.detail
        cited = {c.id for c in d.criteria} if d else set()
        yield from self.field("title", _("Task"), Input(d.title if d else "", max_length=500))
        yield from self.field("detail", _("What to do"),
                              TextArea(d.detail or "" if d else "", soft_wrap=True,
                                       classes="text-box"))
        yield from self.field("criteria", _("Criteria it remedies (space to tick)"),
                              SelectionList[int](*[(plain(f"{code} {title}"), cid, cid in cited)
                                                   for cid, code, title in
                                                   ticked_first(self._criteria, cited)],
                                                 classes="criteria-box"))
        yield from self.field("owner", _("Official in charge"),
                              Input(d.owner or "" if d else "", max_length=500,
                                    suggester=SuggestFromList(self._owners,
                                                              case_sensitive=False)))
        yield from self.field("due", fmt.date_label(_("Deadline")),
                              Input(fmt.date(d.due, "") if d else "",
                                    placeholder=fmt.date_placeholder()))
        yield from self.field("status", _("Status"),
                              Select(plain_options((labels.status(s), s) for s in STATUSES),
                                     value=self._status, allow_blank=False))
        yield from self.field("progress", _("Progress (0–100%)"),
                              Input(str(d.progress) if d else "0", max_length=3))
        yield from self.field("done_on", fmt.date_label(_("Completed on")),
                              Input(fmt.date(d.done_on, "") if d else "",
                                    placeholder=fmt.date_placeholder()))
        yield from self.field("result", _("Result"),
                              TextArea(d.result or "" if d else "", soft_wrap=True,
                                       classes="text-box"))

    def on_input_changed(self, event: Input.Changed) -> None:
        """Progress typed on a task not started: it has started, so say so."""
        if event.input.id != "f-progress" or self._status != "todo":
            return
        try:
            progress = parse.whole(event.value)
        except parse.InputProblem:
            return
        if progress:
            self._status = "in_progress"
            with self.prevent(Select.Changed):
                self.query_one("#f-status", Select).value = "in_progress"
            self.notify(_("Status set to {status}: the task has progress.").format(
                status=labels.status("in_progress")))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "f-status" or event.value == self._status:
            return
        previous, self._status = self._status, str(event.value)
        if self._status == "done":
            self._ask_completion_date(previous)
        else:
            self.query_one("#f-done_on", Input).value = ""

    def _ask_completion_date(self, previous: str) -> None:
        from store.clock import today

        from tui.screens.dialogs import DateDialog

        def answered(day) -> None:  # noqa: ANN001
            if day is None:
                self._status = previous
                with self.prevent(Select.Changed):
                    self.query_one("#f-status", Select).value = previous
                return
            self.query_one("#f-progress", Input).value = "100"
            self.query_one("#f-done_on", Input).value = fmt.date(day)

        self.app.push_screen(DateDialog(fmt.date_label(_("Completed on")), today(), today()),
                             answered)

    def read_fields(self) -> tuple[dict, dict[str | None, str]]:
        from store.write.tasks import check_task_values

        values, criteria, problems = self._values()
        # The store's rules see the values as it would: texts cleaned on a copy.
        return {**values, "criteria": criteria}, self.with_rules(
            problems, check_task_values, {**values})

    def _values(self) -> tuple[dict, list[int], dict[str | None, str]]:
        problems: dict[str | None, str] = {}
        values: dict = {
            "title": self.query_one("#f-title", Input).value,
            "detail": self.query_one("#f-detail", TextArea).text,
            "owner": self.query_one("#f-owner", Input).value,
            "status": str(self.query_one("#f-status", Select).value),
            "result": self.query_one("#f-result", TextArea).text,
        }
        for name in ("due", "done_on"):
            try:
                values[name] = parse.date(self.query_one(f"#f-{name}", Input).value)
            except parse.InputProblem as problem:
                values[name] = None
                problems[name] = str(problem)
        try:
            progress = parse.whole(self.query_one("#f-progress", Input).value)
            values["progress"] = 0 if progress is None else progress
        except parse.InputProblem as problem:
            values["progress"] = 0
            problems["progress"] = str(problem)
        if values["status"] == "todo" and values.get("progress"):
            problems["status"] = _("A task not started has no progress: choose {status} "
                                   "or set the progress to 0.").format(
                                       status=labels.status("in_progress"))
        criteria = list(self.query_one("#f-criteria", SelectionList).selected)
        return values, criteria, problems

    def _unbacked_done(self, values: dict) -> bool:
        """Done, yet nothing shows it: no evidence recorded and no result written."""
        has_evidence = self.detail is not None and bool(self.detail.evidence)
        return values["status"] == "done" and not has_evidence and not values["result"].strip()

    def _done_saving(self, task_id: int, unbacked: bool) -> None:
        if unbacked:
            self.app.notify(_("The task is marked done but has no evidence and no result: "
                              "add them so the report can show it."),
                            severity="warning", timeout=12)
        self.dismiss(task_id)

    def action_save(self) -> None:
        from store.write.tasks import create_task, set_task_criteria, update_task

        checked = self.checked()
        if checked is None:
            return
        criteria = checked.pop("criteria")
        values = checked
        by = self.workspace.officer
        task_id, detail, assessment_id = self.task_id, self.detail, self.assessment_id

        def work(session, _prepared) -> int:  # noqa: ANN001
            if task_id is None:
                return create_task(session, assessment_id, values, criteria, by=by)
            update_task(session, task_id, values, by=by,
                        expected_updated_at=detail.updated_at if detail else None)
            set_task_criteria(session, task_id, criteria, by=by)
            return task_id

        unbacked = self._unbacked_done(values)
        self.save_in_worker(work, lambda saved: self._done_saving(saved, unbacked))
