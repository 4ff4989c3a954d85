"""
State changes of the shared domain. Called the same way from the admin, commands, the demo
loader and tests (STYLE.md habit 3).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qms.core.models import AdministrativeProcedure, OnlineLevel, ProcedureLevel
from qms.core.signals import legal_basis_changed
from qms.core.tabular import (
    MSG_NO_ROWS,
    MSG_REQUIRED,
    Column,
    RowError,
    as_text,
    is_blank,
    parse_date,
    parse_decimal,
    read_table,
)
from qms.core.text import fold_key

# --- TTHC catalogue ---------------------------------------------------------------------------

CATALOGUE_COLUMNS = (
    Column("ma_thu_tuc", ("procedure_code", "code", "Mã TTHC", "Mã thủ tục"), required=True),
    Column("ten_thu_tuc", ("name", "Tên TTHC", "Tên thủ tục"), required=True),
    Column("linh_vuc", ("field", "Lĩnh vực"), required=True),
    Column("cap_thuc_hien", ("level", "Cấp", "Cấp thực hiện"), required=True),
    Column("muc_do_truc_tuyen", ("online_level", "DVC trực tuyến", "Mức độ trực tuyến")),
    Column("thoi_han_giai_quyet", ("processing_days", "Số ngày giải quyết", "Thời hạn giải quyết"), required=True),
    Column("can_cu_phap_ly", ("legal_basis", "Căn cứ pháp lý")),
    Column("hieu_luc_tu", ("valid_from", "Hiệu lực từ")),
    Column("hieu_luc_den", ("valid_to", "Hiệu lực đến")),
)

MSG_UNKNOWN_LEVEL = _("Unknown level: use tỉnh, huyện or xã.")
MSG_UNKNOWN_ONLINE_LEVEL = _("Unknown online level: use toàn trình, một phần or không.")
MSG_DUPLICATE_CODE = _("This code already appears in row %(row)s.")
MSG_VALID_TO_BEFORE_FROM = _("“Valid to” is before “valid from”.")
MSG_TOO_LONG = _("Too long: at most %(max)s characters.")

_LEVELS = {
    **{fold_key(v): ProcedureLevel.PROVINCE for v in ("province", "tỉnh", "cấp tỉnh", "tinh")},
    **{fold_key(v): ProcedureLevel.DISTRICT for v in ("district", "huyện", "cấp huyện")},
    **{fold_key(v): ProcedureLevel.COMMUNE for v in ("commune", "xã", "cấp xã")},
}
_ONLINE_LEVELS = {
    **{fold_key(v): OnlineLevel.FULL for v in ("toan_trinh", "toàn trình", "full", "trực tuyến toàn trình")},
    **{fold_key(v): OnlineLevel.PARTIAL for v in ("mot_phan", "một phần", "partial", "trực tuyến một phần")},
    **{fold_key(v): OnlineLevel.NONE for v in ("khong", "không", "none", "")},
}


@dataclass
class ImportReport:
    """What an import did or, when it has errors, why it wrote nothing."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _catalogue_row(number: int, record: dict, labels: dict[str, str]) -> tuple[dict, list[RowError]]:
    """Parse one catalogue row into model field values, collecting every error of the row."""
    values: dict = {}
    errors: list[RowError] = []

    def fail(column: str, message) -> None:
        errors.append(RowError(number, labels[column], as_text(record.get(column)), str(message)))

    for column in CATALOGUE_COLUMNS:
        if column.required and is_blank(record.get(column.name)):
            fail(column.name, MSG_REQUIRED)
    if errors:
        return values, errors

    text_fields = {"ma_thu_tuc": ("code", 32), "ten_thu_tuc": ("name", 500), "linh_vuc": ("field", 200)}
    for column, (attr, max_length) in text_fields.items():
        values[attr] = as_text(record[column])
        if len(values[attr]) > max_length:
            fail(column, MSG_TOO_LONG % {"max": max_length})
    values["legal_basis"] = as_text(record.get("can_cu_phap_ly"))

    level = _LEVELS.get(fold_key(as_text(record["cap_thuc_hien"])))
    if level is None:
        fail("cap_thuc_hien", MSG_UNKNOWN_LEVEL)
    values["level"] = level

    online = _ONLINE_LEVELS.get(fold_key(as_text(record.get("muc_do_truc_tuyen"))))
    if online is None:
        fail("muc_do_truc_tuyen", MSG_UNKNOWN_ONLINE_LEVEL)
    values["online_level"] = online

    try:
        values["processing_days"] = parse_decimal(record["thoi_han_giai_quyet"])
    except ValueError as exc:
        fail("thoi_han_giai_quyet", exc)

    for column, attr in (("hieu_luc_tu", "valid_from"), ("hieu_luc_den", "valid_to")):
        raw = record.get(column)
        try:
            values[attr] = None if is_blank(raw) else parse_date(raw)
        except ValueError as exc:
            fail(column, exc)
    if values.get("valid_from") and values.get("valid_to") and values["valid_to"] < values["valid_from"]:
        fail("hieu_luc_den", MSG_VALID_TO_BEFORE_FROM)
    return values, errors


