import datetime
from decimal import Decimal

import pytest
from django.db import connection
from oscar.core.loading import get_model

from catalogue import services as catalogue_services
from sales_points import services
from sales_points.exceptions import (
    InsufficientStock,
    InvalidQuantity,
    NotCertified,
    StockError,
)
from sales_points.models import CounterSale, StockMovement, Transfer
from tests.factories import create_product
from tests.sales_points.test_services import (
    assert_ledger_adds_up,
    make_outlet,
    race_all,
    record,
)

StockRecord = get_model("partner", "StockRecord")
Kind = StockMovement.Kind


def stocked(outlet, quantity=10, **product_kwargs):
    product = create_product(num_in_stock=None, **product_kwargs)
    services.stock_receive(sales_point=outlet, product=product, quantity=quantity)
    return product


# --- Receipts with lots -----------------------------------------------------------


@pytest.mark.django_db
def test_a_receipt_may_carry_a_lot_with_harvest_and_best_before():
    outlet, tea = make_outlet(), create_product(num_in_stock=None)

    movement = services.stock_receive(
        sales_point=outlet, product=tea, quantity=6, lot_code="TC-2026-09",
        harvested_on=datetime.date(2026, 9, 1), best_before=datetime.date(2027, 9, 1),
    )  # fmt: skip

    assert movement.lot.code == "TC-2026-09"
    assert movement.lot.best_before == datetime.date(2027, 9, 1)


@pytest.mark.django_db
def test_a_lot_that_keeps_less_than_it_was_harvested_is_refused():
    outlet, tea = make_outlet(), create_product(num_in_stock=None)

    with pytest.raises(StockError):
        services.stock_receive(
            sales_point=outlet, product=tea, quantity=6, lot_code="X",
            harvested_on=datetime.date(2026, 9, 1), best_before=datetime.date(2026, 1, 1),
        )  # fmt: skip

    assert not StockMovement.objects.exists()


# --- Counter sales ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_counter_sale_of_several_lines_prints_a_receipt_and_takes_the_stock():
    outlet = make_outlet()
    tea, honey = stocked(outlet, 10), stocked(outlet, 5, title="Mật ong", price=90000)

    sale = services.counter_sale_record(
        sales_point=outlet, lines={tea.pk: 2, honey.pk: 1}, payment="bank_transfer"
    )

    assert sale.receipt_number == f"TC-01-{sale.pk:06d}"
    assert sale.total == Decimal("150000") * 2 + Decimal("90000")
    assert [(line.product_id, line.quantity) for line in sale.lines.all()] == [
        (tea.pk, 2),
        (honey.pk, 1),
    ]
    assert record(outlet, tea).num_in_stock == 8
    movements = StockMovement.objects.filter(reference=sale.receipt_number)
    assert {(m.kind, m.delta) for m in movements} == {
        (Kind.COUNTER_SALE, -2),
        (Kind.COUNTER_SALE, -1),
    }
    assert_ledger_adds_up()


@pytest.mark.django_db
def test_a_counter_sale_asking_too_much_of_one_line_sells_nothing():
    outlet = make_outlet()
    tea, honey = stocked(outlet, 10), stocked(outlet, 1, title="Mật ong")

    with pytest.raises(InsufficientStock) as refused:
        services.counter_sale_record(
            sales_point=outlet, lines={tea.pk: 2, honey.pk: 3}, payment="cash"
        )

    assert refused.value.product_id == honey.pk
    assert not CounterSale.objects.exists()
    assert record(outlet, tea).num_in_stock == 10
    assert_ledger_adds_up()


@pytest.mark.django_db
def test_a_product_whose_certificate_lapsed_is_not_sold_over_the_counter():
    outlet = make_outlet()
    tea = stocked(outlet, 10)
    catalogue_services.certificate_revoke(
        certificate=tea.certificates.get(), reason="x"
    )

    with pytest.raises(NotCertified):
        services.counter_sale_record(
            sales_point=outlet, lines={tea.pk: 1}, payment="cash"
        )

    assert record(outlet, tea).num_in_stock == 10


