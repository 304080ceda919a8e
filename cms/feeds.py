"""RSS and Atom feeds of the stories and the news, one per language: each index page
serves its own at <index url>rss/ and <index url>atom/ (routable pages), so the feed's
language and addresses follow the page tree."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from wagtail.models import Page

from cms.templatetags.cms_tags import page_description
from shop.links import absolute_url

FEED_LENGTH = 30
FEED_ROUTES = {"rss": Rss201rev2Feed, "atom": Atom1Feed}


class IndexPageFeed(Feed):
    """The newest live children of one index page. Addresses are absolute on the public
    address (the sites framework's domain is not ours to trust)."""

    def __init__(self, index_page: Page, kind: str):
        super().__init__()
        self.index_page = index_page
        self.feed_type = FEED_ROUTES[kind]
        self.kind = kind
        self.language = index_page.locale.language_code  # read as an attribute

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return f"{self.index_page.title} | {settings.WAGTAIL_SITE_NAME}"

    def link(self):
        return absolute_url(self.request, self.index_page.get_url(self.request))

    def feed_url(self):
        return absolute_url(self.request, self.request.path)

    def description(self):
        return page_description(self.index_page) or self.title()

    subtitle = description  # Atom's name for it

    def items(self):
        return self.index_page.feed_items()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return page_description(item)

    def item_link(self, item):
        return absolute_url(self.request, item.get_url(self.request))

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_author_name(self, item):
        return settings.WAGTAIL_SITE_NAME
