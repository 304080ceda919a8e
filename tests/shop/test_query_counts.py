"""Query pins for the pages no other test pins (bench/queries_bench.py measures them
all on the national catalogue): the home page, a category listing, a product page and
the basket cost the same queries for few or many items shown. The limits are today's
counts (shop.settings.test: Wagtail pages rendered, not cached)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from cms.models import HomePageFeaturedProduct
from search.outbox import outbox_drain
from tests.cms import pages
from tests.factories import create_product
from tests.shop.orders import outlet, stocked

ProductCategory = get_model("catalogue", "ProductCategory")
pytestmark = pytest.mark.django_db

HOME, CATEGORY, PRODUCT, BASKET = 28, 13, 26, 16


def queries(client, url) -> tuple[int, object]:
    client.get(url)  # warm what a process loads once (site, chrome, vocabulary)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


def test_the_home_page_costs_the_same_for_1_or_12_featured_products(client, home_pages):
    home = pages.home()
    home.featured_products.all().delete()
    products = [create_product(title=f"Sản phẩm {n}") for n in range(12)]

    def featured(n):
        home.featured_products.all().delete()
        for order, product in enumerate(products[:n]):
            HomePageFeaturedProduct.objects.create(
                page=home, product=product, sort_order=order
            )
        count, response = queries(client, "/vi/")
        assert len(response.context["featured_products"]) == n
        return count

    one, twelve = featured(1), featured(12)

    assert twelve == one
    assert one <= HOME, one


def test_a_category_listing_costs_the_same_for_1_or_12_products(client):
    tea = create_from_breadcrumbs("Đồ uống > Trà")

    def listed(n):
        for i in range(n - ProductCategory.objects.filter(category=tea).count()):
            product = create_product(title=f"Trà số {n}-{i}")
            ProductCategory.objects.create(product=product, category=tea)
        outbox_drain()
        client.get(tea.get_absolute_url())  # the vocabulary is re-read after a drain
        count, response = queries(client, tea.get_absolute_url())
        assert len(response.context["products"]) == n
        return count

    one, twelve = listed(1), listed(12)

    assert twelve == one
    assert one <= CATEGORY, one


def test_a_product_page_costs_the_same_for_1_or_10_outlets_holding_it(client):
    tea = create_product(num_in_stock=None)
    outlets = []

    def held_at(n):
        while len(outlets) < n:
            outlets.append(outlet(f"pq-{len(outlets)}"))
            stocked(outlets[-1], tea, 2)
        count, response = queries(client, tea.get_absolute_url())
        shown = re.search(r'availability__count">([^<]*)<', response.content.decode())
        assert re.search(rf"\b{n}\b", shown[1]), shown[1]  # "Có bán tại 10 điểm bán"
        return count

    one, ten = held_at(1), held_at(10)

    assert ten == one
    assert one <= PRODUCT, one


def test_the_basket_costs_the_same_for_2_or_10_lines(client):
    """One line costs one query less: Oscar's is_shipping_required reads the first
    line's product class before the strategy prefetches every line's (one query)."""
    from django.test import Client

    shop = outlet("bq")
    products = [create_product(num_in_stock=None, title=f"Hàng {n}") for n in range(10)]
    for product in products:
        stocked(shop, product, 3)

    def basket(browser, lines):
        for product in products[:lines]:
            browser.post(
                reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1}
            )
        count, response = queries(browser, reverse("basket:summary"))
        assert response.context["basket"].num_lines == lines
        return count

    one, two, ten = basket(client, 1), basket(Client(), 2), basket(Client(), 10)

    assert ten == two
    assert one <= two <= BASKET, (one, two)
