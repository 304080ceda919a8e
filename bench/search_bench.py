"""Search over the national-size catalogue (issue 7, "How fast"): p50/p95 per kind.

Uses the national catalogue of bench/national.py (test_<name of DATABASE_URL's
database>_search, seeded once with `seed_demo --seed 42 --scale national`: 20,000
products, and its images; --rebuild rebuilds the search documents), then times 30
typical queries, each repeated BENCH_REPEAT times (default 20) after a warm-up: the
answer (the page's ids, total, labelled facets, suggestion: what the answer cache
keeps), the backend call (search.database.DatabaseBackend().search: the answer and
the page's products) and the whole search page through the Django test client, each
as a whole and the part of it spent in SQL statements. Targets: p95 under 30 ms in
SQL, under 100 ms for the page. These are first-time figures (the answer cache off),
from the backend's copy of the documents in the process (search.columns: its reading
is timed first), then the same without it (SEARCH_DATABASE_COLUMNS=False: one SQL
statement matches, scores and counts). Then the same queries asked again with
the answer cache on (settings.SEARCH_RESULT_CACHE_SECONDS: a facet unticked again,
a page reloaded), and how often a drained sale changes a document (and so the
answers' key). Last, what the machine does in a fixed time, as figures from
different machines differ.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench python bench/search_bench.py
"""

import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import national  # noqa: E402

# Seeded (or migrated) in a child process; this one then works in it.
os.environ.update(national.django_env(national.national()["url"]))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", 20))
TAN_CUONG = (21.58, 105.77)

# (kind, SearchQuery arguments); the page is timed for the ones with text only.
QUERIES = [
    ("diacritics", {"text": "trà tân cương"}),
    ("diacritics", {"text": "mật ong rừng"}),
    ("diacritics", {"text": "miến dong"}),
    ("diacritics", {"text": "nón lá"}),
    ("no diacritics", {"text": "tra moc cau"}),
    ("no diacritics", {"text": "mat ong"}),
    ("no diacritics", {"text": "banh chung"}),
    ("uppercase", {"text": "GIÒ LỤA"}),
    ("uppercase", {"text": "NUOC COT GAC"}),
    ("synonyms", {"text": "chè"}),
    ("synonyms", {"text": "trà"}),
    ("synonyms", {"text": "chè búp"}),
    ("typos", {"text": "tra moc cauu"}),
    ("typos", {"text": "mat ogn rung"}),
    ("broad", {"text": "ocop"}),
    ("broad", {"text": "chủ thể"}),
    ("facets", {"text": "trà", "stars": (5,)}),
    ("facets", {"text": "mật ong", "groups": ("food-processed",)}),
    ("facets", {"text": "ocop", "regions": "<region>"}),
    ("facets", {"text": "trà", "producer_kinds": ("household",)}),
    ("facets", {"text": "ocop", "price_min": 200_000, "price_max": 400_000}),
    ("facets", {"text": "trà", "in_stock": True}),
    ("facets", {"text": "ocop", "near": TAN_CUONG, "near_km": 25}),
    ("facets", {"stars": (4, 5), "in_stock": True}),
    ("browse", {"sort": "newest"}),
    ("browse", {"sort": "price"}),
    ("browse", {"sort": "stars", "groups": ("tea",)}),
    ("deep page", {"page": 400}),
    ("deep page", {"text": "trà", "page": 40}),
    ("deep page", {"text": "ocop", "sort": "-price", "page": 300}),
]


