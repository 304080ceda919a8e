"""The sitemap of the content pages in every language, each address with its
translations as hreflang alternates (and x-default: the Vietnamese page)."""

from collections import defaultdict

from django.conf import settings
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page, Site

from shop.links import absolute_url


class PagesSitemap(Sitemap):
    """Every live public page under the default site's home page or one of its
    translations (Wagtail's own sitemap knows only the site's root, one language)."""

    def items(self):
        site = Site.find_for_request(self.request) or Site.objects.get(
            is_default_site=True
        )
        roots = Page.objects.filter(
            translation_key=site.root_page.translation_key
        ).values_list("path", flat=True)
        pages = Page.objects.none()
        for path in roots:
            pages |= Page.objects.filter(path__startswith=path)
        return (
            pages.live()
            .public()
            .select_related("locale")
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        items = list(self.paginator.page(page).object_list)
        by_key = defaultdict(list)
        for item in items:
            by_key[item.translation_key].append(item)
        urls, last_mods = [], set()
        for item in items:
            url = item.get_url(self.request)
            if not url:
                continue
            lastmod = self.lastmod(item)
            last_mods.add(lastmod)
            alternates = []
            translations = sorted(
                by_key[item.translation_key], key=lambda p: p.locale.language_code
            )
            if len(translations) > 1:
                for translation in translations:
                    location = absolute_url(
                        self.request, translation.get_url(self.request)
                    )
                    alternates.append(
                        {
                            "lang_code": translation.locale.language_code,
                            "location": location,
                        }
                    )
                    if translation.locale.language_code == settings.LANGUAGE_CODE:
                        alternates.append(
                            {"lang_code": "x-default", "location": location}
                        )
            urls.append(
                {
                    "item": item,
                    "location": absolute_url(self.request, url),
                    "lastmod": lastmod,
                    "alternates": alternates,
                }
            )
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
