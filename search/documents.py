"""Build and store ProductDocuments from the catalogue, in a constant number of
queries however many products (issue 7)."""

import datetime as dt
import html
import re
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from oscar.core.loading import get_model

from catalogue.selectors import VALID_CERTIFICATES_ATTR, certificates_valid_prefetch
from search.models import (
    SCORED_FIELDS,
    ProductDocument,
    ProductTerms,
    ProductText,
    codes_join,
)
from search.text import fold, normalize

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")

# Descriptions rank lowest and only need their opening to be found; a bound keeps
# documents small and the candidate rows the database backend scores cheap.
DESCRIPTION_CHARS = 1000
# PostgreSQL refuses a tsvector word over 2,047 bytes (ProductWords, migration 0005):
# no real word comes near, but a run of letters in a description (an inlined image,
# a hash) could, and would stop its document being written. Cut there.
LONGEST_WORD = 100
# Ids per query: well under SQLite's bound on query parameters.
BATCH_SIZE = 500
_SPACES = re.compile(r"\s+")
# PostgreSQL: the words of ProductWords (migration 0005), the tsvector the database
# backend matches and scores, from the ProductTerms row "terms": each folded word a
# lexeme ("tra"), each word as written another marked "=" ("=trà"), at position 1
# (title, weight A), 2 (producer, B), 3 (group, C) or 4 (description, D); the
# backend's weighted tsqueries (search.database) read WORD_WEIGHTS too.
WORD_WEIGHTS = dict(zip(SCORED_FIELDS, "ABCD", strict=True))
WORDS_SQL = "CAST({} AS tsvector)".format(
    " || ".join(
        f"regexp_replace(terms.\"{column}\", '(\\S+)', '''{mark}\\1'':{n}{weight}', 'g')"
        for n, (line, weight) in enumerate(WORD_WEIGHTS.items(), start=1)
        for column, mark in ((f"{line}_folded", ""), (line, "="))
    )
)


def _updated_fields(model) -> list[str]:
    """The columns an upsert writes (not the revision, which a trigger sets)."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name != "revision"
    ]


def document_build(product_ids: Iterable[int]) -> list[ProductDocument]:
    """Unsaved documents of the given products that are public and canonical (not
    children), each with its unsaved `.text` and `.terms`; the others get none. Five queries,
    whatever the number of products."""
    ids = sorted(set(product_ids))
    if not ids:
        return []
    today = timezone.localdate()
    products = list(
        Product.objects.browsable()
        .filter(pk__in=ids)
        .select_related("producer", "group__parent", "origin__parent__parent")
        .prefetch_related(certificates_valid_prefetch(today))
        .order_by("pk")
    )
    if not products:
        return []
    ids = [product.pk for product in products]
    stock = _stock_by_product(ids)
    categories = _categories_by_product(ids)
    now = timezone.now()
    return [
        _document(product, stock.get(product.pk, []), categories[product.pk], now)
        for product in products
    ]


def documents_sync(product_ids: Iterable[int], *, force: bool = False) -> int:
    """Bring the documents of these products up to date: upsert those of public,
    canonical products; delete the others' (deleted, hidden or made a child). A child
    product's change updates its parent's document. Returns the documents changed
    (written or deleted).

    A document built as it is stored is not written again (unless force): most
    stock movements (a sale that leaves units free) change nothing search shows,
    and a drain that changes nothing leaves the documents generation, and so the
    answers cached under it (search.outbox), alone."""
    ids = sorted(set(product_ids))
    changed = 0
    for start in range(0, len(ids), BATCH_SIZE):
        changed += _sync_batch(ids[start : start + BATCH_SIZE], force)
    return changed


def documents_rebuild() -> int:
    """Every product's document, written anew, and none left for products that are
    gone (the database side of a full reindex)."""
    written = documents_sync(Product.objects.values_list("pk", flat=True), force=True)
    ProductDocument.objects.exclude(
        product_id__in=Product.objects.browsable().values("pk")
    ).delete()
    return written


# Namespace of the advisory locks (the first of pg_advisory_xact_lock's two keys).
_LOCK_NAMESPACE = 0x5EA7C4


def products_lock(product_ids: list[int]) -> None:
    """Serialise drainers per product until commit (PostgreSQL): the second one
    reads the catalogue only after the first has written, so the last write is
    always built from the latest committed state. Ascending order: no deadlock."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, id) FROM unnest(%s::int[]) AS id",
            [_LOCK_NAMESPACE, product_ids],
        )


