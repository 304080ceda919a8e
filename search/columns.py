"""The search documents as columns in this process (numpy): how the database backend
answers (search.database), with the rules its SQL statement states, in about a
millisecond where PostgreSQL takes 40-70 ms for a text that matches thousands of
products (issue 7, "How fast"; bench/RESULTS.md).

The database stays the store: ProductDocument and ProductTerms are read into
arrays (one slot a document) and word lists (each line's words, as written and
folded, with their slots), and the page's products are still read from it.

Current, not cached for a while: each answer first reads DocumentsVersion's one
row, which triggers change with every write of a document or its terms (migration
0006), in the writer's transaction. When it moved, the (product, revision) pairs
are read and only the documents whose revision changed are read again: their old
slots die, new ones are appended. When dead slots pile up the copy is read anew.
A web process reads it as it starts (columns_warm, from shop.wsgi); the "did you
mean" words are made from it too (columns_vocabulary).

Rules (search.text): a token matches a line when it begins one of the line's
folded words or one of its synonyms is a whole word as written; a document
matches when every token matches some line. A line scores FOLDED when every token
matches it, EXACT when moreover every token begins one of its written words; the
relevance is 9 * the best line's points + every line's points (10 * score)."""

import datetime as dt
import logging
import threading
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import islice

import numpy as np
from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from search.models import SCORED_FIELDS, DocumentsVersion, ProductDocument, codes_split
from search.text import (
    EXACT,
    FIELD_WEIGHTS,
    FOLDED,
    Vocabulary,
    alternatives,
    tokens,
)

logger = logging.getLogger(__name__)

LINES = tuple(SCORED_FIELDS)  # best first
_FORMS = ("written", "folded")
# Read the copy anew when this share of its slots (and at least this many) died.
DEAD_SHARE, DEAD_MIN = 0.25, 1000
# Rows read from the database at a time.
CHUNK = 2000
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)
_NONE = -1  # stars, producer, certified_until, price: none


class Codes:
    """A delimited field ("|a|b|"): each slot's codes, as (slot, code number) pairs."""

    def __init__(self):
        self.labels: list[str] = []
        self.numbers: dict[str, int] = {}
        self.slots = np.empty(0, dtype=np.int32)
        self.codes = np.empty(0, dtype=np.int32)

    def append(self, first_slot: int, values: list[str]) -> None:
        slots, codes = [], []
        for offset, value in enumerate(values):
            for code in codes_split(value):
                number = self.numbers.get(code)
                if number is None:
                    number = self.numbers[code] = len(self.labels)
                    self.labels.append(code)
                slots.append(first_slot + offset)
                codes.append(number)
        self.slots = np.concatenate([self.slots, np.array(slots, dtype=np.int32)])
        self.codes = np.concatenate([self.codes, np.array(codes, dtype=np.int32)])

    def having(self, values: Iterable, size: int) -> np.ndarray:
        """The slots holding one of the values."""
        wanted = [self.numbers[str(v)] for v in values if str(v) in self.numbers]
        mask = np.zeros(size, dtype=bool)
        if wanted:
            mask[self.slots[np.isin(self.codes, wanted)]] = True
        return mask

    def counts(self, mask: np.ndarray) -> Counter:
        """How many of the masked slots hold each code."""
        tally = np.bincount(self.codes[mask[self.slots]], minlength=len(self.labels))
        return Counter({self.labels[i]: int(tally[i]) for i in np.flatnonzero(tally)})


class Words:
    """One line's words in one form: the words sorted (for prefixes) and each
    word's slots."""

    def __init__(self):
        self.words: list[str] = []
        self.slots: dict[str, np.ndarray] = {}

    def append(self, first_slot: int, lines: list[str]) -> None:
        added = defaultdict(list)
        for offset, line in enumerate(lines):
            for word in set(line.split()):
                added[word].append(first_slot + offset)
        new = []
        for word, slots in added.items():
            slots = np.array(slots, dtype=np.int32)
            held = self.slots.get(word)
            if held is None:
                new.append(word)
                self.slots[word] = slots
            else:
                self.slots[word] = np.concatenate([held, slots])
        if len(new) > len(self.words):
            self.words = sorted([*self.words, *new])
        else:
            for word in new:
                self.words.insert(bisect_left(self.words, word), word)

    def beginning(self, prefix: str, size: int) -> np.ndarray:
        """The slots with a word beginning with the prefix."""
        start = bisect_left(self.words, prefix)
        stop = start
        while stop < len(self.words) and self.words[stop].startswith(prefix):
            stop += 1
        mask = np.zeros(size, dtype=bool)
        if stop > start:
            mask[np.concatenate([self.slots[w] for w in self.words[start:stop]])] = True
        return mask

    def whole(self, word: str, size: int) -> np.ndarray:
        mask = np.zeros(size, dtype=bool)
        slots = self.slots.get(word)
        if slots is not None:
            mask[slots] = True
        return mask


