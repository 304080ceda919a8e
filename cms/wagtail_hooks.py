import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import SlugInput
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.cache import serve_cached
from cms.choosers import CHOOSER_VIEWSETS
from cms.snippets import FooterContent, NavigationMenu, PromoBanner

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
        ("[\u0300-\u036f]", ""),  # combining marks, from text typed decomposed
    ]
]
register_form_field_override(
    models.SlugField,
    override={"widget": SlugInput(formatters=VIETNAMESE_SLUG_FORMATTERS)},
)


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
