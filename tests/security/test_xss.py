"""Stored XSS: hostile text in every field a buyer, a member of staff or an import can
fill (product title and description, producer, category, outlet name and address,
review title and body) is text wherever it is shown: storefront pages, search, the
store locator and its map data, basket, order pages and emails, the outlet staff
pages, Oscar's dashboard, Wagtail blocks, the trace page and the JSON APIs.

Pages are parsed (tests/security/inert.py), not searched for strings. Rich text,
tables and form blocks have their own tests in tests/cms/test_safe_content.py."""

import json
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from cms.models import StoryIndexPage
from sales_points import services as stock
from search.outbox import outbox_drain_all
from shop import roles
from shop.order.statuses import order_status_path
from tests.cms import pages
from tests.factories import (
    ProducerFactory,
    UserFactory,
    create_product,
    outlet_staff,
    unit,
)
from tests.security.inert import (
    HOSTILE,
    LINK,
    MARK,
    SHORT,
    assert_inert,
    live_payloads,
)
from tests.shop.orders import basket_with, pickup, place

pytestmark = pytest.mark.django_db

Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductReview = get_model("reviews", "ProductReview")
SalesPoint = get_model("sales_points", "SalesPoint")

DESCRIPTION = (
    f'<p>Chè ngon</p>{HOSTILE}<a href="{LINK}">bấm</a>'
    f"<a href=\" JaVaScRiPt:alert('{MARK}')\">hoa</a>"
)


@pytest.mark.parametrize(
    "fragment",
    [
        f"<script>alert('{MARK}')</script>",
        f"<img src=y onerror=\"alert('{MARK}')\">",
        "<img src=x>",
        f"<p onmouseover=\"alert('{MARK}')\">x</p>",
        f'<a href="{LINK}">x</a>',
        '<a href=" java\tscript:alert(1)">x</a>',
        '<script type="application/json">{"a": "</script><script>alert(1)</script>',
        f"<svg onload=\"alert('{MARK}')\"></svg>",
    ],
)
def test_the_check_catches_each_payload_left_live(fragment):
    assert live_payloads(fragment)


def test_the_check_accepts_the_payload_shown_as_text():
    from django.utils.html import escape, json_script

    html = f'<p title="{escape(HOSTILE)}">{escape(HOSTILE)}</p>' + json_script(
        {"name": HOSTILE}, "data"
    )

    assert_inert(html)


# --- The hostile world ------------------------------------------------------------


