"""Which backend answers (issue 7): Elasticsearch when ELASTICSEARCH_URL is set and
reachable, else the database. Views, the API and browsing call search() and
autocomplete() only; result.backend says which backend answered.

When Elasticsearch fails, the request is answered from the database (always up to
date: the outbox drains to it first) and a warning is logged; /healthz shows it
(shop.health.check_search)."""

import logging

from django.conf import settings
from django.utils import translation
from elastic_transport import TransportError

from catalogue.selectors import product_current_certificate
from search import outbox
from search.database import DatabaseBackend, products_in_order
from search.elastic_backend import ERRORS, ElasticsearchBackend
from search.query import SearchQuery, SearchResult

logger = logging.getLogger(__name__)

_database = DatabaseBackend()
_elasticsearch: dict[str, ElasticsearchBackend] = {}  # by URL


def database_backend() -> DatabaseBackend:
    return _database


def elasticsearch_backend() -> ElasticsearchBackend | None:
    """The Elasticsearch backend of settings.ELASTICSEARCH_URL (one per process, so
    its remembered availability is shared), or None when it is not set."""
    url = settings.ELASTICSEARCH_URL
    if not url:
        return None
    if url not in _elasticsearch:
        _elasticsearch[url] = ElasticsearchBackend(url)
    return _elasticsearch[url]


def indexers_configure() -> None:
    """Make the outbox drain to Elasticsearch when ELASTICSEARCH_URL is set, and to
    the database only when not. Idempotent: SearchConfig.ready() calls it, and
    tests that change the setting call it again."""
    outbox.ACTIVE_INDEXERS[:] = [
        indexer
        for indexer in outbox.ACTIVE_INDEXERS
        if not isinstance(indexer, ElasticsearchBackend)
    ]
    backend = elasticsearch_backend()
    if backend is not None:
        outbox.ACTIVE_INDEXERS.append(backend)


def search(query: SearchQuery) -> SearchResult:
    """One page of results for the query from the active backend."""
    backend = elasticsearch_backend()
    if backend is not None and backend.is_available():
        try:
            return backend.search(query)
        except ERRORS as exc:
            _failed(backend, exc)
    return _database.search(query)


def autocomplete(text: str, *, language: str, limit: int = 8) -> list[dict]:
    """Products for the header box, best first: [{"title", "url", "stars",
    "price_vnd"}] with the title and URL in `language`."""
    text = text.strip()
    if not text:
        return []
    backend = elasticsearch_backend()
    if backend is not None and backend.is_available():
        try:
            ids = backend.autocomplete_ids(text, limit=limit)
        except ERRORS as exc:
            _failed(backend, exc)
        else:
            return _suggestions(products_in_order(ids), language)
    result = _database.search(
        SearchQuery(text=text, page_size=limit, language=language)
    )
    return _suggestions(result.products, language)


def _failed(backend: ElasticsearchBackend, exc: Exception) -> None:
    if isinstance(exc, TransportError):  # unreachable, not a refused request
        backend.mark_unavailable()
    logger.warning("search: Elasticsearch failed, answering from the database: %r", exc)


def _suggestions(products: list, language: str) -> list[dict]:
    """From products_in_order's products: the certificate in force is prefetched,
    the document's price annotated (no query more)."""
    with translation.override(language):
        return [
            {
                "title": product.get_title(),
                "url": product.get_absolute_url(),
                "stars": getattr(product_current_certificate(product), "stars", None),
                "price_vnd": product.listed_price_vnd,
            }
            for product in products
        ]
