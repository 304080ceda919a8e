"""Oscar's own dashboard pages are other paths to stock: outlet staff must not change
stock there, and nobody changes a quantity outside sales_points.services."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from sales_points import services
from tests.factories import UserFactory, create_product, outlet_staff
from tests.sales_points.test_services import assert_ledger_adds_up, make_outlet

pytestmark = pytest.mark.django_db
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def stocked_outlet():
    outlet, tea = make_outlet(), create_product(num_in_stock=None)
    services.stock_receive(sales_point=outlet, product=tea, quantity=5)
    return outlet, tea


@pytest.mark.parametrize(
    "name", ["catalogue-product-list", "catalogue-product", "catalogue-product-create"]
)
def test_outlet_staff_cannot_open_oscars_product_pages(client, stocked_outlet, name):
    outlet, tea = stocked_outlet
    client.force_login(outlet_staff(outlet))
    kwargs = {"pk": tea.pk} if name == "catalogue-product" else {}
    if name == "catalogue-product-create":
        kwargs = {"product_class_slug": tea.product_class.slug}

    response = client.get(reverse(f"dashboard:{name}", kwargs=kwargs))

    assert response.status_code in (302, 403, 404)
    assert "/login/" in response.get("Location", "/login/")  # refused, not the page


def test_oscars_product_form_edits_prices_but_never_quantities(client, stocked_outlet):
    outlet, tea = stocked_outlet
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("dashboard:catalogue-product", kwargs={"pk": tea.pk}))
    html = page.content.decode()

    assert "stockrecords-0-price" in html
    assert "num_in_stock" not in html
    assert (
        StockRecord.objects.get(partner=outlet.partner, product=tea).num_in_stock == 5
    )
    assert_ledger_adds_up()