def hostile_outlet(code: str) -> SalesPoint:
    return stock.sales_point_create(
        code=code, name_vi=SHORT, name_en=SHORT,
        level=SalesPoint.Level.COMMUNE, kind=SalesPoint.Kind.COMMUNE_CENTRE,
        region=unit("tan-cuong-2025"), address=HOSTILE,
        latitude="21.58", longitude="105.77", phone="0208 3855 555",
    )  # fmt: skip


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """A product, its producer, its category and two outlets, every text hostile; a
    review; a member's pickup order (its emails sent) and a transfer."""
    producer = ProducerFactory(
        name_vi=HOSTILE, name_en=HOSTILE, address=HOSTILE,
        description_vi=DESCRIPTION, description_en=DESCRIPTION,
    )  # fmt: skip
    product = create_product(
        title=HOSTILE, title_en=HOSTILE, description=DESCRIPTION,
        description_en=DESCRIPTION, producer=producer, num_in_stock=None,
        ingredients_vi=HOSTILE, ingredients_en=HOSTILE,
        storage_vi=HOSTILE, storage_en=HOSTILE,
    )  # fmt: skip
    category = Category.add_root(name=HOSTILE, description=DESCRIPTION)
    ProductCategory.objects.create(product=product, category=category)
    shop, other = hostile_outlet("tc-01"), hostile_outlet("tc-02")
    stock.stock_receive(sales_point=shop, product=product, quantity=10)
    stock.stock_receive(sales_point=other, product=product, quantity=10)
    transfer = stock.transfer_send(
        source=shop, destination=other, lines={product.pk: 1}
    )
    sale = stock.counter_sale_record(
        sales_point=shop, lines={product.pk: 1}, payment="cash"
    )
    buyer = UserFactory(first_name=HOSTILE[:30])
    ProductReview.objects.create(
        product=product, user=buyer, score=5, title=HOSTILE, body=HOSTILE,
        status=ProductReview.APPROVED,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        order = place(
            basket_with((product, 1), owner=buyer), pickup(shop, language="en"), buyer
        )
    outbox_drain_all()
    return SimpleNamespace(
        producer=producer, product=product, category=category, shop=shop,
        other=other, transfer=transfer, sale=sale, buyer=buyer, order=order,
    )  # fmt: skip


def page(client, path: str, **params) -> str:
    response = client.get(path, params)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


# --- Storefront ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_product_page_shows_everything_as_text(client, world, language):
    path = f"/{language}" + world.product.get_absolute_url()[3:]

    html = page(client, path)

    assert_inert(html)
    assert "Chè ngon" in html  # the description's safe part is kept


def test_the_product_reviews_pages_show_the_review_as_text(english_client, world):
    product, review = world.product, world.product.reviews.get()
    kwargs = {"product_slug": product.slug, "product_pk": product.pk}

    assert_inert(page(english_client, reverse("catalogue:reviews-list", kwargs=kwargs)))
    detail = reverse("catalogue:reviews-detail", kwargs={**kwargs, "pk": review.pk})
    assert_inert(page(english_client, detail))


@pytest.mark.parametrize(
    "path", ["/en/shop/", "/en/shop/catalogue/", "/vi/shop/catalogue/"]
)
def test_the_listings_show_titles_as_text(client, world, path):
    assert_inert(page(client, path))


def test_the_category_page_shows_its_name_and_description_as_text(client, world):
    """Oscar's template prints the category description with |safe."""
    html = page(client, "/en" + world.category.get_absolute_url()[3:])

    assert_inert(html)
    assert "Chè ngon" in html


def test_offer_and_range_pages_show_their_descriptions_as_text(client, world):
    """Oscar's range and offer templates print descriptions with |safe; cleaned, the
    payload goes and the description's own text stays."""
    from oscar.test.factories import ConditionalOfferFactory, RangeFactory

    description = f"<p>Hộp quà chè Tân Cương</p>{HOSTILE}"
    product_range = RangeFactory(
        name="Quà Tết", description=description, is_public=True
    )
    offer = ConditionalOfferFactory(name="Giảm giá Tết", description=description)

    for path in (
        f"/en/shop/catalogue/ranges/{product_range.slug}/",
        f"/en/shop/offers/{offer.slug}/",
        "/en/shop/offers/",
    ):
        html = page(client, path)
        assert_inert(html, must_show=False)
        assert "Hộp quà chè Tân Cương" in html, path


@pytest.mark.parametrize("query", ["tan cuong", MARK, HOSTILE])
def test_the_search_page_shows_results_and_the_query_as_text(client, world, query):
    html = page(client, "/en/shop/search/", q=query)

    assert_inert(html)


def test_the_search_suggestions_in_the_header_are_built_as_text():
    """The suggestions are JSON turned into elements by shop/static/shop/js/search.js:
    titles go through textContent, addresses through the href property."""
    from pathlib import Path

    script = Path("shop/static/shop/js/search.js").read_text()

    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "link.textContent = describe(row)" in script


def test_the_basket_shows_the_title_as_text(client, world):
    client.force_login(UserFactory())
    response = client.post(
        reverse("basket:add", kwargs={"pk": world.product.pk}), {"quantity": 1}
    )
    assert response.status_code == 302

    # The message of the addition names the product: Oscar marks it safe.
    assert_inert(page(client, "/en/shop/basket/"))


# --- Store locator ------------------------------------------------------------------


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_store_locator_list_and_its_map_data_are_text(client, world, language):
    html = page(client, f"/{language}/sales-points/")

    assert_inert(html)
    markers = json.loads(
        html.split('id="locator-markers" type="application/json">')[1].split(
            "</script>"
        )[0]
    )
    assert {m["name"] for m in markers} == {SHORT}


def test_the_outlet_page_is_text(client, world):
    html = page(client, f"/en/sales-points/{world.shop.code}/")

    assert_inert(html)


def test_the_map_popups_are_built_as_text():
    """Leaflet popups (sales_points/static/sales_points/locator.js) get an element
    whose text is the outlet name, never an HTML string."""
    from pathlib import Path

    script = Path("sales_points/static/sales_points/locator.js").read_text()

    assert "innerHTML" not in script and "insertAdjacentHTML" not in script
    assert "link.textContent = outlet.name" in script
    assert ".bindPopup(link)" in script


# --- Orders -----------------------------------------------------------------------


def test_the_order_pages_show_product_and_outlet_as_text(client, world):
    client.force_login(world.buyer)
    number = world.order.number

    assert_inert(page(client, f"/en/shop/accounts/orders/{number}/"))
    assert_inert(page(client, "/en/shop/accounts/orders/"), must_show=False)
    assert_inert(page(client, reverse("checkout:done", kwargs={"number": number})))
    assert_inert(page(client, order_status_path(world.order, "en")))


def test_the_order_emails_show_product_and_outlet_as_text(world):
    sent = [m for m in mail.outbox if world.order.number in m.subject]
    assert sent, [m.subject for m in mail.outbox]

    for message in sent:
        assert "<script" not in message.subject
        for body, kind in message.alternatives:
            if kind == "text/html":
                assert_inert(body)


# --- Staff pages ------------------------------------------------------------------


OUTLET_PAGES = [
    "stock", "sell", "receive", "receipt-list", "receipt-detail", "write-off",
    "threshold", "transfer-list", "transfer-send", "transfer-detail", "count",
    "order-list", "order-detail", "movement-list", "reports",
]  # fmt: skip


@pytest.mark.parametrize("name", OUTLET_PAGES)
def test_the_outlet_staff_pages_show_names_as_text(client, world, name):
    client.force_login(outlet_staff(world.shop))
    params = {
        "code": world.shop.code,
        "receipt_number": world.sale.receipt_number,
        "number": world.order.number
        if name.startswith("order-")
        else world.transfer.number,
    }
    pattern_params = {
        "receipt-detail": ("code", "receipt_number"),
        "transfer-detail": ("code", "number"),
        "order-detail": ("code", "number"),
    }.get(name, ("code",))
    path = reverse(
        f"outlet-dashboard:{name}", kwargs={p: params[p] for p in pattern_params}
    )

    assert_inert(page(client, path), must_show=name not in {"receive", "write-off"})


def test_the_outlet_staff_json_is_json(client, world):
    client.force_login(outlet_staff(world.shop))
    for name in ("api-stock", "api-movements"):
        path = reverse(f"outlet-dashboard:{name}", kwargs={"code": world.shop.code})
        response = client.get(path)
        assert response["Content-Type"].startswith("application/json")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert HOSTILE in _strings(response.json())


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/outlets/",
        "/dashboard/outlets/orders/",
        "/dashboard/ocop/producers/",
        "/dashboard/ocop/certificates/",
        "/dashboard/catalogue/",
        "/dashboard/orders/",
        "/dashboard/reviews/",
        "/dashboard/partners/",
    ],
)
def test_the_managers_dashboards_show_names_as_text(client, world, path):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert_inert(page(client, path))


