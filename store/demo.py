"""The demo commune: Phường 1 (Sa Đéc, Đồng Tháp) and its PAR Index remediation,
built from the kind of letter in shared/seeds. Deadlines are relative to today, so
the demo always shows tasks overdue, due this week, later and done.

The data goes in through store.snapshot like any received bundle.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from .clock import LOCAL_ZONE, today
from .derive import DEMO_CODE_PREFIX

# A code no real unit has (store.derive.is_demo_code), so its bundles are never taken
# for a real report: they are marked as sample data where they are checked and received.
DEMO_UNIT = {"code": DEMO_CODE_PREFIX + "30316", "name": "Phường 1", "level": "phuong",
             "supervisor": "UBND thành phố Sa Đéc"}
DEMO_OFFICER = {"name": "Nguyễn Thị Lan", "position": "Công chức Văn phòng - Thống kê",
                "phone": "0277 3861 234", "email": ""}
# What the demo's documents print from the settings: the chairman who signs.
DEMO_DOCUMENTS = {"signer": "Võ Thanh Hải"}

_NAMESPACE = uuid.UUID("6f1c2b1e-4d7a-4c55-9a51-0c0c4c2d1a00")

# code, title, max, score, finding
CRITERIA: list[tuple[str, str, float, float, str | None]] = [
    ('1', 'Công tác chỉ đạo, điều hành cải cách hành chính', 10.0, 7.0, None),
    ('1.1', 'Kế hoạch cải cách hành chính năm', 2.0, 1.5, None),
    ('1.1.1', 'Ban hành Kế hoạch CCHC năm kịp thời', 1.0, 1.0, None),
    ('1.1.2', 'Mức độ hoàn thành Kế hoạch CCHC', 1.0, 0.5, '17/20 nhiệm vụ trong Kế hoạch hoàn thành (85%)'),
    ('1.2', 'Thực hiện chế độ báo cáo CCHC định kỳ', 1.5, 1.0, 'Báo cáo CCHC quý III gửi chậm 3 ngày'),
    ('1.3', 'Công tác kiểm tra CCHC', 1.5, 1.5, None),
    ('1.4', 'Công tác tuyên truyền CCHC', 2.0, 1.0, 'Chỉ đăng 5/12 tin bài tuyên truyền CCHC trên Trang thông tin điện tử'),
    ('1.5', 'Thực hiện nhiệm vụ cấp trên giao', 2.0, 2.0, None),
    ('1.6', 'Sáng kiến, giải pháp mới trong CCHC', 1.0, 0.0, 'Chưa có sáng kiến, mô hình mới được công nhận'),
    ('2', 'Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật', 10.0, 9.0, None),
    ('2.1', 'Ban hành văn bản đúng thẩm quyền, trình tự', 3.0, 3.0, None),
    ('2.2', 'Rà soát, hệ thống hóa văn bản QPPL', 3.0, 2.0, 'Báo cáo rà soát thiếu danh mục văn bản hết hiệu lực'),
    ('2.3', 'Tổ chức thực hiện, theo dõi thi hành pháp luật', 2.0, 2.0, None),
    ('2.4', 'Xử lý văn bản trái pháp luật được phát hiện', 2.0, 2.0, None),
    ('3', 'Cải cách thủ tục hành chính', 14.5, 9.5, None),
    ('3.1', 'Công khai TTHC tại Bộ phận Một cửa và Trang thông tin điện tử', 2.0, 1.5, '12 TTHC lĩnh vực hộ tịch chưa cập nhật trên bảng niêm yết'),
    ('3.2', 'Tỷ lệ hồ sơ TTHC giải quyết đúng hạn', 3.0, 2.0, '98,6% hồ sơ đúng hạn (27/1.920 hồ sơ trễ hạn)'),
    ('3.3', 'Thực hiện xin lỗi khi hồ sơ trễ hạn', 1.0, 0.5, '9/27 hồ sơ trễ hạn chưa có Phiếu xin lỗi'),
    ('3.4', 'Tỷ lệ hồ sơ trực tuyến toàn trình', 2.5, 1.0, 'Tỷ lệ hồ sơ trực tuyến toàn trình đạt 52%'),
    ('3.5', 'Số hóa hồ sơ, kết quả giải quyết TTHC', 2.0, 1.0, 'Số hóa kết quả giải quyết TTHC đạt 81%'),
    ('3.6', 'Thanh toán trực tuyến phí, lệ phí', 1.0, 1.0, None),
    ('3.7', 'Tiếp nhận, xử lý phản ánh, kiến nghị đúng hạn', 1.5, 1.5, None),
    ('3.8', 'Luân chuyển hồ sơ trên Hệ thống thông tin một cửa điện tử', 1.5, 1.0, '46 hồ sơ chưa luân chuyển đúng trên Hệ thống một cửa điện tử'),
    ('4', 'Cải cách tổ chức bộ máy hành chính', 11.0, 11.0, None),
    ('4.1', 'Quy định chức năng, nhiệm vụ các bộ phận', 3.0, 3.0, None),
    ('4.2', 'Thực hiện số lượng cấp phó, biên chế được giao', 3.0, 3.0, None),
    ('4.3', 'Đề án vị trí việc làm', 3.0, 3.0, None),
    ('4.4', 'Thực hiện phân cấp, ủy quyền', 2.0, 2.0, None),
    ('5', 'Cải cách chế độ công vụ', 16.0, 16.0, None),
    ('5.1', 'Bố trí công chức theo vị trí việc làm', 3.0, 3.0, None),
    ('5.2', 'Đánh giá, xếp loại công chức đúng quy định', 3.0, 3.0, None),
    ('5.3', 'Đào tạo, bồi dưỡng công chức', 3.0, 3.0, None),
    ('5.4', 'Kỷ luật, kỷ cương hành chính; văn hóa công vụ', 7.0, 7.0, None),
    ('6', 'Cải cách tài chính công', 7.0, 6.0, None),
    ('6.1', 'Ban hành, thực hiện Quy chế chi tiêu nội bộ', 2.0, 1.0, 'Quy chế chi tiêu nội bộ chưa điều chỉnh theo quy định mới'),
    ('6.2', 'Quản lý, sử dụng tài sản công', 2.0, 2.0, None),
    ('6.3', 'Công khai ngân sách đúng hạn', 1.5, 1.5, None),
    ('6.4', 'Thực hiện kiến nghị thanh tra, kiểm toán', 1.5, 1.5, None),
    ('7', 'Xây dựng và phát triển chính quyền điện tử, chính quyền số', 16.0, 13.0, None),
    ('7.1', 'Tỷ lệ văn bản đi được ký số trên phần mềm iDesk', 3.0, 2.0, 'Tỷ lệ ký số văn bản đi trên iDesk đạt 92%'),
    ('7.2', 'Vận hành Trang thông tin điện tử', 2.0, 2.0, None),
    ('7.3', 'Tỷ lệ hồ sơ TTHC trả kết quả có ký số', 2.0, 1.0, 'Tỷ lệ ký số hồ sơ TTHC trả người dân đạt 60%'),
    ('7.4', 'Cung cấp dịch vụ công trực tuyến', 4.0, 4.0, None),
    ('7.5', 'Cài đặt phần mềm phòng chống mã độc', 2.0, 1.0, '6/10 máy tính chưa cài phần mềm chống mã độc của Tỉnh'),
    ('7.6', 'Khai thác dữ liệu dân cư, tái sử dụng dữ liệu', 3.0, 3.0, None),
    ('8', 'Tác động của cải cách hành chính', 15.5, 14.6, None),
    ('8.1', 'Mức độ hài lòng của người dân, tổ chức', 8.0, 7.1, 'Mức độ hài lòng đạt 88,8%'),
    ('8.2', 'Đánh giá của đại biểu, lãnh đạo về điều hành CCHC', 4.0, 4.0, None),
    ('8.3', 'Tác động đến phát triển kinh tế - xã hội', 3.5, 3.5, None),
]

OWNERS = ["Nguyễn Thị Lan", "Trần Văn Bình", "Lê Hoàng Nam", "Phạm Thị Thu Hà", "Võ Minh Tuấn",
          "Đặng Thị Mỹ Dung"]

# criteria, owner index, due (days from today), status, progress, done (days from today),
# title, detail, result
TASKS: list[tuple[list[str], int, int | None, str, int, int | None, str, str | None, str | None]] = [
    (["1.1.2"], 0, -20, "done", 100, -24, "Hoàn thành các nhiệm vụ còn lại của Kế hoạch CCHC năm",
     "Rà soát 3 nhiệm vụ chưa hoàn thành trong Kế hoạch CCHC năm, phân công thực hiện dứt điểm.",
     "Đã hoàn thành 20/20 nhiệm vụ, có báo cáo kèm theo"),
    (["1.2"], 1, -12, "in_progress", 60, None, "Gửi báo cáo CCHC định kỳ đúng hạn qua Phòng Nội vụ",
     "Lập lịch nhắc hạn báo cáo quý; người ký thay khi lãnh đạo đi vắng.", None),
    (["1.4"], 2, -5, "in_progress", 75, None,
     "Cung cấp tin bài tuyên truyền CCHC đăng trên Trang thông tin điện tử",
     "Mỗi tháng ít nhất 1 tin bài; đủ 12 tin bài/năm.", "Đã đăng 9/12 tin bài"),
    (["1.6"], 3, 25, "in_progress", 40, None,
     "Xây dựng kế hoạch nhân rộng mô hình hay, cách làm mới trong CCHC",
     "Đăng ký sáng kiến \"Tổ công nghệ số cộng đồng hỗ trợ dịch vụ công\".", None),
    (["2.2"], 4, -2, "todo", 0, None, "Bổ sung danh mục văn bản hết hiệu lực vào báo cáo rà soát",
     None, None),
    (["3.1"], 0, -30, "done", 100, -31,
     "Cập nhật đầy đủ TTHC trên Trang thông tin điện tử và bảng niêm yết tại Bộ phận Một cửa",
     "12 TTHC lĩnh vực hộ tịch theo Quyết định công bố mới của UBND tỉnh.",
     "Đã niêm yết 12 TTHC hộ tịch; cập nhật trên Trang thông tin điện tử"),
    (["3.2"], 1, -9, "done", 100, -10, "Khắc phục các hồ sơ bị trễ hạn, quá hạn",
     "Theo dõi hằng tuần hồ sơ sắp đến hạn trên Hệ thống một cửa điện tử.",
     "Không phát sinh hồ sơ trễ hạn trong quý"),
    (["3.3"], 2, 3, "in_progress", 50, None,
     "Thực hiện nghiêm túc thư xin lỗi đối với hồ sơ trễ hạn",
     "9/27 hồ sơ trễ hạn chưa có Phiếu xin lỗi; lập mẫu và sổ theo dõi.", None),
    (["3.4"], 3, 45, "in_progress", 30, None,
     "Hướng dẫn người dân sử dụng dịch vụ công trực tuyến toàn trình",
     "Bố trí đoàn viên thanh niên hỗ trợ tại Bộ phận Một cửa.", None),
    (["3.5"], 4, 6, "in_progress", 39, None, "Số hóa hồ sơ, kết quả giải quyết TTHC đúng quy định",
     "Mục tiêu: 100% kết quả giải quyết TTHC được số hóa.", None),
    (["3.8"], 0, -15, "done", 100, -16,
     "Chấn chỉnh việc luân chuyển hồ sơ trên Hệ thống thông tin một cửa điện tử",
     None, "46 hồ sơ đã được luân chuyển đúng quy trình"),
    (["6.1"], 1, 12, "todo", 0, None,
     "Xây dựng lại Quy chế chi tiêu nội bộ và quy chế quản lý tài sản công",
     "Điều chỉnh theo quy định mới về chế độ công tác phí, hội nghị.", None),
    (["7.1"], 2, -1, "in_progress", 61, None,
     "Nâng cao tỷ lệ ký số văn bản điện tử trên phần mềm iDesk",
     "Mục tiêu: trên 98% văn bản đi được ký số.", None),
    (["7.3"], 3, 2, "in_progress", 76, None,
     "Nâng cao tỷ lệ ký số hồ sơ TTHC trả kết quả trên phần mềm một cửa", None, None),
    (["7.5"], 4, -8, "todo", 0, None, "Cài đặt phần mềm chống mã độc của Tỉnh trên tất cả máy tính",
     "6/10 máy tính chưa cài; liên hệ Trung tâm Chuyển đổi số tỉnh.", None),
    (["8.1"], 5, 60, "in_progress", 20, None,
     "Nâng cao sự hài lòng của người dân, tổ chức tại Bộ phận Một cửa",
     "Khảo sát ý kiến người dân hằng tháng; bố trí ghế chờ, nước uống.", None),
    (["3.2", "3.3"], 5, 5, "todo", 0, None,
     "Rà soát quy trình nội bộ giải quyết hồ sơ đất đai", None, None),
    (["2.2"], 5, -40, "cancelled", 10, None, "Tập huấn công tác rà soát văn bản QPPL",
     "Chuyển sang lớp tập huấn chung của tỉnh.", None),
    ([], 0, 7, "todo", 0, None, "Báo cáo kết quả khắc phục về UBND Thành phố (qua Phòng Nội vụ)",
     "Báo cáo bằng văn bản kèm tài liệu kiểm chứng, gửi trước hạn.", None),
    ([], 1, 30, "todo", 0, None, "Tự đánh giá, chấm điểm Chỉ số CCHC năm nay",
     "Nhập điểm tự đánh giá và tài liệu kiểm chứng trên phần mềm.", None),
]


# The unit's causes (nguyên nhân) of the lost points, and their kind. 7.3 has none
# yet, so the demo shows what an unfinished analysis looks like.
CAUSES: dict[str, tuple[str, str]] = {
    "1.1.2": ("Một số nhiệm vụ chưa được phân công cụ thể người thực hiện, chưa theo dõi "
              "tiến độ hằng tháng.", "subjective"),
    "1.2": ("Công chức phụ trách nghỉ phép, chưa phân công người làm thay; chưa có lịch nhắc "
            "hạn báo cáo.", "subjective"),
    "1.4": ("Chưa có kế hoạch tuyên truyền theo tháng; công chức phụ trách kiêm nhiệm nhiều "
            "việc.", "subjective"),
    "1.6": ("Đội ngũ công chức còn mỏng, chưa có điều kiện đầu tư cho sáng kiến.", "both"),
    "2.2": ("Văn bản hướng dẫn rà soát của tỉnh ban hành sát thời hạn báo cáo.", "objective"),
    "3.1": ("Quyết định công bố TTHC hộ tịch mới ban hành, chưa kịp cập nhật bảng niêm yết.",
            "objective"),
    "3.2": ("Hồ sơ đất đai phải xác minh nhiều nơi; một số công chức chưa theo dõi hạn xử lý "
            "trên Hệ thống.", "both"),
    "3.3": ("Công chức chưa nắm rõ quy định về thư xin lỗi khi hồ sơ trễ hạn.", "subjective"),
    "3.4": ("Người dân lớn tuổi chưa quen sử dụng dịch vụ công trực tuyến; đường truyền "
            "Internet không ổn định.", "objective"),
    "3.5": ("Máy quét hư hỏng trong quý III, đang chờ thay thế.", "objective"),
    "3.8": ("Công chức chưa thao tác đúng quy trình luân chuyển trên phần mềm.", "subjective"),
    "6.1": ("Chưa kịp điều chỉnh Quy chế khi quy định mới về công tác phí có hiệu lực.",
            "subjective"),
    "7.1": ("Lãnh đạo thường xuyên đi công tác, ký văn bản giấy thay cho ký số.", "subjective"),
    "7.5": ("Chưa được cấp đủ bản quyền phần mềm; một số máy tính cũ không tương thích.",
            "objective"),
    "8.1": ("Khu vực chờ tại Bộ phận Một cửa chật hẹp, thiếu tiện nghi.", "objective"),
}

# What the demo unit wrote itself for its documents (store.report.drafts).
DRAFTS: dict[str, dict[str, str]] = {
    "plan": {
        "purpose": "Khắc phục dứt điểm các tồn tại, hạn chế đã được chỉ ra, phấn đấu cải thiện "
                   "Chỉ số CCHC năm nay.\nPhân công rõ người chủ trì, thời hạn hoàn thành từng "
                   "nhiệm vụ; gắn trách nhiệm người đứng đầu với kết quả khắc phục.",
        "organisation": "Công chức được phân công chủ trì thực hiện nhiệm vụ theo Phụ lục kèm "
                        "theo, báo cáo tiến độ hằng tuần tại cuộc họp giao ban.\nCông chức Văn "
                        "phòng - Thống kê theo dõi, tổng hợp, tham mưu báo cáo kết quả khắc phục "
                        "về UBND thành phố Sa Đéc (qua Phòng Nội vụ).",
    },
    "results": {
        "direction": "Ngay sau khi nhận văn bản của UBND thành phố Sa Đéc, Ủy ban nhân dân "
                     "Phường 1 đã tổ chức họp rà soát từng tiêu chí bị trừ điểm, xác định nguyên "
                     "nhân và phân công công chức chủ trì khắc phục.\nChủ tịch UBND phường chỉ "
                     "đạo các bộ phận báo cáo tiến độ hằng tuần tại cuộc họp giao ban; công chức "
                     "Văn phòng - Thống kê theo dõi, tổng hợp chung.",
        "proposals": "Đề nghị UBND thành phố Sa Đéc hỗ trợ cấp bổ sung bản quyền phần mềm phòng "
                     "chống mã độc cho 6 máy tính của phường.\nĐề nghị Phòng Nội vụ tổ chức tập "
                     "huấn về quy trình xin lỗi và luân chuyển hồ sơ trên Hệ thống thông tin một "
                     "cửa điện tử.",
    },
}


def _uid(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(map(str, parts))))


def _at(day: dt.date, hour: int = 9) -> str:
    return dt.datetime.combine(day, dt.time(hour, 0), LOCAL_ZONE).isoformat()


def demo_assessment(on: dt.date | None = None) -> dict[str, Any]:
    """The demo's assessment in bundle-v1 shape, dated around `on` (today)."""
    on = on or today()
    year = on.year - 1
    letter_day = on - dt.timedelta(days=45)
    tasks = []
    for n, (codes, owner, due, status, progress, done, title, detail, result) in enumerate(TASKS):
        start = letter_day + dt.timedelta(days=3)
        history = [{"at": _at(start), "by": OWNERS[0], "field": "owner", "old": None,
                    "new": OWNERS[owner]}]
        if status != "todo":
            history.append({"at": _at(start + dt.timedelta(days=2 + n % 5), 14),
                            "by": OWNERS[owner], "field": "status", "old": "todo",
                            "new": "in_progress" if status != "cancelled" else "cancelled"})
        if status == "done":
            history.append({"at": _at(on + dt.timedelta(days=done), 16), "by": OWNERS[owner],
                            "field": "status", "old": "in_progress", "new": "done"})
        evidence = []
        if status == "done" or progress >= 60:
            evidence.append({
                "id": _uid("evidence", n), "title": f"Báo cáo kết quả khắc phục: {title[:60]}",
                "number": f"{40 + n}/BC-UBND",
                "date": (on + dt.timedelta(days=done if done is not None else -3)).isoformat(),
                "issuer": "UBND Phường 1", "locator": "mục II", "file": None})
        last_change = dt.datetime.fromisoformat(history[-1]["at"])
        tasks.append({
            "id": _uid("task", n), "title": title, "detail": detail, "criteria": codes,
            "owner": OWNERS[owner],
            "due": (on + dt.timedelta(days=due)).isoformat() if due is not None else None,
            "status": status, "progress": progress, "result": result,
            "done_on": (on + dt.timedelta(days=done)).isoformat() if status == "done" else None,
            "updated_at": last_change.isoformat(), "evidence": evidence, "history": history,
        })
    return {
        "id": f"sadec-cchc-{year}", "title": f"Chỉ số CCHC năm {year}", "index": "PAR",
        "year": year, "issuer": "UBND thành phố Sa Đéc",
        "documents": [{"number": "1245/UBND-HC", "date": letter_day.isoformat(),
                       "title": "V/v chấn chỉnh, khắc phục hạn chế trong công tác CCHC "
                                f"qua kết quả Chỉ số CCHC năm {year}"}],
        "max_points": 100.0, "score": 86.1, "rank": 6, "rank_of": 9,
        "criteria": [{"code": c, "title": t, "max_points": m, "score": s, "finding": f}
                     for c, t, m, s, f in CRITERIA],
        "tasks": tasks,
    }


