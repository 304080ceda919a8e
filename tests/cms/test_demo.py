"""The demo content of `seed_demo`: bilingual stories that sell, events, campaigns,
producer pages and news, every page answering in both languages, and a re-run that
changes nothing.

The demo is seeded once for the module (about 20 s) inside a transaction rolled back
at the end; each test runs in its own savepoint inside it, as usual."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from oscar.core.loading import get_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision

from catalogue.models import Producer, Product
from catalogue.selectors import product_is_certified, products_certified
from cms import demo as cms_demo
from cms import selectors
from cms.models import (
    CampaignPage,
    EventPage,
    FormPage,
    HomePage,
    NewsPage,
    ProducerPage,
    StoryIndexPage,
    TourismStoryPage,
)
from sales_points.selectors import free_stock_q
from shop import roles
from shop.demo import DEMO_LOGINS

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")
LANGUAGES = ("vi", "en")
SECTIONS = ("stories", "events", "campaigns", "news", "producers")
STORY_TOPICS = ["Tân Cương", "La Bằng", "Định Hóa", "Ba Bể", "Việt Cường", "Hải Đăng"]


def test_without_the_demo_network_the_seed_makes_only_the_home_pages(home_pages):
    # Runs first, before the module's demo exists: the home_pages fixture (used by
    # the other cms tests, which build their own sections) calls the same seed.
    assert HomePage.objects.filter(live=True).count() == 2
    assert not StoryIndexPage.objects.exists()
    assert not TourismStoryPage.objects.exists()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # Cached pages are made unreachable per test by conftest's cache generations
    # (clearing the cache would flush the Redis database the broker shares in CI).
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--seed", "42")
        yield
        transaction.set_rollback(True)


def pages_of(cls, language: str):
    return cls.objects.live().filter(locale__language_code=language)


def blocks(page, kind: str) -> list:
    return [block.value for block in page.body if block.block_type == kind]


@pytest.mark.parametrize("language", LANGUAGES)
def test_six_live_stories_sell_certified_products_where_they_are_stocked(
    demo, language
):
    stories = list(pages_of(TourismStoryPage, language).order_by("path"))

    assert len(stories) >= 6
    for story in stories:
        products = [p for value in blocks(story, "products") for p in value["products"]]
        outlets = [o for value in blocks(story, "outlets") for o in value["outlets"]]
        assert products and all(products), story.slug
        assert all(product_is_certified(product) for product in products), story.slug
        assert outlets and all(outlets), story.slug
        # Every outlet offered has units of one of the story's products to sell.
        stocked = StockRecord.objects.filter(
            free_stock_q(),
            product__in=products,
            partner_id__in=[outlet.partner_id for outlet in outlets],
        )
        assert set(stocked.values_list("partner_id", flat=True)) == {
            outlet.partner_id for outlet in outlets
        }, story.slug
        assert story.image_id and story.region_id and story.tags.exists(), story.slug
        assert blocks(story, "quote") and blocks(story, "place"), story.slug
        (image,) = blocks(story, "image")
        assert image["alt_text"] and image["caption"] and image["credit"]


def test_the_stories_cover_the_six_places_in_both_languages(demo):
    titles = " ".join(
        f"{story.title} {story.intro}" for story in pages_of(TourismStoryPage, "vi")
    )
    for topic in STORY_TOPICS:
        assert topic in titles, topic
    for story in pages_of(TourismStoryPage, "vi"):
        english = story.get_translation(Locale.objects.get(language_code="en")).specific
        assert english.live and english.title != story.title
        assert english.image_id == story.image_id
        assert [b.block_type for b in english.body] == [
            b.block_type for b in story.body
        ]


@pytest.mark.parametrize(
    "language,festival", [("vi", "Festival Trà Thái Nguyên"), ("en", "Tea Festival")]
)
def test_three_events_one_past_two_upcoming_with_the_tea_festival(
    demo, language, festival
):
    events = pages_of(EventPage, language)

    assert events.count() == 3
    assert any(festival in event.title for event in events)
    assert selectors.events_upcoming(events).count() == 2
    assert selectors.events_past(events).count() == 1
    for event in events:
        assert event.venue and event.latitude is not None and event.start < event.end
        assert event.participating_products.exists(), event.slug
        assert event.participating_producers.exists(), event.slug


@pytest.mark.parametrize("language", LANGUAGES)
def test_two_campaigns_one_running_now(demo, language):
    campaigns = pages_of(CampaignPage, language)
    today = timezone.localdate()

    assert campaigns.count() == 2
    assert selectors.campaigns_running(campaigns).count() >= 1
    assert any(c.start_date > today or c.end_date < today for c in campaigns)
    assert all(blocks(campaign, "products") for campaign in campaigns)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_top_producers_have_pages(demo, language):
    certified = products_certified(Product.objects.filter(is_public=True))
    ranked = (
        Producer.objects.annotate(n=Count("products", filter=Q(products__in=certified)))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
    )
    pages = pages_of(ProducerPage, language)

    assert 4 <= pages.count() <= 6
    assert set(pages.values_list("producer_id", flat=True)) == set(
        ranked[: pages.count()]
    )
    if language == "en":
        assert all(page.title == page.producer.name_en for page in pages)


def test_sections_news_and_the_enquiry_form_exist_in_both_languages(demo):
    for language in LANGUAGES:
        home = HomePage.objects.get(locale__language_code=language)
        slugs = set(home.get_children().live().values_list("slug", flat=True))
        assert set(SECTIONS) <= slugs, language
        assert pages_of(NewsPage, language).count() >= 2
        form = pages_of(FormPage, language).get()
        assert form.to_address and form.form_fields.count() >= 4
        assert home.specific.featured_products.exists()
        assert home.specific.featured_producers.exists()


def test_every_demo_page_answers_in_both_languages(demo, client):
    pages = Page.objects.live().filter(depth__gte=2).specific().order_by("path")
    languages = {page.locale.language_code for page in pages}

    assert languages == set(LANGUAGES)
    assert pages.count() >= 2 * (1 + len(SECTIONS) + 1 + 6 + 3 + 2 + 2 + 4)
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url


def test_re_running_the_seed_changes_nothing(demo):
    homes = HomePage.objects.values_list("pk", flat=True)
    counts = (
        Page.objects.count(),
        get_image_model().objects.count(),
        Revision.objects.exclude(object_id__in=[str(pk) for pk in homes]).count(),
    )

    cms_demo.seed(seed=42)

    assert (
        Page.objects.count(),
        get_image_model().objects.count(),
        Revision.objects.exclude(object_id__in=[str(pk) for pk in homes]).count(),
    ) == counts


def test_re_running_the_seed_restores_an_edited_demo_page(demo):
    story = pages_of(TourismStoryPage, "en").get(slug="con-duong-che-tan-cuong")
    intro = story.intro
    story.intro = "Changed by an editor"
    story.save_revision().publish()

    cms_demo.seed(seed=42)

    story.refresh_from_db()
    assert story.intro == intro
    assert TourismStoryPage.objects.filter(slug=story.slug).count() == 2


def test_the_demo_editor_and_moderator_are_in_the_communications_groups(demo):
    groups = {
        login.username: login.group
        for login in DEMO_LOGINS
        if login.group
        in (roles.COMMUNICATIONS_EDITORS, roles.COMMUNICATIONS_MODERATORS)
    }
    users = get_user_model().objects.filter(username__in=groups)

    assert set(groups.values()) == {
        roles.COMMUNICATIONS_EDITORS,
        roles.COMMUNICATIONS_MODERATORS,
    }
    for user in users:
        assert user.groups.filter(name=groups[user.username]).exists(), user.username
    assert users.count() == 2
