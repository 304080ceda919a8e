"""Writes to the Wagtail page tree."""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from cms.models import HomePage

HOME_SLUGS = {
    "vi": "home",
    "en": "home-en",
}  # siblings under the root need distinct slugs


@transaction.atomic
def home_pages_ensure(
    *, titles: dict[str, str], hero: dict[str, str], intro: dict[str, str]
) -> HomePage:
    """Make sure there is a Vietnamese home page, its English translation, and a default
    Site rooted at it. Safe to re-run: existing pages are updated, not duplicated."""
    root = Page.get_first_root_node()
    # Wagtail's placeholder "Welcome" page holds the "home" slug: replace it.
    root.get_children().filter(
        content_type__app_label="wagtailcore", content_type__model="page"
    ).delete()
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in HOME_SLUGS
    }

    home_vi = HomePage.objects.filter(locale=locales["vi"]).first()
    if home_vi is None:
        home_vi = root.add_child(
            instance=HomePage(
                title=titles["vi"], slug=HOME_SLUGS["vi"], locale=locales["vi"]
            )
        )
    _update(home_vi, titles["vi"], hero["vi"], intro["vi"])

    home_en = home_vi.get_translation_or_none(locales["en"])
    if home_en is None:
        home_en = home_vi.copy_for_translation(locales["en"])
        home_en.slug = HOME_SLUGS["en"]
    _update(home_en.specific, titles["en"], hero["en"], intro["en"])

    site = Site.objects.filter(is_default_site=True).first() or Site(
        is_default_site=True
    )
    site.hostname, site.port, site.site_name = "localhost", 80, "OCOP Market"
    site.root_page = home_vi
    site.save()
    return home_vi


def _update(page: HomePage, title: str, hero: str, intro: str) -> None:
    page.title, page.hero_heading, page.intro = title, hero, intro
    page.save_revision().publish()