@pytest.mark.django_db
@pytest.mark.parametrize("payment", ["", "cheque"])
def test_a_counter_sale_needs_a_known_payment_kind(payment):
    outlet = make_outlet()
    tea = stocked(outlet, 10)

    with pytest.raises(StockError):
        services.counter_sale_record(
            sales_point=outlet, lines={tea.pk: 1}, payment=payment
        )


@pytest.mark.django_db
def test_a_customer_returns_no_more_than_the_receipt_sold():
    outlet = make_outlet()
    tea = stocked(outlet, 10)
    sale = services.counter_sale_record(
        sales_point=outlet, lines={tea.pk: 3}, payment="cash"
    )

    services.counter_sale_return(sale=sale, lines={tea.pk: 2}, reason="hộp móp")
    with pytest.raises(StockError):
        services.counter_sale_return(sale=sale, lines={tea.pk: 2}, reason="again")

    assert record(outlet, tea).num_in_stock == 9
    assert sale.lines.get().quantity_returned == 2
    assert_ledger_adds_up()


@pytest.mark.django_db
def test_a_write_off_needs_a_reason_and_free_stock():
    outlet = make_outlet()
    tea = stocked(outlet, 3)

    with pytest.raises(StockError):
        services.stock_write_off(
            sales_point=outlet, product_id=tea.pk, quantity=1, reason=" "
        )
    with pytest.raises(InsufficientStock):
        services.stock_write_off(
            sales_point=outlet, product_id=tea.pk, quantity=4, reason="expired"
        )
    movement = services.stock_write_off(
        sales_point=outlet, product_id=tea.pk, quantity=2, reason="damaged in rain"
    )

    assert (movement.kind, movement.delta, movement.balance_after) == (
        Kind.WRITE_OFF,
        -2,
        1,
    )
    assert_ledger_adds_up()


@pytest.mark.django_db
def test_a_low_stock_threshold_is_set_per_outlet_and_product():
    outlet, other = make_outlet(), make_outlet("tc-02")
    tea = stocked(outlet, 3)
    services.stock_receive(sales_point=other, product=tea, quantity=3)

    services.stock_threshold_set(sales_point=outlet, product_id=tea.pk, threshold=5)

    assert record(outlet, tea).is_below_threshold
    assert not record(other, tea).is_below_threshold
    with pytest.raises(InvalidQuantity):
        services.stock_threshold_set(
            sales_point=outlet, product_id=tea.pk, threshold=-1
        )


# --- Transfers --------------------------------------------------------------------


@pytest.mark.django_db
def test_a_transfer_is_in_transit_until_received_and_records_the_difference():
    source, destination = make_outlet("tc-01"), make_outlet("tc-02")
    tea = stocked(source, 10)

    transfer = services.transfer_send(
        source=source, destination=destination, lines={tea.pk: 6}
    )
    assert transfer.status == Transfer.Status.IN_TRANSIT
    assert record(source, tea).num_in_stock == 4
    assert not StockRecord.objects.filter(
        partner=destination.partner, product=tea
    ).exists()

    services.transfer_receive(transfer=transfer, received={tea.pk: 5})

    transfer.refresh_from_db()
    line = transfer.lines.get()
    assert transfer.status == Transfer.Status.RECEIVED
    assert (line.quantity_sent, line.quantity_received, line.difference) == (6, 5, 1)
    assert transfer.has_difference
    assert record(destination, tea).num_in_stock == 5
    assert {
        m.kind for m in StockMovement.objects.filter(reference=transfer.number)
    } == {
        Kind.TRANSFER_OUT,
        Kind.TRANSFER_IN,
    }
    assert_ledger_adds_up()


@pytest.mark.django_db
def test_a_transfer_is_received_once_and_never_more_than_sent():
    source, destination = make_outlet("tc-01"), make_outlet("tc-02")
    tea = stocked(source, 10)
    transfer = services.transfer_send(
        source=source, destination=destination, lines={tea.pk: 2}
    )

    with pytest.raises(StockError):
        services.transfer_receive(transfer=transfer, received={tea.pk: 3})
    with pytest.raises(StockError):
        services.transfer_receive(transfer=transfer, received={})
    services.transfer_receive(transfer=transfer, received={tea.pk: 2})
    with pytest.raises(StockError):
        services.transfer_receive(transfer=transfer, received={tea.pk: 2})

    assert record(destination, tea).num_in_stock == 2
    assert_ledger_adds_up()


