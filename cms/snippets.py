"""The site chrome communications staff edit in the Wagtail admin: the header menu, the
footer and the promo banner (translatable snippets, one translation per language,
submitted by editors to the "Communications review" workflow and published by a
moderator), and the social links (a setting per site).

Templates read them through `site_chrome()`, cached per host and language until a
snippet, a setting or a page changes (cms.cache generations), so the chrome costs no
query on most requests. Imported by cms.models (Django finds the models there)."""

import datetime as dt
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import (
    DraftStateMixin,
    RevisionMixin,
    Site,
    TranslatableMixin,
    WorkflowMixin,
)

CHROME_TIMEOUT = 60 * 60  # a bound on memory: generations make it correct sooner


def link_url_validate(value: str) -> None:
    """A path on this site ("/vi/shop/") or an http(s) address: nothing that runs script."""
    if "\\" in value or any(ch.isspace() or not ch.isprintable() for ch in value):
        # browsers read a backslash after the first slash as a second slash
        raise ValidationError(
            _("A link has no spaces, backslashes or control characters.")
        )
    if value.startswith("/") and not value.startswith("//"):
        return
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.netloc:
        return
    raise ValidationError(
        _("Give a path on this site (/vi/shop/) or an address starting with https://.")
    )


class LinkURLBlock(blocks.CharBlock):
    def __init__(self, **kwargs):
        super().__init__(max_length=500, validators=[link_url_validate], **kwargs)


class LinkBlock(blocks.StructBlock):
    """A labelled link to a page (followed to its translation) or to an address."""

    label = blocks.CharBlock(max_length=60, label=_("label"))
    page = blocks.PageChooserBlock(required=False, label=_("page"))
    url = LinkURLBlock(
        required=False,
        label=_("or address"),
        help_text=_("A path on this site (/vi/shop/) or an https:// address."),
    )

    class Meta:
        icon = "link"
        label = _("link")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(_("Choose a page or give an address.")),
                }
            )
        return value


def _links_field(verbose_name):
    return StreamField(
        [("link", LinkBlock())], verbose_name=verbose_name, blank=True, default=list
    )


class _OnePerLocale(models.Model):
    """A snippet of which each language has one (its translations)."""

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self._meta.verbose_name} ({self.locale.language_code})"

    def clean(self):
        super().clean()
        others = type(self).objects.filter(locale_id=self.locale_id).exclude(pk=self.pk)
        if self.locale_id and others.exists():
            raise ValidationError(
                _("This language already has one: edit it instead of adding another.")
            )


class NavigationMenu(
    WorkflowMixin,
    DraftStateMixin,
    RevisionMixin,
    TranslatableMixin,
    _OnePerLocale,
    models.Model,
):
    """The header menu of one language. Without one, the header lists the shop, the
    story and event sections, the statistics and the sales points by itself."""

    items = _links_field(_("menu items"))

    panels = [FieldPanel("items")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("navigation menu")
        verbose_name_plural = _("navigation menus")
        constraints = [
            models.UniqueConstraint(
                fields=["locale"], name="cms_navigationmenu_one_per_locale"
            )
        ]


class FooterContent(
    WorkflowMixin,
    DraftStateMixin,
    RevisionMixin,
    TranslatableMixin,
    _OnePerLocale,
    models.Model,
):
    """The footer of one language: a few lines of text and links."""

    text = models.TextField(_("text"), blank=True)
    links = _links_field(_("links"))

    panels = [FieldPanel("text"), FieldPanel("links")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("footer")
        verbose_name_plural = _("footers")
        constraints = [
            models.UniqueConstraint(
                fields=["locale"], name="cms_footercontent_one_per_locale"
            )
        ]


class PromoBanner(
    WorkflowMixin, DraftStateMixin, RevisionMixin, TranslatableMixin, models.Model
):
    """A line across the top of every shop and content page (Tết gifts, tea season),
    shown in its language only from its start until its end. When two overlap, the
    one that started last is shown."""

    text = models.CharField(_("text"), max_length=200)
    link_label = models.CharField(_("link label"), max_length=60, blank=True)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("link to a page"),
    )
    link_url = models.CharField(
        _("or link to an address"),
        max_length=500,
        blank=True,
        validators=[link_url_validate],
    )
    starts_at = models.DateTimeField(_("shown from"))
    ends_at = models.DateTimeField(_("shown until"))

    panels = [
        FieldPanel("text"),
        MultiFieldPanel(
            [FieldPanel("link_label"), FieldPanel("link_page"), FieldPanel("link_url")],
            heading=_("Link"),
        ),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("promo banner")
        verbose_name_plural = _("promo banners")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("A banner must end after it starts.")})
        if self.link_page_id and self.link_url:
            raise ValidationError(
                {"link_url": _("Link to a page or to an address, not both.")}
            )

    def is_shown_at(self, moment: dt.datetime) -> bool:
        return self.live and self.starts_at <= moment < self.ends_at


