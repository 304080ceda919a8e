"""Found and shared: SEO title and description, canonical and hreflang links, Open
Graph and Twitter cards, the sitemap in both languages, robots.txt, feeds, story
search, and the language switcher on pages with and without a translation."""

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from cms.models import NewsIndexPage, StoryIndexPage
from tests.cms import pages

pytestmark = pytest.mark.django_db

SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}


@pytest.fixture
def tree(home_pages):
    """A story and a news item in Vietnamese translated into English, and a second
    story that has no English version yet."""
    vi = {"story_index": pages.index(StoryIndexPage, "stories", "Câu chuyện")}
    vi["story"] = pages.story(
        vi["story_index"],
        ("text", "<p>Đồi chè Tân Cương xanh mướt quanh năm.</p>"),
        title="Con đường chè Tân Cương",
        seo_title="Chè Tân Cương: một ngày trên đồi",
        search_description="Theo chân người hái chè Tân Cương từ sáng sớm.",
    )
    vi["untranslated"] = pages.story(
        vi["story_index"],
        ("text", "<p>Miến dong làm từ củ dong riềng.</p>"),
        title="Làng miến Việt Cường",
        slug="viet-cuong-noodle-village",
        intro="Nghề làm miến dong ở Việt Cường.",
    )
    vi["news_index"] = pages.index(NewsIndexPage, "news", "Tin tức")
    vi["news"] = pages.news(vi["news_index"], intro="Đợt đánh giá sản phẩm OCOP mới.")
    en = {}
    for name in ("story_index", "story", "news_index", "news"):
        en[name] = pages.translate(vi[name])
    en["story"].title = "The Tan Cuong tea trail"
    en["story"].seo_title = "Tan Cuong tea: a day on the hills"
    en["story"].search_description = "Follow the Tan Cuong tea pickers at dawn."
    en["story"].save_revision().publish()
    return {"vi": vi, "en": en}


def _head(html: str) -> str:
    return html.split("</head>")[0]


def _meta(html: str, attr: str, name: str) -> str:
    match = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', html)
    assert match, name
    return match.group(1)


# --- The <head> ------------------------------------------------------------------------


def test_a_page_head_has_its_seo_title_description_canonical_and_translations(
    client, tree
):
    story = tree["en"]["story"]

    html = _head(client.get(story.url).content.decode())

    assert "<title>Tan Cuong tea: a day on the hills | OCOP Market</title>" in html
    assert (
        '<meta name="description" content="Follow the Tan Cuong tea pickers at dawn.">'
        in html
    )
    en_url = f"http://testserver{story.url}"
    vi_url = f"http://testserver{tree['vi']['story'].url}"
    assert f'<link rel="canonical" href="{en_url}">' in html
    assert f'<link rel="alternate" hreflang="en" href="{en_url}">' in html
    assert f'<link rel="alternate" hreflang="vi" href="{vi_url}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{vi_url}">' in html
    assert _meta(html, "property", "og:title") == "Tan Cuong tea: a day on the hills"
    assert _meta(html, "property", "og:url") == en_url
    assert _meta(html, "property", "og:type") == "article"
    assert _meta(html, "property", "og:locale") == "en_GB"
    assert _meta(html, "property", "og:locale:alternate") == "vi_VN"
    assert _meta(html, "name", "twitter:card") == "summary_large_image"
    assert (
        _meta(html, "name", "twitter:description")
        == "Follow the Tan Cuong tea pickers at dawn."
    )


def test_the_public_address_setting_makes_canonical_links_absolute_on_it(
    client, tree, settings
):
    settings.OCOP_PUBLIC_BASE_URL = "https://ocop.example"
    story = tree["vi"]["story"]

    html = _head(client.get(story.url).content.decode())

    assert f'<link rel="canonical" href="https://ocop.example{story.url}">' in html
    assert _meta(html, "property", "og:image").startswith("https://ocop.example/")


def test_a_page_without_translation_lists_no_alternates_and_falls_back_to_its_intro(
    client, tree
):
    html = _head(client.get(tree["vi"]["untranslated"].url).content.decode())

    assert 'hreflang="' not in html
    assert (
        '<meta name="description" content="Nghề làm miến dong ở Việt Cường.">' in html
    )


def test_a_page_without_image_shares_the_default_site_picture(client, tree):
    html = _head(client.get(tree["vi"]["story"].url).content.decode())

    image_url = _meta(html, "property", "og:image")
    assert image_url == "http://testserver/static/cms/img/share-default.png"
    assert _meta(html, "name", "twitter:image") == image_url
    assert _meta(html, "property", "og:image:width") == "1200"


def test_the_default_share_picture_is_a_small_wide_png():
    path = Path(finders.find("cms/img/share-default.png"))

    assert path.stat().st_size < 30_000
    with PILImage.open(path) as picture:
        assert picture.format == "PNG"
        assert picture.size == (1200, 630)


def test_a_page_with_an_image_shares_it_cut_to_a_link_preview(client, tree):
    image = Image.objects.create(
        title="Đồi chè", description="Đồi chè Tân Cương lúc bình minh",
        file=get_test_image_file(size=(1600, 900)),
    )  # fmt: skip
    story = tree["vi"]["story"]
    story.image = image
    story.save_revision().publish()

    html = _head(client.get(story.url).content.decode())

    image_url = _meta(html, "property", "og:image")
    assert image_url.startswith("http://testserver/media/images/")
    assert ".fill-1200x630" in image_url
    assert _meta(html, "property", "og:image:alt") == "Đồi chè Tân Cương lúc bình minh"
    assert (
        'alt="Đồi chè Tân Cương lúc bình minh"'
        in client.get(story.url).content.decode()
    )