class Columns:
    """The documents, one slot each; a changed document gets a new slot."""

    def __init__(self):
        self.version: int | None = None
        self.slot_of: dict[int, int] = {}  # product id -> its live slot
        self.product = np.empty(0, dtype=np.int64)
        self.revision = np.empty(0, dtype=np.int64)
        self.live = np.empty(0, dtype=bool)
        self.stars = np.empty(0, dtype=np.int16)
        self.certified_until = np.empty(0, dtype=np.int32)  # date ordinal
        self.producer = np.empty(0, dtype=np.int64)
        self.price = np.empty(0, dtype=np.int64)
        self.in_stock = np.empty(0, dtype=bool)
        self.created = np.empty(0, dtype=np.int64)  # microseconds since 1970
        self.kind = Codes()  # one code a slot ("" for none)
        self.delimited = {
            "group_codes": Codes(),
            "region_codes": Codes(),
            "outlet_codes": Codes(),
            "category_ids": Codes(),
        }
        self.lines = {(line, form): Words() for line in LINES for form in _FORMS}
        self.vocabulary: tuple[tuple, Vocabulary] | None = None  # (key, it)

    @property
    def size(self) -> int:
        return len(self.product)

    @property
    def dead(self) -> int:
        return self.size - len(self.slot_of)

    def append(self, rows: list[tuple]) -> None:
        """Documents as _ROW reads them, each on a new slot."""
        if not rows:
            return
        first = self.size
        column = dict(zip(_ROW, zip(*rows, strict=True), strict=True))

        def add(name, values, dtype):
            old = getattr(self, name)
            setattr(self, name, np.concatenate([old, np.array(values, dtype=dtype)]))

        add("product", column["product_id"], np.int64)
        add("revision", column["revision"], np.int64)
        add("live", [True] * len(rows), bool)
        add("stars", [_or_none(v) for v in column["stars"]], np.int16)
        until = [d.toordinal() if d else _NONE for d in column["certified_until"]]
        add("certified_until", until, np.int32)
        add("producer", [_or_none(v) for v in column["producer_id"]], np.int64)
        add("price", [_or_none(v) for v in column["price_vnd"]], np.int64)
        add("in_stock", column["in_stock"], bool)
        add("created", [_microseconds(d) for d in column["date_created"]], np.int64)
        kinds = column["producer_kind"]
        self.kind.append(first, [f"|{kind}|" if kind else "" for kind in kinds])
        for name, codes in self.delimited.items():
            codes.append(first, column[name])
        for (line, form), words in self.lines.items():
            words.append(first, column[f"{line}_folded" if form == "folded" else line])
        for offset, product_id in enumerate(column["product_id"]):
            self.slot_of[product_id] = first + offset

    def drop(self, product_ids: Iterable[int]) -> None:
        for product_id in product_ids:
            slot = self.slot_of.pop(product_id, None)
            if slot is not None:
                self.live[slot] = False


# What a slot holds: the document's fields, then its terms' lines.
_FIELDS = (
    "product_id", "revision", "stars", "certified_until", "producer_id", "price_vnd",
    "in_stock", "date_created", "producer_kind", "group_codes", "region_codes",
    "outlet_codes", "category_ids",
)  # fmt: skip
_TERMS = tuple(f"{line}{suffix}" for line in LINES for suffix in ("", "_folded"))
_ROW = (*_FIELDS, *_TERMS)
_READ = (*_FIELDS, *(f"terms__{name}" for name in _TERMS))


def _or_none(value) -> int:
    return _NONE if value is None else value


def _microseconds(moment: dt.datetime) -> int:
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return (moment - _EPOCH) // _MICROSECOND


def _documents(product_ids: list[int] | None = None):
    """The rows of these products' documents (all when None), CHUNK at a time."""
    documents = ProductDocument.objects.filter(terms__isnull=False).order_by("pk")
    if product_ids is None:  # one statement, streamed
        rows = documents.values_list(*_READ).iterator(chunk_size=CHUNK)
        while chunk := list(islice(rows, CHUNK)):
            yield chunk
        return
    for start in range(0, len(product_ids), CHUNK):
        batch = product_ids[start : start + CHUNK]
        yield list(documents.filter(pk__in=batch).values_list(*_READ))


def columns_read() -> Columns:
    columns = Columns()
    columns.version = _version()
    for rows in _documents():
        columns.append(rows)
    return columns


def _version() -> int | None:
    """DocumentsVersion's number (None when its row is gone, as after a flush)."""
    return (
        DocumentsVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    )


def columns_refresh(columns: Columns) -> Columns:
    """The copy brought up to date: itself when the version has not moved, else
    with the changed documents read again (or all of them, when many died)."""
    version = _version()
    if version is not None and version == columns.version:
        return columns
    stored = dict(ProductDocument.objects.values_list("product_id", "revision"))
    held = columns.revision
    changed = [
        pk
        for pk, revision in stored.items()
        if (slot := columns.slot_of.get(pk)) is None or held[slot] != revision
    ]
    gone = [pk for pk in columns.slot_of if pk not in stored]
    if columns.dead + len(changed) + len(gone) > max(
        DEAD_MIN, DEAD_SHARE * len(stored)
    ):
        return columns_read()
    columns.drop([*gone, *changed])
    for rows in _documents(changed):
        columns.append(rows)
    columns.version = version
    return columns