def test_oscars_order_and_product_dashboard_pages_are_text(client, world):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert_inert(page(client, f"/dashboard/orders/{world.order.number}/"))
    assert_inert(page(client, f"/dashboard/catalogue/products/{world.product.pk}/"))
    assert_inert(page(client, f"/dashboard/ocop/producers/{world.producer.pk}/"))


def test_the_receiving_outlets_transfer_page_is_text(client, world):
    """The receiving outlet's form names each product (Oscar prints labels |safe)."""
    client.force_login(outlet_staff(world.other))
    path = reverse(
        "outlet-dashboard:transfer-detail",
        kwargs={"code": world.other.code, "number": world.transfer.number},
    )

    assert_inert(page(client, path))


def test_network_managers_see_outlet_names_as_text(client, world):
    client.force_login(UserFactory(groups=[roles.NETWORK_MANAGERS]))

    assert_inert(page(client, "/dashboard/outlets/"))


# --- Trace page, Wagtail blocks ----------------------------------------------------


def test_the_trace_page_is_text(client, world):
    assert_inert(page(client, f"/t/{world.product.trace_code}/", lang="en"))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_story_blocks_show_product_producer_and_outlet_as_text(
    client, home_pages, world, language
):
    stories = pages.index(StoryIndexPage, "stories", "Câu chuyện")
    story = pages.story(
        stories,
        pages.products_block(world.product, heading=HOSTILE),
        pages.producer_block(world.producer),
        pages.outlets_block(world.shop, world.other),
    )
    if language == "en":
        pages.translate(stories)
        story = pages.translate(story)

    assert_inert(page(client, story.url))


def test_the_producer_page_shows_the_producer_as_text(client, home_pages, world):
    from cms.models import ProducerIndexPage

    index = pages.index(ProducerIndexPage, "producers", "Chủ thể")
    producer_page = pages.producer_page(index, world.producer, title=HOSTILE)

    assert_inert(page(client, producer_page.url))
    assert_inert(page(client, index.url))


def test_a_producer_page_website_is_never_a_script_address(home_pages):
    from django.core.exceptions import ValidationError

    from cms.models import ProducerPage

    field = ProducerPage._meta.get_field("website")
    with pytest.raises(ValidationError):
        field.run_validators(LINK)


# --- JSON APIs ----------------------------------------------------------------------


def api_paths(world) -> list[str]:
    return [
        "/api/v1/products/",
        f"/api/v1/products/{world.product.pk}/",
        "/api/v1/producers/",
        f"/api/v1/producers/{world.producer.pk}/",
        "/api/v1/certificates/",
        "/api/v1/sales-points/",
        f"/api/v1/sales-points/{world.shop.code}/",
        f"/api/v1/sales-points/{world.shop.code}/stock/",
        "/api/v1/search/?q=tan+cuong",
        f"/api/v1/search/?q={MARK}",
        "/api/v1/search/suggest/?q=tan+cuong",
    ]


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def test_the_json_apis_carry_the_text_as_data_never_as_a_page(client, world):
    """JSON, never sniffed as HTML; the text exactly as stored (escaping is the job
    of whoever inserts it into a page: our scripts use textContent); no address a
    client would follow runs script."""
    for path in api_paths(world):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith("application/json"), path
        assert response["X-Content-Type-Options"] == "nosniff", path
        strings = list(_strings(response.json()))
        assert any(MARK in s for s in strings), path
        for text in strings:
            assert not text.strip().lower().startswith("javascript:"), (path, text)
