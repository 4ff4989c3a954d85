"""Times on the admin's record pages are local (Asia/Ho_Chi_Minh), not UTC."""

import pytest
from django.urls import reverse

from qms.dossiers.models import Dossier
from tests.core.factories import AdministrativeProcedureFactory
from tests.dossiers.helpers import import_rows

pytestmark = pytest.mark.django_db


def test_a_dossier_received_at_nine_shows_nine(client, tmp_path, units, demo_users):
    AdministrativeProcedureFactory(code="P3", processing_days=3)
    import_rows(tmp_path, [("HS-1", "BN-BOHA", "P3", "truc_tiep", "03/11/2026 09:05", "06/11/2026 17:00", "", "", "")])
    dossier = Dossier.objects.get(code="HS-1")
    client.force_login(demo_users["admin"])
    page = client.get(reverse("dossiers:inspect", args=[dossier.pk])).content.decode()
    assert "03/11/2026 09:05" in page and "06/11/2026 17:00" in page
    assert "02:05" not in page


    assert ">None<" not in page.replace(" ", "").replace("\n", "")
