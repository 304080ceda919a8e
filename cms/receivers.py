"""What makes cached pages and site chrome stale: each change bumps a generation
(cms.cache), and every key made before it is never read again.

The rule is deliberately broad: any change to a product, its stock, price or
certificates bumps the catalogue generation, whichever page shows it, because working
out which pages show a product costs more than re-rendering them. Stock written by
sales_points.services goes through QuerySet.update() but always writes a StockMovement
(heard here); certificates expired by the nightly job with update() send
catalogue.signals.certification_changed. Connected by CmsConfig.ready()."""

from django.db.models.signals import post_delete, post_save
from oscar.core.loading import get_model
from wagtail.models import DraftStateMixin, Page, Site
from wagtail.signals import (
    copy_for_translation_done,
    page_published,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from catalogue.signals import certification_changed
from cms import cache
from cms.snippets import FooterContent, NavigationMenu, PromoBanner, SocialLinks


def _bumper(name: str, uid: str):
    def bump(sender=None, **kwargs):
        cache.generation_bump(name)

    bump.__name__ = f"{uid}_bump"
    return bump


def _catalogue_models() -> list:
    from catalogue.models import AdministrativeUnit, Certificate, Producer
    from sales_points.models import (
        HoursException,
        OpeningHours,
        SalesPoint,
        StockMovement,
    )
    from shop.models import ExchangeRate

    return [
        get_model("catalogue", "Product"),
        get_model("catalogue", "ProductImage"),
        get_model("partner", "StockRecord"),
        StockMovement,
        Certificate,
        Producer,
        AdministrativeUnit,
        SalesPoint,
        OpeningHours,
        HoursException,
        ExchangeRate,
    ]


def _pages_models() -> list:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    return [Site, get_image_model(), get_document_model()]


_catalogue_bump = _bumper(cache.CATALOGUE, "catalogue")
_pages_bump = _bumper(cache.PAGES, "pages")
_chrome_bump = _bumper(cache.CHROME, "chrome")


_SAVED_OR_DELETED = {"saved": post_save, "deleted": post_delete}


def _connect_models(receiver, models, signals: dict, prefix: str) -> None:
    for model in models:
        for event, signal in signals.items():
            signal.connect(
                receiver,
                sender=model,
                weak=False,
                dispatch_uid=f"cms_cache_{prefix}_{model._meta.label}_{event}",
            )


def translation_starts_as_draft(sender, source_obj, target_obj, **kwargs) -> None:
    """A snippet's translation is a copy of its latest revision, live if that was:
    make it a draft, so what an editor translates goes live only when a moderator
    publishes it (translated pages are already drafts). The copy is saved after this."""
    if isinstance(target_obj, DraftStateMixin) and not isinstance(target_obj, Page):
        target_obj.live = False
        target_obj.has_unpublished_changes = True
        target_obj.live_revision = None


def connect() -> None:
    """Connect the receivers (weak=False: they are made by _bumper)."""
    _connect_models(
        _catalogue_bump, _catalogue_models(), _SAVED_OR_DELETED, "catalogue"
    )
    certification_changed.connect(
        _catalogue_bump, weak=False, dispatch_uid="cms_cache_certification_changed"
    )

    page_events = {
        "published": page_published,
        "unpublished": page_unpublished,  # also sent when a live page is deleted
        "moved": post_page_move,
    }
    for event, signal in page_events.items():
        signal.connect(_pages_bump, weak=False, dispatch_uid=f"cms_cache_page_{event}")
    _connect_models(_pages_bump, _pages_models(), _SAVED_OR_DELETED, "pages")

    _connect_models(
        _chrome_bump,
        [NavigationMenu, FooterContent, PromoBanner, SocialLinks],
        {**_SAVED_OR_DELETED, "published": published, "unpublished": unpublished},
        "chrome",
    )
    copy_for_translation_done.connect(
        translation_starts_as_draft, dispatch_uid="cms_translation_starts_as_draft"
    )
