"""
What nearly every page reads before its own work, shared between requests while it is unchanged
(qms.core.freshness.shared_fact and user_fact, issue 11): the unit tree, the pages owning a unit's subtree, the
signed-in user's units, roles, permissions and sidebar. A request reads them with the versions in one cache
read; every change of a unit, a membership, a group or a permission shows on the very next request.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import NcSource
from audits.services import nonconformity_open
from qms.core import freshness
from qms.core.models import Membership, Unit, UnitKind
from qms.core.models.units import unit_graph_per_request
from qms.core.roles import Role

pytestmark = pytest.mark.django_db

NC_LIST = "nonconformities:index"
OVERVIEW = "readiness:index"


def tables_read(client, name):
    """The response, and the tables of the queries it ran."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name))
    return response, " ".join(query["sql"] for query in queries.captured_queries)


@pytest.fixture
def officer(client, demo_users):
    client.force_login(demo_users["qlcl"])
    client.get(reverse(NC_LIST))  # the first request computes what the next ones share
    return demo_users["qlcl"]


def test_the_next_request_reads_neither_the_unit_tree_nor_the_users_permissions(client, officer):
    freshness.records_changed()  # the page itself is computed again: only the shared facts are kept
    response, sql = tables_read(client, NC_LIST)
    assert response.status_code == 200
    assert 'FROM "core_unitsuccession"' not in sql  # the unit tree (its units are read with the successions)
    for table in ("core_membership", "auth_permission", "auth_group"):  # the user's units, permissions, roles
        assert f'FROM "{table}"' not in sql, table
    assert 'id="wagtail-sidebar-props"' in response.content.decode()


def test_a_new_unit_shows_on_the_next_request(client, officer, units):
    before, _ = tables_read(client, OVERVIEW)
    Unit.objects.create(code="QB9001", name="Xã Thử Nghiệm Mới", kind=UnitKind.COMMUNE, parent=units["215"])
    after, sql = tables_read(client, OVERVIEW)
    assert 'FROM "core_unit"' in sql
    assert "Xã Thử Nghiệm Mới" not in before.content.decode() and "Xã Thử Nghiệm Mới" in after.content.decode()


def test_a_role_taken_away_refuses_the_next_request(client, make_user, units):
    staff = make_user(Role.UNIT_STAFF, units["BN-YENTHE"])
    client.force_login(staff)
    assert client.get(reverse(NC_LIST)).status_code == 200
    freshness.records_changed()
    assert client.get(reverse(NC_LIST)).status_code == 200  # from the shared permissions

    staff.groups.clear()
    assert client.get(reverse(NC_LIST)).status_code in (302, 403)


def test_a_membership_taken_away_narrows_the_next_request(client, make_user, units):
    staff = make_user(Role.QUALITY_OFFICER, units["BN-YENTHE"], units["BN-BOHA"])
    boha = nonconformity_open(unit=units["BN-BOHA"], source=NcSource.COMPLAINT, description="Phát hiện riêng của Bố Hạ",
                              detected_on=timezone.localdate(), by=staff)
    client.force_login(staff)
    assert boha.description in client.get(reverse(NC_LIST)).content.decode()

    Membership.objects.filter(user=staff, unit=units["BN-BOHA"]).delete()
    assert boha.description not in client.get(reverse(NC_LIST)).content.decode()


def test_a_request_that_changes_the_structure_shares_nothing_it_computed():
    """Its transaction may yet roll back: what it read of its own rows must not reach other requests."""
    with unit_graph_per_request():  # as a request does (qms.core.middleware.UnitGraphMiddleware)
        freshness.shared_fact("probe", lambda: "read before any change")
        assert freshness.FACTS_KEY in freshness._facts_to_keep()
    with unit_graph_per_request():
        freshness.structure_changed()
        freshness.shared_fact("probe", lambda: "read after its own change")
        assert freshness._facts_to_keep() == {}


def test_a_change_of_the_structure_shows_within_the_same_request(make_user, units):
    """A view that adds a membership and then checks the user's units sees the new unit."""
    from django.contrib.auth import get_user_model

    from qms.core.models.units import unit_ids_for_user

    user = make_user(Role.QUALITY_OFFICER, units["BN-YENTHE"])
    with unit_graph_per_request():
        freshness.read_first(user.pk)
        assert units["BN-BOHA"].pk not in unit_ids_for_user(get_user_model().objects.get(pk=user.pk))
        Membership.objects.create(user=user, unit=units["BN-BOHA"])
        assert units["BN-BOHA"].pk in unit_ids_for_user(get_user_model().objects.get(pk=user.pk))
