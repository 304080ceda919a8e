"""sales_points.permissions both ways: your outlet yes, another outlet never."""

import pytest
from django.http import Http404

from sales_points import permissions, services
from shop import roles
from tests.factories import UserFactory, create_product, outlet_staff
from tests.sales_points.test_services import make_outlet

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_outlets():
    mine, theirs = make_outlet("tc-01"), make_outlet("tc-02")
    tea = create_product(num_in_stock=None)
    for outlet in (mine, theirs):
        services.stock_receive(sales_point=outlet, product=tea, quantity=5)
    transfer = services.transfer_send(
        source=theirs, destination=mine, lines={tea.pk: 1}
    )
    services.counter_sale_record(sales_point=theirs, lines={tea.pk: 1}, payment="cash")
    return mine, theirs, transfer


def test_outlet_staff_see_only_their_outlet_everywhere(two_outlets):
    mine, theirs, transfer = two_outlets
    staff = outlet_staff(mine)

    assert list(permissions.outlets_for(staff)) == [mine]
    assert permissions.outlet_for(staff, "tc-01") == mine
    with pytest.raises(Http404):
        permissions.outlet_for(staff, "tc-02")
    assert {r.partner_id for r in permissions.stockrecords_for(staff)} == {
        mine.partner_id
    }
    assert {m.sales_point_id for m in permissions.movements_for(staff)} == {mine.pk}
    assert not permissions.counter_sales_for(staff).exists()
    assert list(permissions.transfers_for(staff)) == [transfer]  # incoming
    assert permissions.can_receive(staff, transfer)
    assert not permissions.can_cancel(staff, transfer)
    assert permissions.is_outlet_worker(staff)
    assert not permissions.is_network_manager(staff)


def test_network_managers_see_every_outlet(two_outlets):
    mine, theirs, transfer = two_outlets
    manager = UserFactory(groups=[roles.NETWORK_MANAGERS])

    assert set(permissions.outlets_for(manager)) == {mine, theirs}
    assert permissions.outlet_for(manager, "tc-02") == theirs
    assert permissions.counter_sales_for(manager).count() == 1
    assert permissions.can_receive(manager, transfer)
    assert permissions.can_cancel(manager, transfer)
    assert permissions.is_network_manager(manager)


@pytest.mark.parametrize(
    "make_user",
    [
        lambda outlet: UserFactory(),  # a buyer
        lambda outlet: UserFactory(groups=[roles.CATALOGUE_MANAGERS]),
        lambda outlet: UserFactory(groups=[roles.COMMUNICATIONS_EDITORS]),
        lambda outlet: outlet_staff(outlet, is_active=False),  # left the job
    ],
    ids=["buyer", "catalogue-manager", "editor", "inactive-staff"],
)
def test_everyone_else_sees_no_outlet(two_outlets, make_user):
    mine, _, transfer = two_outlets
    user = make_user(mine)

    assert not permissions.outlets_for(user).exists()
    assert not permissions.stockrecords_for(user).exists()
    assert not permissions.transfers_for(user).exists()
    assert not permissions.is_outlet_worker(user)
    with pytest.raises(Http404):
        permissions.outlet_for(user, "tc-01")


def test_a_partner_user_without_dashboard_access_sees_nothing(two_outlets):
    mine, _, _ = two_outlets
    user = UserFactory()
    mine.partner.users.add(user)

    assert not permissions.outlets_for(user).exists()
