import threading

import pytest
from django.db import connection
from django.db.models import Sum
from oscar.core.loading import get_model

from catalogue import services as catalogue_services
from sales_points import services
from sales_points.exceptions import InsufficientStock, InvalidQuantity, NotCertified
from sales_points.models import SalesPoint, StockMovement
from tests.factories import create_product, unit

StockRecord = get_model("partner", "StockRecord")
Kind = StockMovement.Kind


def make_outlet(code="tc-01") -> SalesPoint:
    return services.sales_point_create(
        code=code, name_vi=f"Điểm bán {code}", name_en=f"Outlet {code}",
        level=SalesPoint.Level.COMMUNE, kind=SalesPoint.Kind.COMMUNE_CENTRE,
        region=unit("tan-cuong-2025"), address="Xóm Soi, Tân Cương",
        latitude="21.58", longitude="105.77",
    )  # fmt: skip


def record(outlet, product) -> StockRecord:
    return StockRecord.objects.get(partner=outlet.partner, product=product)


def assert_ledger_adds_up():
    """num_in_stock = sum of deltas, num_allocated = sum of allocated deltas, always."""
    for stock in StockRecord.objects.filter(partner__sales_point__isnull=False):
        sums = StockMovement.objects.filter(stockrecord=stock).aggregate(
            stock=Sum("delta"), allocated=Sum("allocated_delta")
        )
        allocated = stock.num_allocated or 0  # Oscar leaves it null until first use
        assert stock.num_in_stock == (sums["stock"] or 0), stock
        assert allocated == (sums["allocated"] or 0), stock
        assert 0 <= allocated <= stock.num_in_stock


@pytest.mark.django_db
def test_receiving_stock_writes_the_record_and_the_ledger():
    outlet, product = make_outlet(), create_product(num_in_stock=None)

    movement = services.stock_receive(sales_point=outlet, product=product, quantity=12)

    assert (movement.kind, movement.delta, movement.balance_after) == (
        Kind.RECEIPT,
        12,
        12,
    )
    assert record(outlet, product).num_in_stock == 12
    assert_ledger_adds_up()


@pytest.mark.django_db
def test_a_product_without_a_certificate_in_force_is_not_received():
    outlet, product = make_outlet(), create_product(num_in_stock=None)
    catalogue_services.certificate_revoke(
        certificate=product.certificates.get(), reason="x"
    )

    with pytest.raises(NotCertified):
        services.stock_receive(sales_point=outlet, product=product, quantity=5)

    assert not StockMovement.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("quantity", [0, -3, 1.5, "2", True])
def test_quantities_are_whole_numbers_above_zero(quantity):
    outlet, product = make_outlet(), create_product(num_in_stock=None)

    with pytest.raises(InvalidQuantity):
        services.stock_receive(sales_point=outlet, product=product, quantity=quantity)


@pytest.mark.django_db
def test_selling_more_than_is_free_changes_nothing():
    outlet, tea, honey = (
        make_outlet(),
        create_product(),
        create_product(title="Mật ong"),
    )
    services.stock_receive(sales_point=outlet, product=tea, quantity=5)
    services.stock_receive(sales_point=outlet, product=honey, quantity=1)

    with pytest.raises(InsufficientStock):
        services.stock_take(
            sales_point=outlet, lines={tea.pk: 2, honey.pk: 2}, kind=Kind.COUNTER_SALE
        )

    assert (record(outlet, tea).num_in_stock, record(outlet, honey).num_in_stock) == (
        5,
        1,
    )
    assert StockMovement.objects.filter(kind=Kind.COUNTER_SALE).count() == 0


@pytest.mark.django_db
def test_units_held_for_an_online_order_cannot_be_sold_over_the_counter():
    outlet, tea = make_outlet(), create_product()
    services.stock_receive(sales_point=outlet, product=tea, quantity=3)
    services.stock_allocate(stockrecord_id=record(outlet, tea).pk, quantity=2)

    with pytest.raises(InsufficientStock):
        services.stock_take(
            sales_point=outlet, lines={tea.pk: 2}, kind=Kind.COUNTER_SALE
        )
    services.stock_take(sales_point=outlet, lines={tea.pk: 1}, kind=Kind.COUNTER_SALE)

    assert (record(outlet, tea).num_in_stock, record(outlet, tea).num_allocated) == (
        2,
        2,
    )
    assert_ledger_adds_up()


