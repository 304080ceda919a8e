from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

register = template.Library()

# Sections that are Wagtail pages, found by slug in the active language's tree.
PAGE_SECTIONS = [("stories", _("Stories")), ("events", _("Events"))]


def url_in_language(request, language_code: str, page: Page | None = None) -> str:
    """The URL of what the visitor is looking at, in another language.

    A Wagtail page goes to its translation, or, when it has none, to that language's
    notice that it is not translated yet (cms.selectors); anything else keeps its path
    with the other language prefix."""
    if isinstance(page, Page):
        from cms.selectors import page_url_in_language

        return page_url_in_language(page, language_code, request)
    if request.path.startswith("/t/"):  # language-neutral: the trace page reads ?lang=
        return f"{request.path}?lang={language_code}"
    return translate_url(request.get_full_path(), language_code)


@register.inclusion_tag("shop/partials/language_switcher.html", takes_context=True)
def language_switcher(context):
    request = context["request"]
    # A page may name another to switch from (the not-translated notice: the original).
    page = context.get("language_switcher_page") or context.get("page")
    current = get_language()
    links = [
        {
            "code": code,
            "name": name,
            "current": code == current,
            "url": url_in_language(request, code, page) if code != current else "",
        }
        for code, name in settings.LANGUAGES
    ]
    return {"links": links}


@register.simple_tag(takes_context=True)
def site_navigation(context):
    """Shop, stories, events, sales points: each only once it exists."""
    request = context["request"]
    items = [{"label": _("Shop"), "url": reverse("catalogue:index")}]
    pages = {
        p.slug: p
        for p in Page.objects.live()
        .filter(
            slug__in=[slug for slug, _label in PAGE_SECTIONS],
            locale__language_code=get_language(),
        )
        .only("id", "slug", "url_path")
    }
    for slug, label in PAGE_SECTIONS:
        if slug in pages:
            items.append({"label": label, "url": pages[slug].get_url(request)})
    items.append({"label": _("Statistics"), "url": reverse("ocop:statistics")})
    try:
        items.append({"label": _("Sales points"), "url": reverse("sales_points:list")})
    except NoReverseMatch:
        pass  # the store locator is not installed yet
    for item in items:
        item["active"] = request.path.startswith(item["url"]) and item["url"] != "/"
    return items
