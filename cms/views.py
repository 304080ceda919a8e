"""Language-neutral views of the site: the sitemap and robots.txt."""

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.actions.copy_for_translation import ParentNotTranslatedError
from wagtail.contrib.simple_translation.views import (
    SubmitPageTranslationView,
    SubmitSnippetTranslationView,
)
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from cms.sitemaps import PagesSitemap
from shop.links import absolute_url

# Never indexed: staff areas (language-neutral) and a visitor's own pages (per language).
STAFF_PATHS = ["/dashboard/", "/cms-admin/", "/django-admin/", "/api/"]
PRIVATE_URL_NAMES = [
    "basket:summary",
    "checkout:index",
    "customer:summary",
]


@require_GET
def sitemap(request):
    return wagtail_sitemap(request, sitemaps={"pages": PagesSitemap(request)})


def _private_paths() -> list[str]:
    paths = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for name in PRIVATE_URL_NAMES:
                try:
                    paths.append(reverse(name))
                except NoReverseMatch:
                    continue  # that part of the shop is not installed
    return paths


@require_GET
def robots_txt(request):
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in [*STAFF_PATHS, *_private_paths()]]
    lines += ["", f"Sitemap: {absolute_url(request, reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


class PageTranslationSubmitView(SubmitPageTranslationView):
    """Wagtail's "Translate page", but a language whose parent page is not translated
    yet gets a message instead of a 500 (its form only greys such languages out in the
    browser). Nothing is made: the copy's transaction is rolled back."""

    def post(self, request, **kwargs):
        try:
            return super().post(request, **kwargs)
        except ParentNotTranslatedError:
            messages.error(
                request,
                _("Translate the parent page into that language first: %(parent)s")
                % {"parent": self.object.get_parent().get_admin_display_title()},
            )
            return redirect(request.path)


class SnippetTranslationSubmitView(SubmitSnippetTranslationView):
    """Wagtail's "Translate" for menus, footers and banners, but a language that
    already has its own (one per language) gets a message instead of a 500."""

    def post(self, request, **kwargs):
        try:
            return super().post(request, **kwargs)
        except IntegrityError:
            messages.error(
                request,
                _("That language already has its own: edit it instead of translating."),
            )
            return redirect(request.path)
