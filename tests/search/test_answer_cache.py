"""The database backend's cached answers (settings.SEARCH_RESULT_CACHE_SECONDS): a
repeated query costs only its page's products, and no answer outlives the documents
(a drain that changes one) or the day (certificates expire at midnight) it was read on."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from search import outbox
from search.models import ProductDocument
from search.outbox import outbox_add, outbox_drain_all
from tests.search.test_database_backend import counts, make, search, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.SEARCH_RESULT_CACHE_SECONDS = 300
    cache.clear()
    make("Trà Tân Cương đặc biệt", stars=5)
    make("Trà búp Tân Cương", stars=4)
    honey = make("Mật ong rừng", group_code="herbs", stars=4)
    outbox_drain_all()
    return honey


def answer(result) -> tuple:
    return (titles(result), result.total, result.facets, result.suggestion)


def test_a_repeated_query_reads_only_its_page_products(cached):
    with CaptureQueriesContext(connection) as first:
        fresh = search(text="tra tan cuong")
    with CaptureQueriesContext(connection) as again:
        repeated = search(text="tra tan cuong")

    assert answer(repeated) == answer(fresh)
    assert fresh.total == 2 and counts(fresh, "stars") == {"5": 1, "4": 1}
    # The product, its stock record, images and certificates (products_in_order).
    assert len(again) == 4 < len(first)
    other_page = search(text="tra tan cuong", page_size=1, page=2)
    assert titles(other_page) == titles(fresh)[1:]


def test_a_drained_change_is_searched_at_once(cached):
    assert search(text="tra").total == 2
    honey = make("Trà mật ong", group_code="herbs")  # written, not yet drained
    assert search(text="tra").total == 2  # the documents have not changed either

    outbox_drain_all()

    result = search(text="tra")
    assert result.total == 3 and honey.title in titles(result)


def test_a_drain_that_changes_no_document_keeps_the_answers(cached):
    fresh = search(text="tra")
    outbox_add([cached.pk])  # queued, but nothing about the honey changed
    outbox_drain_all()

    with CaptureQueriesContext(connection) as again:
        repeated = search(text="tra")

    assert answer(repeated) == answer(fresh)
    assert len(again) == 4


def test_an_answer_is_not_kept_past_its_day(cached, monkeypatch):
    today = timezone.localdate()
    ProductDocument.objects.filter(product=cached).update(certified_until=today)
    assert search().total == 3

    monkeypatch.setattr(timezone, "localdate", lambda: today + dt.timedelta(days=1))

    assert search().total == 2  # the honey's certificate ended yesterday


def test_an_evicted_generation_starts_above_every_earlier_one():
    outbox.generation_bump()
    before = outbox.generation()
    cache.delete(outbox.GENERATION_KEY)

    after = outbox.generation()

    assert after > before and outbox.generation() == after
    outbox.generation_bump()
    assert outbox.generation() == after + 1
