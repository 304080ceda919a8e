import re

from django import forms
from django.conf import settings
from django.db import models
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import SlugInput
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms import views
from cms.cache import serve_cached
from cms.choosers import CHOOSER_VIEWSETS
from cms.snippets import FooterContent, NavigationMenu, PromoBanner
from cms.text import fold_diacritics

# Wagtail's slug transliteration has no Vietnamese map: "Con đường chè" became
# "con-djng-che" (Serbian đ; ư and ờ dropped). Fold the letters before it runs.
VIETNAMESE_SLUG_FORMATTERS = [
    (re.compile(pattern, re.IGNORECASE), letter)
    for pattern, letter in [
        ("[àáạảãâầấậẩẫăằắặẳẵ]", "a"),
        ("[èéẹẻẽêềếệểễ]", "e"),
        ("[ìíịỉĩ]", "i"),
        ("[òóọỏõôồốộổỗơờớợởỡ]", "o"),
        ("[ùúụủũưừứựửữ]", "u"),
        ("[ỳýỵỷỹ]", "y"),
        ("đ", "d"),
        ("[\\u0300-\\u036f]", ""),  # combining marks, from text typed decomposed
    ]
]


class FoldedSlugField(forms.SlugField):
    """The server's side of it, for a form sent without the script: Vietnamese letters
    folded, then only ASCII slugs (Page.slug itself allows Unicode)."""

    def __init__(self, *, allow_unicode=False, **kwargs):
        super().__init__(allow_unicode=settings.WAGTAIL_ALLOW_UNICODE_SLUGS, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value if self.allow_unicode else fold_diacritics(value)


register_form_field_override(
    models.SlugField,
    override={
        "widget": SlugInput(formatters=VIETNAMESE_SLUG_FORMATTERS),
        "form_class": FoldedSlugField,
    },
)


@hooks.register("register_admin_urls", order=-1)
def translation_urls():
    """Ahead of simple_translation's own URLs: its views answer a language whose parent
    page is not translated yet, or a snippet's language that already has one, with a
    500; these say so."""
    return [
        path(
            "translation/submit/page/<int:page_id>/",
            views.PageTranslationSubmitView.as_view(),
            name="cms_submit_page_translation",
        ),
        path(
            "translation/submit/snippet/<slug:app_label>/<slug:model_name>/<str:pk>/",
            views.SnippetTranslationSubmitView.as_view(),
            name="cms_submit_snippet_translation",
        ),
    ]


@hooks.register("register_admin_viewset")
def register_choosers():
    """Choosers for products, producers, outlets and regions (pages and blocks)."""
    return CHOOSER_VIEWSETS


@hooks.register("on_serve_page")
def page_cache(serve_chain):
    """Anonymous visitors get pages from the cache (cms.cache)."""
    return serve_cached(serve_chain)


class NavigationMenuViewSet(SnippetViewSet):
    model = NavigationMenu
    icon = "list-ul"


class FooterContentViewSet(SnippetViewSet):
    model = FooterContent
    icon = "doc-full"


class PromoBannerViewSet(SnippetViewSet):
    model = PromoBanner
    icon = "warning"
    list_display = ["text", "starts_at", "ends_at"]
    ordering = ["-starts_at"]


class SiteChromeViewSetGroup(SnippetViewSetGroup):
    """Menu, footer and banners under one admin menu item ("Site")."""

    items = (NavigationMenuViewSet, FooterContentViewSet, PromoBannerViewSet)
    menu_icon = "site"
    menu_label = _("Menu and banners")
    menu_name = "site-chrome"


register_snippet(SiteChromeViewSetGroup)
