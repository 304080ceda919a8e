"""Outlets with product X nearest to a point, over 5,000 outlets: median and p95.

Fills the throwaway database test_<name of DATABASE_URL's database> (created and
migrated when missing; the outlets are bulk-created once and reused on later runs)
with 5,000 outlets spread like towns along Vietnam, each with weekly hours, about 30%
of them stocking one certified product (a few with every unit held for online orders). Then times
sales_points.selectors.outlets_nearest(lat, lng, product_id=..., limit=10) from 200
random buyers' positions, checks each answer against measuring every outlet, and
prints the figures. The target is a median under 20 ms.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 python bench/locator_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench python bench/locator_bench.py
"""

import datetime as dt
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

OUTLETS, STOCKED_SHARE, BUYERS, LIMIT, SEED = 5000, 0.30, 200, 10, 42
PREFIX = "bench-"
# Towns along the country (latitude, longitude): outlets cluster around them.
TOWNS = [
    (22.82, 104.98), (22.67, 106.26), (22.40, 103.47), (21.86, 106.76),
    (21.59, 105.84), (21.33, 103.91), (21.03, 105.85), (20.95, 107.08),
    (20.86, 106.68), (20.43, 106.17), (19.81, 105.78), (18.68, 105.68),
    (17.47, 106.60), (16.46, 107.59), (16.05, 108.20), (15.12, 108.80),
    (13.78, 109.22), (13.98, 108.00), (12.67, 108.04), (12.24, 109.19),
    (11.94, 108.44), (10.93, 108.10), (10.78, 106.70), (10.95, 106.82),
    (10.35, 107.08), (10.36, 106.36), (10.03, 105.78), (9.18, 105.15),
]  # fmt: skip


def town_point(rng: random.Random) -> tuple[float, float]:
    lat, lng = rng.choice(TOWNS)
    return round(rng.gauss(lat, 0.25), 6), round(rng.gauss(lng, 0.25), 6)


@transaction.atomic
def fill(rng: random.Random) -> int:
    """The outlets, their hours and the stock of one product; returns its id."""
    from oscar.core.loading import get_model

    from sales_points.models import OpeningHours, SalesPoint
    from tests.factories import ProducerFactory, create_product, unit

    Partner = get_model("partner", "Partner")
    StockRecord = get_model("partner", "StockRecord")
    producer = ProducerFactory(slug=f"{PREFIX}producer", registration_number=PREFIX)
    product = create_product(
        title="Trà Tân Cương (bench)", num_in_stock=None, producer=producer
    )
    partners = Partner.objects.bulk_create(
        Partner(code=f"{PREFIX}{i:05}", name=f"Bench outlet {i}")
        for i in range(OUTLETS)
    )
    if partners[0].pk is None:  # backends that do not return ids from bulk inserts
        partners = list(
            Partner.objects.filter(code__startswith=PREFIX).order_by("code")
        )
    region = unit("tan-cuong-2025")
    outlets = []
    for i, partner in enumerate(partners):
        lat, lng = town_point(rng)
        outlets.append(
            SalesPoint(
                code=partner.code,
                partner=partner,
                name_vi=f"Điểm bán {i}",
                name_en=f"Outlet {i}",
                level=SalesPoint.Level.COMMUNE,
                kind=SalesPoint.Kind.COMMUNE_CENTRE,
                region=region,
                address=f"Số {i}",
                latitude=Decimal(str(lat)),
                longitude=Decimal(str(lng)),
            )  # fmt: skip
        )
    SalesPoint.objects.bulk_create(outlets, batch_size=1000)
    outlets = SalesPoint.objects.filter(code__startswith=PREFIX).only(
        "pk", "partner_id"
    )
    hours, records = [], []
    for outlet in outlets:
        for weekday in range(6):
            hours.append(
                OpeningHours(
                    sales_point=outlet,
                    weekday=weekday,
                    opens=dt.time(7, 30),
                    closes=dt.time(11, 30),
                )
            )
            hours.append(OpeningHours(sales_point=outlet, weekday=weekday,
                                      opens=dt.time(13, 30), closes=dt.time(17, 30)))  # fmt: skip
        if rng.random() < STOCKED_SHARE:
            quantity = rng.randint(1, 50)
            held = quantity if rng.random() < 0.05 else 0  # all promised online
            records.append(
                StockRecord(
                    partner_id=outlet.partner_id,
                    product=product,
                    partner_sku=f"{PREFIX}{outlet.pk}",
                    price=Decimal("150000"),
                    price_currency="VND",
                    num_in_stock=quantity,
                    num_allocated=held,
                )  # fmt: skip
            )
    OpeningHours.objects.bulk_create(hours, batch_size=5000)
    StockRecord.objects.bulk_create(records, batch_size=5000)
    return product.pk


