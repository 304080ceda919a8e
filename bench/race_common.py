"""What the race benchmarks share: Django on PostgreSQL in the throwaway test_<name>
database, an outlet stocked with one product, and a pool of real threads (each with
its own connection, as a server's workers) released at the same moment."""

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

# PostgreSQL's default 100 connections cap the pool.
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 32))


def database() -> None:
    if connection.vendor != "postgresql":
        sys.exit(
            "Needs PostgreSQL (DATABASE_URL=postgres://...): SQLite has no row locks."
        )
    connection.creation.create_test_db(verbosity=0, keepdb=True)


def stocked_outlet(prefix: str, units: int):
    """A new outlet holding `units` of a new certified product: (outlet, product,
    its stock record)."""
    from sales_points import services
    from sales_points.models import SalesPoint
    from tests.factories import ProducerFactory, create_product, unit

    code = f"{prefix}-{int(time.time())}"
    outlet = services.sales_point_create(
        code=code, name_vi="Điểm bán thử tải", name_en="Load test outlet",
        level=SalesPoint.Level.COMMUNE, kind=SalesPoint.Kind.COMMUNE_CENTRE,
        region=unit("tan-cuong-2025"), address="Tân Cương", latitude="21.58",
        longitude="105.77",
    )  # fmt: skip
    producer = ProducerFactory(slug=code, registration_number=code)
    product = create_product(num_in_stock=None, upc=code, producer=producer)
    services.stock_receive(sales_point=outlet, product=product, quantity=units)
    return outlet, product, outlet.partner.stockrecords.get(product=product)


def race(works: list) -> tuple[list, list[float], float]:
    """Run every callable at once on the pool: (each one's result or exception, the
    latencies in seconds, the elapsed seconds)."""
    outcomes, latencies = [], []
    gate = threading.Event()

    def run(work):
        gate.wait()
        started = time.perf_counter()
        try:
            outcomes.append(work())
        except Exception as error:  # the outcome of each racer is what we count
            outcomes.append(error)
        latencies.append(time.perf_counter() - started)

    with ThreadPoolExecutor(max_workers=CONNECTIONS) as pool:
        futures = [pool.submit(run, work) for work in works]
        started = time.perf_counter()
        gate.set()
        for future in futures:
            future.result()
        elapsed = time.perf_counter() - started
        barrier = threading.Barrier(CONNECTIONS)  # each thread closes its connection
        list(
            pool.map(lambda _: (barrier.wait(), connection.close()), range(CONNECTIONS))
        )
    return outcomes, sorted(latencies), elapsed


def print_latency(latencies: list[float]) -> None:
    print(f"  latency median  {statistics.median(latencies) * 1000:.1f} ms")
    print(
        f"  latency p95     {latencies[int(len(latencies) * 0.95) - 1] * 1000:.1f} ms"
    )


def ledger_adds_up(record) -> bool:
    """The record's stock and holds equal the sums of its ledger rows."""
    from sales_points.models import StockMovement

    record.refresh_from_db()
    ledger = StockMovement.objects.filter(stockrecord=record).aggregate(
        stock=Sum("delta"), held=Sum("allocated_delta")
    )
    return (ledger["stock"], ledger["held"]) == (
        record.num_in_stock,
        record.num_allocated,
    )
