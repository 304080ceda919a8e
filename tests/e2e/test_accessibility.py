"""Accessibility: axe-core (from npm, `make test` installs it) run in chromium on the
home, product, checkout and store-locator pages, in both languages: no serious or
critical violation of WCAG 2 A/AA."""

from pathlib import Path

import pytest

from cms import demo as cms_demo
from search.outbox import outbox_drain_all
from tests.e2e.conftest import screenshot
from tests.factories import create_product
from tests.shop.orders import outlet, stocked

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = pytest.mark.skipif(
    not AXE.exists(), reason="axe-core is not installed (npm ci; `make test` does it)"
)


def violations(page) -> list[dict]:
    """Serious and critical violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async (rules) => (await axe.run(document, "
        "{runOnly: {type: 'tag', values: rules}})).violations",
        RULES,
    )
    return [
        {"rule": v["id"], "impact": v["impact"], "help": v["help"],
         "where": [node["target"] for node in v["nodes"][:3]]}
        for v in found
        if v["impact"] in ("serious", "critical")
    ]  # fmt: skip


@pytest.fixture
def page(open_page):
    # The checker is injected as a script tag: the page's own policy would block it.
    return open_page(
        viewport={"width": 1280, "height": 900}, locale="vi-VN", bypass_csp=True
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_home_product_checkout_and_locator_have_no_serious_violations(
    live_server, page, reference_data
):
    cms_demo.seed(seed=42)
    shop, tea = outlet("tc-a11y"), create_product(num_in_stock=None)
    stocked(shop, tea, 5)
    outbox_drain_all()
    base = live_server.url
    report = {}

    for language in ("vi", "en"):
        page.goto(f"{base}/{language}/")
        report[f"home {language}"] = violations(page)
        page.goto(base + tea.get_absolute_url().replace("/vi/", f"/{language}/"))
        report[f"product {language}"] = violations(page)
        with page.expect_navigation():  # the basket has it before checkout opens
            page.locator("#add_to_basket_form button[type=submit]").click()
        page.goto(f"{base}/{language}/shop/checkout/")
        assert page.locator("#id_email").is_visible()  # the checkout, not a redirect
        report[f"checkout {language}"] = violations(page)
        page.goto(f"{base}/{language}/sales-points/")
        report[f"store locator {language}"] = violations(page)

    screenshot(page, "a11y-store-locator")
    assert report == {name: [] for name in report}, report
