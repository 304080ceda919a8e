"""The database side of search (issue 7): one denormalised document per product, and
the outbox that carries every change to the active backends.

ProductDocument (with its ProductText) is both the "index" of the database backend
and the source the Elasticsearch indexer reads, so the two backends see the same
facts. It is rebuilt from the catalogue by search.documents, never edited by hand.

Multi-valued facet fields (groups, regions, outlets, categories) are "|"-delimited
text ("|tea|beverages|"), matched with LIKE '%|tea|%'. Chosen over a JSON list
because it behaves the same on SQLite and PostgreSQL (Django has no JSON `contains`
on SQLite); on PostgreSQL the selective filters (certified_until, stars, price, in
stock, producer) use their B-tree indexes and the LIKE only rechecks those rows,
which at 20,000 documents costs about a millisecond. Facet counts group by the whole
delimited string (few distinct values: one per subgroup or origin unit) and split
it in Python, one aggregate query per facet."""

from django.db import models
from django.utils.translation import gettext_lazy as _

SEPARATOR = "|"
# The lines of ProductTerms, as search.text.FIELD_WEIGHTS names them, and the texts
# that make each line.
SCORED_FIELDS = {
    "title": ("title_vi", "title_en"),
    "producer": ("producer_vi", "producer_en"),
    "group": ("group_vi", "group_en"),
    "description": ("description_vi", "description_en", "origin_vi", "origin_en"),
}


def codes_join(values) -> str:
    """ "|a|b|" from the values (in order, without repeats); "" for none."""
    values = list(dict.fromkeys(str(v) for v in values if v not in (None, "")))
    return f"{SEPARATOR}{SEPARATOR.join(values)}{SEPARATOR}" if values else ""


def codes_split(text: str) -> list[str]:
    """The values of a "|a|b|" string."""
    return [value for value in (text or "").split(SEPARATOR) if value]


def codes_contains(code) -> str:
    """The substring that marks one value in a "|a|b|" string."""
    return f"{SEPARATOR}{code}{SEPARATOR}"


class ProductDocument(models.Model):
    """What search knows about one public, canonical (non-child) product: the facts
    it filters, counts and sorts on. Its texts are in `.text` (ProductText), and
    readable here too (`document.title_vi`; select_related("text") to read many).

    Two tables, not one, because facet counts read every matching row: on
    PostgreSQL a row with descriptions takes ~2 KB (below the size at which long
    values are moved out of the row), and counting 20,000 such rows costs ~25 ms a
    facet against ~2.5 ms for these narrow rows."""

    product = models.OneToOneField(
        "catalogue.Product",
        models.CASCADE,
        primary_key=True,
        related_name="search_document",
    )
    group_codes = models.CharField(max_length=200, blank=True)  # "|tea|beverages|"
    stars = models.PositiveSmallIntegerField(null=True)  # the certificate in force
    # Last day the product may be sold (the latest expiry of a certificate in force,
    # minus a day); null when none is in force. "Certified now" = today <= this.
    certified_until = models.DateField(null=True)
    region_codes = models.CharField(max_length=400, blank=True)  # origin upwards
    producer_id = models.PositiveIntegerField(null=True)
    producer_kind = models.CharField(max_length=32, blank=True)
    price_vnd = models.BigIntegerField(null=True)  # lowest stock-record price
    in_stock = models.BooleanField(default=False)  # free units at an active outlet
    outlet_codes = models.TextField(blank=True)  # "|tc-01|hn-02|": those outlets
    category_ids = models.TextField(blank=True)  # "|1|5|": with their ancestors
    date_created = models.DateTimeField()  # the product's
    updated_at = models.DateTimeField()
    # A random number a trigger sets on every write (migration 0006): how
    # search.columns tells which documents changed since it read them.
    revision = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("product search document")
        indexes = [
            models.Index(fields=["certified_until"], name="search_doc_certified"),
            models.Index(fields=["stars"], name="search_doc_stars"),
            models.Index(fields=["price_vnd"], name="search_doc_price"),
            models.Index(fields=["producer_id"], name="search_doc_producer"),
            models.Index(fields=["producer_kind"], name="search_doc_kind"),
            models.Index(fields=["in_stock"], name="search_doc_in_stock"),
            models.Index(fields=["-date_created"], name="search_doc_newest"),
        ]

    def __str__(self):
        return f"product {self.product_id}"

    @property
    def group_code_list(self) -> list[str]:
        return codes_split(self.group_codes)

    @property
    def region_code_list(self) -> list[str]:
        return codes_split(self.region_codes)

    @property
    def outlet_code_list(self) -> list[str]:
        return codes_split(self.outlet_codes)

    @property
    def category_id_list(self) -> list[int]:
        return [int(value) for value in codes_split(self.category_ids)]


