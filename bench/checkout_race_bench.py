"""200 buyers placing orders at once for the last 50 units of one product at one
outlet, through the real order placement (shop.order.services.order_place: basket
lock, stock held with row locks, Oscar's order writer), on PostgreSQL.

Prints orders/s and latency, and fails unless exactly 50 orders were placed, the
stock never went negative, the ledger adds up and no buyer met a deadlock or error.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop python bench/checkout_race_bench.py
(uses the throwaway database test_<name>, kept between runs)"""

import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Sum  # noqa: E402

BUYERS, UNITS = 200, 50
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 32))


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit(
            "Needs PostgreSQL (DATABASE_URL=postgres://...): SQLite has no row locks."
        )
    connection.creation.create_test_db(verbosity=0, keepdb=True)
    # Order emails go to a queue, as in production where a worker sends them; the
    # test settings would otherwise render and send them inside each buyer's request.
    from shop.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    from oscar.core.loading import get_model

    from sales_points import services as stock
    from sales_points.models import SalesPoint, StockMovement
    from shop.order import services
    from tests.factories import ProducerFactory, create_product, unit
    from tests.shop.orders import basket_with, pickup

    Order = get_model("order", "Order")
    code = f"checkout-{int(time.time())}"
    outlet = stock.sales_point_create(
        code=code, name_vi="Điểm bán thử tải", name_en="Load test outlet",
        level=SalesPoint.Level.COMMUNE, kind=SalesPoint.Kind.COMMUNE_CENTRE,
        region=unit("tan-cuong-2025"), address="Tân Cương", latitude="21.58",
        longitude="105.77",
    )  # fmt: skip
    producer = ProducerFactory(slug=code, registration_number=code)
    tea = create_product(num_in_stock=None, upc=code, producer=producer)
    stock.stock_receive(sales_point=outlet, product=tea, quantity=UNITS)
    record = outlet.partner.stockrecords.get(product=tea)
    baskets = [basket_with((tea, 1)) for _ in range(BUYERS)]
    checkout = pickup(outlet, payment="at_pickup")

    results, latencies, errors, refusals = [], [], [], []
    gate = threading.Event()

    def buyer(basket):
        gate.wait()
        started = time.perf_counter()
        try:
            services.order_place(basket=basket, user=None, checkout=checkout)
            results.append("ordered")
        except services.CheckoutError as refusal:
            results.append("refused")
            refusals.append(refusal.message)
        except Exception as error:  # a deadlock or anything else fails the run
            errors.append(error)
        latencies.append(time.perf_counter() - started)

    with ThreadPoolExecutor(max_workers=CONNECTIONS) as pool:
        futures = [pool.submit(buyer, basket) for basket in baskets]
        started = time.perf_counter()
        gate.set()
        for future in futures:
            future.result()
        elapsed = time.perf_counter() - started
        barrier = threading.Barrier(CONNECTIONS)
        list(
            pool.map(lambda _: (barrier.wait(), connection.close()), range(CONNECTIONS))
        )

    record.refresh_from_db()
    ledger = StockMovement.objects.filter(stockrecord=record).aggregate(
        stock=Sum("delta"), held=Sum("allocated_delta")
    )
    placed = Order.objects.filter(fulfilment_outlet=outlet).count()
    ordered = results.count("ordered")
    latencies.sort()
    print(
        f"{BUYERS} concurrent buyers for the last {UNITS} units at one outlet, through "
        f"order placement (PostgreSQL, {CONNECTIONS} connections)"
    )
    print(f"  orders placed   {placed}  (expected exactly {min(UNITS, BUYERS)})")
    print(f"  refused         {results.count('refused')}  {refusals[:1]}")
    print(f"  errors          {len(errors)} {errors[:1]}")
    print(f"  throughput      {ordered / elapsed:.0f} orders/s, "
          f"{BUYERS / elapsed:.0f} attempts/s over {elapsed:.2f} s")  # fmt: skip
    print(f"  latency median  {statistics.median(latencies) * 1000:.1f} ms")
    print(
        f"  latency p95     {latencies[int(len(latencies) * 0.95) - 1] * 1000:.1f} ms"
    )
    free = record.num_in_stock - record.num_allocated
    ledger_ok = (ledger["stock"], ledger["held"]) == (
        record.num_in_stock,
        record.num_allocated,
    )
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
