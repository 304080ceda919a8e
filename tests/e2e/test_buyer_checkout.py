"""A buyer pays by card in a real browser: (home → story →) product → basket → checkout
with pickup → the card form of localstripe's stand-in Stripe.js → confirmation, email
and the webhook (localstripe signs and sends it to the live server)."""

import time

import pytest
import requests
from django.conf import settings
from django.core import mail
from django.utils import translation
from oscar.core.loading import get_model

from cms import demo as cms_demo
from cms.models import StoryIndexPage
from search.outbox import outbox_drain_all
from tests.cms import pages
from tests.e2e.conftest import screenshot
from tests.factories import create_product
from tests.shop.orders import free, outlet, stocked

Order = get_model("order", "Order")
StripeEvent = get_model("payment", "StripeEvent")


@pytest.fixture
def desktop(open_page):
    return open_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")


@pytest.fixture
def located_desktop(open_page):
    """A desktop browser that gives its position (near Tân Cương) when asked."""
    return open_page(
        viewport={"width": 1280, "height": 900}, locale="vi-VN",
        geolocation={"latitude": 21.5843, "longitude": 105.7701},
        permissions=["geolocation"],
    )  # fmt: skip


def checkout_to_payment(page, base, product, shop, language="vi"):
    page.goto(base + product.get_absolute_url().replace("/vi/", f"/{language}/"))
    page.locator("#add_to_basket_form button[type=submit]").click()
    pickup_to_payment(page, base, shop, language)


def pickup_to_payment(page, base, shop, language):
    """From a basket with something in it: contact, pickup at `shop`, card."""
    page.goto(f"{base}/{language}/shop/checkout/")
    page.fill("#id_email", "khach@example.com")
    page.fill("#id_phone", "0912 345 678")
    page.locator("form.checkout-contact button[type=submit]").click()
    page.locator("input[name=delivery][value=pickup]").check()
    page.locator(f"#outlet-{shop.code}").check()
    page.locator("form.checkout-delivery button[type=submit]").click()
    page.locator("input[name=payment_method][value=card]").check()
    page.locator("button[type=submit]").last.click()
    page.locator("#place-order").click()
    page.wait_for_url("**/pay/**")


def fill_card(page, number):
    card = page.locator("#payment-element")
    card.locator("input[placeholder=number]").fill(number)
    card.locator("input[placeholder=exp_month]").fill("12")
    card.locator("input[placeholder=exp_year]").fill("31")
    card.locator("input[placeholder=cvc]").fill("123")
    card.locator("input[placeholder=postal_code]").fill("24000")
    page.locator("#pay-button").click()


def point_webhook(stripe_api: str, url: str) -> None:
    requests.post(  # localstripe signs its events with our secret and sends them there
        f"{stripe_api}/_config/webhooks/ocop",
        data={"url": url, "secret": settings.STRIPE_WEBHOOK_SECRET},
        timeout=10,
    ).raise_for_status()


