"""The table that lists tasks (task list, deadlines): Enter opens the highlighted one."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from tui.i18n import _
from tui.widgets.virtual_table import VirtualTable


class TaskTable(VirtualTable):
    """A list of tasks: Enter opens the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", _("Open"), id="tasks.open"),
    ]
