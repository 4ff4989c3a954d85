"""
The text of the demo documents: realistic Vietnamese QMS documents of a commune (and of the former
district). Data only; `demo.py` turns it into pages, revisions and approvals. Legal references are
to real instruments; anything the demo invents is marked "(dữ liệu mẫu)".
"""

from __future__ import annotations

ISO_REFS = (
    "<p>TCVN ISO 9001:2015 Hệ thống quản lý chất lượng – Các yêu cầu;</p>"
    "<p>Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ về việc áp dụng Hệ thống quản lý chất "
    "lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001:2008 vào hoạt động của các cơ quan, tổ chức thuộc hệ thống hành "
    "chính nhà nước;</p>"
    "<p>Quyết định số 101/QĐ-BKHCN ngày 21/01/2019 của Bộ trưởng Bộ Khoa học và Công nghệ công bố mô hình khung hệ "
    "thống quản lý chất lượng theo TCVN ISO 9001:2015 cho các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước tại "
    "địa phương.</p>"
)
ONE_STOP_REFS = (
    "<p>Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một cửa, một cửa liên thông "
    "trong giải quyết thủ tục hành chính;</p>"
    "<p>Thông tư số 01/2018/TT-VPCP ngày 23/11/2018 của Văn phòng Chính phủ hướng dẫn thi hành một số quy định của "
    "Nghị định số 61/2018/NĐ-CP;</p>"
)
ONE_STOP_REFS_2021 = ONE_STOP_REFS.replace(
    "trong giải quyết thủ tục hành chính;</p>",
    "trong giải quyết thủ tục hành chính; Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 sửa đổi, bổ sung một số điều "
    "của Nghị định số 61/2018/NĐ-CP;</p>",
)
ABBREVIATIONS = (
    "<p>HTQLCL: Hệ thống quản lý chất lượng; UBND: Ủy ban nhân dân; TTHC: Thủ tục hành chính; "
    "QT: Quy trình; BM: Biểu mẫu; CBCC: Cán bộ, công chức.</p>"
)


def step(label, action, responsible, time_limit="", output=""):
    return {"step": label, "action": action, "responsible": responsible, "time_limit": time_limit, "output": output}


def record(name, keeper, place, retention):
    return {"record": name, "keeper": keeper, "place": place, "retention": retention}


# --- system procedures ------------------------------------------------------------------------------

