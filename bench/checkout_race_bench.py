"""200 buyers placing orders at once for the last 50 units of one product at one
outlet, through the real order placement (shop.order.services.order_place: basket
lock, stock held with row locks, Oscar's order writer), on PostgreSQL.

Prints orders/s and latency, and fails unless exactly 50 orders were placed, the
stock never went negative, the ledger adds up and no buyer met a deadlock or error.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop python bench/checkout_race_bench.py
(uses the throwaway database test_<name>, kept between runs)"""

import sys

from race_common import (
    CONNECTIONS,
    database,
    ledger_adds_up,
    print_latency,
    race,
    stocked_outlet,
)

BUYERS, UNITS = 200, 50


def main() -> None:
    database()
    # Order emails go to a queue, as in production where a worker sends them; the
    # test settings would otherwise render and send them inside each buyer's request.
    from oscar.core.loading import get_model

    from shop.celery import app
    from shop.order import services
    from tests.shop.orders import basket_with, pickup

    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    Order = get_model("order", "Order")
    outlet, tea, record = stocked_outlet("checkout", UNITS)
    checkout = pickup(outlet, payment="at_pickup")
    baskets = [basket_with((tea, 1)) for _ in range(BUYERS)]

    outcomes, latencies, elapsed = race(
        [
            lambda b=b: services.order_place(basket=b, user=None, checkout=checkout)
            for b in baskets
        ]
    )
    refused = [o for o in outcomes if isinstance(o, services.CheckoutError)]
    errors = [o for o in outcomes if isinstance(o, Exception) and o not in refused]
    ordered = len(outcomes) - len(refused) - len(errors)
    placed = Order.objects.filter(fulfilment_outlet=outlet).count()
    ledger_ok = ledger_adds_up(record)
    print(
        f"{BUYERS} concurrent buyers for the last {UNITS} units at one outlet, through "
        f"order placement (PostgreSQL, {CONNECTIONS} connections)"
    )
    print(f"  orders placed   {placed}  (expected exactly {min(UNITS, BUYERS)})")
    print(f"  refused         {len(refused)}  {[r.message for r in refused[:1]]}")
    print(f"  errors          {len(errors)} {errors[:1]}")
    print(f"  throughput      {ordered / elapsed:.0f} orders/s, "
          f"{BUYERS / elapsed:.0f} attempts/s over {elapsed:.2f} s")  # fmt: skip
    print_latency(latencies)
    free = record.num_in_stock - record.num_allocated
    print(f"  in stock {record.num_in_stock}, held {record.num_allocated}, free {free}; "
          f"ledger adds up: {ledger_ok}")  # fmt: skip
    if (
        errors
        or placed != ordered
        or placed != min(UNITS, BUYERS)
        or free != max(UNITS - BUYERS, 0)
        or record.num_in_stock < 0
        or not ledger_ok
    ):
        sys.exit("FAILED: oversold, undersold, an error, or the ledger does not add up")


if __name__ == "__main__":
    main()
