from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cms.cache import serve_cached
from cms.choosers import CHOOSER_VIEWSETS
from cms.snippets import FooterContent, NavigationMenu, PromoBanner


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
