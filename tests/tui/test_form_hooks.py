"""Base classes refuse a subclass that forgets its hooks, at definition time."""

import pytest

from tui.screens.form import FormScreen
from tui.screens.section_pane import SectionPane


def test_a_form_without_its_hooks_is_refused() -> None:
    with pytest.raises(TypeError, match="compose_fields, action_save"):
        class Empty(FormScreen[bool]):
            pass


def test_a_tab_without_load_is_refused() -> None:
    with pytest.raises(TypeError, match="load"):
        class EmptyPane(SectionPane):
            pass
