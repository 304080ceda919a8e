"""SQL queries per page type on the national catalogue, each at two sizes.

Each page is requested through the Django test client (shop.settings.test: no page
cache, so Wagtail pages are rendered) once to warm per-process caches, then once
counted, in a small and a larger version: fewer or more items shown. What a size
needs that the seed lacks (featured products, basket lines, a story's blocks) is made
in a transaction that is rolled back, so the seeded database stays as it was.
"constant" is yes when both cost the same, else the difference (figures, not a test:
tests/ pin the counts).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench python bench/queries_bench.py
(uses the national database of bench/national.py, seeding it when missing)
"""

import os
import sys
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from national import MEDIA_ROOT, national  # noqa: E402

os.environ["DATABASE_URL"] = national()["url"]
os.environ.setdefault("MEDIA_ROOT", str(MEDIA_ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "shop.settings.test"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.db.models import Count, F, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import translation  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from catalogue.selectors import products_certified  # noqa: E402
from cms.models import HomePage, HomePageFeaturedProduct, StoryIndexPage  # noqa: E402
from sales_points.models import SalesPoint  # noqa: E402
from sales_points.selectors import outlets_with_product  # noqa: E402

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
CHECKOUT = ["checkout:index", "checkout:delivery", "checkout:payment-method",
            "checkout:preview"]  # fmt: skip


@contextmanager
def scratch():
    """Changes that are rolled back at the end (the client shares the connection)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def counted(url, data=None, client=None):
    """(queries of the second of two identical requests, its response), by default
    from a new visitor (a page seen before adds "recently viewed" products)."""
    client = client or Client()
    client.get(url, data)
    reset_queries()  # the log may be reset by a request: count from empty
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200, (url, data, response.status_code)
    return len(queries), response


def shown(response, key="products") -> int:
    return len(response.context[key])


# --- What the national seed holds, picked for each size ------------------------------


def sellable() -> list[tuple[SalesPoint, list[int]]]:
    """Pickup outlets with the public certified products they hold free, most first."""
    products = set(
        products_certified(Product.objects.filter(is_public=True)).values_list(
            "pk", flat=True
        )
    )
    records = (
        StockRecord.objects.filter(partner__sales_point__is_pickup_point=True)
        .filter(num_in_stock__gt=F("num_allocated") + 1)
        .values_list("partner__sales_point", "product_id")
    )
    held: dict[int, list[int]] = {}
    for outlet_id, product_id in records:
        if product_id in products:
            held.setdefault(outlet_id, []).append(product_id)
    ranked = sorted(held.items(), key=lambda item: -len(item[1]))
    return [(SalesPoint.objects.get(pk=pk), sorted(ids)) for pk, ids in ranked]


def by_outlets(products: list[int]) -> list[int]:
    """The products, from the fewest outlets holding them to the most."""
    return sorted(products, key=lambda pk: (outlets_with_product(pk).count(), pk))


# --- The pages ---------------------------------------------------------------------


def home() -> list:
    page = HomePage.objects.get(locale__language_code="vi")
    featured = list(products_certified(Product.objects.filter(is_public=True))[:12])
    rows = []
    for n in (1, 12):
        with scratch():
            HomePageFeaturedProduct.objects.filter(page=page).delete()
            for order, product in enumerate(featured[:n]):
                HomePageFeaturedProduct.objects.create(
                    page=page, product=product, sort_order=order
                )
            queries, response = counted("/vi/")
            rows.append((shown(response, "featured_products"), queries))
    return rows


def category() -> list:
    """The category with the most products, and the one with the fewest at its
    depth (each level of the breadcrumb is a query)."""
    categories = Category.objects.filter(is_public=True).annotate(
        n=Count("product", filter=Q(product__is_public=True))
    )
    large = categories.order_by("-n", "pk").first()
    small = categories.filter(n__gt=0, depth=large.depth).order_by("n", "pk").first()
    rows = []
    for chosen in (small, large):
        queries, response = counted(chosen.get_absolute_url())
        rows.append((shown(response), queries))
    return rows


def search(unique_title: str) -> list:
    rows = []
    for text in (unique_title, "trà"):
        queries, response = counted("/vi/shop/search/", {"q": text})
        rows.append((shown(response), queries))
    return rows


def product(products: list[int]) -> list:
    """Items: outlets holding the product (its page says where to buy it); the two
    products in categories as deep (each breadcrumb level is a query)."""

    def depth(pk: int) -> int:
        return max(
            Category.objects.filter(product=pk).values_list("depth", flat=True),
            default=0,
        )

    ranked = by_outlets(products)
    large = ranked[-1]
    small = next(pk for pk in ranked if depth(pk) == depth(large))
    rows = []
    for pk in (small, large):
        queries, _ = counted(Product.objects.get(pk=pk).get_absolute_url())
        rows.append((outlets_with_product(pk).count(), queries))
    return rows  # fmt: skip


def basket_and_checkout(outlet: SalesPoint, products: list[int]) -> dict:
    """Basket and checkout pages of a guest with 1 and with 10 lines, collecting at
    an outlet holding them all; and the basket with 2 lines."""
    rows: dict[str, list] = {
        "basket": [],
        "basket, 2 lines and 10": [],
    }  # in this order
    for lines in (1, 10, 2):
        client = Client()
        for pk in products[:lines]:
            response = client.post(
                reverse("basket:add", kwargs={"pk": pk}), {"quantity": 1}
            )
            assert response.status_code == 302, response.status_code
        queries, response = counted(reverse("basket:summary"), client=client)
        assert response.context["basket"].num_lines == lines
        if lines == 2:
            rows["basket, 2 lines and 10"] = [(lines, queries), rows["basket"][1]]
            break
        rows["basket"].append((lines, queries))
        contact = {"email": "bench@example.com", "phone": "0912 345 678"}
        client.post(reverse("checkout:index"), contact)
        client.post(
            reverse("checkout:delivery"), {"delivery": "pickup", "outlet": outlet.code}
        )
        response = client.post(
            reverse("checkout:payment-method"), {"payment_method": "at_pickup"}
        )
        assert response["Location"] == reverse("checkout:preview"), response
        for name in CHECKOUT:
            queries, _ = counted(reverse(name), client=client)
            rows.setdefault(name.replace(":", " "), []).append((lines, queries))
    return rows  # fmt: skip


def locator(products: list[int]) -> list:
    """Items: outlets on the page, for a product held at one outlet, then all."""
    one = next(pk for pk in by_outlets(products))
    rows = []
    for data in ({"product": one}, {}):
        queries, response = counted("/vi/sales-points/", data)
        rows.append((shown(response, "outlets"), queries))
    return rows


def outlet_stock() -> list:
    """Items: stock rows on the outlet's dashboard page (a superuser's view)."""
    user = get_user_model().objects.filter(is_superuser=True, is_active=True).first()
    client = Client()
    client.force_login(user)
    outlets = SalesPoint.objects.annotate(n=Count("partner__stockrecords"))
    rows = []
    for outlet in (
        outlets.filter(n__gt=0).order_by("n", "pk").first(),
        outlets.order_by("-n", "pk").first(),
    ):
        url = reverse("outlet-dashboard:stock", kwargs={"code": outlet.code})
        queries, response = counted(url, client=client)
        rows.append((len(response.context["page_obj"].object_list), queries))
    return rows


def story(products: list[int]) -> list:
    """Items: product blocks on a new story (1, then 12), with a product each."""
    from cms.models import TourismStoryPage
    from tests.cms.pages import add, products_block, stream

    parent = StoryIndexPage.objects.filter(locale__language_code="vi").first()
    rows = []
    for n in (1, 12):
        with scratch():
            blocks = [products_block(Product.objects.get(pk=pk)) for pk in products[:n]]
            page = add(
                parent,
                TourismStoryPage(
                    title="Bench", slug=f"bench-{n}", body=stream(*blocks)
                ),
            )
            queries, _ = counted(page.url)
            rows.append((n, queries))
    return rows


def measure() -> dict:
    outlet, held = sellable()[0]
    unique = Product.objects.filter(pk=held[0]).values_list("title", flat=True).get()
    rows = {
        "home (featured products)": home(),
        "category listing (products)": category(),
        "search (results shown)": search(unique),
        "product (outlets holding it)": product(held),
    }
    rows.update(basket_and_checkout(outlet, held))
    rows["store locator (outlets)"] = locator(held)
    rows["outlet stock page (rows)"] = outlet_stock()
    rows["story page (product blocks)"] = story(held)
    return rows


def main() -> None:
    setup_test_environment()  # responses carry their template context
    with translation.override("vi"):
        rows = measure()
    print("SQL queries per page (national catalogue), small and larger versions")
    print(f"{'page (items)':<32} {'items':>9} {'queries':>9}  constant")
    for name, ((n1, q1), (n2, q2)) in rows.items():
        verdict = "yes" if q1 == q2 else f"{q2 - q1:+d}"
        print(f"{name:<32} {n1:>4} {n2:>4} {q1:>4} {q2:>4}  {verdict}")


if __name__ == "__main__":
    main()
