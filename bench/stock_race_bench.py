"""200 buyers at once for one product at one outlet, on PostgreSQL.

Half sell over the counter, half allocate for online orders, all submitted at once to
a pool of real threads with their own connections (as a server's workers would serve
them; PostgreSQL's default 100 connections cap the pool). Prints throughput and checks
that exactly the available units were sold and the ledger adds up.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop python bench/stock_race_bench.py
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

BUYERS, UNITS = 200, 120
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 32))


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit(
            "Needs PostgreSQL (DATABASE_URL=postgres://...): SQLite has no row locks."
        )
    connection.creation.create_test_db(verbosity=0, keepdb=True)
    from sales_points import services
    from sales_points.exceptions import InsufficientStock
    from sales_points.models import SalesPoint, StockMovement
    from tests.factories import ProducerFactory, create_product, unit

    code = f"race-{int(time.time())}"
    outlet = services.sales_point_create(
        code=code, name_vi="Điểm bán thử tải", name_en="Load test outlet",
        level=SalesPoint.Level.COMMUNE, kind=SalesPoint.Kind.COMMUNE_CENTRE,
        region=unit("tan-cuong-2025"), address="Tân Cương", latitude="21.58",
        longitude="105.77",
    )  # fmt: skip
    producer = ProducerFactory(slug=code, registration_number=code)
    tea = create_product(num_in_stock=None, upc=code, producer=producer)
    services.stock_receive(sales_point=outlet, product=tea, quantity=UNITS)
    record = outlet.partner.stockrecords.get(product=tea)

    def counter_sale():
        return services.counter_sale_record(
            sales_point=outlet, lines={tea.pk: 1}, payment="cash"
        )

    def online_order():
        return services.stock_allocate(stockrecord_id=record.pk, quantity=1)

    results, latencies = [], []
    gate = threading.Event()

    def buyer(work):
        gate.wait()
        started = time.perf_counter()
        try:
            work()
            results.append("sold")
        except InsufficientStock:
            results.append("refused")
        latencies.append(time.perf_counter() - started)

    with ThreadPoolExecutor(max_workers=CONNECTIONS) as pool:
        futures = [
            pool.submit(buyer, counter_sale if i % 2 else online_order)
            for i in range(BUYERS)
        ]
        started = time.perf_counter()
        gate.set()
        errors = [f.exception() for f in futures if f.exception() is not None]
        elapsed = time.perf_counter() - started
        barrier = threading.Barrier(CONNECTIONS)
        list(
            pool.map(lambda _: (barrier.wait(), connection.close()), range(CONNECTIONS))
        )

    record.refresh_from_db()
    ledger = StockMovement.objects.filter(stockrecord=record).aggregate(
        stock=Sum("delta"), held=Sum("allocated_delta")
    )
    sold = results.count("sold")
    latencies.sort()
    print(
        f"{BUYERS} concurrent buyers for {UNITS} units at one outlet "
        f"(PostgreSQL, {CONNECTIONS} connections)"
    )
    print(f"  sold            {sold}  (expected exactly {min(UNITS, BUYERS)})")
    print(f"  refused         {results.count('refused')}")
    print(f"  errors          {len(errors)} {errors[:1]}")
    print(f"  throughput      {BUYERS / elapsed:.0f} attempts/s over {elapsed:.2f} s")
    print(f"  latency median  {statistics.median(latencies) * 1000:.1f} ms")
    print(
        f"  latency p95     {latencies[int(len(latencies) * 0.95) - 1] * 1000:.1f} ms"
    )
    free = record.num_in_stock - record.num_allocated
    ledger_ok = (ledger["stock"], ledger["held"]) == (
        record.num_in_stock,
        record.num_allocated,
    )
    print(f"  left free       {free}; ledger adds up: {ledger_ok}")
    if (
        errors
        or sold != min(UNITS, BUYERS)
        or free != max(UNITS - BUYERS, 0)
        or not ledger_ok
    ):
        sys.exit("FAILED: oversold, undersold or the ledger does not add up")


if __name__ == "__main__":
    main()
