import pytest
from django.urls import reverse
from oscar.core.loading import get_class

from tests.factories import ProducerFactory, UserFactory, create_product, group, unit

pytestmark = pytest.mark.django_db

ProductForm = get_class("dashboard.catalogue.forms", "ProductForm")


def test_the_dashboard_product_page_shows_the_ocop_fields(client):
    product = create_product()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    html = client.get(
        reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    ).content.decode()

    for field in ("title_en", "producer", "group", "origin", "growing_area_code"):
        assert f'name="{field}"' in html, field


def test_the_dashboard_product_form_saves_the_ocop_product_data():
    product = create_product(title="Trà búp Tân Cương")
    producer = ProducerFactory()
    data = {
        "title": "Trà búp Tân Cương", "upc": "TN-TEST-1", "structure": "standalone",
        "is_public": "on", "slug": "tra-bup-tan-cuong",
        "title_en": "Tan Cuong bud tea", "description_en": "<p>Hand-picked buds.</p>",
        "producer": producer.pk, "group": group("tea").pk, "origin": unit("tan-cuong-2025").pk,
        "growing_area_code": "VN-TN-TC-0042", "net_quantity": "200", "net_unit": "g",
        "ingredients_vi": "Búp chè", "ingredients_en": "Tea buds", "shelf_life_days": "365",
    }  # fmt: skip

    form = ProductForm(product.product_class, data=data, instance=product)

    assert form.is_valid(), form.errors
    form.save()
    product.refresh_from_db()
    assert product.title_en == "Tan Cuong bud tea"
    assert product.producer == producer
    assert product.origin.code == "tan-cuong-2025"
    assert (product.growing_area_code, product.shelf_life_days) == (
        "VN-TN-TC-0042",
        365,
    )