_held: Columns | None = None
_lock = threading.Lock()


def columns_current() -> Columns:
    """This process's copy, brought up to date (one query when nothing changed).
    Callers read it under columns_lock."""
    global _held
    _held = columns_read() if _held is None else columns_refresh(_held)
    return _held


def columns_lock() -> threading.Lock:
    return _lock


def columns_warm() -> None:
    """Read the copy before the first search (shop.wsgi, as a web process starts):
    at national size it takes about a second, which the first buyer would otherwise
    wait. Not with Elasticsearch (the copy only serves its fallback then); a
    database not ready yet leaves it to the first search."""
    if not settings.SEARCH_DATABASE_COLUMNS or settings.ELASTICSEARCH_URL:
        return
    try:
        with _lock:
            columns_current()
    except DatabaseError as error:
        logger.warning("search: the documents' copy not read at start: %s", error)


def columns_vocabulary(columns: Columns) -> Vocabulary:
    """The "did you mean" words (search.text.suggest): the folded words of the live
    documents' titles and producers, each as frequent as the documents holding it
    (once a line). Made again only when the copy changed: no document read, where
    search.database.vocabulary reads every title (0.6 s at national size)."""
    key = (columns.size, columns.dead)
    if columns.vocabulary is None or columns.vocabulary[0] != key:
        frequency = Counter()
        for line in ("title", "producer"):
            for word, slots in columns.lines[line, "folded"].slots.items():
                if held := int(np.count_nonzero(columns.live[slots])):
                    frequency[word] += held
        columns.vocabulary = (key, Vocabulary(frequency))
    return columns.vocabulary[1]


# --- Answering --------------------------------------------------------------------


def text_match(columns: Columns, text: str) -> tuple[np.ndarray, np.ndarray | None]:
    """(the slots matching the text, 10 * search.text.score of each slot) or
    (all, None) without text."""
    size = columns.size
    exact = tokens(text)
    if not exact:
        return np.ones(size, dtype=bool), None
    expanded = alternatives(exact)
    match = np.ones(size, dtype=bool)
    holds = {}  # (line, token index) -> the slots whose line holds the token
    for i, (own, synonyms) in enumerate(expanded):
        anywhere = np.zeros(size, dtype=bool)
        for line in LINES:
            mask = columns.lines[line, "folded"].beginning(own, size)
            for word in synonyms:
                mask |= columns.lines[line, "written"].whole(word, size)
            holds[line, i] = mask
            anywhere |= mask
        match &= anywhere
    relevance = np.zeros(size, dtype=np.int32)
    best = np.zeros(size, dtype=np.int32)
    for line in reversed(LINES):  # the best line is the first that scores
        folded = match.copy()
        for i in range(len(expanded)):
            folded &= holds[line, i]
        exactly = folded.copy()
        for token in exact:
            if not exactly.any():
                break
            exactly &= columns.lines[line, "written"].beginning(token, size)
        weight = FIELD_WEIGHTS[line]
        points = np.where(exactly, EXACT * weight, np.where(folded, FOLDED * weight, 0))
        relevance += points
        best = np.where(points > 0, points, best)
    return match, 9 * best + relevance


def certified_on(columns: Columns, day: dt.date) -> np.ndarray:
    return columns.certified_until >= day.toordinal()


def price_between(columns: Columns, low: int | None, high: int | None) -> np.ndarray:
    mask = columns.price != _NONE
    if low is not None:
        mask &= columns.price >= low
    if high is not None:
        mask &= columns.price <= high
    return mask


def condition_mask(columns: Columns, field: str, values: tuple) -> np.ndarray:
    """search.database.Condition's test on every slot."""
    size = columns.size
    if not values:
        return np.zeros(size, dtype=bool)
    if field in columns.delimited:
        return columns.delimited[field].having(values, size)
    if field == "producer_kind":
        return columns.kind.having(values, size)
    if field == "stars":
        return np.isin(columns.stars, [int(v) for v in values])
    if field == "producer_id":
        return np.isin(columns.producer, [int(v) for v in values])
    if field == "in_stock":
        return columns.in_stock if True in values else ~columns.in_stock
    raise ValueError(f"no column for {field}")


def ordered(
    columns: Columns, slots: np.ndarray, relevance: np.ndarray | None, sort: str
) -> np.ndarray:
    """The slots in the sort's order, then relevance, then newest (search.database's
    _ORDER): np.lexsort's last key is the first compared."""
    newest = (-columns.product[slots], -columns.created[slots])
    if sort == "newest":
        return slots[np.lexsort(newest)]
    keys = [*newest]
    if relevance is not None:
        keys.append(-relevance[slots])
    if sort in ("price", "-price"):
        price = columns.price[slots]
        keys += [price if sort == "price" else -price, price == _NONE]
    elif sort == "stars":
        stars = columns.stars[slots]
        keys += [-stars, stars == _NONE]
    return slots[np.lexsort(keys)]


def producers_counted(
    columns: Columns, mask: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(producer ids, how many masked slots each has), without "none"."""
    producers = columns.producer[mask]
    return np.unique(producers[producers != _NONE], return_counts=True)
