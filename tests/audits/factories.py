"""Builders for audit records, going through the services so every record has its history."""

import datetime

from audits import services
from audits.models import FindingKind, NcSource
from qms.core.models import IsoClause


def clauses(*numbers):
    return list(IsoClause.objects.filter(number__in=numbers))


def make_programme(*, year, units, by, title=None, approve_by=None):
    from audits.models import AuditProgramme

    programme = services.programme_save(
        programme=AuditProgramme(
            year=year, title=title or f"Chương trình đánh giá nội bộ năm {year}",
            objectives="Đánh giá sự phù hợp và hiệu lực của HTQLCL", criteria="TCVN ISO 9001:2015",
        ),
        units=units, by=by,
    )
    return programme


def make_audit(*, programme, unit, by, lead=None, team=(), start=None, clause_numbers=("7.5", "8.5")):
    from audits.models import Audit

    start = start or datetime.date(programme.year, 5, 10)
    return services.audit_save(
        audit=Audit(programme=programme, unit=unit, planned_start=start, planned_end=start + datetime.timedelta(days=1),
                    lead_auditor=lead, criteria="TCVN ISO 9001:2015"),
        auditors=team, clauses=clauses(*clause_numbers), by=by,
    )


def start_audit(audit, *, by, on=None):
    return services.audit_start(audit=audit, by=by, on=on or audit.planned_start)


def record_nc_finding(audit, *, by, kind=FindingKind.MINOR_NC, on=None, item=None):
    item = item or audit.checklist.first()
    return services.finding_record(
        audit=audit, kind=kind, checklist_item=item, by=by, on=on or audit.actual_start,
        statement="Hồ sơ trễ hạn không có văn bản xin lỗi người dân", evidence="Hồ sơ số 000.00.17.H08-240512-0003",
    )


def open_nc(*, unit, by, detected_on, source=NcSource.COMPLAINT, **kwargs):
    return services.nonconformity_open(
        unit=unit, source=source, description="Người dân phản ánh phải đi lại nhiều lần để bổ sung hồ sơ",
        detected_on=detected_on, by=by, **kwargs,
    )
