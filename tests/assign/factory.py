"""Appraisal workbooks to read: a province's units, each with a 50-criterion tree."""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

HEADERS = ("Mã đơn vị", "Tên đơn vị", "Cấp", "Mã tiêu chí", "Nội dung", "Điểm tối đa",
           "Điểm thẩm định", "Nhận xét")
ISSUE_OPTIONS = dict(title="Chỉ số CCHC năm 2025", index="PAR", year=2025,
                     issuer_code="SNV-87", issuer_name="Sở Nội vụ tỉnh Đồng Tháp",
                     letter="2231/SNV-CCHC", letter_date="2026-05-20", due="2026-06-16",
                     report_due="2026-06-20")


def criteria_tree(domains: int = 8, per_domain: int = 5) -> list[tuple[str, str, float]]:
    """(code, title, max) of a tree: domains of per_domain criteria each, and two
    sub-criteria under 1.1 (8 x 5 + 8 + 2 = 50 rows by default)."""
    tree: list[tuple[str, str, float]] = []
    for d in range(1, domains + 1):
        children = [(f"{d}.{c}", f"Tiêu chí {d}.{c} của lĩnh vực {d}", 2.0)
                    for c in range(1, per_domain + 1)]
        tree.append((str(d), f"Lĩnh vực {d}", sum(m for _, _, m in children)))
        for code, title, points in children:
            tree.append((code, title, points))
            if code == "1.1":
                tree.append(("1.1.1", "Ban hành kế hoạch kịp thời", 1.0))
                tree.append(("1.1.2", "Mức độ hoàn thành kế hoạch", 1.0))
    return tree


def unit_rows(code: str, name: str, level: str = "xã", *, seed: int = 0,
              tree: Sequence[tuple[str, str, float]] | None = None) -> list[tuple[Any, ...]]:
    """One unit's rows: leaves scored (some lose half their points, with a finding),
    parents scored as the sum of their children."""
    tree = list(tree or criteria_tree())
    chance = random.Random(seed)
    scores: dict[str, float] = {}
    findings: dict[str, str | None] = {}
    codes = [c for c, _, _ in tree]
    leaves = [c for c in codes if not any(o.startswith(c + ".") for o in codes)]
    maxima = {c: m for c, _, m in tree}
    for leaf in leaves:
        lost = chance.random() < 0.3
        scores[leaf] = maxima[leaf] / 2 if lost else maxima[leaf]
        findings[leaf] = f"Thiếu tài liệu kiểm chứng tiêu chí {leaf}" if lost else None
    for parent in sorted(set(codes) - set(leaves), key=lambda c: -c.count(".")):
        scores[parent] = round(sum(scores[o] for o in codes
                                   if o.rpartition(".")[0] == parent), 2)
        findings[parent] = None
    return [(code, name, level, c, title, m, scores[c], findings[c]) for c, title, m in tree]


def province_rows(units: int, *, seed: int = 1) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    for n in range(units):
        rows.extend(unit_rows(f"{30001 + n}", f"Xã Số {n + 1}", seed=seed + n))
    return rows


def workbook_bytes(rows: Iterable[Sequence[Any]], headers: Sequence[Any] = HEADERS, *,
                   sheet: str = "Sheet1", above: Sequence[Sequence[Any]] = ()) -> bytes:
    """An .xlsx with one header row (after the rows `above`, e.g. a title) and rows,
    written as Excel writes one: shared strings and the sheet's dimension."""
    from openpyxl import Workbook

    book = Workbook()
    worksheet = book.active
    worksheet.title = sheet
    for line in above:
        worksheet.append(list(line))
    worksheet.append(list(headers))
    for row in rows:
        worksheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return with_shared_strings(buffer.getvalue())


_INLINE = re.compile(r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t(?: xml:space="preserve")?>'
                     r'(.*?)</t></is></c>', re.S)
_SHARED_TYPE = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings"
                "+xml")
_SHARED_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def with_shared_strings(data: bytes) -> bytes:
    """The workbook with its texts in a shared string table, as Excel and LibreOffice
    write them (openpyxl writes each text inside its cell)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    strings: dict[str, int] = {}

    def shared(match: re.Match[str]) -> str:
        index = strings.setdefault(match.group(2), len(strings))
        return f'<c r="{match.group(1)}" t="s"><v>{index}</v></c>'

    sheet = _INLINE.sub(shared, source.read("xl/worksheets/sheet1.xml").decode())
    table = "".join(f'<si><t xml:space="preserve">{text}</t></si>' for text in strings)
    parts = {
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": (
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{table}</sst>'),
        "[Content_Types].xml": source.read("[Content_Types].xml").decode().replace(
            "</Types>", f'<Override PartName="/xl/sharedStrings.xml" '
                        f'ContentType="{_SHARED_TYPE}"/></Types>'),
        "xl/_rels/workbook.xml.rels": source.read("xl/_rels/workbook.xml.rels").decode()
        .replace("</Relationships>", f'<Relationship Id="rIdShared" Type="{_SHARED_REL}" '
                                     f'Target="sharedStrings.xml"/></Relationships>'),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info))
        for name, text in parts.items():
            target.writestr(name, text.encode("utf-8"))
    return out.getvalue()


def assignment_document(unit_code: str = "30316", unit_name: str = "Phường 1", *,
                        notes: Sequence[dict[str, Any]] = (), sequence: int = 1,
                        seed: int = 3) -> dict[str, Any]:
    """A valid, sealed assignment for one unit, made by the project's own code from a
    workbook's rows (no database)."""
    import datetime as dt

    from store.assign.issue import IssueOptions, assigned_assessment, build_assignment
    from store.assign.workbook import read_workbook

    read = read_workbook(workbook_bytes(unit_rows(unit_code, unit_name, "phường", seed=seed)))
    assert read.ok, read.errors
    values = {**ISSUE_OPTIONS}
    for name in ("letter_date", "due", "report_due"):
        values[name] = dt.date.fromisoformat(values[name])
    assessment = assigned_assessment(read.units[0], IssueOptions(**values), (1, 1))
    document, _canonical = build_assignment(
        unit={"code": unit_code, "name": unit_name, "level": "phuong",
              "supervisor": "UBND thành phố Sa Đéc"},
        issuer={"code": values["issuer_code"], "name": values["issuer_name"]},
        sender={"name": "Trần Thị Mai"}, assessments=[assessment], notes=list(notes),
        sequence=sequence, previous_sha256=None, created_at="2026-05-21T08:00:00+07:00",
        generator="cchc test", bundle_id="7d0c1c52-58a7-4a3e-9b5e-0c2f1a8e6a11",
        sign=signer())
    return document


def issuer_key():  # noqa: ANN201 - a SigningKey
    """The supervising body's key in tests (SNV-87's), deterministic."""
    from tests.bundle.factory import fixed_key

    return fixed_key(87)


def signer(key=None):  # noqa: ANN001, ANN201
    """sign(canonical) with key (default: the issuer's), as issue_assignments takes it."""
    from store.bundle.signing import signature_member

    chosen = key or issuer_key()
    return lambda canonical: signature_member(chosen, canonical)