@register_setting(icon="site")
class SocialLinks(BaseSiteSetting):
    """The province's accounts, linked from the footer of every page."""

    facebook = models.URLField(_("Facebook"), blank=True)
    zalo = models.URLField(_("Zalo"), blank=True)
    youtube = models.URLField(_("YouTube"), blank=True)
    tiktok = models.URLField(_("TikTok"), blank=True)

    panels = [
        FieldPanel("facebook"),
        FieldPanel("zalo"),
        FieldPanel("youtube"),
        FieldPanel("tiktok"),
    ]

    class Meta:
        verbose_name = _("social links")
        verbose_name_plural = _("social links")

    NETWORKS = [
        ("facebook", "Facebook"),
        ("zalo", "Zalo"),
        ("youtube", "YouTube"),
        ("tiktok", "TikTok"),
    ]

    def as_links(self) -> list[dict]:
        return [
            {"network": field, "name": name, "url": getattr(self, field)}
            for field, name in self.NETWORKS
            if getattr(self, field)
        ]


# --- Reads -----------------------------------------------------------------------------


def _link(value, request: HttpRequest) -> dict | None:
    """A link block as label and address; a page in another language is followed to
    its translation in the active one, and a page taken down drops out."""
    page = value.get("page")
    if page is not None:
        page = page.localized
        url = page.get_url(request) if page.live else None
    else:
        url = value.get("url")
    return {"label": value["label"], "url": url} if url else None


def _links(stream, request) -> list[dict]:
    return [link for block in stream if (link := _link(block.value, request))]


def _banner(banner: PromoBanner, request) -> dict:
    url = banner.link_url
    if banner.link_page is not None:
        page = banner.link_page.localized
        url = page.get_url(request) if page.live else ""
    return {
        "id": banner.pk,
        "text": banner.text,
        "link_label": banner.link_label,
        "url": url,
        "starts_at": banner.starts_at,
        "ends_at": banner.ends_at,
    }


def _chrome_load(request: HttpRequest, language: str) -> dict:
    def live(model):
        return model.objects.filter(live=True, locale__language_code=language)

    menu = live(NavigationMenu).first()
    footer = live(FooterContent).first()
    site = Site.find_for_request(request)
    social = SocialLinks.objects.filter(site=site).first() if site else None
    banners = (
        live(PromoBanner)
        .filter(ends_at__gt=timezone.now())
        .select_related("link_page")
        .order_by("-starts_at", "-pk")
    )
    return {
        "navigation": _links(menu.items, request) if menu else None,
        "footer": (
            {"text": footer.text, "links": _links(footer.links, request)}
            if footer
            else None
        ),
        "social": social.as_links() if social else [],
        "banners": [_banner(banner, request) for banner in banners],
    }


def site_chrome(request: HttpRequest) -> dict:
    """The menu (None: none set), footer (None: none set), social links and the
    banners not yet ended, of the active language, for the request's host."""
    from cms import cache as page_cache

    language = get_language()
    # Read once per request and language: the page cache's key, the menu, the footer
    # and the banner all ask for it.
    per_request = request.__dict__.setdefault("_site_chrome", {})
    if language in per_request:
        return per_request[language]
    key = page_cache.key(
        "chrome",
        request.get_host(),
        language,
        page_cache.generations("chrome", "pages"),
    )
    chrome = page_cache.cache.get(key)
    if chrome is None:
        chrome = _chrome_load(request, language)
        page_cache.cache.set(key, chrome, CHROME_TIMEOUT)
    per_request[language] = chrome
    return chrome


def banner_active(chrome: dict, moment: dt.datetime | None = None) -> dict | None:
    """The banner to show now: the latest started of those running."""
    moment = moment or timezone.now()
    for banner in chrome["banners"]:
        if banner["starts_at"] <= moment < banner["ends_at"]:
            return banner
    return None
