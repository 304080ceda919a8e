"""Which stock record the purchase strategy sells from (the most units free, then the
lowest id), and the listings' prefetch of only that record, which must choose the
same one."""

from decimal import Decimal

import pytest
from django.db.models import prefetch_related_objects
from oscar.core.loading import get_class, get_model

from search.database import products_in_order
from search.outbox import outbox_drain_all
from shop.partner.strategy import stockrecord_selected_prefetch
from tests.factories import create_product
from tests.shop.orders import outlet

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Selector = get_class("partner.strategy", "Selector")

pytestmark = pytest.mark.django_db


def with_records(title: str, *stocks) -> tuple:
    """A product stocked at one outlet per (units, allocated, price); its records."""
    product = create_product(title=title, num_in_stock=None)
    product.stockrecords.all().delete()  # the factory's own
    records = [
        StockRecord.objects.create(
            product=product,
            partner=outlet(f"{title}-{n}").partner,
            partner_sku=f"{title}-{n}",
            price=Decimal(price),
            num_in_stock=units,
            num_allocated=allocated,
        )
        for n, (units, allocated, price) in enumerate(stocks)
    ]
    return product, records


@pytest.fixture
def products():
    """Products and the record the strategy must pick for each."""
    # Free: 3, untracked, 5, 5 -> the first of the two fives.
    tie, tie_records = with_records(
        "tie", (3, 0, 100), (None, None, 90), (7, 2, 120), (5, None, 110)
    )
    # Untracked everywhere -> the lowest id.
    untracked, untracked_records = with_records(
        "untracked", (None, None, 80), (None, None, 70)
    )
    # Everything sold or held -> the one least over (0 free beats -1 untracked).
    held, held_records = with_records("held", (4, 4, 60), (None, None, 50))
    bare, _ = with_records("bare")
    outbox_drain_all()
    return {
        tie.pk: tie_records[2],
        untracked.pk: untracked_records[0],
        held.pk: held_records[0],
        bare.pk: None,
    }


def test_the_strategy_sells_from_the_record_with_most_units_free(products):
    strategy = Selector().strategy()
    for product in Product.objects.filter(pk__in=products):
        assert strategy.select_stockrecord(product) == products[product.pk]


def test_the_listing_prefetch_holds_only_the_record_the_strategy_selects(products):
    strategy = Selector().strategy()
    listed = list(Product.objects.filter(pk__in=products))
    prefetch_related_objects(listed, stockrecord_selected_prefetch())
    for product in listed:
        expected = products[product.pk]
        assert list(product.stockrecords.all()) == ([expected] if expected else [])
        assert strategy.select_stockrecord(product) == expected


def test_listed_products_carry_one_record_and_the_lowest_price(products):
    listed = products_in_order(list(products))
    assert [product.pk for product in listed] == list(products)
    assert [len(product.stockrecords.all()) for product in listed] == [1, 1, 1, 0]
    assert [product.listed_price_vnd for product in listed] == [90, 70, 50, None]
