"""Entering the supervisor's letter by hand: the assessment (title, year, issuer,
document, score, rank) and its criteria (code, title, max, score, finding)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.widgets import Input, Select, TextArea

from tui.i18n import _
from tui.screens.form import FormScreen
from tui.words import format as fmt, parse

if TYPE_CHECKING:
    from store.read.assessments import AssessmentRow
    from tui.services.workspace import Workspace


def _points_text(value: float | None) -> str:
    return "" if value is None else fmt.points(value)


class AssessmentForm(FormScreen["int | None"]):
    """Dismisses with the assessment's id once saved."""

    def __init__(self, workspace: Workspace, assessment: AssessmentRow | None = None) -> None:
        super().__init__(workspace)
        self.assessment = assessment
        self.TITLE_TEXT = _("Edit the assessment") if assessment else _("Enter an assessment")

    def compose_fields(self) -> Iterator[Widget]:
        a = self.assessment
        from store.clock import today

        yield from self.field("title", _("Title (e.g. Chỉ số CCHC năm 2025)"),
                              Input(a.title if a else "", max_length=500))
        yield from self.field("index_kind", _("Index"), Select(
            [(_("PAR Index (CCHC)"), "PAR"), (_("SIPAS (satisfaction)"), "SIPAS"),
             (_("Other"), "OTHER")], value=a.index_kind if a else "PAR", allow_blank=False))
        yield from self.field("year", _("Year assessed"),
                              Input(str(a.year) if a else str(today().year - 1),
                                    max_length=4))
        yield from self.field("issuer", _("Assessed by (e.g. UBND tỉnh Đồng Tháp)"),
                              Input(a.issuer if a else "", max_length=500))
        yield from self.field("document_number", _("Letter number (e.g. 174/BC-SNV)"),
                              Input(a.document_number or "" if a else "", max_length=500))
        yield from self.field("document_date", fmt.date_label(_("Letter date")),
                              Input(fmt.date(a.document_date, "") if a else "",
                                    placeholder=fmt.date_placeholder()))
        yield from self.field("document_title", _("Letter subject"),
                              Input(a.document_title or "" if a else "", max_length=500))
        yield from self.field("max_points", _("Maximum points"),
                              Input(fmt.points(a.max_points) if a else "100"))
        yield from self.field("score", _("Score"), Input(_points_text(a.score) if a else ""))
        yield from self.field("rank", _("Rank"),
                              Input(str(a.rank or "") if a else ""))
        yield from self.field("rank_of", _("Out of (number of units ranked)"),
                              Input(str(a.rank_of or "") if a else ""))

    def read_fields(self) -> tuple[dict, dict[str | None, str]]:
        from store.write.assessments import check_assessment

        values: dict = {name: self.query_one(f"#f-{name}", Input).value
                        for name in ("title", "issuer", "document_number", "document_title")}
        values["index_kind"] = str(self.query_one("#f-index_kind", Select).value)
        problems: dict[str | None, str] = {}
        readers = {"year": parse.whole, "rank": parse.whole, "rank_of": parse.whole,
                   "max_points": parse.points, "score": parse.points,
                   "document_date": parse.date}
        for name, reader in readers.items():
            try:
                values[name] = reader(self.query_one(f"#f-{name}", Input).value)
            except parse.InputProblem as problem:
                values[name] = None
                problems[name] = str(problem)
        return values, self.with_rules(problems, check_assessment, values)

    def action_save(self) -> None:
        from store.write.assessments import save_assessment

        values = self.checked()
        if values is None:
            return
        unit_id = self.workspace.unit_id
        assessment_id = self.assessment.id if self.assessment else None

        def work(session, _prepared) -> int:  # noqa: ANN001
            return save_assessment(session, unit_id, values, assessment_id)

        self.save_in_worker(work, self.dismiss)


class CriterionForm(FormScreen[bool]):
    """Add (criterion_id None) or edit a criterion. Dismisses with True once saved."""

    def __init__(self, workspace: Workspace, assessment_id: int,
                 criterion_id: int | None = None) -> None:
        super().__init__(workspace)
        self.assessment_id = assessment_id
        self.criterion_id = criterion_id
        self.TITLE_TEXT = _("Edit criterion") if criterion_id else _("Add criterion")
        self._values: dict = {}
        from store.models import Criterion
        from store.write.criteria import criterion_maxes

        with workspace.db.read() as session:
            # The other criteria's max points bound this one's, checked as typed.
            self._maxes = criterion_maxes(session, assessment_id, criterion_id)
            row = None if criterion_id is None else session.get(Criterion, criterion_id)
            if row is not None:
                self._values = {"code": row.code, "title": row.title,
                                "max_points": row.max_points, "score": row.score,
                                "finding": row.finding}

    def compose_fields(self) -> Iterator[Widget]:
        v = self._values
        yield from self.field("code", _("Code (e.g. 3.2 or 3.2.1)"),
                              Input(v.get("code", ""), max_length=20),
                              hint=_("A sub-criterion needs its parent: 3.2 before 3.2.1."))
        yield from self.field("title", _("Criterion"), Input(v.get("title", ""), max_length=500))
        yield from self.field("max_points", _("Maximum points"),
                              Input(_points_text(v.get("max_points"))))
        yield from self.field("score", _("Score"), Input(_points_text(v.get("score"))))
        yield from self.field("finding", _("Finding (why points were lost)"),
                              TextArea(v.get("finding") or "", soft_wrap=True,
                                       classes="text-box"))

    def read_fields(self) -> tuple[dict, dict[str | None, str]]:
        from store.write.criteria import check_criterion

        values: dict = {"code": self.query_one("#f-code", Input).value,
                        "title": self.query_one("#f-title", Input).value,
                        "finding": self.query_one("#f-finding", TextArea).text}
        problems: dict[str | None, str] = {}
        for name in ("max_points", "score"):
            try:
                values[name] = parse.points(self.query_one(f"#f-{name}", Input).value)
            except parse.InputProblem as problem:
                values[name] = None
                problems[name] = str(problem)
        return values, self.with_rules(problems, check_criterion, values, self._maxes)

    def action_save(self) -> None:
        from store.write.criteria import save_criterion

        values = self.checked()
        if values is None:
            return
        assessment_id, criterion_id = self.assessment_id, self.criterion_id

        def work(session, _prepared) -> bool:  # noqa: ANN001
            save_criterion(session, assessment_id, values, criterion_id)
            return True

        self.save_in_worker(work, self.dismiss)
