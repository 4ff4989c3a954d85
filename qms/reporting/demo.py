"""Demo quality objectives (ISO 9001, 6.2) of the district and of the new communes. Idempotent."""

from decimal import Decimal

from qms.core import demo as core_demo
from qms.core.models import Unit
from qms.reporting.models import Comparator, Indicator, ObjectiveScope, PeriodKind, QualityObjective

#: (unit code, title, scope, indicator, comparator, target, period kind, plan)
OBJECTIVES = [
    (core_demo.DISTRICT_CODE, "Giải quyết đúng hạn ít nhất 98% hồ sơ TTHC tại mỗi xã, thị trấn", ObjectiveScope.EACH,
     Indicator.ON_TIME_RATE, Comparator.GTE, "98", PeriodKind.YEAR,
     "Công chức một cửa theo dõi hạn trả hằng ngày; Văn phòng UBND huyện tổng hợp hằng tháng."),
    (core_demo.DISTRICT_CODE, "Ít nhất 50% hồ sơ được tiếp nhận trực tuyến", ObjectiveScope.UNIT,
     Indicator.ONLINE_RATE, Comparator.GTE, "50", PeriodKind.YEAR,
     "Hướng dẫn người dân nộp hồ sơ trên Cổng Dịch vụ công; bố trí máy tính hỗ trợ tại bộ phận một cửa."),
    ("BN-YENTHE", "Giải quyết đúng hạn ít nhất 98% hồ sơ TTHC", ObjectiveScope.UNIT,
     Indicator.ON_TIME_RATE, Comparator.GTE, "98", PeriodKind.QUARTER,
     "Chủ tịch UBND xã kiểm tra hồ sơ sắp đến hạn hằng tuần."),
    ("BN-YENTHE", "Ít nhất 50% hồ sơ được tiếp nhận trực tuyến", ObjectiveScope.UNIT,
     Indicator.ONLINE_RATE, Comparator.GTE, "50", PeriodKind.QUARTER, ""),
    ("BN-YENTHE", "Không quá 10 hồ sơ đang giải quyết quá hạn cuối mỗi tháng", ObjectiveScope.UNIT,
     Indicator.OVERDUE_PENDING, Comparator.LTE, "10", PeriodKind.MONTH, ""),
    ("BN-BOHA", "Thời gian giải quyết trung bình không quá 5 ngày làm việc", ObjectiveScope.UNIT,
     Indicator.AVG_WORKING_DAYS, Comparator.LTE, "5", PeriodKind.QUARTER, ""),
]


def load(*, stdout, scale: float = 1.0) -> int:
    for code, title, scope, indicator, comparator, target, kind, plan in OBJECTIVES:
        QualityObjective.objects.update_or_create(
            unit=Unit.objects.get(code=code), indicator=indicator, period_kind=kind,
            defaults={"title": title, "scope": scope, "comparator": comparator, "target": Decimal(target),
                      "plan": plan, "active": True},
        )
    stdout.write(f"  reporting: {len(OBJECTIVES)} quality objectives")
    return len(OBJECTIVES)
