"""Whole-index operations (the commands and the demo seed call these): rebuild the
database documents, rebuild the Elasticsearch index behind its alias, and find (and
repair) differences between the catalogue, the database documents and the index."""

from dataclasses import dataclass, field, fields

from django.db import connection, transaction
from django.db.models import Max
from oscar.core.loading import get_model

from search import outbox
from search.backends import elasticsearch_backend, indexers_configure
from search.documents import (
    BATCH_SIZE,
    document_build,
    document_facts,
    documents_rebuild,
)
from search.elastic import document_source
from search.elastic_backend import ReindexInProgress, outlet_locations
from search.models import OutboxEntry, ProductDocument

Product = get_model("catalogue", "Product")


def search_rebuild(*, discard_queued: bool = False) -> int:
    """Rebuild every database document. Returns the documents written.

    The outbox rows stay for the drain, except with discard_queued when nothing else
    writes meanwhile (the demo seed): then the rows queued before the rebuild began
    are settled by it and deleted. With writers about, a row of a transaction not
    yet committed when the rebuild began may have a lower id than the high mark, so
    deleting by id could lose that change. With another backend active
    (Elasticsearch) the rows always stay."""
    high_mark = _high_mark()
    written = documents_rebuild()
    if discard_queued and high_mark and not outbox.ACTIVE_INDEXERS:
        OutboxEntry.objects.filter(pk__lte=high_mark).delete()
    outbox.generation_bump()
    return written


# --- Full reindex -------------------------------------------------------------------


@dataclass
class ReindexReport:
    documents: int  # database documents written
    index: str | None = None  # the new Elasticsearch index, if any
    indexed: int = 0  # documents put in it
    removed: list[str] = field(default_factory=list)  # indices deleted
    queued_during: int = 0  # outbox rows added while the rebuild ran
    drained: int = 0  # outbox rows drained after it
    pending: int = 0  # outbox rows still waiting (the drain failed)
    drain_error: str = ""


def search_reindex(
    *, version: str | None = None, discard_queued: bool = False
) -> ReindexReport:
    """Rebuild the database documents and, with Elasticsearch, a new versioned
    index from them; move the alias to it in one atomic call and delete the old
    ones. Then drain the outbox: the changes made while it ran reach the new index.

    No change is lost: from the new index's creation on, the Elasticsearch indexer
    refuses to write (ReindexInProgress) and the outbox keeps the rows; the drains
    already writing have finished (_outbox_barrier) before the rebuild reads the
    catalogue, so their changes are in what it reads."""
    high_mark = _high_mark()
    backend = elasticsearch_backend()
    if backend is None:
        report = ReindexReport(documents=search_rebuild(discard_queued=discard_queued))
    else:
        indexers_configure()  # the drain below must reach the new index
        _live, building = backend.indices()
        if building:
            raise ReindexInProgress(f"{', '.join(building)} is being filled")
        abandoned = backend.abandoned()
        new = backend.index_create(version)
        try:
            _outbox_barrier()
            documents = search_rebuild()
            indexed = backend.index_fill(new)
            removed = backend.alias_swap(new)
        except BaseException:
            backend.indices_delete([new])
            raise
        backend.indices_delete([*removed, *abandoned])
        report = ReindexReport(
            documents=documents,
            index=new,
            indexed=indexed,
            removed=[*removed, *abandoned],
        )
    report.queued_during = OutboxEntry.objects.filter(pk__gt=high_mark).count()
    report.drained, report.drain_error = _drain_all()
    report.pending = outbox.outbox_pending()
    return report


def _high_mark() -> int:
    return OutboxEntry.objects.aggregate(high=Max("pk"))["high"] or 0


def _outbox_barrier() -> None:
    """Wait until the drains that hold outbox rows have committed (PostgreSQL: they
    lock their rows until then). On SQLite a drain holds the database's write lock
    until it commits, so the rebuild's first write waits for it anyway."""
    if connection.features.has_select_for_update:
        with transaction.atomic():
            list(OutboxEntry.objects.select_for_update().values_list("pk", flat=True))


def _drain_all() -> tuple[int, str]:
    """Drain the whole outbox; (rows drained, the error that stopped it or "")."""
    before = outbox.outbox_pending()
    try:
        return outbox.outbox_drain_all(), ""
    except Exception as exc:  # reported; the rows stay for the periodic drain
        return max(before - outbox.outbox_pending(), 0), repr(exc)


# --- Reconcile ----------------------------------------------------------------------


@dataclass
class Differences:
    """Product ids, by kind of difference."""

    missing: list[int] = field(default_factory=list)  # browsable, no DB document
    orphaned: list[int] = field(default_factory=list)  # DB document, not browsable
    stale: list[int] = field(default_factory=list)  # DB document differs from a rebuild
    index_missing: list[int] = field(default_factory=list)  # DB document, not indexed
    index_orphaned: list[int] = field(default_factory=list)  # indexed, no DB document
    index_stale: list[int] = field(default_factory=list)  # index differs from DB
    index_checked: bool = False  # Elasticsearch configured and compared

    def by_kind(self) -> dict[str, list[int]]:
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "index_checked"
        }

    def product_ids(self) -> list[int]:
        return sorted({pk for ids in self.by_kind().values() for pk in ids})

    def __bool__(self) -> bool:
        return any(self.by_kind().values())


@dataclass
class ReconcileReport:
    found: Differences
    remaining: Differences | None = None  # after the repair, if one was asked
    queued: int = 0
    drained: int = 0
    drain_error: str = ""


def search_differences() -> Differences:
    """Compare the catalogue with the database documents and, with Elasticsearch,
    the database documents with the index."""
    found = Differences()
    browsable = set(Product.objects.browsable().values_list("pk", flat=True))
    stored = set(ProductDocument.objects.values_list("pk", flat=True))
    found.missing = sorted(browsable - stored)
    found.orphaned = sorted(stored - browsable)
    for batch in _batches(sorted(browsable & stored)):
        built = {document.pk: document for document in document_build(batch)}
        documents = ProductDocument.objects.filter(pk__in=batch).select_related(
            "text", "terms"
        )
        for document in documents:
            fresh = built.get(document.pk)
            if fresh is None or document_facts(fresh) != document_facts(document):
                found.stale.append(document.pk)
    found.stale.sort()

    backend = elasticsearch_backend()
    if backend is not None:
        found.index_checked = True
        indexed = dict(backend.indexed_sources())
        found.index_missing = sorted(stored - set(indexed))
        found.index_orphaned = sorted(set(indexed) - stored)
        for batch in _batches(sorted(stored & set(indexed))):
            documents = list(
                ProductDocument.objects.filter(pk__in=batch).select_related("text")
            )
            locations = outlet_locations(documents)
            for document in documents:
                if document_source(document, locations) != indexed[document.pk]:
                    found.index_stale.append(document.pk)
        found.index_stale.sort()
    return found


def search_reconcile(*, repair: bool = False) -> ReconcileReport:
    """The differences; with repair, the products concerned are queued in the
    outbox and drained, and the differences looked for again."""
    report = ReconcileReport(found=search_differences())
    if repair and report.found:
        if elasticsearch_backend() is not None:
            indexers_configure()
        with transaction.atomic():
            report.queued = outbox.outbox_add(report.found.product_ids())
        report.drained, report.drain_error = _drain_all()
        report.remaining = search_differences()
    return report


def _batches(ids: list[int]):
    for start in range(0, len(ids), BATCH_SIZE):
        yield ids[start : start + BATCH_SIZE]