def catalogue() -> None:
    """The search documents (rebuilt on --rebuild), with planner statistics."""
    from search.models import ProductDocument
    from search.services import search_rebuild

    if connection.vendor != "postgresql":
        sys.exit("Needs PostgreSQL (DATABASE_URL=postgres://...).")
    if "--rebuild" in sys.argv:
        started = time.perf_counter()
        search_rebuild()
        print(f"Rebuilt the documents in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:  # statistics, and the visibility map that
        cursor.execute("VACUUM ANALYZE")  # lets index-only scans skip the table
    print(f"{ProductDocument.objects.count()} search documents")


def region() -> tuple[str]:
    """The province of origin of the most documents."""
    from collections import Counter

    from search.models import ProductDocument, codes_split

    provinces = Counter(
        codes_split(codes)[-1]
        for codes in ProductDocument.objects.values_list("region_codes", flat=True)
        if codes
    )
    return (provinces.most_common(1)[0][0],)


class StatementClock:
    """Wall time spent in the database's statements (execute and fetch), summed
    while installed as the connection's execute wrapper."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def timed(call) -> dict:
    """Per call over REPEAT calls after a warm-up: total and SQL milliseconds, and
    the number of queries (of one call)."""
    call()
    with CaptureQueriesContext(connection) as queries:
        call()
    count = len(queries)  # now: each request resets the connection's query log
    total, sql = [], []
    for _ in range(REPEAT):
        clock = StatementClock()
        with connection.execute_wrapper(clock):
            started = time.perf_counter()
            call()
            total.append((time.perf_counter() - started) * 1000)
        sql.append(clock.seconds * 1000)
    return {"total": total, "sql": sql, "queries": count}


def machine() -> str:
    """What this machine does in a fixed time, to compare figures taken on others:
    PostgreSQL counting a million generated rows, Python summing ten million
    integers in a loop (medians of five)."""
    sql, python = [], []
    with connection.cursor() as cursor:
        for _ in range(5):
            started = time.perf_counter()
            cursor.execute("SELECT count(*) FROM generate_series(1, 1000000)")
            cursor.fetchone()
            sql.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            total = 0
            for number in range(10_000_000):
                total += number
            python.append((time.perf_counter() - started) * 1000)
    return (
        f"Machine: PostgreSQL counts 1,000,000 generated rows in"
        f" {statistics.median(sql):.0f} ms; Python sums 10,000,000 integers in a loop"
        f" in {statistics.median(python):.0f} ms."
    )


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def _cells(times: list[float]) -> str:
    if not times:
        return f"{'':>6} {'':>6}"
    return f"{statistics.median(times):>6.1f} {p95(times):>6.1f}"


MEASURES = ("answer", "backend", "backend_sql", "page", "page_sql")


def measure(
    client, backend, province, *, announce: bool = False, answers: bool = True
) -> dict:
    """Each query kind's timings: the answer (unless answers=False: the cached
    answer is not timed apart), the backend call, and the page for the queries with
    text only; announce prints each query's number of results."""
    from search.query import SearchQuery

    kinds: dict[str, dict] = {}
    for kind, arguments in QUERIES:
        if arguments.get("regions") == "<region>":
            arguments = {**arguments, "regions": province}
        query = SearchQuery(**arguments)
        row = kinds.setdefault(
            kind, {**{m: [] for m in MEASURES}, "queries": 0, "page_queries": 0}
        )
        if answers:  # the answer alone: the page's ids, total, facets, suggestion
            row["answer"] += timed(lambda q=query: backend._answer(q))["total"]
        times = timed(lambda q=query: backend.search(q))
        row["backend"] += times["total"]
        row["backend_sql"] += times["sql"]
        row["queries"] = max(row["queries"], times["queries"])
        if query.text and set(arguments) == {"text"}:
            url = "/vi/shop/search/?" + urlencode({"q": query.text})
            status = client.get(url).status_code
            if status != 200:
                sys.exit(f"{url} answered {status}")
            times = timed(lambda u=url: client.get(u))
            row["page"] += times["total"]
            row["page_sql"] += times["sql"]
            row["page_queries"] = max(row["page_queries"], times["queries"])
        if announce:
            total = backend.search(query).total
            print(f"  {kind:<14} {str(arguments):<62} {total:>6} results", flush=True)
    return kinds


def table(kinds: dict) -> None:
    print(
        f"{'':<14} {'answer':>13} {'backend':>13} {'its SQL':>13} {'queries':>7}"
        f" {'page':>13} {'its SQL':>13} {'queries':>7}"
    )
    every = {m: [] for m in MEASURES}
    for kind, row in kinds.items():
        for m in MEASURES:
            every[m] += row[m]
        print(
            f"{kind:<14} {_cells(row['answer'])} {_cells(row['backend'])}"
            f" {_cells(row['backend_sql'])}"
            f" {row['queries']:>7} {_cells(row['page'])} {_cells(row['page_sql'])}"
            f" {row['page_queries'] or '':>7}"
        )
    print(
        f"{'all':<14} {_cells(every['answer'])} {_cells(every['backend'])}"
        f" {_cells(every['backend_sql'])}"
        f" {'':>7} {_cells(every['page'])} {_cells(every['page_sql'])}"
    )


