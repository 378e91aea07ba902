"""The unit's cause for a criterion that lost points (nguyên nhân), and its kind:
objective, subjective or both, as the supervisor's letters ask."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import Select, Static, TextArea

from tui.i18n import _
from tui.screens.form import FormScreen
from tui.words import format as fmt
from tui.words import labels
from tui.words.plain import plain, plain_options

if TYPE_CHECKING:
    from tui.services.workspace import Workspace


class CauseForm(FormScreen[bool]):
    """Dismisses with True once saved."""

    def __init__(self, workspace: Workspace, criterion_id: int) -> None:
        super().__init__(workspace)
        from store.models import Criterion

        self.criterion_id = criterion_id
        with workspace.db.read() as session:
            row = session.get(Criterion, criterion_id)
            self._row = None if row is None else (row.code, row.title, row.finding, row.cause,
                                                  row.cause_kind, row.max_points, row.score)
        code, title = (self._row[0], self._row[1]) if self._row else ("", "")
        self.TITLE_TEXT = _("Cause: {code} {title}").format(code=code, title=title)

    def compose_fields(self) -> Iterator[Widget]:
        from store.derive import points_lost

        if self._row is None:
            yield Static(_("It no longer exists (it was removed elsewhere)."))
            return
        _code, _title, finding, cause, kind, max_points, score = self._row
        lost = fmt.points(points_lost(max_points, score))
        yield Static(plain(_("{points} points lost").format(points=lost) + (
            f" · {finding}" if finding else ""), lines=True), classes="hint")
        yield from self.field("cause", _("Why the points were lost"),
                              TextArea(cause or "", soft_wrap=True, classes="text-box"))
        yield from self.field("cause_kind", _("Kind of cause"),
                              Select(plain_options(labels.cause_kinds()),
                                     value=kind or Select.NULL,
                                     prompt=labels.cause_kind(None)))

    def on_mount(self) -> None:
        if self.query("#f-cause"):
            self.query_one("#f-cause", TextArea).focus()

    def read_fields(self) -> tuple[dict, dict[str | None, str]]:
        from store.write.criteria import check_cause

        if self._row is None:
            return {}, {}
        kind = self.query_one("#f-cause_kind", Select).value
        values = {"cause": self.query_one("#f-cause", TextArea).text,
                  "cause_kind": None if kind is Select.NULL else str(kind)}
        return values, self.with_rules({}, check_cause, values)

    def action_save(self) -> None:
        from store.write.criteria import set_criterion_cause

        if self._row is None:
            return
        values = self.checked()
        if values is None:
            return
        criterion_id, officer = self.criterion_id, self.workspace.officer

        def work(session, _prepared) -> bool:  # noqa: ANN001
            set_criterion_cause(session, criterion_id, values, by=officer)
            return True

        self.save_in_worker(work, self.dismiss)
