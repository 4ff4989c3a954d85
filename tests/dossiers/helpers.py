"""Building dossiers in tests through the real import, so derived dates are what an import gives."""

import io

from qms.dossiers import importer
from qms.dossiers.services import dossier_import

COLUMNS = "ma_ho_so;ma_don_vi;ma_thu_tuc;kenh_nop;ngay_tiep_nhan;ngay_hen_tra;ngay_ket_thuc_xu_ly;ngay_tra_ket_qua;trang_thai\n"


def import_rows(tmp_path, rows, *, by=None, name="rows.csv"):
    """rows: (code, unit, procedure, channel, received, due, processed, returned, status) with "" for blanks."""
    path = tmp_path / name
    path.write_text(COLUMNS + "".join(";".join(str(v) for v in row) + "\n" for row in rows), encoding="utf-8")
    batch = dossier_import(path=path, by=by)
    assert batch.error_count == 0, batch.errors
    return batch


def import_frame(frame):
    """Write a generated frame (qms.dossiers.demo.generate) through the importer's checks and writer."""
    from django.db import transaction

    labels = {name: name for name in importer.COLUMN_NAMES}
    ctx = importer.build_context(labels=labels, allowed_units=None)
    frame = frame.copy()
    frame.index = range(2, 2 + len(frame))
    valid, errors = importer.check_chunk(frame, ctx)
    assert not len(errors), errors.head()
    with transaction.atomic():
        importer.write(valid, batch_id=None)
    return len(valid)


__all__ = ["import_rows", "import_frame", "io"]
