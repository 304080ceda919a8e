import datetime as dt

import pytest
from django.utils import timezone

from cms.models import (
    CampaignIndexPage,
    EventIndexPage,
    HomePageFeaturedProduct,
    NewsIndexPage,
    ProducerIndexPage,
    StoryIndexPage,
)
from tests.cms import pages
from tests.factories import create_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(home_pages):
    """One page of every type in Vietnamese, each translated into English."""
    product = create_product(title="Trà Tân Cương đặc biệt", title_en="Tan Cuong tea")
    today = timezone.localdate()
    vi = {"home": pages.home("vi")}
    vi["story_index"] = pages.index(StoryIndexPage, "stories", "Câu chuyện")
    vi["story"] = pages.story(
        vi["story_index"],
        ("text", "<p>Đồi chè xanh mướt.</p>"),
        pages.products_block(product),
        pages.producer_block(product.producer),
        pages.outlets_block(pages.outlet()),
        ("quote", {"text": "Chè ngon nhờ đất.", "attribution": "Bà Hoa"}),
        ("place", {"label": "Đồi chè", "latitude": "21.55", "longitude": "105.77",
                   "note": ""}),
    )  # fmt: skip
    vi["event_index"] = pages.index(EventIndexPage, "events", "Sự kiện")
    vi["event"] = pages.event(vi["event_index"])
    vi["campaign_index"] = pages.index(CampaignIndexPage, "campaigns", "Khuyến mãi")
    vi["campaign"] = pages.campaign(
        vi["campaign_index"], title="Quà Tết", slug="tet-gifts",
        start=today - dt.timedelta(days=3), end=today + dt.timedelta(days=20),
    )  # fmt: skip
    vi["news_index"] = pages.index(NewsIndexPage, "news", "Tin tức")
    vi["news"] = pages.news(vi["news_index"])
    vi["producer_index"] = pages.index(ProducerIndexPage, "producers", "Nhà sản xuất")
    vi["producer"] = pages.producer_page(vi["producer_index"], product.producer)
    vi["form"] = pages.form_page(vi["home"])
    en = {"home": pages.home("en")}
    for name, page in vi.items():  # parents come first: dicts keep their order
        if name != "home":
            en[name] = pages.translate(page)
    return {"vi": vi, "en": en, "product": product}


PAGE_KINDS = [
    "home", "story_index", "story", "event_index", "event", "campaign_index",
    "campaign", "news_index", "news", "producer_index", "producer", "form",
]  # fmt: skip


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_page_type_renders_in_both_languages(client, site, lang):
    for kind in PAGE_KINDS:  # one tree for all kinds: building it is the slow part
        page = site[lang][kind]

        response = client.get(page.url)

        assert page.url.startswith(f"/{lang}/"), kind
        assert page.locale.language_code == lang, kind
        assert response.status_code == 200, kind
        html = response.content.decode()
        assert f'<html lang="{lang}"' in html, kind
        assert 'class="site-header"' in html, kind
        if kind != "home":
            assert page.title in html, kind


def test_english_pages_are_translations_of_the_vietnamese_ones(site):
    for kind in PAGE_KINDS:
        vi, en = site["vi"][kind], site["en"][kind]
        assert vi.translation_key == en.translation_key, kind
        assert vi.pk != en.pk, kind
        if kind != "home":  # each under the translation of the Vietnamese parent
            vi_parent, en_parent = vi.get_parent(), en.get_parent()
            assert en_parent.translation_key == vi_parent.translation_key, kind
            assert en_parent.locale.language_code == "en", kind


def test_english_story_reads_in_english(client, site):
    story = site["en"]["story"]

    html = client.get(story.url).content.decode()

    assert "min read" in html
    assert "Buy it here" in html
    assert "Tan Cuong tea" in html  # the product's English title, live


def test_story_shows_what_it_sells(client, site):
    html = client.get(site["vi"]["story"].url).content.decode()

    assert 'class="star-badge"' in html
    assert "150.000" in html  # the live price
    assert 'class="outlet-card' in html
    assert site["product"].producer.name_vi in html
    assert "geo:21.55,105.77" in html
    assert "Chè ngon nhờ đất." in html


def test_home_page_shows_stories_events_campaigns_and_figures(client, site):
    html = client.get("/en/").content.decode()

    assert site["en"]["story"].title in html
    assert site["en"]["event"].title in html
    assert site["en"]["campaign"].title in html
    assert "4-star product" in html  # one 4-star product certified
    assert "1</strong> sales point" in html


def test_home_page_featured_products_are_live(client, site):
    home = site["vi"]["home"]
    lapsed = create_product(title="Miến dong hết hạn")
    HomePageFeaturedProduct.objects.create(page=home, product=site["product"])
    HomePageFeaturedProduct.objects.create(page=home, product=lapsed)
    lapsed.certificates.update(expires_on=timezone.localdate())

    html = client.get("/vi/").content.decode()

    assert site["product"].title in html
    assert "Miến dong hết hạn" not in html
