"""The search page and catalogue browsing answered by the search interface: facets
with counts in both languages, filters from the query string, field errors for bad
parameters, and a query count that does not grow with the page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.categories import create_from_breadcrumbs

from tests.search.test_database_backend import make, maker, reindex

pytestmark = pytest.mark.django_db


def page(client, path, **params):
    response = client.get(path, params)
    return response, response.content.decode()


def test_a_buyer_without_diacritics_finds_tan_cuong_tea_first_and_narrows_by_stars(
    client,
):
    make("Chè búp Tân Cương", stars=4)  # older: newest-first would put it second
    make("Trà Tân Cương", stars=5)
    make("Mật ong rừng", group_code="herbs", origin="ha-noi", stars=4)
    reindex()

    response, html = page(client, "/vi/shop/search/", q="tra tan cuong")

    assert response.status_code == 200
    # the typed word outranks its synonym (chè)
    assert html.index("Trà Tân Cương") < html.index("Chè búp Tân Cương")
    assert "Mật ong rừng" not in html
    # the star facet offers each value with its count, unticked
    assert 'name="stars" value="5"' in html and 'name="stars" value="4"' in html
    assert [b["count"] for b in _boxes(response, "stars")] == [1, 1]

    response, html = page(client, "/vi/shop/search/", q="tra tan cuong", stars="5")

    assert "Trà Tân Cương" in html and "Chè búp Tân Cương" not in html
    stars = {b["value"]: (b["count"], b["selected"]) for b in _boxes(response, "stars")}
    # counts under the other facets' filters: the 4-star value still says 1
    assert stars == {"5": (1, True), "4": (1, False)}
    assert 'value="5" checked' in html


def _boxes(response, facet):
    return next(g for g in response.context["facet_groups"] if g["key"] == facet)[
        "boxes"
    ]


def test_facets_are_labelled_in_the_page_language(client):
    make("Trà Tân Cương", title_en="Tan Cuong tea")
    reindex()

    _, vietnamese = page(client, "/vi/shop/search/", q="tra")
    _, english = page(client, "/en/shop/search/", q="tea")

    assert "Nhóm sản phẩm" in vietnamese and "Tan Cuong tea" not in vietnamese
    assert "Product group" in english and "Tan Cuong tea" in english


def test_the_catalogue_lists_only_products_that_can_be_sold(client):
    make("Trà Tân Cương")
    make("Trà hết hạn", certified=False)
    reindex()

    response, html = page(client, "/vi/shop/")

    assert response.status_code == 200
    assert "Trà Tân Cương" in html and "Trà hết hạn" not in html


def test_a_category_lists_its_own_and_its_descendants_products(client):
    tea = make("Trà Tân Cương")
    honey = make("Mật ong rừng", group_code="herbs", origin="ha-noi")
    make("Bánh chưng", group_code="food-processed")
    green = create_from_breadcrumbs("Đồ uống > Trà xanh")
    drinks = green.get_parent()
    tea.categories.add(green)
    honey.categories.add(drinks)
    reindex()

    _, html = page(client, drinks.get_absolute_url())

    assert "Trà Tân Cương" in html and "Mật ong rừng" in html
    assert "Bánh chưng" not in html


def test_bad_parameters_get_field_errors_not_a_crash(client):
    make("Trà Tân Cương")
    reindex()

    response, html = page(
        client, "/en/shop/search/", q="tra", price_min="300000", price_max="1000"
    )

    assert response.status_code == 400
    assert "The upper price is below the lower one." in html
    response, _ = page(client, "/en/shop/search/", stars="7")
    assert response.status_code == 400


def test_a_page_past_the_end_is_not_found(client):
    make("Trà Tân Cương")
    reindex()

    assert client.get("/vi/shop/search/", {"q": "tra", "page": 2}).status_code == 404
    assert client.get("/vi/shop/search/", {"q": "tra"}).status_code == 200


def test_a_typo_offers_did_you_mean(client):
    make("Trà Tân Cương")
    make("Miến dong Việt Cường", group_code="food-processed")
    reindex()

    response, html = page(client, "/vi/shop/search/", q="mien dongg")

    assert response.context["result"].suggestion == "mien dong"
    assert "?q=mien+dong" in html


def test_the_search_page_query_count_does_not_grow_with_the_products_shown(client):
    def queries_for(path, params):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path, params).status_code == 200
        return len(captured)

    for i in range(2):
        make(f"Trà xanh số {i}", producer=maker(f"Hợp tác xã chè {i}"))
    reindex()
    # session, site and the "did you mean" vocabulary (rebuilt per drain) warmed
    client.get("/vi/shop/search/", {"q": "tra"})
    few = (queries_for("/vi/shop/search/", {"q": "tra"}), queries_for("/vi/shop/", {}))
    for i in range(2, 12):
        make(f"Trà xanh số {i}", producer=maker(f"Hợp tác xã chè {i}"))
    reindex()
    client.get("/vi/shop/search/", {"q": "tra"})
    many = (queries_for("/vi/shop/search/", {"q": "tra"}), queries_for("/vi/shop/", {}))

    assert many == few
    assert max(many) <= 30


def test_punctuation_alone_is_no_search(client):
    make("Trà Tân Cương")
    make("Mật ong rừng", group_code="herbs", origin="ha-noi")
    reindex()

    response, html = page(client, "/vi/shop/search/", q="!!!")

    assert response.status_code == 200
    assert response.context["result"].total == 2
    assert "!!!" not in response.context["summary"]


def test_did_you_mean_keeps_the_filters(client):
    make("Miến dong Việt Cường", group_code="food-processed", stars=5)
    reindex()

    response, html = page(client, "/vi/shop/search/", q="mien dongg", stars="5")

    assert response.context["suggestion_query"] == "q=mien+dong&stars=5"


def test_a_moved_category_keeps_the_filters_in_its_redirect(client):
    category = create_from_breadcrumbs("Đồ uống > Trà xanh")

    old = f"/vi/shop/catalogue/category/old-slug_{category.pk}/"
    response = client.get(old, {"stars": 5})

    assert response.status_code == 301
    assert response["Location"] == f"{category.get_absolute_url()}?stars=5"
