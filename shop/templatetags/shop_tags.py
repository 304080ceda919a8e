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
    """The header menu the editors keep for this language (cms.snippets), else: shop,
    stories, events, statistics, sales points, each only once it exists."""
    from cms.snippets import site_chrome

    request = context["request"]
    editors = site_chrome(request)["navigation"]
    items = (
        [dict(item) for item in editors] if editors else _navigation_default(request)
    )
    for item in items:
        item["active"] = request.path.startswith(item["url"]) and item["url"] not in (
            "/",
            f"/{get_language()}/",
        )
    return items


def _navigation_default(request) -> list[dict]:
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
    return items


@register.inclusion_tag("cms/partials/site_footer.html", takes_context=True)
def site_footer(context):
    """The footer text, links and social links the editors keep for this language."""
    from cms.snippets import site_chrome

    chrome = site_chrome(context["request"])
    return {"footer": chrome["footer"], "social": chrome["social"]}


@register.inclusion_tag("cms/partials/promo_banner.html", takes_context=True)
def promo_banner(context):
    """The promo banner running now in this language, if any."""
    from cms.snippets import banner_active, site_chrome

    return {"banner": banner_active(site_chrome(context["request"]))}
