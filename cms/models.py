from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The province home page, one per language (the English one a translation)."""

    hero_heading = models.CharField(_("hero heading"), max_length=200, blank=True)
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_heading"),
        FieldPanel("intro"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 2  # one per locale under the root

    class Meta:
        verbose_name = _("home page")
