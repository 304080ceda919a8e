"""/api/v1/search/ and /api/v1/search/suggest/: the search interface as public JSON."""

import pytest

from cms.models import StoryIndexPage
from tests.cms import pages
from tests.search.test_database_backend import make, maker, reindex

pytestmark = pytest.mark.django_db


def get(client, path, **params):
    response = client.get(path, params)
    return response, response.json()


def test_search_returns_count_results_in_ranking_order_facets_and_suggestion(client):
    make("Trà Tân Cương", stars=5, price="150000")
    make("Chè búp Tân Cương", price="80000")
    make("Mật ong rừng", group_code="herbs", origin="ha-noi")
    reindex()

    response, body = get(client, "/api/v1/search/", q="chè tân cương")

    assert response.status_code == 200
    assert body["count"] == 2
    first = body["results"][0]
    assert (first["title"], first["stars"], first["price_vnd"]) == (
        "Chè búp Tân Cương",
        4,
        80000,
    )
    assert first["url"].startswith("http://testserver/vi/shop/")
    # the words as typed rank above their synonyms (trà for chè)
    assert [r["title"] for r in body["results"]] == [
        "Chè búp Tân Cương",
        "Trà Tân Cương",
    ]
    stars = {v["value"]: v["count"] for v in body["facets"]["stars"]}
    assert stars == {"5": 1, "4": 1}
    assert body["suggestion"] is None


def test_search_filters_are_parameters(client):
    make("Trà Tân Cương", stars=5, price="150000")
    make("Trà La Bằng", stars=4, price="90000")
    reindex()

    _, five = get(client, "/api/v1/search/", q="tra", stars="5")
    _, cheap = get(client, "/api/v1/search/", price_max="100000", sort="price")

    assert [r["title"] for r in five["results"]] == ["Trà Tân Cương"]
    assert [r["title"] for r in cheap["results"]] == ["Trà La Bằng"]


def test_search_speaks_english_when_asked(client):
    make("Trà Tân Cương", title_en="Tan Cuong green tea")
    reindex()

    _, body = get(client, "/api/v1/search/", q="tan cuong tea", lang="en")

    assert body["results"][0]["title"] == "Tan Cuong green tea"
    assert "/en/shop/" in body["results"][0]["url"]
    assert {v["label"] for v in body["facets"]["group"]} == {
        "Beverages",
        "Tea and tea products",
    }


def test_a_typo_gets_a_suggestion(client):
    make("Miến dong Việt Cường", group_code="food-processed")
    reindex()

    _, body = get(client, "/api/v1/search/", q="mien dongg")

    assert body["suggestion"] == "mien dong"


@pytest.mark.parametrize(
    "params, field",
    [
        ({"stars": "7"}, "stars"),
        ({"price_min": "-5"}, "price_min"),
        ({"near": "north"}, "near"),
        ({"page": "0"}, "page"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field(client, params, field):
    response, body = get(client, "/api/v1/search/", **params)

    assert response.status_code == 400
    assert field in body["errors"]
    assert body["detail"] == "Invalid search parameters."


@pytest.mark.parametrize("params", [{"lang": "fr"}, {"page_size": "1000"}])
def test_bad_language_or_page_size_is_a_400(client, params):
    response, body = get(client, "/api/v1/search/", **params)

    assert response.status_code == 400
    assert body["detail"]


def test_suggest_offers_products_and_producers_as_the_buyer_types(client):
    make("Trà Tân Cương", producer=maker("Hợp tác xã chè Tân Cương"))
    make("Mật ong rừng", group_code="herbs", origin="ha-noi")
    reindex()

    response, body = get(client, "/api/v1/search/suggest/", q="tan cu")

    assert response.status_code == 200
    assert [p["title"] for p in body["products"]] == ["Trà Tân Cương"]
    assert [p["name"] for p in body["producers"]] == ["Hợp tác xã chè Tân Cương"]
    assert "producer=" in body["producers"][0]["url"]


def test_suggest_waits_for_two_characters(client):
    make("Trà Tân Cương")
    reindex()

    _, body = get(client, "/api/v1/search/suggest/", q="t")

    assert body["products"] == [] and body["producers"] == []


def test_suggest_offers_stories_in_the_asked_language(client, home_pages):
    stories = pages.index(StoryIndexPage, "stories")
    pages.story(stories, title="Con đường chè Tân Cương", slug="tan-cuong-tea-trail")
    pages.story(stories, title="Làng nghề miến Việt Cường", slug="viet-cuong")

    _, body = get(client, "/api/v1/search/suggest/", q="con duong che")
    _, partial = get(client, "/api/v1/search/suggest/", q="duong che tan cu")
    _, english = get(client, "/api/v1/search/suggest/", q="con duong", lang="en")

    assert [s["title"] for s in body["stories"]] == ["Con đường chè Tân Cương"]
    assert body["stories"][0]["url"].endswith("/tan-cuong-tea-trail/")
    # the word still being typed ("cu") is left out rather than finding nothing
    assert [s["title"] for s in partial["stories"]] == ["Con đường chè Tân Cương"]
    assert english["stories"] == []  # not translated into English


@pytest.mark.parametrize(
    "params, field",
    [({"price_min": "10000000000000000000"}, "price_min"), ({"q": "trà\x00"}, "q")],
)
def test_out_of_range_prices_and_control_characters_are_a_400(client, params, field):
    response, body = get(client, "/api/v1/search/", **params)

    assert response.status_code == 400
    assert field in body["errors"]


def test_suggest_ignores_control_characters_and_bare_punctuation(client):
    make("Trà Tân Cương")
    reindex()

    _, nul = get(client, "/api/v1/search/suggest/", q="tr\x00a")
    _, dashes = get(client, "/api/v1/search/suggest/", q="--")

    assert [p["title"] for p in nul["products"]] == ["Trà Tân Cương"]
    assert dashes["products"] == [] and dashes["q"] == ""


def test_basic_credentials_are_not_an_api_login(client):
    # With DRF's default Basic authentication a wrong password here would be a 403:
    # an unthrottled way to try passwords. Only sessions authenticate.
    response = client.get(
        "/api/v1/search/", HTTP_AUTHORIZATION="Basic YWRtaW46d3Jvbmc="
    )

    assert response.status_code == 200
