"""The clause catalogue of ISO 9001:2015 (TCVN ISO 9001:2015): numbers and titles only."""

from django.db import migrations

CLAUSES = [
    ("4", "Bối cảnh của tổ chức", "Context of the organization"),
    ("4.1", "Hiểu tổ chức và bối cảnh của tổ chức", "Understanding the organization and its context"),
    ("4.2", "Hiểu nhu cầu và mong đợi của các bên quan tâm", "Understanding the needs and expectations of interested parties"),
    ("4.3", "Xác định phạm vi của hệ thống quản lý chất lượng", "Determining the scope of the quality management system"),
    ("4.4", "Hệ thống quản lý chất lượng và các quá trình của hệ thống", "Quality management system and its processes"),
    ("5", "Sự lãnh đạo", "Leadership"),
    ("5.1", "Sự lãnh đạo và cam kết", "Leadership and commitment"),
    ("5.1.1", "Khái quát", "General"),
    ("5.1.2", "Hướng vào khách hàng", "Customer focus"),
    ("5.2", "Chính sách", "Policy"),
    ("5.2.1", "Thiết lập chính sách chất lượng", "Establishing the quality policy"),
    ("5.2.2", "Truyền đạt chính sách chất lượng", "Communicating the quality policy"),
    ("5.3", "Vai trò, trách nhiệm và quyền hạn trong tổ chức", "Organizational roles, responsibilities and authorities"),
    ("6", "Hoạch định", "Planning"),
    ("6.1", "Hành động giải quyết rủi ro và cơ hội", "Actions to address risks and opportunities"),
    ("6.2", "Mục tiêu chất lượng và hoạch định để đạt được mục tiêu", "Quality objectives and planning to achieve them"),
    ("6.3", "Hoạch định các thay đổi", "Planning of changes"),
    ("7", "Hỗ trợ", "Support"),
    ("7.1", "Nguồn lực", "Resources"),
    ("7.1.1", "Khái quát", "General"),
    ("7.1.2", "Con người", "People"),
    ("7.1.3", "Cơ sở hạ tầng", "Infrastructure"),
    ("7.1.4", "Môi trường cho việc thực hiện các quá trình", "Environment for the operation of processes"),
    ("7.1.5", "Nguồn lực theo dõi và đo lường", "Monitoring and measuring resources"),
    ("7.1.6", "Tri thức của tổ chức", "Organizational knowledge"),
    ("7.2", "Năng lực", "Competence"),
    ("7.3", "Nhận thức", "Awareness"),
    ("7.4", "Trao đổi thông tin", "Communication"),
    ("7.5", "Thông tin dạng văn bản", "Documented information"),
    ("7.5.1", "Khái quát", "General"),
    ("7.5.2", "Tạo lập và cập nhật", "Creating and updating"),
    ("7.5.3", "Kiểm soát thông tin dạng văn bản", "Control of documented information"),
    ("8", "Thực hiện", "Operation"),
    ("8.1", "Hoạch định và kiểm soát việc thực hiện", "Operational planning and control"),
    ("8.2", "Yêu cầu đối với sản phẩm và dịch vụ", "Requirements for products and services"),
    ("8.2.1", "Trao đổi thông tin với khách hàng", "Customer communication"),
    ("8.2.2", "Xác định các yêu cầu đối với sản phẩm và dịch vụ", "Determining the requirements for products and services"),
    ("8.2.3", "Xem xét các yêu cầu đối với sản phẩm và dịch vụ", "Review of the requirements for products and services"),
    ("8.2.4", "Thay đổi các yêu cầu đối với sản phẩm và dịch vụ", "Changes to requirements for products and services"),
    ("8.3", "Thiết kế và phát triển sản phẩm và dịch vụ", "Design and development of products and services"),
    (
        "8.4",
        "Kiểm soát quá trình, sản phẩm và dịch vụ do bên ngoài cung cấp",
        "Control of externally provided processes, products and services",
    ),
    ("8.5", "Sản xuất và cung cấp dịch vụ", "Production and service provision"),
    ("8.5.1", "Kiểm soát sản xuất và cung cấp dịch vụ", "Control of production and service provision"),
    ("8.5.2", "Nhận biết và xác định nguồn gốc", "Identification and traceability"),
    ("8.5.3", "Tài sản của khách hàng hoặc nhà cung cấp bên ngoài", "Property belonging to customers or external providers"),
    ("8.5.4", "Bảo toàn", "Preservation"),
    ("8.5.5", "Hoạt động sau giao hàng", "Post-delivery activities"),
    ("8.5.6", "Kiểm soát thay đổi", "Control of changes"),
    ("8.6", "Thông qua sản phẩm và dịch vụ", "Release of products and services"),
    ("8.7", "Kiểm soát đầu ra không phù hợp", "Control of nonconforming outputs"),
    ("9", "Đánh giá kết quả thực hiện", "Performance evaluation"),
    ("9.1", "Theo dõi, đo lường, phân tích và đánh giá", "Monitoring, measurement, analysis and evaluation"),
    ("9.1.1", "Khái quát", "General"),
    ("9.1.2", "Sự thỏa mãn của khách hàng", "Customer satisfaction"),
    ("9.1.3", "Phân tích và đánh giá", "Analysis and evaluation"),
    ("9.2", "Đánh giá nội bộ", "Internal audit"),
    # 9.2.1, 9.2.2, 10.2.1 and 10.2.2 carry no title in the standard: these name what they cover.
    ("9.2.1", "Tiến hành đánh giá nội bộ theo các khoảng thời gian đã hoạch định", "Internal audits at planned intervals"),
    ("9.2.2", "Chương trình đánh giá, chuẩn mực, phạm vi và chuyên gia đánh giá", "Audit programme, criteria, scope and auditors"),
    ("9.3", "Xem xét của lãnh đạo", "Management review"),
    ("9.3.1", "Khái quát", "General"),
    ("9.3.2", "Đầu vào xem xét của lãnh đạo", "Management review inputs"),
    ("9.3.3", "Đầu ra xem xét của lãnh đạo", "Management review outputs"),
    ("10", "Cải tiến", "Improvement"),
    ("10.1", "Khái quát", "General"),
    ("10.2", "Sự không phù hợp và hành động khắc phục", "Nonconformity and corrective action"),
    ("10.2.1", "Xử lý sự không phù hợp và hành động khắc phục", "Reacting to a nonconformity and corrective action"),
    ("10.2.2", "Lưu giữ thông tin về sự không phù hợp và kết quả khắc phục", "Retaining information on nonconformities and results"),
    ("10.3", "Cải tiến liên tục", "Continual improvement"),
]


def sort_key(number):
    return ".".join(part.zfill(2) for part in number.split("."))


def load_clauses(apps, schema_editor):
    IsoClause = apps.get_model("core", "IsoClause")
    by_number = {}
    for number, title_vi, title_en in CLAUSES:
        parent = by_number.get(number.rsplit(".", 1)[0]) if "." in number else None
        by_number[number], _ = IsoClause.objects.update_or_create(
            number=number,
            defaults={"title_vi": title_vi, "title_en": title_en, "parent": parent, "sort_key": sort_key(number)},
        )


def unload_clauses(apps, schema_editor):
    apps.get_model("core", "IsoClause").objects.filter(number__in=[c[0] for c in CLAUSES]).order_by("-sort_key").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_roles")]

    operations = [migrations.RunPython(load_clauses, unload_clauses)]
