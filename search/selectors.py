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
    """Live tourism stories in the language with every typed word (Wagtail's search
    over the stories' accent-free text, cms.models); a last word still being typed
    is left out when the whole text finds nothing."""
    from wagtail.models import Locale

    from cms.models import TourismStoryPage  # cms imports the catalogue, not search
    from cms.text import fold_diacritics

    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return []
    stories = TourismStoryPage.objects.live().public().filter(locale=locale)
    words = fold_diacritics(text).split()
    for attempt in (words, words[:-1]):
        if not attempt:
            break
        hits = list(stories.search(" ".join(attempt), operator="and")[:limit])
        if hits:
            return [
                {
                    "title": page.title,
                    "url": request.build_absolute_uri(page.get_url(request)),
                }
                for page in hits
            ]
    return []
