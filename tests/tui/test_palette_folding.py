"""Issue 15: the palette folds accents as the task search does: "nhap ket qua"
finds "Nhập kết quả đánh giá"; the highlight marks the letters as written."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette

from tui.app import CchcApp
from tui.app_base import FoldingMatcher
from tui.cli import make_context


class Args:
    data_dir = None
    demo = True
    lang = None
    read_only = False


def test_matching_ignores_accents_case_and_the_letter_d() -> None:
    assert FoldingMatcher("nhap ket qua").match("Nhập kết quả đánh giá") > 0
    assert FoldingMatcher("DANH GIA").match("Nhập kết quả đánh giá") > 0
    assert FoldingMatcher("nhập").match("Nhập kết quả đánh giá") > 0
    assert FoldingMatcher("xuat").match("Nhập kết quả đánh giá") == 0


def test_the_highlight_marks_the_written_letters() -> None:
    candidate = "Nhập  kết quả"
    content = FoldingMatcher("ket").highlight(candidate)
    assert content.plain == candidate
    marked = sorted(i for span in content.spans for i in range(span.start, span.end))
    assert [candidate[i] for i in marked] == ["k", "ế", "t"]


async def test_the_palette_finds_a_command_typed_without_accents(data_dir: Path) -> None:
    app = CchcApp(make_context(Args()))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        commands = app.screen.query_one(CommandList)

        def shown() -> list[str]:
            return [str(commands.get_option_at_index(i).prompt)
                    for i in range(commands.option_count)]

        everything = shown()
        await pilot.press(*"nhap ket qua")
        for _ in range(200):  # the search runs in the palette's worker
            if shown() != everything:
                break
            await pilot.pause(0.02)
        found = shown()
        assert found and "Nhập kết quả đánh giá" in found[0], found
        assert len(found) < len(everything)
