"""What the workspace's tabs and the task's evidence list ask of their screen.

A tab knows its rows, not the screens around it: Enter on a task posts TaskChosen
and the screen decides what opening a task means (the commune's editable detail,
or the review's read-only one), as Frogmouth's panes post Goto."""

from __future__ import annotations

from textual.message import Message


class TaskChosen(Message):
    """Enter on a task row: open that task."""

    def __init__(self, task_id: int) -> None:
        super().__init__()
        self.task_id = task_id


class CriterionChosen(Message):
    """Enter on a criterion: show the task list filtered to it."""

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code


class BundleChosen(Message):
    """Enter on a received bundle (review): show what changed in it."""

    def __init__(self, record_id: int) -> None:
        super().__init__()
        self.record_id = record_id


class BundleSetAsideAsked(Message):
    """x on a received bundle (review): the unit's screen asks to be sure, then sets it
    aside (bundle: a store.review.bundles.ReceivedBundleRow)."""

    def __init__(self, bundle: object) -> None:
        super().__init__()
        self.bundle = bundle


class EvidenceRemovalAsked(Message):
    """Delete on a piece of evidence: the task's screen asks to be sure, then removes it."""

    def __init__(self, evidence_id: int) -> None:
        super().__init__()
        self.evidence_id = evidence_id
