"""Product listings read from the database (the embedded default backend)."""

from django.db.models import Q, QuerySet
from oscar.core.loading import get_model

from catalogue.selectors import certificates_valid_prefetch, products_certified

Product = get_model("catalogue", "Product")


def products_browsable() -> QuerySet:
    """Public products that are certified right now, with what a listing card shows."""
    # Oscar's base_queryset annotates has_options and prefetches images and stock.
    return products_certified(
        Product.objects.browsable()
        .base_queryset()
        .select_related("producer", "origin")
        .prefetch_related(certificates_valid_prefetch())
        .order_by("-date_created", "-pk")
    )


def products_matching(text: str) -> QuerySet:
    """Plain substring match on title and description; issue 7 replaces it with the
    Vietnamese-aware search interface."""
    text = text.strip()
    if not text:
        return products_browsable()
    return products_browsable().filter(
        Q(title__icontains=text) | Q(description__icontains=text)
    )
