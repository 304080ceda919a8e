import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import StoryIndexPage, TourismStoryPage
from tests.cms import pages
from tests.factories import create_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def stories(home_pages):
    return pages.index(StoryIndexPage, "stories")


def products_section(html: str) -> str:
    match = re.search(r'<section class="story-products">.*?</section>', html, re.S)
    assert match, "no product block on the page"
    return match.group(0)


def test_a_product_block_stops_showing_the_star_when_the_certificate_lapses(
    client, stories
):
    tea = create_product(title="Trà móc câu", stars=4)
    story = pages.story(stories, pages.products_block(tea))
    before = products_section(client.get(story.url).content.decode())
    assert "star-badge" in before
    assert "Add to basket" in before or "Thêm vào giỏ" in before

    # The nightly job has not run: the certificate is still "active" but past expiry.
    tea.certificates.update(expires_on=timezone.localdate())
    after = products_section(client.get(story.url).content.decode())

    assert "star-badge" not in after
    assert "★" not in after
    assert "product-lapsed__note" in after
    assert "Trà móc câu" in after
    assert f"/basket/add/{tea.pk}/" not in after


def test_a_revoked_certificate_hides_the_star_too(client, stories):
    from catalogue import services

    tea = create_product(title="Trà búp", stars=5)
    story = pages.story(stories, pages.products_block(tea))

    services.certificate_revoke(certificate=tea.certificates.get(), reason="Test")
    html = products_section(client.get(story.url).content.decode())

    assert "star-badge" not in html
    assert "product-lapsed__note" in html


def test_unpublished_products_are_left_out_of_a_product_block(client, stories):
    shown = create_product(title="Mật ong Bắc Kạn")
    hidden = create_product(title="Sản phẩm ẩn", is_public=False)
    story = pages.story(stories, pages.products_block(shown, hidden))

    html = products_section(client.get(story.url).content.decode())

    assert "Mật ong Bắc Kạn" in html
    assert "Sản phẩm ẩn" not in html


def _queries(client, url) -> int:
    client.get(url)  # warm what any page caches once (site root paths, thumbnails)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_product_blocks_cost_the_same_queries_for_1_or_12(client, stories):
    products = [create_product(title=f"Sản phẩm {n}") for n in range(12)]
    outlets = [pages.outlet(f"op-{n}") for n in range(12)]
    one = pages.story(
        stories,
        pages.products_block(products[0]),
        pages.producer_block(products[0].producer),
        pages.outlets_block(outlets[0]),
        slug="one",
    )
    twelve = pages.story(
        stories,
        *[pages.products_block(product) for product in products],
        *[pages.producer_block(product.producer) for product in products],
        *[pages.outlets_block(outlet) for outlet in outlets],
        slug="twelve",
    )

    assert _queries(client, one.url) == _queries(client, twelve.url)
    html = client.get(twelve.url).content.decode()
    assert html.count('class="star-badge"') == 12
    assert html.count('class="outlet-card') == 12
    assert html.count('class="producer-card') == 12


def test_reading_time_counts_the_words(stories):
    words = " ".join(["chè"] * 590)
    story = pages.story(stories, ("text", f"<p>{words}</p>"), intro="")

    assert TourismStoryPage.objects.get(pk=story.pk).reading_time == 3


def test_stories_are_filtered_by_tag(client, stories):
    tagged = pages.story(stories, slug="tea-trail", title="Con đường chè")
    tagged.tags.add("chè")
    tagged.save_revision().publish()
    pages.story(stories, slug="craft-village", title="Làng nghề")

    html = client.get(stories.url, {"tag": tagged.tags.get().slug}).content.decode()

    assert "Con đường chè" in html
    assert "Làng nghề" not in html
