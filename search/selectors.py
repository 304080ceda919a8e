"""Reads for search-as-you-type beyond products: producers and stories."""

from functools import reduce
from operator import and_

from django.db.models import Q
from django.utils import timezone

from catalogue.models import Producer
from search.models import ProductText
from search.text import folded_tokens


def _word_prefix(field: str, token: str) -> Q:
    """The token begins a word of the folded field."""
    return Q(**{f"{field}__startswith": token}) | Q(
        **{f"{field}__contains": f" {token}"}
    )


def producers_matching(text: str, *, limit: int) -> list[Producer]:
    """Producers with a product on sale whose name (either language, diacritics
    optional) has words beginning with every word of the text, fewest words first."""
    words = folded_tokens(text)
    if not words:
        return []
    names = reduce(
        and_,
        (
            _word_prefix("producer_vi_folded", w)
            | _word_prefix("producer_en_folded", w)
            for w in words
        ),
    )
    producer_ids = (
        ProductText.objects.filter(
            names, document__certified_until__gte=timezone.localdate()
        )
        .values_list("document__producer_id", flat=True)
        .distinct()[: limit * 5]
    )
    producers = Producer.objects.filter(pk__in=list(producer_ids)).only(
        "pk", "name_vi", "name_en"
    )
    return sorted(producers, key=lambda p: (len(p.name_vi), p.name_vi))[:limit]


def stories_matching(request, text: str, language: str, *, limit: int) -> list[dict]:
    """Tourism stories whose title matches; the CMS story pages are not built yet
    (issue 6), so there are none to suggest."""
    return []
