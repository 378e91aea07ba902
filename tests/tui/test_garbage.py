"""tui.garbage: collections are seldom while a window loads, as usual for a command
and once the app has loaded, and the loaded objects are frozen (issue 16)."""

from __future__ import annotations

import gc

import pytest

from tui import garbage


@pytest.fixture(autouse=True)
def _usual_afterwards():  # noqa: ANN202
    yield
    garbage.unloaded()


def test_loading_then_loaded() -> None:
    garbage.while_loading()
    assert gc.get_threshold()[0] == garbage.LOADING_FIRST_GENERATION
    garbage.loaded()
    assert gc.get_threshold() == garbage.USUAL_THRESHOLDS and gc.get_freeze_count() > 0
    garbage.unloaded()
    assert gc.get_freeze_count() == 0


def test_a_command_runs_with_the_usual_collections(monkeypatch, data_dir) -> None:  # noqa: ANN001
    import tui.cli_commands as commands
    from tui.cli import main

    seen = []
    real = commands.load_commands

    def recording_commands():  # noqa: ANN202
        found = real()
        module = found["check"]
        monkeypatch.setattr(module, "run",
                            lambda args, context: seen.append(gc.get_threshold()) or 0)
        return found

    monkeypatch.setattr(commands, "load_commands", recording_commands)
    assert main(["check", "x.json"]) == 0
    assert seen == [garbage.USUAL_THRESHOLDS]
    assert gc.get_threshold() == garbage.USUAL_THRESHOLDS


def test_main_leaves_the_usual_collections_behind() -> None:
    from tui.cli import main

    assert main(["--version"]) == 0
    assert gc.get_threshold() == garbage.USUAL_THRESHOLDS
    with pytest.raises(SystemExit):
        main(["--no-such-option"])
    assert gc.get_threshold() == garbage.USUAL_THRESHOLDS


def test_the_review_window_loads_with_seldom_collections(monkeypatch, data_dir) -> None:  # noqa: ANN001
    import tui.review.app as review
    from tui.cli import main

    seen = []
    monkeypatch.setattr(review, "run_review_app",
                        lambda *args, **kwargs: seen.append(gc.get_threshold()[0]) or 0)
    assert main(["review"]) == 0
    assert seen == [garbage.LOADING_FIRST_GENERATION]


async def test_the_app_has_usual_collections_once_loaded(data_dir) -> None:  # noqa: ANN001
    """The commune's app: collections as usual and the loaded objects frozen once its
    database is open; nothing frozen after it ends."""
    from tests.tui.test_app_start import Args
    from tests.tui.test_workspace import until
    from tui.app import CchcApp
    from tui.cli import make_context

    garbage.while_loading()
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: gc.get_threshold() == garbage.USUAL_THRESHOLDS)
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