class ProductText(models.Model):
    """The texts of a ProductDocument, in both languages, as shown and folded."""

    document = models.OneToOneField(
        ProductDocument, models.CASCADE, primary_key=True, related_name="text"
    )
    # As shown: the relevance formula (search.text.score) compares them with exact
    # diacritics. Descriptions are plain text, truncated.
    title_vi = models.CharField(max_length=255)
    title_en = models.CharField(max_length=255, blank=True)
    producer_vi = models.CharField(max_length=200, blank=True)
    producer_en = models.CharField(max_length=200, blank=True)
    group_vi = models.CharField(max_length=300, blank=True)  # "subgroup · main group"
    group_en = models.CharField(max_length=300, blank=True)
    origin_vi = models.CharField(max_length=400, blank=True)  # commune, district, …
    origin_en = models.CharField(max_length=400, blank=True)
    description_vi = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    # The same, folded (search.text.fold: lowercase, no diacritics, đ -> d).
    title_vi_folded = models.CharField(max_length=255)
    title_en_folded = models.CharField(max_length=255, blank=True)
    producer_vi_folded = models.CharField(max_length=200, blank=True)
    producer_en_folded = models.CharField(max_length=200, blank=True)
    group_vi_folded = models.CharField(max_length=300, blank=True)
    group_en_folded = models.CharField(max_length=300, blank=True)
    origin_vi_folded = models.CharField(max_length=400, blank=True)
    origin_en_folded = models.CharField(max_length=400, blank=True)
    description_vi_folded = models.TextField(blank=True)
    description_en_folded = models.TextField(blank=True)

    class Meta:
        verbose_name = _("product search text")

    def __str__(self):
        return self.title_vi


class ProductTerms(models.Model):
    """What the database backend matches and scores (search.database): each line of
    SCORED_FIELDS (the title in both languages, the producer, the group, the
    description with the origin) normalized (search.text.normalize: diacritics
    kept) and folded (search.text.fold), space-padded (" trà tân cương ") so that
    LIKE '% tra%' finds a word beginning and LIKE '% chè %' a whole word (SQLite).
    On PostgreSQL search.documents makes ProductWords from these lines, a tsvector
    with a GIN index (migration 0005), which the backend matches and scores instead.

    Apart from ProductText so that these rows stay narrow and uncompressed: the
    database scores every match with a few LIKEs a line."""

    document = models.OneToOneField(
        ProductDocument, models.CASCADE, primary_key=True, related_name="terms"
    )
    title = models.TextField()
    title_folded = models.TextField()
    producer = models.TextField()
    producer_folded = models.TextField()
    group = models.TextField()
    group_folded = models.TextField()
    description = models.TextField()
    description_folded = models.TextField()

    class Meta:
        verbose_name = _("product search terms")
        verbose_name_plural = _("product search terms")

    def __str__(self):
        return self.title.strip()


TEXT_FIELDS = tuple(
    field.name for field in ProductText._meta.concrete_fields if not field.primary_key
)


class _FromText:
    """document.title_vi reads document.text.title_vi."""

    def __init__(self, name: str):
        self.name = name

    def __get__(self, document, owner=None):
        return self if document is None else getattr(document.text, self.name)


for _name in TEXT_FIELDS:
    setattr(ProductDocument, _name, _FromText(_name))
del _name


class OutboxEntry(models.Model):
    """A product whose search documents must be brought up to date.

    Written in the same transaction as the change (search.outbox.outbox_add), so a
    committed change always leaves a row and a rolled-back one never does; deleted
    only once every active backend has taken the product (search.outbox.outbox_drain).
    product_id is a plain integer, not a foreign key: a deleted product must still
    reach the index, as a removal."""

    product_id = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)  # failed drains so far
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("search outbox entry")
        verbose_name_plural = _("search outbox entries")
        # The drain takes the fewest-failed, oldest rows first: a product that keeps
        # failing moves behind fresh changes instead of blocking them.
        indexes = [models.Index(fields=["attempts", "id"], name="search_outbox_next")]

    def __str__(self):
        return f"product {self.product_id} ({self.attempts} attempts)"


class ProductWords(models.Model):
    """The words the database backend matches and scores on PostgreSQL
    (search.database): a tsvector column `words` with a GIN index, added by
    migration 0005 on PostgreSQL only (not a model field: Django has no tsvector);
    on SQLite the table stays empty, as the lines of ProductTerms are matched with
    LIKE.

    Written by search.documents from ProductTerms' lines: each folded word a lexeme
    ("tra"), each word with its diacritics another marked "=" ("=trà"), at position
    1 (title, weight A), 2 (producer, B), 3 (group, C) or 4 (description, D). Apart
    from the terms so that a match reads ~800 bytes a document, not the lines too;
    apart from ProductDocument so that browsing and facet counts do not read it."""

    document = models.OneToOneField(
        ProductDocument, models.CASCADE, primary_key=True, related_name="words"
    )

    class Meta:
        verbose_name = _("product search words")
        verbose_name_plural = _("product search words")

    def __str__(self):
        return f"product {self.document_id}"


class DocumentsVersion(models.Model):
    """One row whose version triggers (migration 0006) set to a new random number
    whenever a search document or its terms are written or deleted, in the same
    transaction: a process's copy of the documents (search.columns) is current
    while the version it read is. Random, not counted: after a rollback the next
    write must not bring back a number an earlier, rolled-back write gave."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("search documents version")
        verbose_name_plural = _("search documents version")

    def __str__(self):
        return str(self.version)
