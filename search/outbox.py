"""Search never loses an update (DESIGN decision 8, issue 7).

Every change that can alter a product's search document adds an OutboxEntry in the
transaction that makes the change (outbox_add): committed together or not at all.
After the commit a Celery task drains the outbox (outbox_drain): it brings the
database documents up to date, hands the products to every other active backend
(ACTIVE_INDEXERS: Elasticsearch when configured), and only then deletes the rows it
took. If a backend fails, the rows stay (attempts + 1, last_error) and the task
retries with backoff; the database documents are already current, so the database
backend can answer meanwhile.

Draining is idempotent (a document is rebuilt from the catalogue, whatever the row
says) and safe to run concurrently: each drainer locks its rows with SKIP LOCKED on
PostgreSQL, and holds a transaction-scoped advisory lock per product while it reads
the catalogue and writes, so two drainers cannot write one product's document in
the wrong order. Rows are never merged across transactions: a row added while a
drainer holds an older row of the same product is drained again, later."""

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F

from search.documents import documents_sync, products_lock
from search.models import OutboxEntry

logger = logging.getLogger(__name__)

# Backends other than the database that must receive every change: objects with
# index(product_ids) (search.query.SearchBackend). The Elasticsearch backend is
# appended here when ELASTICSEARCH_URL is set.
ACTIVE_INDEXERS: list = []

# Bumped after every drain that changes a document: the database backend's cached
# answers are keyed by it, and per-process caches of the catalogue's words (its "did
# you mean" vocabulary) compare it to know they are stale.
GENERATION_KEY = "search:documents-generation"
_ERROR_CHARS = 2000
# Inside drain_deferred() rows are still added but no drain task is sent per commit.
_deferred: ContextVar[bool] = ContextVar("search_outbox_deferred", default=False)


def outbox_add(product_ids: Iterable[int]) -> int:
    """Queue these products for re-indexing, in the caller's transaction (call it
    inside the transaction that changes them); the drain task is sent after the
    commit. Returns the rows added."""
    ids = sorted({int(pk) for pk in product_ids if pk is not None})
    if not ids:
        return 0
    OutboxEntry.objects.bulk_create([OutboxEntry(product_id=pk) for pk in ids])
    _drain_on_commit()
    return len(ids)


def outbox_drain(limit: int = 500) -> int:
    """Drain up to `limit` outbox rows (the oldest, least-failed first) to every
    active backend; returns how many were drained. Raises the backend's error when
    one fails, after recording it on the rows, which stay for the next drain."""
    failure = None
    with transaction.atomic():
        entries = list(_locked_batch(limit))
        if not entries:
            return 0
        pks = [pk for pk, _product_id in entries]
        product_ids = sorted({product_id for _pk, product_id in entries})
        products_lock(product_ids)
        changed = documents_sync(product_ids)
        try:
            for indexer in ACTIVE_INDEXERS:
                with transaction.atomic():  # an indexer's database error stays its own
                    indexer.index(product_ids)
        except Exception as exc:  # any backend failure: the rows stay for a retry
            failure = exc
            OutboxEntry.objects.filter(pk__in=pks).update(
                attempts=F("attempts") + 1, last_error=repr(exc)[:_ERROR_CHARS]
            )
        else:
            OutboxEntry.objects.filter(pk__in=pks).delete()
    if changed:  # a drain that changed no document leaves cached answers current
        generation_bump()
    if failure is not None:
        logger.warning(
            "search outbox: %s products kept for retry: %r", len(product_ids), failure
        )
        raise failure
    return len(pks)


def outbox_drain_all() -> int:
    """Drain batches until the outbox is empty; the rows drained. A backend's error
    propagates (its rows stay), as from outbox_drain."""
    drained = 0
    while batch := outbox_drain():
        drained += batch
    return drained


def outbox_pending() -> int:
    """Rows waiting (for /healthz and the reconcile command)."""
    return OutboxEntry.objects.count()


def generation() -> int:
    """The current documents generation. Never set, or evicted from the cache, it
    starts anew from the clock: a number no earlier generation had, so nothing
    cached under an old one is taken for current (0 only when the cache is down)."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        current = cache.get(GENERATION_KEY, 0)
    return current


def generation_bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted)
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)


def _locked_batch(limit: int):
    batch = OutboxEntry.objects.order_by("attempts", "pk")
    if connection.features.has_select_for_update_skip_locked:
        # Rows another drainer holds are skipped, not waited for.
        batch = batch.select_for_update(skip_locked=True)
    # SQLite has no row locks: its writers are serialised by the database lock, and
    # the drain deletes by primary key, so a row drained twice is only rebuilt twice.
    return batch.values_list("pk", "product_id")[:limit]


@contextmanager
def drain_deferred() -> Iterator[None]:
    """For bulk writers (the demo seed, imports of thousands of rows): queue rows
    without sending a drain task after every commit; one task is sent at the end
    (the periodic drain would catch up anyway)."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)
    _drain_on_commit()


def _drain_on_commit() -> None:
    """Send the drain task after the commit. robust: a broker or backend error is
    logged and never fails the request whose change is already committed; the rows
    stay and the periodic drain catches up. Not deduplicated: a second task finds
    the rows gone and costs one query (a test's transaction never commits, so a
    callback registered earlier in it would hide later ones from
    captureOnCommitCallbacks)."""
    if _deferred.get():
        return
    transaction.on_commit(_drain_task_send, robust=True)


def _drain_task_send() -> None:
    from search.tasks import search_outbox_drain_task

    # No publish retries: with the broker down the rows wait, and beat drains them.
    search_outbox_drain_task.apply_async(retry=False)