@pytest.mark.django_db
def test_a_cancelled_transfer_returns_the_units_to_the_sender():
    source, destination = make_outlet("tc-01"), make_outlet("tc-02")
    tea = stocked(source, 10)
    transfer = services.transfer_send(
        source=source, destination=destination, lines={tea.pk: 4}
    )

    services.transfer_cancel(transfer=transfer)

    assert record(source, tea).num_in_stock == 10
    with pytest.raises(StockError):
        services.transfer_receive(transfer=transfer, received={tea.pk: 4})
    assert_ledger_adds_up()


@pytest.mark.django_db
def test_a_transfer_cannot_send_more_than_is_free_nor_to_itself():
    source, destination = make_outlet("tc-01"), make_outlet("tc-02")
    tea = stocked(source, 3)

    with pytest.raises(InsufficientStock):
        services.transfer_send(
            source=source, destination=destination, lines={tea.pk: 4}
        )
    with pytest.raises(StockError):
        services.transfer_send(source=source, destination=source, lines={tea.pk: 1})

    assert not Transfer.objects.exists()
    assert record(source, tea).num_in_stock == 3


# --- Concurrency (PostgreSQL) -----------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_opposite_transfers_at_once_neither_deadlock_nor_lose_units(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite has none")
    a, b = make_outlet("tc-01"), make_outlet("tc-02")
    tea, honey = stocked(a, 50), create_product(num_in_stock=None, title="Mật ong")
    services.stock_receive(sales_point=b, product=tea, quantity=50)
    services.stock_receive(sales_point=b, product=honey, quantity=50)
    services.stock_receive(sales_point=a, product=honey, quantity=50)
    lines = {tea.pk: 1, honey.pk: 1}

    def a_to_b():
        transfer = services.transfer_send(source=a, destination=b, lines=lines)
        return services.transfer_receive(transfer=transfer, received=lines)

    def b_to_a():
        transfer = services.transfer_send(source=b, destination=a, lines=lines)
        return services.transfer_receive(transfer=transfer, received=lines)

    results = race_all([a_to_b, b_to_a] * 10)

    assert not [r for r in results if isinstance(r, Exception)], results
    for outlet in (a, b):
        assert record(outlet, tea).num_in_stock == 50
        assert record(outlet, honey).num_in_stock == 50
    assert_ledger_adds_up()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transfer_racing_counter_sales_for_the_last_units_never_oversells(
    reference_data,
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL; SQLite has none")
    source, destination = make_outlet("tc-01"), make_outlet("tc-02")
    tea = stocked(source, 5)

    def send():
        return services.transfer_send(
            source=source, destination=destination, lines={tea.pk: 2}
        )

    def sell():
        return services.counter_sale_record(
            sales_point=source, lines={tea.pk: 1}, payment="cash"
        )

    results = race_all([send, sell, sell, sell, send, sell, sell])

    taken = sum(
        2 if isinstance(r, Transfer) else 1
        for r in results
        if not isinstance(r, Exception)
    )
    assert all(
        isinstance(r, InsufficientStock) for r in results if isinstance(r, Exception)
    )
    assert taken == 5 - record(source, tea).num_in_stock
    assert record(source, tea).num_in_stock >= 0
    assert_ledger_adds_up()


@pytest.mark.django_db
def test_a_count_refuses_when_the_stock_moved_since_it_was_seen():
    outlet = make_outlet()
    tea = stocked(outlet, 10)
    seen = {tea.pk: 10}
    services.counter_sale_record(sales_point=outlet, lines={tea.pk: 2}, payment="cash")

    with pytest.raises(StockError):  # counting 10 would undo the sale
        services.stock_count(
            sales_point=outlet, counted={tea.pk: 10}, expected=seen, reason="count"
        )

    assert record(outlet, tea).num_in_stock == 8
    assert_ledger_adds_up()
