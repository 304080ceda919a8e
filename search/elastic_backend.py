"""The Elasticsearch backend (issue 7): answers searches from the index behind the
alias, and keeps the index up to date from the database documents.

The index is a copy of the database documents (search.models.ProductDocument), so
the outbox drains to the database first and to this backend second
(search.outbox.ACTIVE_INDEXERS); search.elastic says what goes where.

A dead cluster must not cost a timeout per request: requests time out after two
seconds without retries, and is_available() remembers a failed ping for a few
seconds, during which search.backends answers from the database.

While search_reindex fills a new index (one behind no alias, named
`ocop-products-v<UTC timestamp>`), index() refuses with ReindexInProgress: the outbox
rows stay, and are drained into the new index once the alias has moved to it, so no
change is lost between the rebuild's read of the database and the swap."""

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

from django.utils import timezone, translation
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers

from sales_points.models import SalesPoint
from search.database import facets_labelled, products_in_order
from search.elastic import (
    ALIAS,
    alias_swap_actions,
    autocomplete_body,
    document_source,
    index_name,
    product_index,
    result_from_response,
    search_body,
)
from search.models import ProductDocument
from search.query import FACETS, SearchQuery, SearchResult

logger = logging.getLogger(__name__)

# What a failing cluster raises: HTTP errors (ApiError) and connection, timeout and
# serialization errors (TransportError).
ERRORS = (ApiError, TransportError)
REQUEST_TIMEOUT = 2.0  # seconds: a search waits no longer for a dead cluster
BULK_TIMEOUT = 60.0  # one bulk request of BULK_CHUNK documents
BULK_CHUNK = 500
AVAILABILITY_TTL = 5.0  # seconds a ping's answer is trusted
# A new index behind no alias for longer than this was left by a reindex that died:
# index() no longer waits for it, and the next reindex deletes it.
ABANDONED_AFTER = dt.timedelta(hours=2)
VERSION_FORMAT = "%Y%m%d%H%M%S"


class ReindexInProgress(Exception):
    """A full reindex is filling a new index: changes wait in the outbox until the
    alias has moved to it."""


class IndexMissing(Exception):
    """The alias points to no index (search_reindex has never run): writing to it
    would create an index without our mapping."""