@pytest.mark.django_db
def test_oscars_allocate_consume_and_cancel_go_through_the_ledger():
    outlet, tea = make_outlet(), create_product()
    services.stock_receive(sales_point=outlet, product=tea, quantity=4)
    stock = record(outlet, tea)

    stock.allocate(3)
    with pytest.raises(InsufficientStock):
        stock.allocate(2)  # Oscar's own allocate() would have gone to 5 of 4
    stock.consume_allocation(2)
    stock.cancel_allocation(1)

    stock.refresh_from_db()
    assert (stock.num_in_stock, stock.num_allocated) == (2, 0)
    assert list(
        StockMovement.objects.order_by("pk").values_list("kind", flat=True)
    ) == [
        Kind.RECEIPT,
        Kind.ONLINE_ALLOCATION,
        Kind.ONLINE_HANDOVER,
        Kind.ALLOCATION_CANCEL,
    ]
    assert_ledger_adds_up()


@pytest.mark.django_db
def test_a_count_writes_the_differences_as_adjustments():
    outlet, tea, honey = (
        make_outlet(),
        create_product(),
        create_product(title="Mật ong"),
    )
    services.stock_receive(sales_point=outlet, product=tea, quantity=10)

    movements = services.stock_count(
        sales_point=outlet, counted={tea.pk: 8, honey.pk: 3}, reason="Kiểm kê tháng 11"
    )

    assert sorted(m.delta for m in movements) == [-2, 3]
    assert record(outlet, tea).num_in_stock == 8
    assert record(outlet, honey).num_in_stock == 3
    assert_ledger_adds_up()


@pytest.mark.django_db
def test_a_count_cannot_go_below_what_is_held_for_orders():
    outlet, tea = make_outlet(), create_product()
    services.stock_receive(sales_point=outlet, product=tea, quantity=5)
    services.stock_allocate(stockrecord_id=record(outlet, tea).pk, quantity=4)

    with pytest.raises(InsufficientStock):
        services.stock_count(sales_point=outlet, counted={tea.pk: 3})

    assert record(outlet, tea).num_in_stock == 5


@pytest.mark.django_db
def test_the_database_refuses_negative_stock_even_past_the_services():
    from django.db import IntegrityError

    outlet, tea = make_outlet(), create_product()
    services.stock_receive(sales_point=outlet, product=tea, quantity=1)

    with pytest.raises(IntegrityError):
        StockRecord.objects.filter(pk=record(outlet, tea).pk).update(num_allocated=2)


def race(workers: int, work) -> list:
    """Run `work` in `workers` real threads at once (each with its own connection)."""
    return race_all([work] * workers)


def race_all(works: list) -> list:
    """Run each callable in its own real thread, all released at the same moment."""
    results, barrier = [], threading.Barrier(len(works))

    def run(work):
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:  # the outcome of each racer is what we count
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a racer hung (deadlock?)"
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_buyers_and_counter_sales_racing_for_the_last_units_sell_exactly_what_exists(
    reference_data,
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite has none")
    outlet, tea = make_outlet(), create_product(num_in_stock=None)
    services.stock_receive(sales_point=outlet, product=tea, quantity=10)
    stock_id = record(outlet, tea).pk

    def buy_online():
        return services.stock_allocate(stockrecord_id=stock_id, quantity=1)

    def sell_at_counter():
        return services.counter_sale_record(
            sales_point=outlet, lines={tea.pk: 1}, payment="cash"
        )

    results = race_all([buy_online, sell_at_counter] * 15)

    won = [r for r in results if not isinstance(r, Exception)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 10
    assert all(isinstance(r, InsufficientStock) for r in lost), lost
    final = record(outlet, tea)
    assert final.num_in_stock - final.num_allocated == 0
    assert_ledger_adds_up()
