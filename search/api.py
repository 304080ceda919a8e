"""Search as public JSON (issue 7): /api/v1/search/ answers the same SearchQuery as
the search page, and /api/v1/search/suggest/ feeds the header's search-as-you-type
box. Both are language-neutral URLs: ?lang=vi|en picks the labels and links."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from rest_framework.response import Response
from rest_framework.views import APIView

from catalogue.api import product_shown_certificate
from search import backends, selectors
from search.forms import SearchForm
from search.query import SearchResult
from search.text import tokens

LANGUAGES = {code for code, _name in settings.LANGUAGES}
DEFAULT_PAGE_SIZE = 24
MAX_PAGE_SIZE = 100
SUGGEST_LIMIT = 6  # products in the header box
SUGGEST_MIN_CHARS = 2


def _language(request) -> str | None:
    language = request.query_params.get("lang", settings.LANGUAGE_CODE)
    return language if language in LANGUAGES else None


def _bad_request(message: str, errors: dict | None = None) -> Response:
    body = {"detail": message}
    if errors:
        body["errors"] = errors
    return Response(body, status=400)


def product_row(request, product, language: str) -> dict:
    """What a result shows: title, stars of the certificate in force, the lowest
    price in whole đồng (the search document's, which the price filter and sort
    read), the product page in the asked language."""
    certificate = product_shown_certificate(product)
    title = (product.title_en if language == "en" else "") or product.title
    with translation.override(language):
        url = request.build_absolute_uri(product.get_absolute_url())
    return {
        "id": product.pk,
        "title": title,
        "stars": certificate.stars if certificate else None,
        "price_vnd": product.listed_price_vnd,
        "producer": product.producer.name if product.producer else None,
        "url": url,
    }


class SearchApiView(APIView):
    """GET /api/v1/search/?q=…&stars=5&group=…&region=…&producer=…&kind=…
    &price_min=…&price_max=…&in_stock=1&outlet=…&near=lat,lng&km=…&sort=…&page=…
    &page_size=…&lang=vi|en: results in ranking order, count, facets, suggestion."""

    def get(self, request):
        language = _language(request)
        if language is None:
            return _bad_request(f"lang must be one of {', '.join(sorted(LANGUAGES))}.")
        try:
            page_size = int(request.query_params.get("page_size", DEFAULT_PAGE_SIZE))
        except ValueError:
            page_size = 0
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            return _bad_request(f"page_size must be from 1 to {MAX_PAGE_SIZE}.")
        form = SearchForm(request.query_params)
        if not form.is_valid():
            with translation.override(language):
                errors = {
                    field: [str(e) for e in errs] for field, errs in form.errors.items()
                }
            return _bad_request("Invalid search parameters.", errors)
        query = form.search_query(language=language, page_size=page_size)
        result = backends.search(query)
        return Response(self.body(request, result, query.page, page_size, language))

    def body(self, request, result: SearchResult, page: int, page_size: int, language):
        return {
            "count": result.total,
            "page": page,
            "pages": max(1, -(-result.total // page_size)),
            "results": [product_row(request, p, language) for p in result.products],
            "facets": {
                facet: [
                    {
                        "value": v.value,
                        "label": v.label,
                        "count": v.count,
                        "selected": v.selected,
                    }
                    for v in values
                ]  # fmt: skip
                for facet, values in result.facets.items()
            },
            "suggestion": result.suggestion,
            "backend": result.backend,
        }


class SuggestApiView(APIView):
    """GET /api/v1/search/suggest/?q=tan+cu&lang=vi: a few products, producers and
    stories for the header box, each with a label and a link."""

    def get(self, request):
        language = _language(request)
        if language is None:
            return _bad_request(f"lang must be one of {', '.join(sorted(LANGUAGES))}.")
        typed = request.query_params.get("q", "")
        # Control characters (a NUL) never reach a query; punctuation alone is no text.
        text = " ".join("".join(c for c in typed if c.isprintable()).split())[:100]
        if not tokens(text):
            text = ""
        if len(text) < SUGGEST_MIN_CHARS:
            return Response({"q": text, "products": [], "producers": [], "stories": []})
        products = backends.autocomplete(text, language=language, limit=SUGGEST_LIMIT)
        with translation.override(language):
            search_url = reverse("search:search")
        producers = [
            {
                "id": producer.pk,
                "name": (producer.name_en if language == "en" else "")
                or producer.name_vi,
                "url": request.build_absolute_uri(
                    f"{search_url}?producer={producer.pk}"
                ),
            }
            for producer in selectors.producers_matching(text, limit=3)
        ]
        return Response(
            {
                "q": text,
                "products": products,
                "producers": producers,
                "stories": selectors.stories_matching(request, text, language, limit=3),
                "search_url": request.build_absolute_uri(search_url),
            }
        )