SYSTEM_PROCEDURES = [
    {
        "code": "QT-01",
        "title": "Quy trình kiểm soát thông tin dạng văn bản",
        "clauses": ["7.5", "7.5.2", "7.5.3"],
        "purpose": "<p>Quy định thống nhất cách soạn thảo, soát xét, phê duyệt, ban hành, phân phối, sửa đổi và thu hồi "
                   "tài liệu, cách lưu giữ hồ sơ của hệ thống quản lý chất lượng, bảo đảm nơi làm việc luôn dùng đúng "
                   "bản đang có hiệu lực và tài liệu lỗi thời không bị sử dụng nhầm.</p>",
        "scope": "<p>Áp dụng đối với toàn bộ tài liệu nội bộ (chính sách, mục tiêu chất lượng, quy trình, hướng dẫn, "
                 "biểu mẫu), tài liệu có nguồn gốc bên ngoài và hồ sơ của HTQLCL tại {unit}.</p>",
        "definitions": ABBREVIATIONS + "<p>Tài liệu lỗi thời: tài liệu đã được thay thế hoặc hủy bỏ, chỉ được lưu để "
                       "tham khảo và phải được nhận biết rõ ràng.</p>",
        "steps": [
            step("B1", "<p>Đề xuất soạn thảo mới hoặc sửa đổi tài liệu, nêu rõ lý do và nội dung cần sửa đổi.</p>",
                 "CBCC có nhu cầu", "Khi có nhu cầu", "BM-01-01"),
            step("B2", "<p>Soạn thảo dự thảo tài liệu trên hệ thống, ghi tóm tắt nội dung sửa đổi.</p>",
                 "Người được phân công", "05 ngày làm việc", "Dự thảo tài liệu"),
            step("B3", "<p>Soát xét sự phù hợp của dự thảo với yêu cầu của tiêu chuẩn và quy định pháp luật; yêu cầu "
                       "chỉnh sửa nếu chưa đạt.</p>", "Cán bộ phụ trách ISO", "02 ngày làm việc", "Ý kiến soát xét"),
            step("B4", "<p>Phê duyệt, ban hành tài liệu; hệ thống tự động cấp lần ban hành mới và ngày hiệu lực.</p>",
                 "Chủ tịch/Phó Chủ tịch UBND", "02 ngày làm việc", "Tài liệu được ban hành"),
            step("B5", "<p>Phổ biến tài liệu tới các bộ phận áp dụng; CBCC đọc và xác nhận đã đọc và hiểu trên hệ "
                       "thống.</p>", "Cán bộ phụ trách ISO; CBCC liên quan", "03 ngày làm việc", "Xác nhận đã đọc"),
            step("B6", "<p>Thu hồi, đánh dấu tài liệu lỗi thời; cập nhật Danh mục tài liệu nội bộ.</p>",
                 "Cán bộ phụ trách ISO", "Ngay khi ban hành bản thay thế", "BM-01-02"),
            step("B7", "<p>Soát xét định kỳ tài liệu ít nhất 12 tháng một lần, hoặc trong 03 tháng kể từ khi căn cứ "
                       "pháp lý thay đổi.</p>", "Cán bộ phụ trách ISO", "Định kỳ", "Danh mục tài liệu nội bộ"),
        ],
        "records": [
            record("Phiếu đề nghị soạn thảo, sửa đổi tài liệu", "Cán bộ phụ trách ISO", "Văn phòng UBND", "03 năm"),
            record("Danh mục tài liệu nội bộ", "Cán bộ phụ trách ISO", "Hệ thống quản lý tài liệu", "Đến khi có bản thay thế"),
            record("Danh mục hồ sơ", "Các bộ phận", "Bộ phận lưu hồ sơ", "Đến khi có bản thay thế"),
        ],
        "forms": [("BM-01-01", "Phiếu đề nghị soạn thảo, sửa đổi tài liệu"), ("BM-01-02", "Danh mục tài liệu nội bộ"),
                  ("BM-01-03", "Danh mục hồ sơ")],
    },
    {
        "code": "QT-02",
        "title": "Quy trình đánh giá nội bộ",
        "clauses": ["9.2", "9.2.1", "9.2.2"],
        "purpose": "<p>Quy định việc lập chương trình, tổ chức đánh giá nội bộ nhằm xác định HTQLCL có phù hợp với yêu "
                   "cầu của TCVN ISO 9001:2015 và được áp dụng, duy trì có hiệu lực hay không.</p>",
        "scope": "<p>Áp dụng cho hoạt động đánh giá nội bộ HTQLCL tại {unit}, ít nhất một lần mỗi năm.</p>",
        "definitions": ABBREVIATIONS + "<p>Chuyên gia đánh giá: người có năng lực thực hiện đánh giá, không đánh giá công "
                       "việc của chính mình.</p>",
        "steps": [
            step("B1", "<p>Lập Chương trình đánh giá nội bộ năm, xác định phạm vi, tần suất, chuẩn mực đánh giá.</p>",
                 "Cán bộ phụ trách ISO", "Tháng 01 hằng năm", "BM-02-01"),
            step("B2", "<p>Phê duyệt Chương trình đánh giá nội bộ.</p>", "Chủ tịch UBND", "03 ngày làm việc",
                 "Chương trình được phê duyệt"),
            step("B3", "<p>Thành lập đoàn đánh giá, lập Kế hoạch đánh giá và thông báo cho bộ phận được đánh giá; bảo đảm "
                       "chuyên gia không đánh giá bộ phận của mình.</p>", "Trưởng đoàn đánh giá",
                 "Trước 05 ngày làm việc", "BM-02-02"),
            step("B4", "<p>Tiến hành đánh giá: họp khai mạc, phỏng vấn, xem xét hồ sơ, ghi nhận bằng chứng; họp kết thúc, "
                       "thống nhất các phát hiện.</p>", "Đoàn đánh giá", "Theo kế hoạch", "BM-02-03"),
            step("B5", "<p>Lập Báo cáo đánh giá nội bộ, nêu rõ điểm không phù hợp, khuyến nghị và cơ hội cải tiến.</p>",
                 "Trưởng đoàn đánh giá", "05 ngày làm việc", "BM-02-04"),
            step("B6", "<p>Thực hiện hành động khắc phục theo Quy trình kiểm soát sự không phù hợp và hành động khắc "
                       "phục; theo dõi đến khi kết thúc.</p>", "Bộ phận được đánh giá; Cán bộ phụ trách ISO",
                 "Theo thời hạn đã thống nhất", "Phiếu yêu cầu hành động khắc phục"),
        ],
        "records": [
            record("Chương trình đánh giá nội bộ", "Cán bộ phụ trách ISO", "Văn phòng UBND", "03 năm"),
            record("Kế hoạch, phiếu ghi chép và báo cáo đánh giá", "Cán bộ phụ trách ISO", "Văn phòng UBND", "03 năm"),
        ],
        "forms": [("BM-02-01", "Chương trình đánh giá nội bộ"), ("BM-02-02", "Kế hoạch đánh giá nội bộ"),
                  ("BM-02-03", "Phiếu ghi chép đánh giá"), ("BM-02-04", "Báo cáo đánh giá nội bộ")],
    },
    {
        "code": "QT-03",
        "title": "Quy trình kiểm soát sự không phù hợp và hành động khắc phục",
        "clauses": ["8.7", "10.2", "10.2.1"],
        "purpose": "<p>Quy định cách nhận biết, ghi nhận và xử lý sự không phù hợp (kể cả kết quả giải quyết TTHC không "
                   "phù hợp), tìm nguyên nhân và thực hiện hành động khắc phục để sự không phù hợp không tái diễn.</p>",
        "scope": "<p>Áp dụng cho mọi sự không phù hợp phát hiện trong quá trình giải quyết TTHC, qua đánh giá nội bộ, "
                 "phản ánh, kiến nghị của người dân, tổ chức tại {unit}.</p>",
        "definitions": ABBREVIATIONS + "<p>Khắc phục tức thời: hành động loại bỏ sự không phù hợp đã phát hiện. Hành động "
                       "khắc phục: hành động loại bỏ nguyên nhân của sự không phù hợp.</p>",
        "steps": [
            step("B1", "<p>Phát hiện và ghi nhận sự không phù hợp vào Phiếu yêu cầu hành động khắc phục.</p>",
                 "Mọi CBCC", "Ngay khi phát hiện", "BM-03-01"),
            step("B2", "<p>Thực hiện khắc phục tức thời; thông báo cho người dân, tổ chức và xin lỗi nếu hồ sơ bị trễ "
                       "hạn.</p>", "Bộ phận liên quan", "01 ngày làm việc", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
            step("B3", "<p>Phân tích nguyên nhân gốc rễ, đề xuất hành động khắc phục và thời hạn thực hiện.</p>",
                 "Người phụ trách bộ phận", "03 ngày làm việc", "BM-03-01"),
            step("B4", "<p>Xem xét, phê duyệt hành động khắc phục.</p>", "Lãnh đạo UBND", "02 ngày làm việc", "BM-03-01"),
            step("B5", "<p>Thực hiện hành động khắc phục.</p>", "Bộ phận liên quan", "Theo thời hạn được duyệt", ""),
            step("B6", "<p>Kiểm tra hiệu lực của hành động khắc phục; cập nhật rủi ro và cơ hội nếu cần.</p>",
                 "Cán bộ phụ trách ISO", "Sau thời hạn thực hiện", "BM-03-02"),
        ],
        "records": [
            record("Phiếu yêu cầu hành động khắc phục", "Cán bộ phụ trách ISO", "Văn phòng UBND", "03 năm"),
            record("Sổ theo dõi hành động khắc phục", "Cán bộ phụ trách ISO", "Văn phòng UBND", "03 năm"),
        ],
        "forms": [("BM-03-01", "Phiếu yêu cầu hành động khắc phục"), ("BM-03-02", "Sổ theo dõi hành động khắc phục")],
    },
    {
        "code": "QT-04",
        "title": "Quy trình xem xét của lãnh đạo",
        "clauses": ["9.3", "9.3.2", "9.3.3"],
        "purpose": "<p>Quy định việc lãnh đạo định kỳ xem xét HTQLCL để bảo đảm hệ thống luôn thích hợp, thỏa đáng, có "
                   "hiệu lực và phù hợp với định hướng chiến lược của cơ quan.</p>",
        "scope": "<p>Áp dụng cho các cuộc họp xem xét của lãnh đạo về HTQLCL tại {unit}, ít nhất một lần mỗi năm.</p>",
        "definitions": ABBREVIATIONS,
        "steps": [
            step("B1", "<p>Lập kế hoạch xem xét của lãnh đạo, thông báo thời gian và nội dung chuẩn bị.</p>",
                 "Cán bộ phụ trách ISO", "Tháng 11 hằng năm", "Kế hoạch xem xét"),
            step("B2", "<p>Chuẩn bị đầu vào: kết quả thực hiện mục tiêu chất lượng, kết quả giải quyết TTHC, kết quả "
                       "đánh giá nội bộ, phản ánh của người dân, tình trạng hành động khắc phục, rủi ro và cơ hội.</p>",
                 "Các bộ phận", "Trước cuộc họp 05 ngày", "Báo cáo đầu vào"),
            step("B3", "<p>Tổ chức họp xem xét của lãnh đạo.</p>", "Chủ tịch UBND chủ trì", "01 buổi", "BM-04-01"),
            step("B4", "<p>Ban hành thông báo kết luận, giao nhiệm vụ cải tiến và nguồn lực.</p>", "Chủ tịch UBND",
                 "05 ngày làm việc", "Thông báo kết luận"),
            step("B5", "<p>Theo dõi việc thực hiện kết luận; báo cáo tại kỳ xem xét sau.</p>", "Cán bộ phụ trách ISO",
                 "Thường xuyên", ""),
        ],
        "records": [record("Biên bản họp xem xét của lãnh đạo", "Cán bộ phụ trách ISO", "Văn phòng UBND", "05 năm")],
        "forms": [("BM-04-01", "Biên bản họp xem xét của lãnh đạo")],
    },
    {
        "code": "QT-05",
        "title": "Quy trình quản lý rủi ro và cơ hội",
        "clauses": ["6.1", "6.1.1", "6.1.2"],
        "purpose": "<p>Quy định cách nhận diện, đánh giá và xử lý rủi ro, cơ hội ảnh hưởng tới khả năng giải quyết TTHC "
                   "đúng pháp luật, đúng hạn và sự hài lòng của người dân, tổ chức.</p>",
        "scope": "<p>Áp dụng cho các quá trình của HTQLCL tại {unit}.</p>",
        "definitions": ABBREVIATIONS + "<p>Mức rủi ro = Khả năng xảy ra × Mức độ ảnh hưởng (mỗi yếu tố chấm từ 1 đến 3).</p>",
        "steps": [
            step("B1", "<p>Nhận diện rủi ro và cơ hội của từng quá trình, ghi vào Sổ đăng ký rủi ro và cơ hội.</p>",
                 "Các bộ phận", "Tháng 01 hằng năm và khi có thay đổi", "BM-05-01"),
            step("B2", "<p>Đánh giá mức rủi ro; rủi ro từ 4 điểm trở lên phải có biện pháp xử lý.</p>",
                 "Người phụ trách bộ phận", "05 ngày làm việc", "BM-05-01"),
            step("B3", "<p>Lập kế hoạch hành động xử lý rủi ro, tận dụng cơ hội; trình phê duyệt.</p>",
                 "Cán bộ phụ trách ISO", "05 ngày làm việc", "Kế hoạch xử lý rủi ro"),
            step("B4", "<p>Phê duyệt kế hoạch.</p>", "Chủ tịch UBND", "03 ngày làm việc", ""),
            step("B5", "<p>Thực hiện và theo dõi; đánh giá hiệu lực tại cuộc họp xem xét của lãnh đạo.</p>",
                 "Các bộ phận; Cán bộ phụ trách ISO", "Theo kế hoạch", ""),
        ],
        "records": [record("Sổ đăng ký rủi ro và cơ hội", "Cán bộ phụ trách ISO", "Văn phòng UBND", "03 năm")],
        "forms": [("BM-05-01", "Sổ đăng ký rủi ro và cơ hội")],
    },
]

POLICY_BODY = (
    "<p>{issuer} xác định chất lượng phục vụ người dân, tổ chức là thước đo hiệu quả hoạt động của chính quyền. "
    "Lãnh đạo và toàn thể cán bộ, công chức cam kết:</p>"
    "<ul><li>Giải quyết thủ tục hành chính công khai, minh bạch, đúng pháp luật và đúng thời hạn;</li>"
    "<li>Lấy sự hài lòng của người dân, tổ chức làm thước đo chất lượng phục vụ; tiếp nhận và xử lý kịp thời mọi "
    "phản ánh, kiến nghị;</li>"
    "<li>Đẩy mạnh chuyển đổi số, cung cấp dịch vụ công trực tuyến, số hóa hồ sơ và kết quả giải quyết;</li>"
    "<li>Xây dựng, áp dụng, duy trì và thường xuyên cải tiến hệ thống quản lý chất lượng theo TCVN ISO 9001:2015.</li></ul>"
    "<p><b>Phương châm: Chuyên nghiệp – Minh bạch – Tận tụy – Hiệu quả.</b></p>"
)


def objectives_body(year: int, on_time: int, online: int, satisfied: int) -> str:
    return (
        f"<p>Căn cứ Chính sách chất lượng, {{issuer}} đề ra các mục tiêu chất lượng năm {year}:</p>"
        f"<ol><li>Tối thiểu {on_time}% hồ sơ TTHC được giải quyết đúng hạn hoặc trước hạn;</li>"
        "<li>100% hồ sơ được tiếp nhận, trả kết quả qua Bộ phận Một cửa và cập nhật trên Hệ thống thông tin giải quyết "
        "thủ tục hành chính của tỉnh;</li>"
        f"<li>Tối thiểu {online}% hồ sơ của các TTHC cung cấp dịch vụ công trực tuyến toàn trình được nộp trực tuyến;</li>"
        "<li>100% kết quả giải quyết TTHC được số hóa;</li>"
        f"<li>Tối thiểu {satisfied}% người dân, tổ chức được khảo sát hài lòng với việc giải quyết TTHC;</li>"
        "<li>Không có phản ánh, kiến nghị có căn cứ về thái độ, tác phong phục vụ của cán bộ, công chức.</li></ol>"
        "<p>Cán bộ phụ trách ISO theo dõi, tổng hợp kết quả thực hiện hằng quý và báo cáo tại cuộc họp xem xét của "
        "lãnh đạo.</p>"
    )


# --- procedures for TTHC ----------------------------------------------------------------------------

ONE_STOP = "Công chức Bộ phận Một cửa"
LEADER = "Chủ tịch/Phó Chủ tịch UBND"
OFFICE = "Văn phòng UBND"

#: code, TTHC code, officer, dossier, result, fee, own form (code suffix, title) or None
TTHC_PROCEDURES = [
    {
        "code": "QT-06", "tthc": "DEMO-HT-01", "officer": "Công chức Tư pháp - Hộ tịch",
        "dossier": ["Tờ khai đăng ký khai sinh theo mẫu (01 bản);",
                    "Bản chính Giấy chứng sinh; nếu không có thì văn bản của người làm chứng xác nhận việc sinh hoặc giấy "
                    "cam đoan về việc sinh;",
                    "Giấy tờ tùy thân của người đi đăng ký (xuất trình)."],
        "result": "Giấy khai sinh (bản chính) và bản sao Giấy khai sinh theo yêu cầu",
        "fee": "Miễn lệ phí đối với đăng ký khai sinh đúng hạn.",
        "own_form": "Tờ khai đăng ký khai sinh",
    },
    {
        "code": "QT-07", "tthc": "DEMO-HT-02", "officer": "Công chức Tư pháp - Hộ tịch",
        "dossier": ["Tờ khai đăng ký kết hôn theo mẫu; hai bên nam, nữ có thể khai chung một tờ khai;",
                    "Giấy tờ tùy thân của hai bên nam, nữ (xuất trình);",
                    "Giấy xác nhận tình trạng hôn nhân nếu một bên không thường trú tại xã."],
        "result": "Giấy chứng nhận kết hôn (mỗi bên vợ, chồng một bản chính)",
        "fee": "Miễn lệ phí đối với công dân Việt Nam cư trú ở trong nước.",
        "own_form": "Tờ khai đăng ký kết hôn",
    },
    {
        "code": "QT-08", "tthc": "DEMO-HT-03", "officer": "Công chức Tư pháp - Hộ tịch",
        "dossier": ["Tờ khai đăng ký khai tử theo mẫu;", "Giấy báo tử hoặc giấy tờ thay thế Giấy báo tử;"],
        "result": "Trích lục khai tử (bản chính)",
        "fee": "Miễn lệ phí đối với đăng ký khai tử đúng hạn.",
        "own_form": "Tờ khai đăng ký khai tử",
    },
    {
        "code": "QT-09", "tthc": "DEMO-HT-07", "officer": "Công chức Tư pháp - Hộ tịch",
        "dossier": ["Tờ khai cấp bản sao trích lục hộ tịch theo mẫu;", "Giấy tờ tùy thân của người yêu cầu (xuất trình)."],
        "result": "Bản sao trích lục hộ tịch",
        "fee": "Theo quy định của Bộ Tài chính về phí, lệ phí hộ tịch.",
        "own_form": None,
    },
    {
        "code": "QT-10", "tthc": "DEMO-HT-08", "officer": "Công chức Tư pháp - Hộ tịch",
        "dossier": ["Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu;",
                    "Giấy tờ chứng minh việc ly hôn hoặc người kia đã chết (nếu đã từng kết hôn)."],
        "result": "Giấy xác nhận tình trạng hôn nhân",
        "fee": "Theo Nghị quyết của Hội đồng nhân dân tỉnh.",
        "own_form": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân",
    },
    {
        "code": "QT-11", "tthc": "DEMO-CT-02", "officer": "Công chức Tư pháp - Hộ tịch",
        "dossier": ["Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao và bản sao cần chứng thực."],
        "result": "Bản sao được chứng thực từ bản chính",
        "fee": "2.000 đồng/trang; từ trang thứ ba trở lên thu 1.000 đồng/trang, tối đa 200.000 đồng/bản.",
        "own_form": None,
    },
    {
        "code": "QT-12", "tthc": "DEMO-CT-03", "officer": "Công chức Tư pháp - Hộ tịch",
        "dossier": ["Giấy tờ tùy thân còn giá trị sử dụng của người yêu cầu chứng thực;",
                    "Giấy tờ, văn bản mà mình sẽ ký."],
        "result": "Giấy tờ, văn bản được chứng thực chữ ký",
        "fee": "10.000 đồng/trường hợp.",
        "own_form": None,
    },
    {
        "code": "QT-13", "tthc": "DEMO-CT-04", "officer": "Công chức Tư pháp - Hộ tịch",
        "dossier": ["Dự thảo hợp đồng, giao dịch;", "Bản sao giấy tờ tùy thân của người yêu cầu chứng thực;",
                    "Bản sao Giấy chứng nhận quyền sử dụng đất hoặc giấy tờ chứng minh quyền sở hữu, sử dụng tài sản."],
        "result": "Hợp đồng, giao dịch được chứng thực",
        "fee": "50.000 đồng/hợp đồng, giao dịch.",
        "own_form": "Phiếu yêu cầu chứng thực hợp đồng, giao dịch",
    },
    {
        "code": "QT-14", "tthc": "DEMO-DD-01", "officer": "Công chức Địa chính - Nông nghiệp - Xây dựng và Môi trường",
        "dossier": ["Đơn đề nghị hòa giải tranh chấp đất đai;", "Giấy tờ, tài liệu liên quan đến thửa đất tranh chấp (nếu có)."],
        "result": "Biên bản hòa giải thành hoặc hòa giải không thành",
        "fee": "Không thu phí.",
        "own_form": "Đơn đề nghị hòa giải tranh chấp đất đai",
    },
    {
        "code": "QT-15", "tthc": "DEMO-KD-01", "officer": "Công chức Tài chính - Kế hoạch",
        "dossier": ["Giấy đề nghị đăng ký hộ kinh doanh;", "Bản sao giấy tờ pháp lý của chủ hộ kinh doanh;",
                    "Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh (nếu có)."],
        "result": "Giấy chứng nhận đăng ký hộ kinh doanh",
        "fee": "Theo Nghị quyết của Hội đồng nhân dân tỉnh.",
        "own_form": "Giấy đề nghị đăng ký hộ kinh doanh",
    },
    {
        "code": "QT-16", "tthc": "DEMO-LT-01", "officer": "Công chức Tài chính - Kế hoạch",
        "dossier": ["Đơn đề nghị cấp Giấy phép bán lẻ rượu;", "Bản sao hợp đồng với thương nhân cung cấp rượu;",
                    "Bản cam kết bảo đảm điều kiện về phòng cháy chữa cháy, bảo vệ môi trường."],
        "result": "Giấy phép bán lẻ rượu",
        "fee": "Theo quy định của Bộ Tài chính.",
        "own_form": None,
    },
    {
        "code": "QT-17", "tthc": "DEMO-BT-02", "officer": "Công chức Văn hóa - Xã hội",
        "dossier": ["Giấy đề nghị xét duyệt hộ nghèo, hộ cận nghèo phát sinh trong năm.",
                    "Phiếu rà soát thông tin hộ gia đình (do Ban giảm nghèo lập)."],
        "result": "Quyết định công nhận hộ nghèo, hộ cận nghèo và Giấy chứng nhận hộ nghèo, hộ cận nghèo",
        "fee": "Không thu phí.",
        "own_form": "Giấy đề nghị xét duyệt hộ nghèo, hộ cận nghèo",
    },
]

#: The one-stop forms of Circular 01/2018/TT-VPCP each TTHC procedure carries as its own BM-xx-0n (the third,
#: the process control slip, is printed from the one-stop software and not kept as a form here).
ONE_STOP_FORMS = [
    ("01", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    ("02", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
]


def days_text(days) -> str:
    days = float(days)
    if days == 0:
        return "Trong ngày làm việc"
    return f"{int(days):02d} ngày làm việc" if days == int(days) else f"{days:g} ngày làm việc".replace(".", ",")


def tthc_steps(spec: dict, procedure, *, digitise: bool = False, officer: str | None = None) -> list[dict]:
    """The process table of a TTHC procedure at a one-stop office (Decree 61/2018 sequence)."""
    number = spec["code"].split("-")[1]
    days = float(procedure.processing_days)
    officer = officer or spec["officer"]
    if days == 0:
        times = ["Ngay khi tiếp nhận", "Trong ngày", "Trong ngày", "Trong ngày", "Trong ngày"]
    else:
        review = max(days - 1.5, 0.5)
        times = ["0,5 ngày làm việc", f"{review:g} ngày làm việc".replace(".", ","), "0,5 ngày làm việc",
                 "0,5 ngày làm việc", "Theo ngày hẹn"]
    steps = [
        step("B1", "<p>Tiếp nhận, kiểm tra tính đầy đủ, hợp lệ của hồ sơ. Hồ sơ đầy đủ: lập Giấy tiếp nhận hồ sơ và hẹn "
                   "trả kết quả, cập nhật vào Hệ thống thông tin giải quyết TTHC. Hồ sơ chưa đầy đủ: hướng dẫn bổ sung một "
                   "lần bằng Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ.</p>",
             ONE_STOP, times[0], f"BM-{number}-01, BM-{number}-02"),
        step("B2", f"<p>Thẩm định hồ sơ, xác minh (nếu cần); dự thảo kết quả giải quyết: {spec['result'].lower()}; ghi "
                   "Phiếu kiểm soát quá trình giải quyết hồ sơ.</p>",
             officer, times[1], "Phiếu kiểm soát quá trình; dự thảo kết quả"),
        step("B3", "<p>Xem xét, ký kết quả giải quyết.</p>", LEADER, times[2], "Kết quả đã ký"),
        step("B4", "<p>Vào sổ, đóng dấu, chuyển kết quả cho Bộ phận Một cửa.</p>", OFFICE, times[3], "Sổ theo dõi"),
        step("B5", "<p>Trả kết quả cho người dân, tổ chức; thu phí, lệ phí (nếu có); cập nhật trạng thái hồ sơ trên hệ "
                   "thống.</p>", ONE_STOP, times[4], spec["result"]),
    ]
    if digitise:
        steps[4]["action"] = steps[4]["action"].replace(
            "cập nhật trạng thái", "số hóa kết quả giải quyết và cập nhật vào kho dữ liệu của người dân; cập nhật trạng thái"
        )
    return steps


def tthc_body(spec: dict, procedure, *, online_note: bool = False, digitise: bool = False, officer: str | None = None) -> list:
    dossier = "".join(f"<li>{item}</li>" for item in spec["dossier"])
    parts = [
        ("heading", "5.1. Cơ sở pháp lý"),
        ("paragraph", f"<p>{procedure.legal_basis}.</p>"),
        ("heading", "5.2. Thành phần, số lượng hồ sơ"),
        ("paragraph", f"<ul>{dossier}</ul><p>Số lượng: 01 bộ.</p>"
                      + ("<p>Hồ sơ có thể nộp trực tuyến trên Cổng Dịch vụ công quốc gia; giấy tờ đã có trong Cơ sở dữ "
                         "liệu quốc gia về dân cư không yêu cầu nộp lại.</p>" if online_note else "")),
        ("heading", "5.3. Thời hạn giải quyết"),
        ("paragraph", f"<p>{days_text(procedure.processing_days)} kể từ khi nhận đủ hồ sơ hợp lệ.</p>"),
        ("heading", "5.4. Nơi tiếp nhận và trả kết quả"),
        ("paragraph", "<p>Bộ phận Một cửa UBND xã hoặc qua dịch vụ bưu chính công ích, Cổng Dịch vụ công quốc gia.</p>"),
        ("heading", "5.5. Phí, lệ phí"),
        ("paragraph", f"<p>{spec['fee']}</p>"),
        ("heading", "5.6. Quy trình xử lý công việc"),
    ]
    parts += [("process_step", s) for s in tthc_steps(spec, procedure, digitise=digitise, officer=officer)]
    return parts


def tthc_records(spec: dict) -> list[dict]:
    number = spec["code"].split("-")[1]
    return [
        record(f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả (BM-{number}-01)", ONE_STOP, "Bộ phận Một cửa", "01 năm"),
        record("Phiếu kiểm soát quá trình giải quyết hồ sơ", spec["officer"], "Bộ phận chuyên môn", "01 năm"),
        record("Hồ sơ giải quyết TTHC và bản lưu kết quả", spec["officer"], "Bộ phận chuyên môn", "Theo quy định về lưu trữ"),
    ]


def form_body(title: str) -> list:
    return [("paragraph", f"<p>Mẫu <b>{title}</b> dùng thống nhất trong quá trình giải quyết TTHC. Bản gốc (Word) "
                          "kèm theo; cán bộ, công chức in mẫu từ hệ thống, không tự ý sửa đổi nội dung mẫu.</p>")]
