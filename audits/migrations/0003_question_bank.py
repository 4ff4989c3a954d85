"""
The initial question bank: what an internal auditor asks, clause by clause (4–10), in a commune's or
district's one-stop office applying TCVN ISO 9001:2015 under Decision 19/2014/QĐ-TTg and 101/QĐ-BKHCN.
The quality officer edits it afterwards (Internal audits → Question bank); this only seeds it.
"""

from django.db import migrations

QUESTIONS = {
    "4.1": [
        "Đơn vị đã xác định các vấn đề bên trong và bên ngoài ảnh hưởng đến việc giải quyết TTHC (thay đổi pháp luật, sắp xếp đơn vị hành chính, chuyển đổi số, nhân lực) chưa? Có được xem xét, cập nhật ít nhất một lần mỗi năm không?",
        "Các thay đổi lớn trong năm (văn bản pháp luật mới, sáp nhập, phần mềm một cửa mới) đã được đưa vào đánh giá bối cảnh chưa?",
    ],
    "4.2": [
        "Đơn vị đã xác định các bên quan tâm (người dân, doanh nghiệp, UBND cấp trên, các phòng chuyên môn, bưu điện) và yêu cầu của họ chưa?",
        "Thông tin về nhu cầu, mong đợi của các bên quan tâm có được theo dõi và xem xét định kỳ không (ví dụ qua phản ánh, kiến nghị, khảo sát)?",
    ],
    "4.3": [
        "Phạm vi áp dụng HTQLCL có được xác định bằng văn bản, nêu rõ các TTHC và lĩnh vực áp dụng không?",
        "Danh mục TTHC thuộc phạm vi có khớp với danh mục TTHC đang được giải quyết tại bộ phận một cửa không? Các điều khoản không áp dụng (như 8.3) có được giải thích không?",
    ],
    "4.4": [
        "Đơn vị đã xác định các quá trình cần thiết (tiếp nhận, thẩm định, phê duyệt, trả kết quả) cùng trình tự và mối tương tác giữa chúng chưa?",
        "Mỗi TTHC trong phạm vi có quy trình nội bộ được ban hành và đang áp dụng không?",
    ],
    "5.1": [
        "Lãnh đạo UBND có trực tiếp chỉ đạo việc xây dựng, áp dụng, duy trì HTQLCL và chịu trách nhiệm về hiệu lực của hệ thống không?",
        "Lãnh đạo có cung cấp đủ nguồn lực và phân công người phụ trách ISO bằng văn bản không?",
    ],
    "5.1.2": [
        "Lãnh đạo có bảo đảm việc giải quyết TTHC đúng hạn và theo dõi mức độ hài lòng của người dân, tổ chức không?",
    ],
    "5.2": [
        "Chính sách chất lượng có được ban hành, phù hợp với chức năng của đơn vị và cam kết cải tiến liên tục không?",
        "Chính sách chất lượng có được niêm yết tại bộ phận một cửa, đăng trên trang thông tin điện tử và được công chức hiểu đúng không?",
    ],
    "5.3": [
        "Trách nhiệm, quyền hạn của từng công chức trong các quy trình (tiếp nhận, thụ lý, ký duyệt, trả kết quả) có được phân công rõ ràng bằng văn bản không?",
        "Có quyết định thành lập Ban chỉ đạo ISO và phân công thư ký ISO, đã được cập nhật theo nhân sự hiện tại chưa?",
    ],
    "6.1": [
        "Đơn vị đã nhận diện rủi ro và cơ hội trong việc giải quyết TTHC (hồ sơ trễ hạn, thất lạc hồ sơ, sai sót kết quả) và lập kế hoạch xử lý chưa?",
        "Hiệu lực của các hành động xử lý rủi ro năm trước có được đánh giá không?",
    ],
    "6.2": [
        "Mục tiêu chất lượng năm nay có được thiết lập, đo lường được (ví dụ: trên 98% hồ sơ giải quyết đúng hạn) và phù hợp với chính sách chất lượng không?",
        "Có kế hoạch thực hiện mục tiêu nêu rõ việc cần làm, nguồn lực, người chịu trách nhiệm, thời hạn và cách đánh giá kết quả không?",
        "Kết quả thực hiện mục tiêu kỳ trước có được theo dõi, báo cáo đầy đủ không?",
    ],
    "6.3": [
        "Khi có thay đổi (sắp xếp bộ máy, thay đổi quy trình, thay đổi phần mềm), đơn vị có hoạch định việc thay đổi để bảo đảm tính toàn vẹn của HTQLCL không?",
    ],
    "7.1": [
        "Đơn vị có xác định và cung cấp đủ nguồn lực cho việc duy trì HTQLCL không (nhân sự, kinh phí, cơ sở vật chất)?",
    ],
    "7.1.2": [
        "Số lượng công chức làm việc tại bộ phận một cửa có đủ để giải quyết hồ sơ đúng hạn vào các thời điểm cao điểm không?",
    ],
    "7.1.3": [
        "Trang thiết bị tại bộ phận một cửa (máy tính, máy quét, máy in, đường truyền, máy lấy số thứ tự) có đầy đủ và hoạt động tốt không? Có sổ theo dõi bảo trì, sửa chữa không?",
    ],
    "7.1.4": [
        "Khu vực tiếp nhận và trả kết quả có đủ chỗ ngồi, bảng niêm yết TTHC, sạch sẽ, thuận tiện cho người cao tuổi và người khuyết tật không?",
    ],
    "7.1.6": [
        "Kinh nghiệm, bài học trong giải quyết TTHC (các trường hợp khó, hướng dẫn nghiệp vụ) có được lưu giữ và chia sẻ cho công chức mới không?",
    ],
    "7.2": [
        "Công chức làm việc tại bộ phận một cửa có đáp ứng tiêu chuẩn, được đào tạo về nghiệp vụ và về TCVN ISO 9001:2015 không? Có hồ sơ đào tạo không?",
        "Công chức mới hoặc luân chuyển có được hướng dẫn quy trình trước khi giải quyết hồ sơ không?",
    ],
    "7.3": [
        "Công chức có biết chính sách chất lượng, mục tiêu chất lượng liên quan đến công việc của mình và hậu quả của việc không tuân thủ quy trình không?",
    ],
    "7.4": [
        "Đơn vị có quy định trao đổi thông tin nội bộ và với người dân (nội dung, thời điểm, người thực hiện, cách thức) không?",
        "Thông tin về TTHC, phí, lệ phí, thời hạn giải quyết có được niêm yết công khai, đầy đủ và đúng với văn bản hiện hành không?",
    ],
    "7.5": [
        "Đơn vị có đủ thông tin dạng văn bản theo yêu cầu của tiêu chuẩn và của Quyết định 19/2014/QĐ-TTg (chính sách, mục tiêu, quy trình, biểu mẫu) không?",
    ],
    "7.5.2": [
        "Tài liệu có được soát xét, phê duyệt trước khi ban hành, có mã số, lần ban hành và ngày hiệu lực không?",
    ],
    "7.5.3": [
        "Có Danh mục tài liệu nội bộ được cập nhật không? Công chức đang sử dụng đúng phiên bản hiện hành của quy trình và biểu mẫu không?",
        "Tài liệu lỗi thời có được thu hồi hoặc đánh dấu để tránh sử dụng nhầm không?",
        "Tài liệu có được cập nhật trong vòng 3 tháng kể từ khi văn bản pháp luật làm căn cứ thay đổi không?",
        "Hồ sơ giải quyết TTHC có được lưu trữ đầy đủ, sắp xếp khoa học, dễ tìm kiếm và bảo quản đúng thời hạn không?",
    ],
    "8.1": [
        "Việc giải quyết TTHC có được thực hiện theo đúng trình tự, thời gian từng bước trong quy trình nội bộ đã ban hành không?",
        "Quy trình nội bộ có được cập nhật khi thay đổi cách thức thực hiện (ví dụ chuyển sang dịch vụ công trực tuyến) không?",
    ],
    "8.2.1": [
        "Người dân có được hướng dẫn đầy đủ, một lần về thành phần hồ sơ không? Phiếu hướng dẫn, phiếu yêu cầu bổ sung có được lập theo mẫu không?",
        "Đơn vị có kênh tiếp nhận phản ánh, kiến nghị (hộp thư góp ý, đường dây nóng, cổng dịch vụ công) và xử lý kịp thời không?",
    ],
    "8.2.2": [
        "Các yêu cầu đối với từng TTHC (thành phần hồ sơ, thời hạn, phí, lệ phí, căn cứ pháp lý) có được xác định đúng theo quyết định công bố TTHC của tỉnh không?",
    ],
    "8.2.3": [
        "Hồ sơ có được kiểm tra tính đầy đủ, hợp lệ trước khi tiếp nhận, có Giấy tiếp nhận hồ sơ và hẹn trả kết quả ghi đúng thời hạn không?",
    ],
    "8.3": [
        "Nếu đơn vị loại trừ điều khoản 8.3, lý do loại trừ có được nêu trong phạm vi HTQLCL và không ảnh hưởng đến kết quả giải quyết TTHC không?",
    ],
    "8.4": [
        "Các dịch vụ do bên ngoài cung cấp (bưu chính công ích tiếp nhận và trả kết quả, đơn vị cung cấp phần mềm một cửa) có được kiểm soát, đánh giá không?",
    ],
    "8.5.1": [
        "Sổ theo dõi hồ sơ hoặc phần mềm một cửa có cập nhật đầy đủ tình trạng của từng hồ sơ (tiếp nhận, chuyển xử lý, trả kết quả) không?",
        "Phiếu kiểm soát quá trình giải quyết hồ sơ có được lập và ký nhận ở từng bước không?",
        "Hồ sơ trễ hạn có văn bản xin lỗi người dân và hẹn lại thời gian trả kết quả theo quy định không?",
    ],
    "8.5.2": [
        "Mỗi hồ sơ có được gán mã số để nhận biết và truy xuất được trạng thái, người đang xử lý tại mọi thời điểm không?",
    ],
    "8.5.3": [
        "Giấy tờ bản chính của người dân có được bảo quản cẩn thận, tránh mất mát, hư hỏng và trả lại đầy đủ không?",
    ],
    "8.5.4": [
        "Hồ sơ đang giải quyết có được bảo quản an toàn (tủ có khóa, sao lưu dữ liệu điện tử) trong suốt quá trình xử lý không?",
    ],
    "8.5.5": [
        "Sau khi trả kết quả, đơn vị có tiếp nhận và xử lý các yêu cầu đính chính, cấp lại, cấp bản sao của người dân không?",
    ],
    "8.6": [
        "Kết quả giải quyết TTHC có được người có thẩm quyền kiểm tra, ký duyệt trước khi trả cho người dân không?",
    ],
    "8.7": [
        "Khi phát hiện kết quả sai sót (sai thông tin trên giấy tờ, cấp nhầm), đơn vị có nhận biết, kiểm soát, khắc phục và lưu hồ sơ xử lý không?",
    ],
    "9.1": [
        "Đơn vị có theo dõi, đo lường các quá trình giải quyết TTHC (tỷ lệ hồ sơ đúng hạn, trễ hạn, trực tuyến) theo định kỳ không?",
    ],
    "9.1.2": [
        "Đơn vị có đo lường sự hài lòng của người dân, tổ chức (phiếu khảo sát, đánh giá trên cổng dịch vụ công) và phân tích kết quả không?",
    ],
    "9.1.3": [
        "Dữ liệu theo dõi (báo cáo tình hình giải quyết TTHC, kết quả khảo sát) có được phân tích và dùng để đánh giá hiệu lực của HTQLCL không?",
    ],
    "9.2": [
        "Có chương trình đánh giá nội bộ hằng năm được phê duyệt, bao trùm toàn bộ phạm vi và các quá trình không?",
        "Chuyên gia đánh giá có được đào tạo và không đánh giá công việc của chính mình không?",
        "Kết quả đánh giá nội bộ kỳ trước có được báo cáo lãnh đạo và các điểm không phù hợp đã được khắc phục đúng hạn chưa?",
    ],
    "9.3": [
        "Lãnh đạo có tổ chức xem xét HTQLCL ít nhất một lần mỗi năm với đầy đủ đầu vào theo tiêu chuẩn không?",
        "Biên bản xem xét của lãnh đạo có nêu các quyết định về cải tiến, thay đổi và nhu cầu nguồn lực, và các quyết định đó được thực hiện không?",
    ],
    "10.1": [
        "Đơn vị có xác định và lựa chọn các cơ hội cải tiến (đơn giản hóa thủ tục, tăng tỷ lệ hồ sơ trực tuyến) để nâng cao sự hài lòng của người dân không?",
    ],
    "10.2": [
        "Khi có sự không phù hợp (kể cả từ phản ánh của người dân, hồ sơ trễ hạn), đơn vị có khắc phục tức thời, phân tích nguyên nhân và thực hiện hành động khắc phục không?",
        "Hiệu lực của hành động khắc phục có được kiểm tra và ghi nhận trước khi đóng điểm không phù hợp không?",
        "Hồ sơ về sự không phù hợp và kết quả khắc phục có được lưu giữ đầy đủ không?",
    ],
    "10.3": [
        "Kết quả phân tích, đánh giá và xem xét của lãnh đạo có được dùng để cải tiến liên tục HTQLCL không? Có ví dụ cải tiến cụ thể trong năm không?",
    ],
}


def load(apps, schema_editor):
    IsoClause = apps.get_model("core", "IsoClause")
    Question = apps.get_model("audits", "QuestionBankItem")
    clauses = {c.number: c for c in IsoClause.objects.filter(number__in=QUESTIONS)}
    for number, questions in QUESTIONS.items():
        for position, text in enumerate(questions, start=1):
            Question.objects.get_or_create(clause=clauses[number], position=position, defaults={"question": text})


def unload(apps, schema_editor):
    apps.get_model("audits", "QuestionBankItem").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("audits", "0002_cross_table_rules"), ("core", "0003_iso_clauses")]

    operations = [migrations.RunPython(load, unload)]