# --- Sitemap and robots.txt ---------------------------------------------------------


def test_the_sitemap_lists_both_languages_with_hreflang_alternates(client, tree):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    entries = {
        url.findtext("s:loc", namespaces=SITEMAP_NS): {
            link.get("hreflang"): link.get("href")
            for link in url.findall("xhtml:link", SITEMAP_NS)
        }
        for url in root.findall("s:url", SITEMAP_NS)
    }
    vi_story = f"http://testserver{tree['vi']['story'].url}"
    en_story = f"http://testserver{tree['en']['story'].url}"
    untranslated = f"http://testserver{tree['vi']['untranslated'].url}"
    for lang in ("vi", "en"):
        assert f"http://testserver/{lang}/" in entries
        assert f"http://testserver{tree[lang]['news'].url}" in entries
    expected = {"vi": vi_story, "en": en_story, "x-default": vi_story}
    assert entries[vi_story] == expected
    assert entries[en_story] == expected
    assert entries[untranslated] == {}
    assert all("/cms-admin/" not in url for url in entries)


def test_the_sitemap_leaves_out_drafts(client, tree):
    draft = tree["vi"]["untranslated"]
    draft.unpublish()

    body = client.get("/sitemap.xml").content.decode()

    assert draft.url_path.split("/")[-2] not in body


def test_robots_txt_keeps_crawlers_out_of_staff_and_private_pages(client, home_pages):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for path in ("/dashboard/", "/cms-admin/", "/django-admin/"):
        assert f"Disallow: {path}" in lines
    for lang in ("vi", "en"):
        assert f"Disallow: /{lang}/shop/basket/" in lines
        assert f"Disallow: /{lang}/shop/checkout/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /" not in lines  # the site itself stays open


# --- Feeds ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_story_rss_feed_lists_the_stories_of_its_language(client, tree, lang):
    index = tree[lang]["story_index"]

    response = client.get(f"{index.url}rss/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel.findtext("language") == lang
    links = [item.findtext("link") for item in channel.findall("item")]
    assert f"http://testserver{tree[lang]['story'].url}" in links
    other = "en" if lang == "vi" else "vi"
    assert f"http://testserver{tree[other]['story'].url}" not in links
    assert (lang == "vi") == (
        f"http://testserver{tree['vi']['untranslated'].url}" in links
    )


def test_the_news_atom_feed_lists_the_news(client, tree):
    response = client.get(f"{tree['en']['news_index'].url}atom/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    links = [e.find("a:link", ns).get("href") for e in feed.findall("a:entry", ns)]
    assert links == [f"http://testserver{tree['en']['news'].url}"]


def test_an_index_page_announces_its_feeds(client, tree):
    index = tree["vi"]["story_index"]

    html = _head(client.get(index.url).content.decode())

    assert (
        f'type="application/rss+xml" title="Câu chuyện (RSS)" '
        f'href="http://testserver{index.url}rss/"' in html
    )
    assert f'href="http://testserver{index.url}atom/"' in html


# --- Story search ---------------------------------------------------------------------


@pytest.mark.parametrize("query", ["Tân Cương", "tan cuong", "TAN CƯƠNG"])
def test_story_search_finds_a_story_with_or_without_accents(client, tree, query):
    index = tree["vi"]["story_index"]

    html = client.get(index.url, {"q": query}).content.decode()

    assert tree["vi"]["story"].title in html
    assert tree["vi"]["untranslated"].title not in html


def test_story_search_reads_the_story_body_without_accents(client, tree):
    index = tree["vi"]["story_index"]

    html = client.get(index.url, {"q": "mien dong rieng"}).content.decode()

    assert tree["vi"]["untranslated"].title in html
    assert tree["vi"]["story"].title not in html


def test_story_search_says_when_nothing_matches(client, tree):
    index = tree["en"]["story_index"]

    html = client.get(index.url, {"q": "durian"}).content.decode()

    assert "No story matches your search." in html
    assert tree["en"]["story"].title not in html


# --- The language switcher ----------------------------------------------------------


def _switcher_href(html: str, lang: str) -> str:
    nav = html.split('class="language-switcher"')[1].split("</nav>")[0]
    match = re.search(rf'href="([^"]*)" hreflang="{lang}"', nav)
    assert match, nav
    return match.group(1).replace("&amp;", "&")


def test_the_switcher_goes_to_the_translated_page(client, tree):
    html = client.get(tree["vi"]["story"].url).content.decode()

    assert _switcher_href(html, "en") == tree["en"]["story"].url


def test_the_switcher_says_when_a_page_is_not_translated_and_offers_the_home_page(
    client, tree
):
    original = tree["vi"]["untranslated"]
    html = client.get(original.url).content.decode()
    href = _switcher_href(html, "en")

    assert href == f"/en/not-translated/?from={original.pk}"

    response = client.get(href)

    assert response.status_code == 200
    notice = response.content.decode()
    assert '<html lang="en"' in notice
    assert "has not been translated into this language yet" in notice
    assert 'href="/en/"' in notice  # the English home page
    assert f'href="{original.url}" lang="vi"' in notice
    assert '<meta name="robots" content="noindex">' in notice
    # Switching back from the notice returns to the original page.
    assert _switcher_href(notice, "vi") == original.url


def test_the_not_translated_notice_ignores_a_page_it_cannot_show(client, tree):
    draft = tree["vi"]["untranslated"]
    draft.unpublish()

    response = client.get(f"/en/not-translated/?from={draft.pk}")

    assert response.status_code == 200
    assert draft.title not in response.content.decode()
