import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from freezegun import freeze_time
from oscar.core.loading import get_model

from catalogue import services as catalogue_services
from cms.cache import HIT_HEADER
from cms.models import PromoBanner, StoryIndexPage
from tests.cms import pages
from tests.factories import create_product

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")

# What an anonymous visitor's repeat visit to a story costs: Wagtail's route to the
# page (site, locale, the pages along its path, the page itself). The render, with its
# products, stars and outlets (43 queries here), is not among them.
CACHED_PAGE_MAX_QUERIES = 7


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.CMS_PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def stories(home_pages):
    return pages.index(StoryIndexPage, "stories", "Câu chuyện")


@pytest.fixture
def tea():
    return create_product(title="Trà móc câu Tân Cương", stars=4, price=150000)


@pytest.fixture
def story(stories, tea):
    return pages.story(stories, pages.products_block(tea))


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def stars(response) -> int:
    return response.content.decode().count('class="star-badge"')


def test_an_anonymous_repeat_visit_is_served_from_the_cache(client, story):
    first, rendered = get(client, story.url)
    second, cached = get(client, story.url)

    assert first[HIT_HEADER] == "miss"
    assert second[HIT_HEADER] == "hit"
    assert cached <= CACHED_PAGE_MAX_QUERIES < rendered
    assert stars(second) == stars(first) == 1
    assert "Trà móc câu Tân Cương" in second.content.decode()


def test_another_anonymous_visitor_gets_the_cached_page_with_their_own_csrf_token(
    client, story
):
    client.get(story.url)
    visitor = Client(enforce_csrf_checks=True)

    response = visitor.get(story.url)
    html = response.content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)

    assert response[HIT_HEADER] == "hit"
    assert len(tokens) >= 2  # the currency selector and the add-to-basket button
    assert "__cms_csrf_token__" not in html
    posted = visitor.post(
        reverse("currency-set"), {"csrfmiddlewaretoken": tokens[0], "currency": "USD"}
    )
    assert posted.status_code == 302  # accepted: 403 if the token were not theirs


def test_publishing_a_page_refreshes_it(client, story):
    client.get(story.url)

    story.title = "Con đường chè mùa xuân"
    story.save_revision().publish()
    response, _queries = get(client, story.url)

    assert response[HIT_HEADER] == "miss"
    assert "Con đường chè mùa xuân" in response.content.decode()


def test_publishing_a_story_refreshes_the_index_listing_it(client, stories, story):
    assert "Làng nghề" not in client.get(stories.url).content.decode()

    pages.story(stories, title="Làng nghề Phúc Trìu", slug="craft-village")

    assert "Làng nghề Phúc Trìu" in client.get(stories.url).content.decode()


def test_unpublishing_a_page_takes_it_down(client, story):
    client.get(story.url)

    story.unpublish()

    assert client.get(story.url).status_code == 404


def test_a_revoked_certificate_takes_the_star_off_the_next_response(
    client, story, tea, django_capture_on_commit_callbacks
):
    assert stars(client.get(story.url)) == 1

    with django_capture_on_commit_callbacks(execute=True):
        catalogue_services.certificate_revoke(
            certificate=tea.certificates.get(), reason="Thu hồi"
        )
    response = client.get(story.url)

    assert stars(response) == 0
    assert "product-lapsed__note" in response.content.decode()


def test_the_nightly_expiry_job_takes_the_star_off_the_next_response(
    client, story, tea, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    # Past its date, unnoticed by any signal: the job has not run yet.
    tea.certificates.update(expires_on=today + dt.timedelta(days=1))
    assert stars(client.get(story.url)) == 1
    tea.certificates.update(expires_on=today)

    with django_capture_on_commit_callbacks(execute=True):
        assert catalogue_services.certificates_mark_expired(today=today) == 1

    assert stars(client.get(story.url)) == 0


def test_a_certificate_lapses_at_midnight_without_anything_being_saved(
    client, story, tea
):
    expires_on = timezone.localdate() + dt.timedelta(days=1)
    tea.certificates.update(expires_on=expires_on)
    assert stars(client.get(story.url)) == 1

    with freeze_time(timezone.now() + dt.timedelta(days=1)):
        response = client.get(story.url)

    assert stars(response) == 0


def test_a_price_change_shows_on_the_next_response(client, story, tea):
    assert "150.000" in client.get(story.url).content.decode()

    record = StockRecord.objects.get(product=tea)
    record.price = 175000
    record.save()
    html = client.get(story.url).content.decode()

    assert "175.000" in html
    assert "150.000" not in html


def test_a_logged_in_user_is_never_served_a_cached_page(
    client, django_user_model, story
):
    anonymous = client.get(story.url)  # cached for anonymous visitors
    user = django_user_model.objects.create_user("an", "an@example.com", "pw")
    client.force_login(user)

    response = client.get(story.url)

    with translation.override("vi"):
        login_link = f'href="{reverse("customer:login")}"'
    assert login_link in anonymous.content.decode()
    assert HIT_HEADER not in response or response[HIT_HEADER] != "hit"
    assert login_link not in response.content.decode()


def test_no_one_sees_another_visitors_basket(client, django_user_model, story, tea):
    def basket_count(response) -> str:
        match = re.search(
            r'class="site-basket".*?<span class="badge[^"]*">(\d+)</span>',
            response.content.decode(),
            re.S,
        )
        return match.group(1)

    shopper = Client()
    shopper.post(f"/vi/shop/basket/add/{tea.pk}/", {"quantity": 2})
    assert basket_count(shopper.get(story.url)) == "2"

    assert basket_count(client.get(story.url)) == "0"
    assert basket_count(shopper.get(story.url)) == "2"

    buyer = django_user_model.objects.create_user("b", "b@example.com", "pw")
    client.force_login(buyer)
    assert basket_count(client.get(story.url)) == "0"


def test_a_banner_appears_on_a_cached_page_when_it_starts(client, home_pages):
    home = pages.home()
    now = timezone.now()
    PromoBanner.objects.create(
        locale=home.locale,
        text="Quà Tết OCOP giảm 10%",
        starts_at=now + dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(days=7),
    )
    assert "Quà Tết OCOP" not in client.get(home.url).content.decode()

    with freeze_time(now + dt.timedelta(hours=2)):
        html = client.get(home.url).content.decode()

    assert "Quà Tết OCOP giảm 10%" in html


def test_form_pages_are_never_cached(client, home_pages):
    form = pages.form_page(pages.home())
    client.get(form.url)

    response = client.get(form.url)

    assert HIT_HEADER not in response


def test_page_caching_is_off_when_not_configured(client, settings, story):
    settings.CMS_PAGE_CACHE_SECONDS = 0
    client.get(story.url)

    _response, queries = get(client, story.url)

    assert queries > CACHED_PAGE_MAX_QUERIES


def test_tracking_parameters_share_the_cached_page_and_others_are_not_cached(
    client, story
):
    get(client, story.url)

    shared, _ = get(client, f"{story.url}?fbclid=abc123&utm_source=zalo")
    other, _ = get(client, f"{story.url}?x=1")
    again, _ = get(client, f"{story.url}?x=1")

    assert shared[HIT_HEADER] == "hit"
    assert HIT_HEADER not in other and HIT_HEADER not in again
