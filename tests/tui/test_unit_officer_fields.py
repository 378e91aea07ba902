"""The unit and officer fields that the first-run setup and the settings share:
filled from the config, checked the same way, saved without losing what they do
not ask (the officer's e-mail)."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Input, Select, Static

from store.config import OfficerConfig, UnitConfig, load_config, save_config
from tui.app import CchcApp
from tui.cli import make_context
from tui.widgets.unit_officer_fields import UnitOfficerFields


class Args:
    def __init__(self, **kw: object) -> None:
        self.data_dir = None
        self.demo = True
        self.lang = None
        self.read_only = kw.get("read_only", False)


async def open_settings(app: CchcApp, pilot) -> None:  # noqa: ANN001
    await app.workers.wait_for_complete()
    await pilot.pause()
    await app.run_action("settings")
    await pilot.pause()
    assert type(app.screen).__name__ == "SettingsScreen"


async def test_settings_fill_check_and_save_the_unit_and_officer(data_dir: Path) -> None:
    context = make_context(Args())
    context.config.officer.email = "lan@phuong1.example"  # not asked by the form
    save_config(context.config, context.locations.config_file)
    before = context.locations.config_file.read_bytes()
    app = CchcApp(context)
    async with app.run_test(size=(100, 40)) as pilot:
        await open_settings(app, pilot)
        screen = app.screen
        assert screen.query_one("#unit-code", Input).value == "DEMO-30316"
        assert screen.query_one("#unit-level", Select).value == "phuong"
        assert screen.query_one("#officer-name", Input).value == "Nguyễn Thị Lan"
        screen.query_one("#unit-name", Input).value = "  "
        screen.query_one("#unit-code", Input).value = "30 316"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen  # refused, still open
        assert "Chỉ dùng chữ cái" in str(screen.query_one("#unit-code-error", Static).render())
        assert "Hãy nhập tên đơn vị." in str(
            screen.query_one("#unit-name-error", Static).render())
        assert app.focused is screen.query_one("#unit-code", Input)
        assert context.locations.config_file.read_bytes() == before
        screen.query_one("#unit-code", Input).value = "30317"
        screen.query_one("#unit-name", Input).value = "Phường 9"
        screen.query_one("#officer-phone", Input).value = "0909 000 111"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not screen
    config, problem = load_config(context.locations.config_file)
    assert problem is None
    assert (config.unit.code, config.unit.name, config.unit.level) == ("30317", "Phường 9",
                                                                       "phuong")
    assert (config.officer.name, config.officer.phone, config.officer.email) == (
        "Nguyễn Thị Lan", "0909 000 111", "lan@phuong1.example")


async def test_the_demo_s_settings_keep_its_code_and_real_settings_refuse_it(
        data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 40)) as pilot:
        await open_settings(app, pilot)
        screen = app.screen
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is not screen  # the demo may keep the demo's code
    config, _problem = load_config(make_context(Args()).locations.config_file)
    assert config.unit.code == "DEMO-30316"
    for demo, refused in ((False, True), (True, False)):
        fields_app = FieldsApp(False, code="DEMO-1", demo=demo)
        async with fields_app.run_test() as pilot:
            assert fields_app.query_one(UnitOfficerFields).check() is not refused
            await pilot.pause()
            error = str(fields_app.query_one("#unit-code-error", Static).render())
            assert ("DEMO- là của dữ liệu mẫu" in error) is refused


async def test_read_only_settings_keep_the_unit_code(data_dir: Path) -> None:
    make_context(Args())  # writes the demo's config once
    app = CchcApp(make_context(Args(read_only=True)))
    async with app.run_test(size=(100, 40)) as pilot:
        await open_settings(app, pilot)
        assert app.screen.query_one("#unit-code", Input).disabled


class FieldsApp(App[None]):
    def __init__(self, officer_required: bool, code: str = "30316", demo: bool = False) -> None:
        super().__init__()
        self.officer_required = officer_required
        self.code = code
        self.demo = demo

    def compose(self) -> ComposeResult:
        yield UnitOfficerFields(UnitConfig(code=self.code, name="Phường 1"), OfficerConfig(),
                                officer_required=self.officer_required, demo=self.demo)


async def test_the_officer_name_is_required_only_when_asked() -> None:
    for required in (True, False):
        app = FieldsApp(required)
        async with app.run_test() as pilot:
            fields = app.query_one(UnitOfficerFields)
            assert fields.check() is not required
            await pilot.pause()
            error = str(app.query_one("#officer-name-error", Static).render())
            assert ("Hãy nhập họ tên của bạn." in error) is required
            assert fields.values() == (UnitConfig(code="30316", name="Phường 1"),
                                       OfficerConfig())


async def test_a_unit_code_problem_shows_as_it_is_typed() -> None:
    app = FieldsApp(True)
    async with app.run_test() as pilot:
        code = app.query_one("#unit-code", Input)
        code.focus()
        code.value = ""
        await pilot.press(*"30 3")
        await pilot.pause()
        assert "Chỉ dùng chữ cái" in str(app.query_one("#unit-code-error", Static).render())
        # The officer's name was never touched: no scolding for it yet.
        assert str(app.query_one("#officer-name-error", Static).render()) == ""
        await pilot.press("backspace", "backspace", *"316")
        await pilot.pause()
        assert str(app.query_one("#unit-code-error", Static).render()) == ""