def document_facts(document: ProductDocument) -> dict:
    """What a document says, with its text and terms (its build time aside): two
    documents with the same facts search alike. Not its words (PostgreSQL), which
    are made from its terms when it is written."""
    facts = {name: getattr(document, name) for name in _DOCUMENT_FACTS}
    for part, names in _PART_FACTS.items():
        row = getattr(document, part, None)  # a missing one-to-one row raises
        facts[part] = None if row is None else {n: getattr(row, n) for n in names}
    return facts


_DOCUMENT_FACTS = [
    f.attname
    for f in ProductDocument._meta.concrete_fields
    if f.name not in ("updated_at", "revision")
]
_PART_FACTS = {
    "text": [f.attname for f in ProductText._meta.concrete_fields],
    "terms": [f.attname for f in ProductTerms._meta.concrete_fields],
}


def _stored_facts(ids: list[int]) -> dict[int, dict]:
    """The facts of the stored documents of these products that are whole (on
    PostgreSQL, with their words)."""
    words = connection.vendor == "postgresql"
    parts = [*_PART_FACTS, *(["words"] if words else [])]
    documents = ProductDocument.objects.filter(pk__in=ids).select_related(*parts)
    return {
        document.pk: document_facts(document)
        for document in documents
        if not words or hasattr(document, "words")  # else written again
    }


@transaction.atomic
def _sync_batch(ids: list[int], force: bool) -> int:
    parents = Product.objects.filter(pk__in=ids, parent__isnull=False).values_list(
        "parent_id", flat=True
    )
    ids = sorted({*ids, *parents})
    # A rebuild reads the catalogue only after a drainer writing these products has
    # committed (and the other way round): its documents are never older than theirs.
    products_lock(ids)
    stored = {} if force else _stored_facts(ids)
    built = document_build(ids)
    documents = [d for d in built if stored.get(d.pk) != document_facts(d)]
    if documents:
        ProductDocument.objects.bulk_create(
            documents,
            update_conflicts=True,
            unique_fields=["product"],
            update_fields=_updated_fields(ProductDocument),
        )
        ProductText.objects.bulk_create(
            [document.text for document in documents],
            update_conflicts=True,
            unique_fields=["document"],
            update_fields=_updated_fields(ProductText),
        )
        ProductTerms.objects.bulk_create(
            [document.terms for document in documents],
            update_conflicts=True,
            unique_fields=["document"],
            update_fields=_updated_fields(ProductTerms),
        )
        _words_write([document.pk for document in documents])
    gone = set(ids) - {document.product_id for document in built}
    _total, deleted = ProductDocument.objects.filter(product_id__in=gone).delete()
    return len(documents) + deleted.get(ProductDocument._meta.label, 0)


def _words_write(ids: list[int]) -> None:
    """PostgreSQL: the documents' ProductWords from their terms (WORDS_SQL); a
    deleted document's go with it (ON DELETE CASCADE)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_productwords (document_id, words)"
            f" SELECT terms.document_id, {WORDS_SQL} FROM search_productterms AS terms"
            " WHERE terms.document_id = ANY(%s)"
            " ON CONFLICT (document_id) DO UPDATE SET words = EXCLUDED.words",
            [ids],
        )


def _stock_by_product(ids: list[int]) -> dict[int, list[tuple]]:
    """(price, free units, outlet code or None, outlet active) per canonical product;
    a parent collects its children's records."""
    # The products (and their children) first, then their records through the
    # index on the record's product: an OR across the join to the product would
    # read every stock record (~40 ms at national size, on each drain of a sale).
    products = Product.objects.filter(Q(pk__in=ids) | Q(parent_id__in=ids))
    rows = (
        StockRecord.objects.filter(product_id__in=products.values("pk"))
        .order_by("pk")
        .values_list(
            "product_id", "product__parent_id", "price", "num_in_stock",
            "num_allocated", "partner__sales_point__code",
            "partner__sales_point__is_active",
        )
    )  # fmt: skip
    stock = defaultdict(list)
    for product_id, parent_id, price, in_stock, allocated, code, active in rows:
        free = (in_stock or 0) - (allocated or 0) if in_stock is not None else 0
        stock[parent_id or product_id].append((price, free, code, bool(active)))
    return stock


