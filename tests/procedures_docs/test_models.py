"""Structure rules: codes unique within their owner, forms under procedures, the owner set by the library."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from procedures_docs.models import ControlledDocumentPage, DocumentType

pytestmark = pytest.mark.django_db


def test_code_is_unique_within_the_owning_unit(make_document, libraries):
    make_document(code="QT-01")
    with pytest.raises(ValidationError) as error:
        make_document(code="qt-01", title="Bản trùng")
    assert error.value.message_dict["code"] == ["Đơn vị đã có tài liệu khác mang mã hiệu “qt-01”."]
    make_document(code="QT-01", library=libraries.bh)  # another unit may use the same code


def test_the_database_holds_the_code_rule_too(make_document, libraries):
    first = make_document(code="QT-01")
    twin = ControlledDocumentPage(title="Bản trùng", code="QT-01", owner_unit=first.owner_unit, slug="ban-trung", live=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        libraries.yt.add_child(instance=twin)


def test_owner_comes_from_the_library(make_document, libraries, units):
    page = make_document(library=libraries.bh, owner_unit=units["BN-YENTHE"])
    assert page.owner_unit == units["BN-BOHA"]


def test_documents_under_a_procedure_are_forms_and_forms_have_no_children(make_document):
    procedure = make_document()
    with pytest.raises(ValidationError) as error:
        make_document(code="QT-02", parent=procedure, doc_type=DocumentType.PROCEDURE)
    assert error.value.message_dict["doc_type"] == ["Tài liệu đặt dưới một tài liệu khác phải thuộc loại biểu mẫu."]
    form = make_document(code="BM-01-01", parent=procedure, doc_type=DocumentType.FORM)
    assert form.owner_unit == procedure.owner_unit
    with pytest.raises(ValidationError):
        make_document(code="BM-01-02", parent=form, doc_type=DocumentType.FORM)


def test_one_library_per_unit(libraries, units, people):
    from procedures_docs import services

    with pytest.raises(ValidationError):
        services.library_create(unit=units["BN-YENTHE"], by=people.admin)


def test_review_interval_is_between_1_and_60_months(make_document):
    with pytest.raises(ValidationError):
        make_document(review_interval_months=0)
    with pytest.raises(ValidationError):
        make_document(code="QT-05", review_interval_months=61)