def redacted(url: str) -> str:
    """The URL without credentials, for logs and /healthz."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme}://{host}" if parts.scheme else host


def version_now() -> str:
    return timezone.now().astimezone(dt.UTC).strftime(VERSION_FORMAT)


def _version_time(name: str) -> dt.datetime | None:
    version = name.removeprefix(index_name(""))
    try:
        return dt.datetime.strptime(version, VERSION_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError:
        return None  # not one of ours (or a hand-made "v1"): never abandoned


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(self, url: str):
        self.url = url
        self.client = Elasticsearch(
            url,
            request_timeout=REQUEST_TIMEOUT,
            max_retries=0,
            retry_on_timeout=False,
        )
        self._available: tuple[float, bool] | None = None  # (until, answer)

    def __repr__(self) -> str:
        return f"<ElasticsearchBackend {redacted(self.url)}>"

    # --- Availability ---------------------------------------------------------

    def is_available(self, *, fresh: bool = False) -> bool:
        """Whether the cluster answered a ping in the last few seconds (or now,
        with fresh=True). A change of answer is logged once."""
        now = time.monotonic()
        if not fresh and self._available and self._available[0] > now:
            return self._available[1]
        answer = self.client.ping()
        previous = self._available[1] if self._available else True
        if not answer and previous:
            logger.warning(
                "search: Elasticsearch at %s is unreachable; answering from the "
                "database",
                redacted(self.url),
            )
        elif answer and not previous:
            logger.info("search: Elasticsearch at %s is back", redacted(self.url))
        self._available = (now + AVAILABILITY_TTL, answer)
        return answer

    def mark_unavailable(self) -> None:
        """A request failed at the transport level: skip the cluster for a while."""
        self._available = (time.monotonic() + AVAILABILITY_TTL, False)

    # --- Searching ------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        body = search_body(query, today=timezone.localdate())
        return result_from_search(
            self.client.search(index=ALIAS, body=body).body, query
        )

    def autocomplete_ids(self, text: str, *, limit: int) -> list[int]:
        """Ids of the certified products whose words start as typed, best first."""
        body = autocomplete_body(text, today=timezone.localdate(), size=limit)
        response = self.client.search(index=ALIAS, body=body).body
        return [int(hit["_id"]) for hit in response["hits"]["hits"]]

    # --- Indexing -------------------------------------------------------------

    def index(self, product_ids: list[int]) -> None:
        """Write these products' DB documents to the live index, and delete the ids
        without one. Raises ReindexInProgress or IndexMissing (the outbox keeps the
        rows) rather than write where the change would be lost."""
        ids = sorted({int(pk) for pk in product_ids})
        if not ids:
            return
        live, building = self.indices()
        if not live:
            raise IndexMissing(f"alias {ALIAS} points to no index: run search_reindex")
        if building:
            raise ReindexInProgress(f"{', '.join(building)} is being filled")
        self._bulk(self._actions(ALIAS, ids))

    def indices(self) -> tuple[list[str], list[str]]:
        """(indices behind the alias, indices being filled by a reindex); indices
        abandoned by a dead reindex are in neither."""
        try:
            found = self.client.indices.get_alias(index=index_name("*")).body
        except NotFoundError:
            return [], []
        live = sorted(name for name, v in found.items() if ALIAS in v["aliases"])
        others = [name for name in found if name not in live]
        return live, sorted(name for name in others if not _abandoned(name))

    def abandoned(self) -> list[str]:
        """Indices a dead reindex left behind."""
        try:
            found = self.client.indices.get_alias(index=index_name("*")).body
        except NotFoundError:
            return []
        return sorted(
            name
            for name, v in found.items()
            if ALIAS not in v["aliases"] and _abandoned(name)
        )

    def index_create(self, version: str | None = None) -> str:
        """A new, empty index with our settings and mapping, behind no alias."""
        name = index_name(version or version_now())
        product_index(name).create(
            using=self.client.options(request_timeout=BULK_TIMEOUT)
        )
        return name

    def index_fill(self, name: str) -> int:
        """Every DB document into the index `name`; returns how many."""
        ids = list(ProductDocument.objects.order_by("pk").values_list("pk", flat=True))
        written = 0
        for start in range(0, len(ids), BULK_CHUNK):
            batch = ids[start : start + BULK_CHUNK]
            written += self._bulk(self._actions(name, batch, deletes=False))
        self.client.indices.refresh(index=name)
        return written

    def alias_swap(self, name: str) -> list[str]:
        """Point the alias at `name` only, in one atomic call; returns the indices
        it left."""
        live, _building = self.indices()
        body = alias_swap_actions(name, live)
        self.client.indices.update_aliases(actions=body["actions"])
        return [old for old in live if old != name]

    def indices_delete(self, names: Iterable[str]) -> None:
        for name in names:
            self.client.options(ignore_status=404).indices.delete(index=name)

    def indexed_sources(self) -> Iterator[tuple[int, dict]]:
        """(product id, _source) of every document behind the alias, the latest
        writes included (refreshed first)."""
        self.client.options(request_timeout=BULK_TIMEOUT).indices.refresh(index=ALIAS)
        for hit in helpers.scan(
            self.client.options(request_timeout=BULK_TIMEOUT),
            index=ALIAS,
            query={"query": {"match_all": {}}},
            size=BULK_CHUNK,
        ):
            yield int(hit["_id"]), hit["_source"]

    def _actions(self, target: str, ids: list[int], *, deletes: bool = True) -> list:
        documents = list(
            ProductDocument.objects.filter(pk__in=ids).select_related("text")
        )
        locations = outlet_locations(documents)
        actions = [
            {
                "_op_type": "index",
                "_index": target,
                "_id": document.product_id,
                "_source": document_source(document, locations),
            }
            for document in documents
        ]
        if deletes:
            present = {document.product_id for document in documents}
            actions += [
                {"_op_type": "delete", "_index": target, "_id": pk}
                for pk in ids
                if pk not in present
            ]
        return actions

    def _bulk(self, actions: list) -> int:
        if not actions:
            return 0
        # A deleted product that was never indexed answers 404: nothing to do.
        written, _errors = helpers.bulk(
            self.client.options(request_timeout=BULK_TIMEOUT),
            actions,
            chunk_size=BULK_CHUNK,
            ignore_status=(404,),
        )
        return written


def result_from_search(response: dict, query: SearchQuery) -> SearchResult:
    """The result of a `_search` response: the page's products loaded from the
    database with what a listing card shows, facets labelled (and ordered) in the
    query's language as the database backend does."""
    ids = [int(hit["_id"]) for hit in response["hits"]["hits"]]
    products = {product.pk: product for product in products_in_order(ids)}
    result = result_from_response(response, query, products)
    with translation.override(query.language):
        result.facets = facets_labelled(_facet_counts(result.facets), query)
    return result


def outlet_locations(documents: Iterable[ProductDocument]) -> dict[str, tuple]:
    """(latitude, longitude) of the outlets the documents name, by code."""
    codes = {code for document in documents for code in document.outlet_code_list}
    if not codes:
        return {}
    rows = SalesPoint.objects.filter(code__in=codes).values_list(
        "code", "latitude", "longitude"
    )
    return {code: (lat, lon) for code, lat, lon in rows}


def _abandoned(name: str) -> bool:
    created = _version_time(name)
    return created is not None and timezone.now() - created > ABANDONED_AFTER


def _facet_counts(facets: dict) -> dict[str, Counter]:
    """The counts of result_from_response's facets, keyed as the database backend
    counts them (its availability keys are "in_stock", "outlet", "near")."""
    counts = {facet: Counter() for facet in FACETS}
    for facet, values in facets.items():
        for value in values:
            key = value.value
            if facet == "availability" and key.startswith("outlet:"):
                key = "outlet"
            if value.count:
                counts[facet][key] += value.count
    return counts
