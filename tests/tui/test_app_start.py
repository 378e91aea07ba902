"""The path from the database to the first screen, the first-run setup, and a
broken config file."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from store.config import load_config
from store.paths import resolve
from tui.app import CchcApp
from tui.cli import make_context
from tui.i18n import set_language


class Args:
    def __init__(self, **kw: object) -> None:
        self.data_dir = kw.get("data_dir")
        self.demo = kw.get("demo", False)
        self.lang = kw.get("lang")
        self.read_only = kw.get("read_only", False)


async def _wait_for_workers(app: CchcApp, pilot) -> None:  # noqa: ANN001
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_demo_opens_on_its_tasks(data_dir: Path) -> None:
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(120, 30)) as pilot:
        await _wait_for_workers(app, pilot)
        summary = str(app.screen.query_one("#summary", Static).render())
        assert "Phường 1 (DEMO-30316)" in summary
        assert "86,1/100" in summary and "hạng 6/9" in summary
        table = app.screen.query_one("#task-table")
        assert table.row_count == 20
        titles = [table.row_at(i).cells[1] for i in range(table.row_count)]
        assert "Cài đặt phần mềm chống mã độc của Tỉnh trên tất cả máy tính" in titles
    demo = resolve(data_dir, demo=True)
    assert demo.db_path.exists()
    assert not resolve(data_dir).db_path.exists()  # the real database is untouched


async def test_first_run_asks_for_the_unit_and_saves_it(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 40)) as pilot:
        assert app.screen.__class__.__name__ == "SetupScreen"
        await pilot.click("#setup-save")
        await pilot.pause()
        assert "Hãy nhập mã đơn vị." in str(app.screen.query_one("#unit-code-error").render())
        assert not resolve(data_dir).config_file.exists()
        app.screen.query_one("#unit-code", Input).value = "30 316"
        app.screen.query_one("#unit-name", Input).value = "Phường 2"
        app.screen.query_one("#officer-name", Input).value = "Lê Hoàng Nam"
        await pilot.click("#setup-save")
        await pilot.pause()
        assert "Chỉ dùng chữ cái" in str(app.screen.query_one("#unit-code-error").render())
        # The demo's code is no real unit's: refused in words, nothing saved.
        app.screen.query_one("#unit-code", Input).value = "demo-30316"
        await pilot.click("#setup-save")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "SetupScreen"
        assert "Mã bắt đầu bằng DEMO- là của dữ liệu mẫu: hãy nhập mã của chính đơn vị " \
               "mình." in str(app.screen.query_one("#unit-code-error").render())
        assert not resolve(data_dir).config_file.exists()
        app.screen.query_one("#unit-code", Input).value = "30317"
        await pilot.click("#setup-save")
        await _wait_for_workers(app, pilot)
        assert app.screen.__class__.__name__ == "WorkspaceScreen"
    config, problem = load_config(resolve(data_dir).config_file)
    assert problem is None
    assert (config.unit.code, config.unit.name, config.officer.name) == (
        "30317", "Phường 2", "Lê Hoàng Nam")


async def test_the_setup_form_suggests_no_unit_s_code(data_dir: Path) -> None:
    for language, label in (("vi", "Mã đơn vị (5 chữ số, theo danh mục đơn vị hành chính)"),
                            ("en", "Unit code (5 digits, from the national list of "
                                   "administrative units)")):
        set_language(language)
        app = CchcApp(make_context(Args(lang=language)))
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            assert app.screen.__class__.__name__ == "SetupScreen"
            labels = [str(widget.render()) for widget in app.screen.query(".field-label")]
            assert labels[0] == label
            assert not any("30316" in text for text in labels)


async def test_real_settings_holding_the_demo_code_are_warned_about(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.toml").write_text(
        '[unit]\ncode = "DEMO-30316"\nname = "Phường 1"\n', encoding="utf-8")
    context = make_context(Args())
    assert context.startup_warnings == [
        "Mã đơn vị DEMO-30316 trong phần cài đặt là mã của bản mẫu, không phải của một đơn "
        "vị thật: các tệp xuất ở đây sẽ bị đánh dấu là dữ liệu mẫu. Hãy nhập mã của chính "
        "đơn vị mình trong Cài đặt."]
    assert make_context(Args(demo=True)).startup_warnings == []  # the demo's own code


async def test_a_demo_folder_holding_a_real_code_is_warned_about(data_dir: Path) -> None:
    """A demo folder made before the demo had its own code still says 30316."""
    demo = resolve(data_dir, demo=True).ensure()
    demo.config_file.write_text('[unit]\ncode = "30316"\nname = "Phường 1"\n',
                                encoding="utf-8")
    context = make_context(Args(demo=True))
    assert context.startup_warnings == [
        "Phần cài đặt của bản mẫu đang ghi mã đơn vị 30316, không phải mã riêng của bản mẫu "
        "là DEMO-30316: các tệp xuất từ bản mẫu sẽ trông như báo cáo thật của đơn vị đó. Để "
        f"dùng lại bản mẫu từ đầu, hãy xóa thư mục {demo.data_dir}."]
    app = CchcApp(context)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await _wait_for_workers(app, pilot)
        assert any("không phải mã riêng của bản mẫu" in str(n.message)
                   for n in app._notifications)


async def test_broken_config_warns_and_starts_with_defaults(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    config_file = data_dir / "config.toml"
    config_file.write_text("[unit\ncode = 1\n", encoding="utf-8")
    context = make_context(Args())
    app = CchcApp(context)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(str(config_file) in m and "dòng 1" in m for m in messages)
        assert app.screen.__class__.__name__ == "SetupScreen"
    assert config_file.read_text(encoding="utf-8") == "[unit\ncode = 1\n"


async def test_nothing_is_written_outside_the_data_folder(data_dir: Path, tmp_path: Path) -> None:
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(100, 30)) as pilot:
        await _wait_for_workers(app, pilot)
    written = {p for p in tmp_path.rglob("*") if p.is_file()}
    assert written
    assert all(p.is_relative_to(data_dir) for p in written), written


async def test_the_task_list_says_it_is_reading_until_the_data_is_open(
        data_dir: Path, monkeypatch) -> None:  # noqa: ANN001
    """No loading animation before the unit's data (it took the UI thread the first
    frame needs): the task list says in words that it is reading, then shows the tasks."""
    import tui.services.workspace as services
    from tests.holding import hold
    from tests.tui.test_workspace import until

    gate = hold(monkeypatch, services, "open_workspace")
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(120, 30)) as pilot:
        await until(pilot, lambda: bool(app.screen.query("#task-table")))
        await pilot.pause()
        table = app.screen.query_one("#task-table")
        assert not app.screen.query_one("TasksPane").loading
        assert "Đang đọc danh sách nhiệm vụ…" in table.render_line(1).text
        gate.set()
        await until(pilot, lambda: table.row_count == 20)
        assert "Đang đọc" not in table.render_line(1).text


async def test_a_database_that_cannot_be_opened_says_why_on_the_screen(data_dir: Path) -> None:
    """Not only a notification (gone after some seconds): the summary line and the
    task list say why the data is not there."""
    import sqlite3

    from store.demo import seed_demo
    from tests.tui.test_workspace import until

    locations = resolve(data_dir, demo=True).ensure()
    seed_demo(locations.db_path)
    connection = sqlite3.connect(locations.db_path)
    connection.execute("PRAGMA user_version = 99")  # made by a newer CCHC Tracker
    connection.commit()
    connection.close()
    app = CchcApp(make_context(Args(demo=True)))
    async with app.run_test(size=(120, 30)) as pilot:
        summary = app.screen.query_one("#summary", Static)
        await until(pilot, lambda: "Đang mở" not in str(summary.render()))
        said = str(summary.render())
        assert "99" in said and "mới hơn" in said
        table = app.screen.query_one("#task-table")
        assert "Không mở được dữ liệu (lý do ở dòng trên)." in table.render_line(1).text
