"""The default competence requirements per role (ISO 9001 7.2, 7.3) and what each role may do here."""

from django.db import migrations

from qms.core.migration_helpers import grant

QUALITY_OFFICER = "Cán bộ phụ trách ISO"
LEADER = "Lãnh đạo"
AUDITOR = "Chuyên gia đánh giá nội bộ"
UNIT_STAFF = "Công chức một cửa"

#: code, name, kind, validity in months, roles, description.
REQUIREMENTS = [
    ("internal-auditor", "Chứng chỉ đánh giá viên nội bộ ISO 9001", "training", 36, [AUDITOR],
     "Khóa đào tạo chuyên gia đánh giá nội bộ theo TCVN ISO 9001:2015 (và ISO 19011), có chứng chỉ; "
     "bồi dưỡng lại sau 3 năm."),
    ("iso-awareness", "Đào tạo nhận thức ISO 9001", "training", None, [UNIT_STAFF, QUALITY_OFFICER, LEADER],
     "Khóa đào tạo nhận thức về TCVN ISO 9001:2015 và hệ thống quản lý chất lượng của cơ quan."),
    ("unit-procedures", "Nắm quy trình của đơn vị", "procedures", None, [UNIT_STAFF],
     "Đã đọc và hiểu (xác nhận trên hệ thống) lần ban hành hiện hành của mọi quy trình đang hiệu lực của đơn vị."),
]

PERMISSIONS = {
    # Keeps the records of the unit's people; district officers also edit the requirements.
    QUALITY_OFFICER: [
        "competence.view_competencerequirement", "competence.add_competencerequirement",
        "competence.change_competencerequirement",
        "competence.view_trainingrecord", "competence.add_trainingrecord", "competence.change_trainingrecord",
    ],
    LEADER: ["competence.view_competencerequirement", "competence.view_trainingrecord"],
    AUDITOR: ["competence.view_competencerequirement", "competence.view_trainingrecord"],
    UNIT_STAFF: ["competence.view_competencerequirement"],
}


def seed(apps, schema_editor):
    Requirement = apps.get_model("competence", "CompetenceRequirement")
    Group = apps.get_model("auth", "Group")
    for code, name, kind, months, roles, description in REQUIREMENTS:
        requirement, _ = Requirement.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "validity_months": months, "description": description},
        )
        requirement.roles.add(*[Group.objects.get_or_create(name=role)[0] for role in roles])
    for group, codenames in PERMISSIONS.items():
        grant(apps, group, codenames)


def unseed(apps, schema_editor):
    apps.get_model("competence", "CompetenceRequirement").objects.filter(code__in=[r[0] for r in REQUIREMENTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("competence", "0001_initial"), ("core", "0002_roles")]

    operations = [migrations.RunPython(seed, unseed)]