def brute_force(lat, lng, product_id) -> list[int]:
    from sales_points.selectors import OutletsByDistance, outlets_with_product

    ordered = OutletsByDistance(outlets_with_product(product_id), lat, lng)
    return [pk for _distance, pk in ordered.order[:LIMIT]]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    from oscar.core.loading import get_model

    from sales_points.models import SalesPoint
    from sales_points.selectors import outlets_nearest

    StockRecord = get_model("partner", "StockRecord")
    # The throwaway database test_<name> (created and migrated if missing, then kept).
    connection.creation.create_test_db(verbosity=0, keepdb=True)
    rng = random.Random(SEED)
    if SalesPoint.objects.filter(code__startswith=PREFIX).count() < OUTLETS:
        started = time.perf_counter()
        product_id = fill(rng)
        print(f"filled {OUTLETS} outlets in {time.perf_counter() - started:.1f} s")
    else:
        product_id = (
            StockRecord.objects.filter(partner__code__startswith=PREFIX)
            .values_list("product_id", flat=True)
            .first()
        )
    stocked = StockRecord.objects.filter(
        partner__code__startswith=PREFIX, product_id=product_id
    ).count()
    with connection.cursor() as cursor:
        # Planner statistics, as autovacuum would gather after a bulk load: without
        # them PostgreSQL takes the product's 1,500 stock records for one row.
        cursor.execute("ANALYZE")
    buyers = [town_point(rng) for _ in range(BUYERS)]
    for lat, lng in buyers[:10]:  # warm up caches and connections
        outlets_nearest(lat, lng, product_id=product_id, limit=LIMIT)

    timings, cpu = [], []
    for lat, lng in buyers:
        started, started_cpu = time.perf_counter(), time.process_time()
        outlets_nearest(lat, lng, product_id=product_id, limit=LIMIT)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    queries, wrong = [], 0
    for lat, lng in buyers:
        with CaptureQueriesContext(connection) as captured:
            found = outlets_nearest(lat, lng, product_id=product_id, limit=LIMIT)
        queries.append(len(captured))
        wrong += [o.pk for o in found] != brute_force(lat, lng, product_id)

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"{connection.vendor}: {OUTLETS} outlets, {stocked} with the product; "
        f"{BUYERS} buyers, {LIMIT} nearest each (load average {load}, "
        f"{os.cpu_count()} CPUs)"
    )
    print(
        f"outlets_nearest(product_id=...): median {statistics.median(timings):.2f} ms, "
        f"p95 {percentile(timings, 0.95):.2f} ms, max {max(timings):.2f} ms; "
        f"queries per call: median {statistics.median(queries):.0f}, max {max(queries)}; "
        f"answers differing from measuring every outlet: {wrong}"
    )
    # On a busy machine wall time includes waiting for a CPU; this process's CPU time
    # does not (nor does it count the PostgreSQL server's work).
    print(
        f"  this process's CPU time: median {statistics.median(cpu):.2f} ms, "
        f"p95 {percentile(cpu, 0.95):.2f} ms"
    )
    plain = []
    for lat, lng in buyers:
        started = time.perf_counter()
        outlets_nearest(lat, lng, limit=LIMIT)
        plain.append((time.perf_counter() - started) * 1000)
    print(
        f"outlets_nearest() without a product: median {statistics.median(plain):.2f} ms, "
        f"p95 {percentile(plain, 0.95):.2f} ms"
    )
    # The yardstick: how long the simplest ORM query takes on this machine right now.
    simplest = []
    for _buyer in buyers:
        started = time.perf_counter()
        list(SalesPoint.objects.filter(pk=1))
        simplest.append((time.perf_counter() - started) * 1000)
    print(f"  for scale, the simplest ORM query: {statistics.median(simplest):.2f} ms")
    if wrong:
        sys.exit("outlets_nearest disagreed with measuring every outlet")


if __name__ == "__main__":
    main()