def _categories_by_product(ids: list[int]) -> dict[int, list[int]]:
    """Each product's category ids with all their ancestors (materialised paths:
    an ancestor's path is a prefix of its descendants', steplen characters a level)."""
    links = ProductCategory.objects.filter(product_id__in=ids).values_list(
        "product_id", "category_id", "category__path"
    )
    steplen = Category.steplen
    paths_by_product = defaultdict(set)
    for product_id, _category_id, path in links:
        for end in range(steplen, len(path) + 1, steplen):
            paths_by_product[product_id].add(path[:end])
    every_path = set().union(*paths_by_product.values()) if paths_by_product else set()
    id_by_path = dict(
        Category.objects.filter(path__in=every_path).values_list("path", "pk")
    )
    categories = defaultdict(list)
    for product_id, paths in paths_by_product.items():
        categories[product_id] = sorted(id_by_path[p] for p in paths if p in id_by_path)
    return categories


def _document(product, stock: list[tuple], category_ids: list[int], now):
    producer, group, origin = product.producer, product.group, product.origin
    certificates = getattr(product, VALID_CERTIFICATES_ATTR)
    current = certificates[0] if certificates else None
    units = _lineage(origin)
    groups = _lineage(group)
    prices = [price for price, *_rest in stock if price is not None]
    outlets = sorted(
        code for _price, free, code, active in stock if code and active and free > 0
    )
    texts = {
        "title_vi": product.title or "",
        "title_en": product.title_en or "",
        "producer_vi": producer.name_vi if producer else "",
        "producer_en": (producer.name_en if producer else "") or "",
        "group_vi": " · ".join(g.name_vi for g in groups),
        "group_en": " · ".join(g.name_en for g in groups),
        "origin_vi": ", ".join(_distinct(u.name_vi for u in units)),
        "origin_en": ", ".join(_distinct(u.name_en for u in units)),
        "description_vi": _plain(product.description),
        "description_en": _plain(product.description_en),
    }
    folded = {f"{name}_folded": fold(text) for name, text in texts.items()}
    lines = {
        field: normalize(" ".join(texts[name] for name in names))
        for field, names in SCORED_FIELDS.items()
    }
    document = ProductDocument(
        product_id=product.pk,
        group_codes=codes_join(g.code for g in groups),
        stars=current.stars if current else None,
        certified_until=(
            max(c.expires_on for c in certificates) - dt.timedelta(days=1)
            if certificates
            else None
        ),
        region_codes=codes_join(u.code for u in units),
        producer_id=producer.pk if producer else None,
        producer_kind=producer.kind if producer else "",
        price_vnd=_whole_vnd(min(prices)) if prices else None,
        in_stock=bool(outlets),
        outlet_codes=codes_join(outlets),
        category_ids=codes_join(category_ids),
        date_created=product.date_created,
        updated_at=now,
    )
    document.text = ProductText(document_id=product.pk, **texts, **folded)
    document.terms = ProductTerms(
        document_id=product.pk,
        **{field: f" {line} " for field, line in lines.items()},
        **{f"{field}_folded": f" {fold(line)} " for field, line in lines.items()},
    )
    return document


def _lineage(node) -> list:
    """The node, its parent, its grandparent (what select_related fetched)."""
    found = []
    while node is not None:
        found.append(node)
        if len(found) == 3 or not node.parent_id:
            break
        node = node.parent
    return found


def _distinct(values: Iterable[str]) -> list[str]:
    """Without repeats ("Thái Nguyên" city in "Thái Nguyên" province once)."""
    return list(dict.fromkeys(value for value in values if value))


def _plain(text: str) -> str:
    """Plain text from the (HTML) description, cut at a word before the bound,
    with no word over LONGEST_WORD letters."""
    text = _SPACES.sub(" ", html.unescape(strip_tags(text or ""))).strip()
    text = " ".join(word[:LONGEST_WORD] for word in text.split(" "))
    if len(text) <= DESCRIPTION_CHARS:
        return text
    cut = text[:DESCRIPTION_CHARS]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def _whole_vnd(price: Decimal) -> int:
    return int(Decimal(price).quantize(Decimal(1), rounding=ROUND_HALF_UP))
