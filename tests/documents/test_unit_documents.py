"""The plan and the results report read back with python-docx: NĐ 30 page and
fonts, the header block, the sections, the appendix (one row per task, the right
figures with a decimal comma), the check code; a unit with no losses, a long
finding, English documents."""

from __future__ import annotations

import re

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm

from tests.conftest import FIXED_TODAY
from tests.documents.conftest import body_texts, read_docx, small_unit, table_rows
from tui.documents.layout import to_bytes
from tui.documents.remediation import DataCheck, plan_document, results_document
from tui.words import format as fmt

SHA = "561706dd5091" + "ab" * 26
CHECK = DataCheck(SHA, "cchc-30316-20261121-0002.json")
DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def _plan(facts, drafts, signing, language="vi"):  # noqa: ANN001, ANN202
    return read_docx(to_bytes(plan_document(facts, drafts, signing, language)))


def _report(facts, drafts, signing, check=CHECK, language="vi"):  # noqa: ANN001, ANN202
    return read_docx(to_bytes(results_document(facts, drafts, signing, language, check)))


def _mm(length) -> float:  # noqa: ANN001
    return length / Mm(1)


def _texts(cell) -> list[str]:  # noqa: ANN001
    return [p.text for p in cell.paragraphs if p.text]


def _has_rule(cell) -> bool:  # noqa: ANN001
    return any(p._p.pPr is not None and p._p.pPr.find(qn("w:pBdr")) is not None
               for p in cell.paragraphs)


def _appendix(document):  # noqa: ANN001, ANN202
    return document.tables[-1]


def test_the_plan_has_the_page_fonts_and_header_block_of_nd_30(demo_facts, signing) -> None:  # noqa: ANN001
    facts, plan, _results = demo_facts
    document = _plan(facts, plan, signing)
    portrait, appendix = document.sections
    assert round(_mm(portrait.page_width)) == 210 and round(_mm(portrait.page_height)) == 297
    assert 20 <= round(_mm(portrait.top_margin)) <= 25
    assert 20 <= round(_mm(portrait.bottom_margin)) <= 25
    assert 30 <= round(_mm(portrait.left_margin)) <= 35
    assert 15 <= round(_mm(portrait.right_margin)) <= 20
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert round(_mm(appendix.page_width)) == 297 and round(_mm(appendix.page_height)) == 210
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    fonts = normal.element.rPr.rFonts
    assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "eastAsia", "cs")} == {
        "Times New Roman"}
    body_sizes = {run.font.size.pt if run.font.size else 14
                  for p in document.paragraphs for run in p.runs}
    assert body_sizes <= {13, 14}  # body, headings, title: 13-14 pt
    assert all(run.font.name in (None, "Times New Roman")
               for p in document.paragraphs for run in p.runs)

    header = document.tables[0]
    assert header._tbl.tblPr.find(qn("w:tblBorders")) is not None  # borderless
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}
    (issuer, national), (number, date) = header.rows[0].cells, header.rows[1].cells
    assert _texts(issuer) == ["ỦY BAN NHÂN DÂN", "PHƯỜNG 1"]
    assert _texts(national) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                "Độc lập - Tự do - Hạnh phúc"]
    assert all(run.bold for cell in (issuer, national) for p in cell.paragraphs
               for run in p.runs)
    assert _has_rule(issuer) and _has_rule(national)
    assert re.fullmatch(r"Số:\s+/KH-UBND", number.text.strip())  # the clerk writes the number
    assert re.fullmatch(r"Phường 1, ngày\s+tháng\s+năm 2026", date.text.strip())
    assert all(run.italic for run in date.paragraphs[0].runs)
    assert {run.font.size.pt for cell in (issuer, national, number, date)
            for p in cell.paragraphs for run in p.runs} <= {12, 13, 14}

    texts = body_texts(document)
    assert "KẾ HOẠCH" in texts
    title = document.paragraphs[texts.index("KẾ HOẠCH")]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold
    assert texts[texts.index("KẾ HOẠCH") + 1] == (
        "Khắc phục các tiêu chí bị trừ điểm trong Chỉ số CCHC năm 2025")
    headings = [t for t in texts if re.match(r"^(I|II|III)\. ", t)]
    assert headings == ["I. MỤC ĐÍCH, YÊU CẦU", "II. NHIỆM VỤ, GIẢI PHÁP",
                        "III. TỔ CHỨC THỰC HIỆN"]
    assert any(t.startswith("Thực hiện văn bản số 1245/UBND-HC ngày ") for t in texts)
    assert "Tại Chỉ số CCHC năm 2025, Phường 1 đạt 86,1/100 điểm, xếp hạng 6/9; bị trừ " \
           "13,9 điểm ở 16 tiêu chí." in texts
    closing_line = next(t for t in texts if t.startswith("Trên đây là"))
    assert closing_line.startswith("Trên đây là Kế hoạch khắc phục") and closing_line.endswith(
        "./.")

    closing = document.tables[1]
    recipients, signer = closing.rows[0].cells
    assert _texts(recipients)[0] == "Nơi nhận:"
    assert recipients.paragraphs[0].runs[0].bold and recipients.paragraphs[0].runs[0].italic
    assert _texts(recipients)[1:] == ["- UBND thành phố Sa Đéc (b/c);",
                                      "- Công chức được phân công (t/h);", "- Lưu: VT."]
    assert {run.font.size.pt for p in recipients.paragraphs[1:] for run in p.runs} == {11}
    assert _texts(signer) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn Hôn"]