def sales(count: int = 100) -> str:
    """Over-the-counter sales of one unit at random in-stock records, each drained as
    the task would: how many changed a search document, and so moved the documents
    generation the cached answers are keyed by (a drain that changes none keeps
    them), and what a drain cost. Rolled back afterwards."""
    import random

    from django.db import transaction
    from django.db.models import F
    from django.db.models.functions import Coalesce
    from django.utils import timezone
    from oscar.core.loading import get_model

    from sales_points.services import counter_sale_record
    from search import outbox

    StockRecord = get_model("partner", "StockRecord")
    sellable = StockRecord.objects.annotate(
        free=F("num_in_stock") - Coalesce("num_allocated", 0)
    ).filter(
        free__gte=1,
        price__isnull=False,
        partner__sales_point__is_active=True,
        product__search_document__certified_until__gte=timezone.localdate(),
    )
    pks = sorted(sellable.values_list("pk", flat=True))
    chosen = random.Random(42).sample(pks, min(count, len(pks)))
    records = StockRecord.objects.filter(pk__in=chosen).select_related(
        "partner__sales_point"
    )
    changed, drains = 0, []
    with transaction.atomic():
        outbox.outbox_drain_all()
        for record in records:
            counter_sale_record(
                sales_point=record.partner.sales_point,
                lines={record.product_id: 1},
                payment="cash",
            )
            before = outbox.generation()
            started = time.perf_counter()
            outbox.outbox_drain_all()
            drains.append((time.perf_counter() - started) * 1000)
            changed += outbox.generation() != before
        transaction.set_rollback(True)
    return (
        f"{len(drains)} over-the-counter sales of one unit (random in-stock records),"
        f" each drained: {changed} changed a search document and moved the"
        f" generation; the other {len(drains) - changed} left the cached answers"
        f" current. A drain took {statistics.median(drains):.1f} ms (p50),"
        f" {p95(drains):.1f} ms (p95)."
    )


def rss_mib() -> float:
    """The process's resident memory now (Linux)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def copy_read() -> str:
    """What the database backend's copy of the documents (search.columns) costs a
    process to read, in time and memory."""
    import gc

    from search import columns

    gc.collect()
    before = rss_mib()
    started = time.perf_counter()
    copy = columns.columns_read()
    seconds = time.perf_counter() - started
    gc.collect()
    return (
        f"The backend's copy of the documents (search.columns): {copy.size} read in"
        f" {seconds:.1f} s; the process's memory grew by {rss_mib() - before:.0f} MiB."
    )


def copy_follows(count: int = 20) -> str:
    """What the first answer after a change costs the copy: one document written
    (its price), then the copy brought up to date; rolled back each time."""
    from django.db import transaction

    from search import columns
    from search.models import ProductDocument

    copy = columns.columns_current()
    pks = list(
        ProductDocument.objects.order_by("?").values_list("pk", flat=True)[:count]
    )
    times = []
    for pk in pks:
        with transaction.atomic():
            ProductDocument.objects.filter(pk=pk).update(price_vnd=123_000)
            started = time.perf_counter()
            copy = columns.columns_refresh(copy)
            times.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
        copy = columns.columns_refresh(copy)  # the rollback, read back
    return (
        f"After one document is written, the copy reads the (product, revision) pairs"
        f" and that document: {statistics.median(times):.1f} ms (p50),"
        f" {p95(times):.1f} ms (p95), once per change, in the first answer after it."
    )


def main() -> None:
    from search.database import DatabaseBackend

    catalogue()
    print(copy_read())
    # Not setup_test_environment(): it makes every template render send a signal
    # with a copy of its context, which costs a page tens of milliseconds.
    client = Client(HTTP_HOST="localhost")
    backend = DatabaseBackend()
    province = region()
    first = measure(client, backend, province, announce=True)
    print()
    print(
        f"{len(QUERIES)} queries, {REPEAT} runs each; p50 and p95 in ms. SQL: time in"
        " the statements (execute and fetch); the rest is Python."
    )
    table(first)
    print("Targets: p95 < 30 ms in SQL, < 100 ms for the whole page.")
    print()
    with override_settings(SEARCH_DATABASE_COLUMNS=False):
        by_sql = measure(client, backend, province)
    print("The same without the copy (SEARCH_DATABASE_COLUMNS=False):")
    table(by_sql)
    print()
    with override_settings(SEARCH_RESULT_CACHE_SECONDS=300):
        again = measure(client, backend, province, answers=False)
    print("Asked again, the answer cached (only the page's products read):")
    table(again)
    print()
    print(sales())
    print(copy_follows())
    print(machine())
    load = os.getloadavg()
    print(f"Load average (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
