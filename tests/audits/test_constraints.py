"""Every CheckConstraint and UniqueConstraint of the app refuses what it should, in the database itself."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from audits.models import Audit, AuditProgramme, ChecklistItem, CorrectiveAction, Finding, Nonconformity
from tests.audits.factories import record_nc_finding, start_audit

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def records(audit_2024, people, units):
    from audits import services
    from audits.models import CauseCategory

    audit = start_audit(audit_2024, by=people.auditor)
    finding = record_nc_finding(audit, by=people.auditor)
    nc = finding.nonconformity
    services.nonconformity_analyse(nc=nc, whys=["x"], cause_category=CauseCategory.OTHER, on=D(2024, 5, 10), by=people.staff)
    action = services.corrective_action_add(nc=nc, description="x", responsible=people.staff, due_on=D(2024, 6, 1), by=people.staff)
    return {"audit": audit, "finding": finding, "nc": nc, "action": action, "item": audit.checklist.first(), "units": units}


CASES = [
    (AuditProgramme, "programme", {"year": 1990}, "programme_year_plausible"),
    # An unknown status also breaks the rule tying status to dates; PostgreSQL names whichever it checks first.
    (AuditProgramme, "programme", {"status": "archived"}, "programme_status_valid|programme_approval_recorded"),
    (Audit, "audit", {"status": "cancelled"}, "audit_status_valid|audit_dates_follow_status"),
    (Audit, "audit", {"actual_end": D(2024, 5, 1)}, "audit_actual_end_after_start"),
    (Audit, "audit", {"status": "reported"}, "audit_dates_follow_status"),
    (Audit, "audit", {"status": "planned"}, "audit_dates_follow_status"),
    (Audit, "audit", {"closed_on": D(2024, 6, 1)}, "audit_closed_on_iff_closed"),
    (ChecklistItem, "item", {"result": "maybe"}, "checklist_result_valid"),
    (ChecklistItem, "item", {"position": 2}, "checklist_item_unique_position"),
    (Finding, "finding", {"kind": "remark"}, "finding_kind_valid"),
    (Finding, "finding", {"statement": ""}, "finding_has_statement"),
    (Nonconformity, "nc", {"description": ""}, "nc_has_description"),
    (Nonconformity, "nc", {"severity": "critical"}, "nc_severity_valid"),
    (Nonconformity, "nc", {"source": "rumour"}, "nc_source_valid|nc_audit_source_has_finding"),
    (Nonconformity, "nc", {"cause_category": "fate"}, "nc_cause_category_valid"),
    (Nonconformity, "nc", {"why_1": ""}, "nc_analysed_has_root_cause"),
    (Nonconformity, "nc", {"transferred_on": D(2025, 7, 1)}, "nc_transfer_recorded"),
    (CorrectiveAction, "action", {"description": ""}, "action_has_description"),
]


@pytest.mark.parametrize(("model", "key", "change", "constraint"), CASES, ids=[c[3].split("|")[0] for c in CASES])
def test_constraint(records, model, key, change, constraint):
    obj = records["audit"].programme if key == "programme" else records[key]
    with pytest.raises(IntegrityError, match=None if "unique" in constraint else constraint), transaction.atomic():
        model.objects.filter(pk=obj.pk).update(**change)


def test_transfer_needs_its_date(records):
    with pytest.raises(IntegrityError), transaction.atomic():
        Nonconformity.objects.filter(pk=records["nc"].pk).update(unit=records["units"]["BN-YENTHE"])


@pytest.mark.parametrize(("model", "key", "change", "constraint"), [c for c in CASES if "unique" not in c[3]],
                         ids=[c[3].split("|")[0] for c in CASES if "unique" not in c[3]])
def test_validation_names_the_same_broken_rules_as_django_checking_one_by_one(records, model, key, change, constraint):
    """qms.core.models.checks.ChecksInOneQuery: the screens' messages come from validate_constraints."""
    from django.core.exceptions import ValidationError
    from django.db.models import Model

    obj = records["audit"].programme if key == "programme" else records[key]
    for name, value in change.items():
        setattr(obj, name, value)
    with pytest.raises(ValidationError) as ours:
        obj.validate_constraints()
    with pytest.raises(ValidationError) as djangos:
        Model.validate_constraints(obj)  # Django's own loop: one query per constraint
    assert ours.value.message_dict == djangos.value.message_dict


def test_a_valid_nonconformity_checks_its_twelve_rules_in_one_query(records):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        records["nc"].validate_constraints()
    assert [q["sql"].split()[0] for q in ctx.captured_queries].count("SELECT") == 1  # Django alone: 12