def procedure_catalogue_import(*, file, filename: str, by=None, dry_run: bool = False) -> ImportReport:
    """
    Create or update TTHC from a CSV/XLSX catalogue, matched by code. All or nothing: a file
    with any bad row writes nothing and reports every error. Raises TableError for a file
    that cannot be read at all.
    """
    table = read_table(file, filename, CATALOGUE_COLUMNS)
    labels = {c.name: (table.headers[table.columns[c.name]] if c.name in table.columns else c.label)
              for c in CATALOGUE_COLUMNS}
    report = ImportReport()
    parsed: list[tuple[int, dict]] = []
    first_row_of: dict[str, int] = {}
    for number, record in table.records():
        report.rows += 1
        values, errors = _catalogue_row(number, record, labels)
        code = values.get("code")
        if code and code in first_row_of:
            errors.append(RowError(number, labels["ma_thu_tuc"], code, str(MSG_DUPLICATE_CODE % {"row": first_row_of[code]})))
        elif code:
            first_row_of[code] = number
        report.errors.extend(errors)
        if not errors:
            parsed.append((number, values))
    if report.rows == 0:
        report.errors.append(RowError(2, "", "", str(MSG_NO_ROWS)))
    if report.errors or dry_run:
        return report

    with transaction.atomic():
        existing = {p.code: p for p in AdministrativeProcedure.objects.filter(code__in=first_row_of)}
        for _number, values in parsed:
            procedure = existing.get(values["code"]) or AdministrativeProcedure(code=values["code"])
            is_new = procedure.pk is None
            changed = [attr for attr, value in values.items() if getattr(procedure, attr) != value]
            if not is_new and not changed:
                report.unchanged += 1
                continue
            for attr in changed:
                setattr(procedure, attr, values[attr])
            procedure_save(procedure=procedure, by=by, reason=str(_("Catalogue import")))
            if is_new:
                report.created += 1
            else:
                report.updated += 1
    return report


def procedure_save(*, procedure: AdministrativeProcedure, by=None, reason: str = "") -> AdministrativeProcedure:
    """
    Validate and save a TTHC. When its legal basis changes, stamp the date and tell the apps
    whose documents depend on it (`legal_basis_changed`): a legal update is due within 3 months.
    """
    previous = None
    if procedure.pk:
        previous = AdministrativeProcedure.objects.filter(pk=procedure.pk).values_list("legal_basis", flat=True).first()
    basis_changed = previous is not None and previous.strip() != procedure.legal_basis.strip()
    if basis_changed:
        procedure.legal_basis_changed_on = timezone.localdate()
    procedure.full_clean()
    procedure._change_reason = reason
    if by is not None:
        procedure._history_user = by
    procedure.save()
    if basis_changed:
        legal_basis_changed.send(sender=AdministrativeProcedure, procedure=procedure, by=by)
    return procedure
