"""A buyer searches without diacritics, narrows by stars and opens the product; the
header box suggests products as they type and works from the keyboard."""

import pytest

from tests.e2e.conftest import screenshot
from tests.search.test_database_backend import make, reindex


def catalogue():
    make("Trà Tân Cương đặc biệt", title_en="Tan Cuong special tea", stars=5)
    make("Trà Tân Cương túi lọc", title_en="Tan Cuong tea bags", stars=4)
    make("Mật ong rừng", title_en="Wild honey", group_code="herbs", origin="ha-noi")
    reindex()  # each commit's drain has run already (eager tasks); make sure


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_search_without_diacritics_then_narrow_by_stars_then_the_product(
    live_server, open_page, reference_data
):
    catalogue()
    page = open_page(locale="vi-VN")

    page.goto(live_server.url + "/vi/shop/")
    box = page.locator("#site-search-q")
    box.press_sequentially("tra tan cuong", delay=30)
    options = page.locator("#site-search-suggestions [role=option]")
    options.first.wait_for()
    assert options.count() == 2  # both teas, not the honey
    box.press("ArrowDown")
    assert options.first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute(
        "id"
    )
    box.press("Escape")
    box.press("Enter")  # no suggestion chosen: the search page

    page.wait_for_url("**/vi/shop/search/?q=tra+tan+cuong")
    cards = page.locator(".product_pod h3")
    assert cards.count() == 2
    five = page.locator(".search-facet--stars input[value='5']")
    assert "(1)" in page.locator(".search-facet--stars").inner_text()
    five.check()  # the facet form submits itself
    page.wait_for_url("**stars=5**")
    assert cards.all_inner_texts() == ["Trà Tân Cương đặc biệt"]
    page.locator(".product_pod h3 a").click()
    page.wait_for_url("**/vi/shop/catalogue/**")
    assert "Trà Tân Cương đặc biệt" in page.locator("h1").inner_text()
    screenshot(page, "buyer-search-vi")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_foreign_buyer_finds_tan_cuong_tea_in_english(
    live_server, open_page, reference_data
):
    catalogue()
    page = open_page(locale="en-GB")

    page.goto(live_server.url + "/en/shop/search/?q=tan+cuong+tea")
    titles = page.locator(".product_pod h3").all_inner_texts()
    assert sorted(titles) == ["Tan Cuong special tea", "Tan Cuong tea bags"]
    assert "OCOP stars" in page.locator(".search-facets").inner_text()
    screenshot(page, "buyer-search-en")