def seed_demo(db_path: Path) -> bool:
    """Create the demo database if it does not exist yet, all at once (a killed
    seeding leaves no half-seeded demo). Returns True if seeded."""
    from .migrations import create_database_file
    from .mode import refuse_in_read_only
    from .vocab import WriteKind

    db_path = Path(db_path)
    if db_path.exists():
        return False
    refuse_in_read_only(WriteKind.DEMO, db_path)
    return create_database_file(db_path, fill=_fill_demo)


def _fill_demo(db) -> None:  # noqa: ANN001 - store.db.Database
    from sqlalchemy import select, update

    from .db import session_scope
    from .models import Assessment, Criterion
    from .report.drafts import save_drafts
    from .snapshot import replace_unit_snapshot

    with session_scope(db.writer) as session:
        unit_id = replace_unit_snapshot(session, DEMO_UNIT, [demo_assessment()])
        assessment_id = session.execute(select(Assessment.id).where(
            Assessment.unit_id == unit_id)).scalar_one()
        # Set as data, as a bundle-v2 snapshot brings them: no history entry, so the
        # demo's task histories stay those of demo_assessment().
        for code, (cause, kind) in CAUSES.items():
            session.execute(update(Criterion).where(
                Criterion.assessment_id == assessment_id, Criterion.code == code
            ).values(cause=cause, cause_kind=kind))
        for document, texts in DRAFTS.items():
            save_drafts(session, assessment_id, document, texts, by=DEMO_OFFICER["name"])
