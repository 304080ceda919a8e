"""Template helpers of the content pages: clean rich text, and what a page tells search
engines and link previews (canonical address, translations, Open Graph, Twitter card)."""

import html

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.models import Page

from cms.sanitise import richtext_clean as _richtext_clean
from shop.links import absolute_url

register = template.Library()

# Link previews want a wide image; this one is drawn for the site (cms/demo.py makes
# nothing here: it is a committed static file).
DEFAULT_SHARE_IMAGE = "cms/img/share-default.png"
DEFAULT_SHARE_IMAGE_SIZE = (1200, 630)
SHARE_RENDITION = "fill-1200x630"
DESCRIPTION_LENGTH = 160
OG_LOCALES = {"vi": "vi_VN", "en": "en_GB"}


@register.filter(is_safe=True)
def richtext_clean(html) -> str:
    """Rich text HTML with scripts, handlers and unsafe links removed."""
    return mark_safe(_richtext_clean(html))  # noqa: S308 - it has just been cleaned


def page_description(page: Page) -> str:
    """The search description, else the page's introduction as plain text."""
    text = page.search_description or ""
    if not text:
        intro = getattr(page, "intro", "") or ""
        # plain text (no script text either), entities decoded: the template escapes
        text = html.unescape(strip_tags(_richtext_clean(str(intro))))
    return Truncator(" ".join(text.split())).chars(DESCRIPTION_LENGTH)


@register.filter(name="seo_description")
def seo_description_filter(page: Page) -> str:
    return page_description(page)


def page_translations(page: Page, request) -> list[dict]:
    """The live translations of `page` (itself included), language and full address."""
    translations = (
        Page.objects.live()
        .public()
        .filter(translation_key=page.translation_key)
        .select_related("locale")
        .order_by("locale__language_code")
    )
    links = []
    for translation in translations:
        url = translation.get_url(request)
        if url:
            links.append(
                {
                    "lang": translation.locale.language_code,
                    "url": absolute_url(request, url),
                }
            )
    return links


def share_image(page: Page, request) -> dict:
    """The page's own image cut to a link preview's shape, else the site's picture."""
    image = getattr(page, "image", None)
    if image is not None:
        rendition = image.get_rendition(SHARE_RENDITION)
        return {
            "url": absolute_url(request, rendition.url),
            "width": rendition.width,
            "height": rendition.height,
            "alt": image.default_alt_text,
        }
    width, height = DEFAULT_SHARE_IMAGE_SIZE
    return {
        "url": absolute_url(request, static(DEFAULT_SHARE_IMAGE)),
        "width": width,
        "height": height,
        "alt": settings.WAGTAIL_SITE_NAME,
    }


@register.simple_tag(takes_context=True)
def page_seo(context, page: Page) -> dict:
    """Everything the <head> of a content page says about it."""
    request = context["request"]
    language = page.locale.language_code
    translations = page_translations(page, request)
    own_url = page.get_url(request) or request.path
    return {
        "title": page.seo_title or page.title,
        "description": page_description(page),
        "canonical": absolute_url(request, own_url),
        "alternates": translations if len(translations) > 1 else [],
        "x_default": next(
            (t["url"] for t in translations if t["lang"] == settings.LANGUAGE_CODE),
            None,
        ),
        "type": "article" if getattr(page, "date", None) else "website",
        "locale": OG_LOCALES.get(language, language),
        "other_locales": [
            OG_LOCALES.get(t["lang"], t["lang"])
            for t in translations
            if t["lang"] != language
        ],
        "image": share_image(page, request),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "feeds": page_feeds(page, request, own_url),
    }


def page_feeds(page: Page, request, own_url: str) -> list[dict]:
    """An index page with feeds announces them (feed readers find them here)."""
    if not hasattr(page, "feed_items"):
        return []
    return [
        {
            "type": content_type,
            "title": f"{page.title} ({label})",
            "url": absolute_url(request, own_url + page.reverse_subpage(route)),
        }
        for route, label, content_type in (
            ("rss", "RSS", "application/rss+xml"),
            ("atom", "Atom", "application/atom+xml"),
        )
    ]
