import pytest
from django.utils import timezone

from cms.models import ProducerIndexPage
from sales_points import services as stock
from tests.cms import pages
from tests.factories import ProducerFactory, create_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def producer_site(home_pages):
    producer = ProducerFactory(name_vi="HTX Chè Hảo Đạt", phone="0208 3855 123")
    certified = create_product(title="Chè Hảo Đạt 5 sao", stars=5, producer=producer)
    lapsed = create_product(title="Chè Hảo Đạt cũ", producer=producer)
    stocked, empty = pages.outlet("tc-01"), pages.outlet("tc-02")
    stock.stock_receive(sales_point=stocked, product=certified, quantity=5)
    lapsed.certificates.update(expires_on=timezone.localdate())
    index = pages.index(ProducerIndexPage, "producers")
    page = pages.producer_page(index, producer, contact_name="Chị Hảo")
    return {"page": page, "stocked": stocked, "empty": empty}


def test_producer_page_lists_live_products_certificates_and_where_to_buy(
    client, producer_site
):
    html = client.get(producer_site["page"].url).content.decode()

    products = html.split('class="producer-products"')[1].split("</section>")[0]
    assert "Chè Hảo Đạt 5 sao" in products
    assert "Chè Hảo Đạt cũ" not in products  # certificate lapsed: not sold
    assert products.count('class="star-badge"') == 1
    certificates = html.split('class="producer-certificates"')[1].split("</section>")[0]
    assert "OCOP ★★★★★" in certificates and "Chè Hảo Đạt cũ" not in certificates
    outlets = html.split('class="producer-outlets"')[1].split("</section>")[0]
    assert producer_site["stocked"].name_vi in outlets
    assert producer_site["empty"].name_vi not in outlets
    assert "0208 3855 123" in html and "Chị Hảo" in html


def test_producer_index_lists_producer_pages(client, producer_site):
    index = producer_site["page"].get_parent()

    html = client.get(index.url).content.decode()

    assert producer_site["page"].title in html
