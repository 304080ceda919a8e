import re

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_home_page_renders_in_each_language(client, home_pages, lang):
    response = client.get(f"/{lang}/")

    assert response.status_code == 200
    assert response["Content-Language"] == lang
    assert f'<html lang="{lang}"' in response.content.decode()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_shop_lists_products_in_each_language(client, home_pages, product, lang):
    response = client.get(f"/{lang}/shop/")

    assert response.status_code == 200
    assert product.title in response.content.decode()


@pytest.mark.parametrize(
    ("lang", "price"), [("vi", "150.000\xa0₫"), ("en", "₫150,000")]
)
def test_product_page_shows_price_in_vnd_the_local_way(
    client, home_pages, product, lang, price
):
    with translation.override(lang):
        url = product.get_absolute_url()

    response = client.get(url)

    assert url.startswith(f"/{lang}/shop/catalogue/")
    assert response.status_code == 200
    assert price in response.content.decode()


def test_bare_root_redirects_to_a_language(client, home_pages):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 302
    assert response["Location"] == "/en/"


@pytest.mark.parametrize(
    ("path", "other"),
    [
        ("/vi/", "/en/"),
        ("/en/", "/vi/"),
        ("/vi/shop/", "/en/shop/"),
        ("/en/shop/basket/", "/vi/shop/basket/"),
    ],
)
def test_language_switcher_links_to_the_same_page_in_the_other_language(
    client, home_pages, path, other
):
    response = client.get(path)

    assert response.status_code == 200
    assert f'href="{other}" hreflang="{other[1:3]}"' in response.content.decode()


def test_language_switcher_on_a_product_keeps_the_product(client, home_pages, product):
    with translation.override("vi"):
        vi_url = product.get_absolute_url()
    with translation.override("en"):
        en_url = product.get_absolute_url()

    response = client.get(vi_url)

    assert f'href="{en_url}" hreflang="en"' in response.content.decode()


def test_every_page_shares_one_layout_with_search_navigation_and_basket(
    client, home_pages, product
):
    for path in ("/vi/", "/vi/shop/", product.get_absolute_url()):
        html = client.get(path).content.decode()
        assert 'class="site-header"' in html, path
        assert f'action="{reverse("search:search")}"' in html, path
        assert 'class="language-switcher"' in html, path
        assert 'class="site-basket"' in html, path
        assert 'class="site-footer"' in html, path


OFFSITE_SRC = re.compile(r'src="(https?:)?//(?!testserver/)')
OFFSITE_LINK_TAG = re.compile(r'<link[^>]+href="(https?:)?//(?!testserver/)')


def test_pages_load_no_asset_from_another_host(client, home_pages, product):
    for path in ("/vi/", "/vi/shop/", product.get_absolute_url()):
        html = client.get(path).content.decode()
        assert "googleapis" not in html
        # assets (scripts, images, stylesheets); links out (social pages) are fine
        assert not OFFSITE_SRC.search(html), path
        assert not OFFSITE_LINK_TAG.search(html), path


def test_search_finds_a_product_by_title(client, home_pages, product):
    response = client.get("/vi/shop/search/", {"q": "Tân Cương"})

    assert response.status_code == 200
    assert product.title in response.content.decode()


def test_api_root_answers_json(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    assert response.json()["version"] == "v1"


@pytest.mark.parametrize(
    ("lang", "placeholder"),
    [("vi", "Tìm chè, mật ong, miến…"), ("en", "Search tea, honey, noodles…")],
)
def test_our_own_strings_are_translated(client, home_pages, lang, placeholder):
    html = client.get(f"/{lang}/shop/").content.decode()

    assert f'placeholder="{placeholder}"' in html


def test_overridden_oscar_templates_render_their_additions_once(
    client, home_pages, product
):
    html = client.get(product.get_absolute_url()).content.decode()

    assert html.count('class="ocop-facts') == 1
    assert html.count('id="product_description"') <= 1
