"""The storefront works under its enforced Content-Security-Policy in a real browser:
no violation on the home, product, store-locator, basket, checkout and card payment
pages (localstripe's stand-in Stripe.js included), and an injected inline script is
blocked. Part of the security suite; here for the session's chromium (tests/e2e)."""

import pytest

from cms import demo as cms_demo
from tests.e2e.test_buyer_checkout import checkout_to_payment
from tests.factories import create_product
from tests.shop.orders import outlet, stocked

# Records every violation the page reports, before any of its own scripts run.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline")
    + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


@pytest.fixture
def watched(open_page):
    page = open_page(
        LISTEN,
        viewport={"width": 1280, "height": 900}, locale="vi-VN",
        geolocation={"latitude": 21.5843, "longitude": 105.7701},
        permissions=["geolocation"],
    )  # fmt: skip
    page.console_messages = []
    page.on(
        "console",
        lambda m: (
            "Content Security Policy" in m.text and page.console_messages.append(m.text)
        ),
    )
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations") + page.console_messages


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_storefront_runs_under_its_policy(
    live_server, watched, stripe_api, reference_data
):
    page, base = watched, live_server.url
    cms_demo.seed(seed=42)
    shop, tea = outlet("tc-csp"), create_product(num_in_stock=None)
    stocked(shop, tea, 4)
    seen = {}

    for path in (
        "/vi/",
        tea.get_absolute_url(),
        "/vi/sales-points/",
        "/en/shop/basket/",
    ):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        seen[path] = violations(page)
    # The pages did carry the nonce'd inline script (a refused one would be reported).
    assert page.evaluate("document.querySelector('script[nonce]').nonce.length") == 24
    checkout_to_payment(page, base, tea, shop)
    page.locator("#payment-element input[placeholder=number]").wait_for()
    seen["pay"] = violations(page)

    assert {path: found for path, found in seen.items() if found} == {}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_injected_inline_script_is_blocked(live_server, watched, reference_data):
    page = watched
    page.goto(live_server.url + "/vi/sales-points/")

    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__injected = true";
                   document.body.appendChild(s); }"""
    )

    assert page.evaluate("window.__injected === true") is False
    assert any("script-src" in v for v in page.evaluate("window.__cspViolations"))