@pytest.fixture
def stripe_webhook(live_server, stripe_api, open_page):
    """localstripe sends its events to this test's live server, and to no later test's:
    it keeps a webhook for the whole session (it cannot delete one) and sends each
    event a second late, so a later test's payment would reach the server while that
    test's database is being flushed. After the test the webhook points back at
    localstripe (which refuses it), and open_page's teardown (which runs after this one)
    waits for the events still in flight."""
    point_webhook(stripe_api, f"{live_server.url}/payments/stripe/webhook/")
    yield
    point_webhook(stripe_api, f"{stripe_api}/no-webhook/")
    time.sleep(1.5)  # localstripe's one-second delay, and the send


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_buyer_pays_by_card_and_collects_at_an_outlet(
    live_server, desktop, stripe_api, stripe_webhook, reference_data
):
    shop, tea = outlet("tc-pickup"), create_product(num_in_stock=None)
    stocked(shop, tea, 4)
    page = desktop

    checkout_to_payment(page, live_server.url, tea, shop)
    fill_card(page, "4242424242424242")
    page.wait_for_url("**/done/**")

    assert (
        "Payment received" in page.content() or "Đã nhận thanh toán" in page.content()
    )
    order = Order.objects.get()
    assert (order.status, order.payment_state, order.fulfilment_outlet) == (
        "received", "paid", shop,
    )  # fmt: skip
    assert free(shop, tea) == 3
    screenshot(page, "buyer-card-checkout")
    deadline = time.monotonic() + 15
    while not StripeEvent.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.25)  # localstripe sends its event a second after the charge
    event = StripeEvent.objects.get()
    assert (event.type, event.order) == ("payment_intent.succeeded", order)
    assert event.outcome == "already paid"  # the browser's return got there first
    subjects = [message.subject for message in mail.outbox]
    assert any(order.number in subject for subject in subjects), subjects


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_declined_card_tells_the_buyer_and_gives_the_basket_back(
    live_server, desktop, stripe_api, reference_data
):
    shop, tea = outlet("tc-declined"), create_product(num_in_stock=None)
    stocked(shop, tea, 4)
    page = desktop

    checkout_to_payment(page, live_server.url, tea, shop, language="en")
    fill_card(page, "4000000000000341")
    message = page.locator("#payment-message")
    message.wait_for()

    assert "declined" in message.inner_text()
    order = Order.objects.get()
    assert (order.status, order.payment_state) == ("cancelled", "failed")
    assert free(shop, tea) == 4
    screenshot(page, "buyer-card-declined")
    page.get_by_role("link", name="Back to your basket").click()
    assert page.locator("#basket_formset, .basket-items").count() >= 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_card_asking_for_3d_secure_is_paid_once_the_buyer_confirms(
    live_server, desktop, stripe_api, reference_data
):
    shop, tea = outlet("tc-3ds"), create_product(num_in_stock=None)
    stocked(shop, tea, 4)
    page = desktop

    checkout_to_payment(page, live_server.url, tea, shop, language="en")
    fill_card(page, "4000002500003155")
    page.get_by_role("button", name="Complete authentication").click()
    page.wait_for_url("**/done/**")

    order = Order.objects.get()
    assert (order.status, order.payment_state) == ("received", "paid")
    assert "Payment received" in page.content()
    screenshot(page, "buyer-card-3d-secure")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_buyer_goes_from_a_story_on_the_home_page_to_a_paid_pickup_order(
    live_server, located_desktop, stripe_api, reference_data, language
):
    cms_demo.seed(seed=42)  # the home pages
    stories = pages.index(StoryIndexPage, "stories", "Câu chuyện")
    shop, tea = outlet("tc-home"), create_product(num_in_stock=None)
    stocked(shop, tea, 4)
    story = pages.story(
        stories, pages.products_block(tea), pages.outlets_block(shop),
        title="Con đường chè Tân Cương",
    )  # fmt: skip
    if language == "en":
        pages.translate(stories)
        story = pages.translate(story)
    outbox_drain_all()
    base, page = live_server.url, located_desktop

    with translation.override(language):
        title, producer, outlet_name = tea.get_title(), tea.producer.name, shop.name

    page.goto(f"{base}/{language}/")
    page.locator(".home-stories").get_by_role("link", name=story.title).click()
    page.wait_for_url(f"**{story.url}")
    page.locator(".story-products h3").get_by_role("link", name=title).click()
    page.wait_for_url(f"**{tea.get_absolute_url().replace('/vi/', f'/{language}/')}")

    assert page.locator("main .star-badge").count() >= 1
    assert producer in page.locator("main").first.inner_text()
    page.locator("[data-locate=reload]").click()  # "use my location": the nearest
    page.locator(".product-availability a", has_text=outlet_name).wait_for()
    page.locator("#add_to_basket_form button[type=submit]").click()
    pickup_to_payment(page, base, shop, language)
    fill_card(page, "4242424242424242")
    page.wait_for_url("**/done/**")

    order = Order.objects.get()
    assert (order.status, order.payment_state, order.fulfilment_outlet) == (
        "received", "paid", shop,
    )  # fmt: skip
    assert order.number in page.content()
    emails = [m for m in mail.outbox if order.number in m.subject]
    assert emails and {tuple(m.to) for m in emails} == {("khach@example.com",)}
    screenshot(page, f"buyer-home-story-pickup-{language}")