def test_page_numbers_are_centred_at_the_top_from_page_two(demo_facts, signing) -> None:  # noqa: ANN001
    facts, plan, _results = demo_facts
    section = _plan(facts, plan, signing).sections[0]
    assert section.different_first_page_header_footer
    (number,) = section.header.paragraphs
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instructions = [t.text for t in number._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE"]
    assert [c.get(qn("w:fldCharType")) for c in number._p.iter(qn("w:fldChar"))] == [
        "begin", "separate", "end"]
    first = section.first_page_header
    assert not any(p.text for p in first.paragraphs)
    assert not list(first._element.iter(qn("w:instrText")))


def test_the_plan_appendix_has_one_row_per_task_with_its_figures(demo_facts, signing) -> None:  # noqa: ANN001
    facts, plan, _results = demo_facts
    document = _plan(facts, plan, signing)
    texts = body_texts(document)
    assert "Phụ lục" in texts
    assert "DANH MỤC NHIỆM VỤ KHẮC PHỤC CÁC TIÊU CHÍ BỊ TRỪ ĐIỂM" in texts
    assert any(re.fullmatch(r"\(Kèm theo Kế hoạch số\s+/KH-UBND ngày\s+tháng\s+năm 2026 của "
                            r"Ủy ban nhân dân Phường 1\)", t) for t in texts)
    rows = table_rows(_appendix(document))
    assert rows[0] == ["STT", "Tiêu chí", "Nội dung bị trừ điểm", "Điểm bị trừ", "Nguyên nhân",
                       "Giải pháp, nhiệm vụ", "Chủ trì / người phụ trách", "Thời hạn",
                       "Kết quả", "Tài liệu kiểm chứng"]
    body = rows[1:]
    tasks = [t for t in facts.tasks if t.criteria and t.status != "cancelled"]
    assert len(body) == len(tasks) == 17  # the demo: no lost criterion without a task
    assert [row[0] for row in body] == [str(n) for n in range(1, 18)]
    by_task = {row[5].split("\n")[0]: row for row in body}
    assert set(by_task) == {t.title for t in tasks}
    joint = by_task["Rà soát quy trình nội bộ giải quyết hồ sơ đất đai"]
    assert joint[1] == ("3.2. Tỷ lệ hồ sơ TTHC giải quyết đúng hạn\n"
                        "3.3. Thực hiện xin lỗi khi hồ sơ trễ hạn")
    assert joint[3] == "1,5" and joint[6] == "Đặng Thị Mỹ Dung"
    assert joint[4].startswith("3.2: (Khách quan và chủ quan) Hồ sơ đất đai")
    for task in tasks:
        row = by_task[task.title]
        assert row[7] == fmt.date(task.due) and DATE.match(row[7])
        assert row[6] == (task.owner or "")
        assert row[8] == "" and row[9] == ""  # a plan: no results yet
    first = by_task["Hoàn thành các nhiệm vụ còn lại của Kế hoạch CCHC năm"]
    assert first[1] == "1.1.2. Mức độ hoàn thành Kế hoạch CCHC" and first[3] == "0,5"
    assert first[2] == "17/20 nhiệm vụ trong Kế hoạch hoàn thành (85%)"
    assert first[4] == "(Chủ quan) Một số nhiệm vụ chưa được phân công cụ thể người thực " \
                       "hiện, chưa theo dõi tiến độ hằng tháng."
    assert "Tập huấn công tác rà soát văn bản QPPL" not in by_task  # cancelled
    sizes = {run.font.size.pt for row in _appendix(document).rows for cell in row.cells
             for p in cell.paragraphs for run in p.runs}
    assert sizes == {12}


def test_the_results_report_addresses_the_supervisor_and_prints_the_check_code(
        demo_facts, signing) -> None:  # noqa: ANN001
    facts, _plan_drafts, drafts = demo_facts
    document = _report(facts, drafts, signing)
    texts = body_texts(document)
    number = document.tables[0].rows[1].cells[0]
    assert re.fullmatch(r"Số:\s+/BC-UBND", number.text.strip())
    assert texts[texts.index("BÁO CÁO") + 1] == (
        "Kết quả khắc phục các tiêu chí bị trừ điểm trong Chỉ số CCHC năm 2025")
    assert "Kính gửi: UBND thành phố Sa Đéc." in texts
    headings = [t for t in texts if re.match(r"^(I|II|III|IV)\. ", t)]
    assert headings == ["I. TÌNH HÌNH TRIỂN KHAI", "II. KẾT QUẢ KHẮC PHỤC",
                        "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "IV. KIẾN NGHỊ, ĐỀ XUẤT"]

    def section(first: str, last: str) -> list[str]:
        return texts[texts.index(first) + 1:texts.index(last)]

    assert section("I. TÌNH HÌNH TRIỂN KHAI", "II. KẾT QUẢ KHẮC PHỤC") == \
        drafts["direction"].text.split("\n")
    closing_line = next(t for t in texts if t.startswith("Trên đây là Báo cáo"))
    assert section("IV. KIẾN NGHỊ, ĐỀ XUẤT", closing_line) == drafts["proposals"].text.split("\n")
    results = section("II. KẾT QUẢ KHẮC PHỤC", "III. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN")
    assert "Tổng số nhiệm vụ khắc phục: 17; đã hoàn thành 4, đang thực hiện 9, chưa thực " \
           "hiện 4; quá hạn 5." in results
    done = next(t for t in facts.tasks if t.title.startswith("Cập nhật đầy đủ TTHC"))
    evidence = done.evidence[0]
    assert (f"Tài liệu kiểm chứng: Số {evidence.number} ngày {fmt.date(evidence.date)}, "
            f"{evidence.locator}: {evidence.title}.") in results
    causes = section("2. Nguyên nhân", "IV. KIẾN NGHỊ, ĐỀ XUẤT")
    objective = causes[causes.index("a) Nguyên nhân khách quan") + 1:
                       causes.index("b) Nguyên nhân chủ quan")]
    subjective = causes[causes.index("b) Nguyên nhân chủ quan") + 1:]
    assert any(line.startswith("- Tiêu chí 3.4: Người dân lớn tuổi") for line in objective)
    assert any(line.startswith("- Tiêu chí 1.2: Công chức phụ trách") for line in subjective)
    both = [line for line in causes if line.startswith("- Tiêu chí 3.2:")]
    assert len(both) == 2  # "both" counts on either side
    assert not any(line.startswith("- Tiêu chí 7.3") for line in causes)  # none recorded

    foot = [t for t in texts if t.startswith("Mã kiểm tra dữ liệu:")]
    assert foot == ["Mã kiểm tra dữ liệu: 5617 06dd 5091 (tệp cchc-30316-20261121-0002.json)"]
    assert f"SHA-256: {SHA}" in texts
    assert not any("vân tay" in t for t in texts)  # no key fingerprint given: none printed
    assert _texts(document.tables[1].rows[0].cells[0])[1:] == ["- Như trên;", "- Lưu: VT."]

    rows = table_rows(_appendix(document))
    by_task = {row[5].split("\n")[0]: row for row in rows[1:]}
    row = by_task[done.title]
    assert row[8].split("\n")[0] == f"Đã hoàn thành ({fmt.date(done.done_on)})"
    assert row[9].startswith(f"Số {evidence.number} ngày {fmt.date(evidence.date)}, mục II")
    late = next(t for t in facts.tasks if t.title.startswith("Gửi báo cáo CCHC định kỳ"))
    assert by_task[late.title][8] == "Đang thực hiện (60%); quá hạn 12 ngày"


def test_the_key_fingerprint_is_printed_once_given(demo_facts, signing) -> None:  # noqa: ANN001
    facts, _plan_drafts, drafts = demo_facts
    document = _report(facts, drafts, signing,
                       DataCheck(SHA, "cchc-30316-20261121-0002.json", "0a1b2c3d4e5f60718293"))
    assert "Dấu vân tay khóa của đơn vị: 0a1b2c3d4e5f60718293" in body_texts(document)


def test_sections_not_written_yet_are_dotted_lines_not_invented_text(
        demo_facts, signing) -> None:  # noqa: ANN001
    facts, _plan_drafts, _drafts = demo_facts
    texts = body_texts(_report(facts, {}, signing))
    direction = texts[texts.index("I. TÌNH HÌNH TRIỂN KHAI") + 1:
                      texts.index("II. KẾT QUẢ KHẮC PHỤC")]
    assert direction and all(set(line) == {"…"} for line in direction)
    closing_line = next(t for t in texts if t.startswith("Trên đây là Báo cáo"))
    proposals = texts[texts.index("IV. KIẾN NGHỊ, ĐỀ XUẤT") + 1:texts.index(closing_line)]
    assert proposals and all(set(line) == {"…"} for line in proposals)


FULL = [("1", "Chỉ đạo, điều hành", 10.0, 10.0, None),
        ("1.1", "Kế hoạch CCHC", 10.0, 10.0, None)]


def test_a_unit_with_no_losses_gets_a_plan_without_an_appendix(empty_db, signing) -> None:  # noqa: ANN001
    from store.report.remediation import remediation_facts

    unit_id = small_unit(empty_db, FULL)
    with empty_db.read() as session:
        facts = remediation_facts(session, unit_id, FIXED_TODAY)
    document = _plan(facts, {}, signing)
    texts = body_texts(document)
    assert len(document.sections) == 1 and len(document.tables) == 2  # header, closing
    assert "Không có tiêu chí bị trừ điểm." in texts
    assert "Tại Chỉ số CCHC năm 2025, Xã Thử đạt 10/100 điểm, xếp hạng 1/9, không bị trừ " \
           "điểm ở tiêu chí nào." in texts
    report = body_texts(_report(facts, {}, signing))
    assert "Các nhiệm vụ khắc phục đều đã hoàn thành." in report


def test_a_long_finding_is_printed_whole_and_a_criterion_spans_its_tasks(
        empty_db, signing) -> None:  # noqa: ANN001
    from store.report.remediation import remediation_facts

    finding = ("Hồ sơ trễ hạn chưa có phiếu xin lỗi; " * 20)[:500]
    unit_id = small_unit(empty_db, [
        ("3", "Cải cách TTHC", 10.0, 8.5, None),
        ("3.1", "Xin lỗi khi hồ sơ trễ hạn", 10.0, 8.5, finding),
    ], [{"title": "Lập mẫu phiếu xin lỗi", "criteria": ["3.1"], "due": "2026-12-01"},
        {"title": "Mở sổ theo dõi hồ sơ trễ hạn", "criteria": ["3.1"], "due": "2026-12-15"}])
    with empty_db.read() as session:
        facts = remediation_facts(session, unit_id, FIXED_TODAY)
    document = _plan(facts, {}, signing)
    table = _appendix(document)
    rows = table_rows(table)[1:]
    assert len(finding) == 500 and len(rows) == 2
    assert [row[2] for row in rows] == [finding, finding]  # one cell spanning both rows
    assert [row[3] for row in rows] == ["1,5", "1,5"]
    assert [row[7] for row in rows] == ["01/12/2026", "15/12/2026"]
    spans = [tc.find(qn("w:tcPr")).find(qn("w:vMerge"))
             for tc in table._tbl.iter(qn("w:tc")) if tc.find(qn("w:tcPr")) is not None]
    assert sum(span is not None for span in spans) == 2 * 4  # 4 criterion columns x 2 rows
    assert finding in body_texts(document)


def test_english_interface_english_documents(demo_facts, signing) -> None:  # noqa: ANN001
    from tui.i18n import set_language

    set_language("en")
    facts, plan, _results = demo_facts
    document = _plan(facts, plan, signing, "en")
    texts = body_texts(document)
    header = document.tables[0]
    assert _texts(header.rows[0].cells[1]) == ["SOCIALIST REPUBLIC OF VIETNAM",
                                               "Independence - Freedom - Happiness"]
    assert re.fullmatch(r"No\.:\s+/KH-UBND", header.rows[1].cells[0].text.strip())
    assert "PLAN" in texts and "I. PURPOSE AND REQUIREMENTS" in texts
    rows = table_rows(_appendix(document))
    assert rows[0][0] == "Item" and rows[0][3] == "Points lost"
    joint = next(row for row in rows if row[5].startswith("Rà soát quy trình"))
    assert joint[3] == "1.5"
    assert document.styles["Normal"].element.rPr.find(qn("w:lang")).get(qn("w:val")) == "en-GB"


# ECMA-376's order of the property elements the layout writes: Word refuses a file
# with them out of order (LibreOffice does not, so rendering it proves nothing).
SCHEMA_ORDER = {
    "pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl",
            "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens",
            "kinsoku", "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE",
            "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing", "ind",
            "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
            "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
            "sectPr", "pPrChange"),
    "tblPr": ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
              "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
              "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription",
              "tblPrChange"),
    "rPr": ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike",
            "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid",
            "vanish", "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs",
            "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
            "lang", "eastAsianLayout", "specVanish", "oMath"),
}


def test_property_elements_are_in_the_order_word_requires(demo_facts, signing) -> None:  # noqa: ANN001
    facts, _plan_drafts, drafts = demo_facts
    document = _report(facts, drafts, signing)
    roots = [document.element, document.styles.element,
             document.sections[0].header._element]
    checked = 0
    for root in roots:
        for name, order in SCHEMA_ORDER.items():
            for element in root.iter(qn(f"w:{name}")):
                tags = [child.tag.split("}")[1] for child in element]
                assert len(set(tags)) == len(tags), f"{name} repeats a child: {tags}"
                assert tags == sorted(tags, key=order.index), f"{name} out of order: {tags}"
                checked += 1
    assert checked > 100
