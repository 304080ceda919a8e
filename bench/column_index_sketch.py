"""A sketch, not part of the shop: how fast the database backend could answer if it
kept its documents as columns in each process (numpy) instead of asking PostgreSQL
to match, score and count thousands of rows a request (issue 7's first-time aims).

It reads the certified documents of the national catalogue (bench/national.py) into
arrays and per-line word lists, then answers a few texts with search.database's rules
(every token begins a folded word of some line or has a synonym written whole; a
line scores EXACT when every token begins one of its written words, FOLDED when
only folded; 9 * the best line + every line's points), with the total, the page by
relevance and the facet counts (no filters), and checks the page and the total
against the database backend. Filters, other sorts, other processes' changes and
SQLite are left out: it sizes the idea, it is not an implementation.

Needs numpy, which the shop does not install (hence not named *_bench.py, so that
`make bench` leaves it out):

    .venv/bin/pip install numpy
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/ocop_bench
    .venv/bin/python bench/column_index_sketch.py
"""

import os
import resource
import statistics
import sys
import time
from bisect import bisect_left
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import national  # noqa: E402

os.environ.update(national.django_env(national.national()["url"]))
import django  # noqa: E402

django.setup()
import numpy as np  # noqa: E402
from django.utils import timezone  # noqa: E402

from search.database import DatabaseBackend  # noqa: E402
from search.models import ProductDocument  # noqa: E402
from search.query import SearchQuery  # noqa: E402
from search.text import EXACT, FIELD_WEIGHTS, FOLDED, alternatives, tokens  # noqa: E402

LINES = ("title", "producer", "group", "description")

started = time.perf_counter()
rows = list(
    ProductDocument.objects.filter(
        certified_until__gte=timezone.localdate()
    )
    .order_by("pk")
    .values_list(
        "product_id", "stars", "group_codes", "region_codes", "producer_id",
        "producer_kind", "in_stock", "price_vnd", "date_created",
        *[f"terms__{line}{form}" for line in LINES for form in ("", "_folded")],
    )
)  # fmt: skip
n = len(rows)
ids = np.array([r[0] for r in rows], dtype=np.int64)
stars = np.array([r[1] or 0 for r in rows], dtype=np.int8)


def coded(values):
    labels = sorted(set(values))
    index = {v: i for i, v in enumerate(labels)}
    return labels, np.array([index[v] for v in values], dtype=np.int32)


group_labels, groups = coded([r[2] for r in rows])
region_labels, regions = coded([r[3] for r in rows])
producer_labels, producers = coded([r[4] or 0 for r in rows])
kind_labels, kinds = coded([r[5] for r in rows])
in_stock = np.array([r[6] for r in rows], dtype=bool)
dates = np.array([r[8].timestamp() for r in rows])
postings = {}  # (line, form) -> (sorted words, list of doc-index arrays)
for li, line in enumerate(LINES):
    for fi, form in enumerate(("exact", "folded")):
        by_word = defaultdict(list)
        column = 9 + li * 2 + fi
        for d, r in enumerate(rows):
            for word in set(r[column].split()):
                by_word[word].append(d)
        words = sorted(by_word)
        postings[line, form] = (
            words,
            [np.array(by_word[w], dtype=np.int32) for w in words],
        )
print(
    f"Built {n} documents in {time.perf_counter() - started:.1f} s; the process's peak"
    f" RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
)


def prefixed(line, form, prefix):
    words, lists = postings[line, form]
    mask = np.zeros(n, dtype=bool)
    i = bisect_left(words, prefix)
    while i < len(words) and words[i].startswith(prefix):
        mask[lists[i]] = True
        i += 1
    return mask


def whole(line, form, word):
    words, lists = postings[line, form]
    mask = np.zeros(n, dtype=bool)
    i = bisect_left(words, word)
    if i < len(words) and words[i] == word:
        mask[lists[i]] = True
    return mask


def answer(text):
    exact_tokens = tokens(text)
    expanded = alternatives(exact_tokens)
    folded_line, exact_line = {}, {}
    for line in LINES:
        f = np.ones(n, dtype=bool)
        for own, synonyms in expanded:
            m = prefixed(line, "folded", own)
            for s in synonyms:
                m |= whole(line, "exact", s)
            f &= m
        e = np.ones(n, dtype=bool)
        for token in exact_tokens:
            e &= prefixed(line, "exact", token)
        folded_line[line], exact_line[line] = f, e & f
    # every token somewhere (lines may differ)
    match = np.ones(n, dtype=bool)
    for own, synonyms in expanded:
        m = np.zeros(n, dtype=bool)
        for line in LINES:
            m |= prefixed(line, "folded", own)
            for s in synonyms:
                m |= whole(line, "exact", s)
        match &= m
    points = {
        line: np.where(exact_line[line], EXACT * FIELD_WEIGHTS[line],
                       np.where(folded_line[line], FOLDED * FIELD_WEIGHTS[line], 0))
        for line in LINES
    }  # fmt: skip
    best = np.zeros(n)
    for line in reversed(LINES):
        best = np.where(points[line] > 0, points[line], best)
    relevance = 9 * best + sum(points.values())
    hit = np.flatnonzero(match)
    order = np.lexsort((-ids[hit], -dates[hit], -relevance[hit]))[:24]
    page = ids[hit[order]].tolist()
    counts = {
        "stars": np.bincount(stars[hit], minlength=6),
        "group": np.bincount(groups[hit], minlength=len(group_labels)),
        "region": np.bincount(regions[hit], minlength=len(region_labels)),
        "kind": np.bincount(kinds[hit], minlength=len(kind_labels)),
        "in_stock": int(in_stock[hit].sum()),
    }
    by_producer = np.bincount(producers[hit], minlength=len(producer_labels))
    top = np.argsort(-by_producer, kind="stable")[:20]
    return page, len(hit), counts, top


def main() -> None:
    backend = DatabaseBackend()
    print("Against the database backend's answer (same page, total, stars and in-stock")
    print(
        "counts), and the time of the column index's answer (the page's ids, total and"
    )
    print("counts; not the page's products, which both read from the database):")
    for text in (
        "ocop",
        "chè",
        "trà",
        "chủ thể",
        "trà tân cương",
        "mat ong",
        "GIÒ LỤA",
    ):
        page, total, counts, _top = answer(text)
        sql = backend.search(SearchQuery(text=text))
        sql_stars = {int(v.value): v.count for v in sql.facets["stars"] if v.count}
        mine_stars = {s: int(c) for s, c in enumerate(counts["stars"]) if c}
        sql_stock = next(v.count for v in sql.facets["availability"])
        same = (
            [p.pk for p in sql.products] == page
            and sql.total == total
            and sql_stars == mine_stars
            and sql_stock == counts["in_stock"]
        )
        times = []
        for _ in range(20):
            t = time.perf_counter()
            answer(text)
            times.append((time.perf_counter() - t) * 1000)
        print(
            f"{text:<16} {total:>6} matches  p50 {statistics.median(times):5.1f}"
            f" max {max(times):5.1f} ms  the same: {same}"
        )


if __name__ == "__main__":
    main()
