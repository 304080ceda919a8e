"""The task outbox and the resilient cache in-process (any database, no broker: tasks
run inline); the suite's other modules prove the same with real processes."""

import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from kombu.exceptions import OperationalError

from shop.celery import app
from shop.models import TaskOutboxEntry
from shop.order.tasks import order_email_send_task
from shop.resilient_cache import ResilientRedisCache
from shop.task_outbox import task_outbox_flush, task_send_on_commit
from tests.factories import create_product
from tests.reliability.processes import free_port
from tests.shop.orders import basket_with, outlet, pickup, place, stocked

EMAIL_TASK = "shop.order.tasks.order_email_send_task"
pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


@pytest.fixture
def shop_and_tea():
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 10)
    return shop, tea


@pytest.fixture
def broker_down(monkeypatch):
    """The email task cannot be sent, as with Redis stopped."""

    def refused(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Refused.")

    monkeypatch.setattr(app.tasks[EMAIL_TASK], "apply_async", refused)
    return monkeypatch


def test_an_order_rolled_back_leaves_no_row_and_sends_nothing(
    shop_and_tea, django_capture_on_commit_callbacks
):
    shop, tea = shop_and_tea
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Rollback), transaction.atomic():
            place(basket_with((tea, 1)), pickup(shop))
            assert TaskOutboxEntry.objects.filter(task=EMAIL_TASK).exists()
            raise Rollback

    assert callbacks == [] and mail.outbox == []
    assert not TaskOutboxEntry.objects.exists()


def test_with_the_broker_down_the_order_commits_and_its_email_waits(
    shop_and_tea, broker_down, django_capture_on_commit_callbacks
):
    shop, tea = shop_and_tea
    with django_capture_on_commit_callbacks(execute=True):
        order = place(basket_with((tea, 1)), pickup(shop))

    [entry] = TaskOutboxEntry.objects.all()
    assert entry.kwargs == {"order_id": order.pk, "kind": "received"}
    assert entry.attempts == 1 and "OperationalError" in entry.last_error
    assert mail.outbox == []

    # a flush while the broker is still down keeps it, one attempt more
    assert task_outbox_flush() == 0
    assert TaskOutboxEntry.objects.get().attempts == 2

    # once the broker is back, the flush (beat's, or the command) sends it
    broker_down.undo()
    call_command("task_outbox_flush")
    assert [m.to for m in mail.outbox] == [["buyer@example.com"]]
    assert not TaskOutboxEntry.objects.exists()


def test_a_later_commit_sends_the_backlog_too(
    shop_and_tea, broker_down, django_capture_on_commit_callbacks
):
    shop, tea = shop_and_tea
    with django_capture_on_commit_callbacks(execute=True):
        place(basket_with((tea, 1)), pickup(shop))
    broker_down.undo()

    with django_capture_on_commit_callbacks(execute=True):
        place(basket_with((tea, 2)), pickup(shop))

    assert len(mail.outbox) == 2
    assert not TaskOutboxEntry.objects.exists()


def test_refund_amounts_are_kept_as_text_for_the_task(shop_and_tea):
    # Decimals are not JSON: the row keeps them as strings, as Celery would send them
    entry = task_send_on_commit(
        order_email_send_task, order_id=1, kind="refunded", amount=Decimal("1.50")
    )
    entry.refresh_from_db()
    assert entry.kwargs["amount"] == "1.50"


def test_beat_flushes_the_outbox_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["task-outbox-flush"]
    assert entry["task"] == "shop.tasks.task_outbox_flush_task"
    assert entry["task"] in app.tasks


def test_the_cache_treats_an_unreachable_redis_as_a_miss(caplog):
    cache = ResilientRedisCache(
        f"redis://127.0.0.1:{free_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )
    started = time.monotonic()

    assert cache.get("menu", "default") == "default"
    assert cache.get_or_set("menu", "built") == "built"
    cache.set("menu", "x")
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    with pytest.raises(ValueError):  # a missing counter: callers start it afresh
        cache.incr("generation")
    cache.delete("menu")

    assert time.monotonic() - started < 2
    assert sum("Redis unreachable" in r.getMessage() for r in caplog.records) == 1


def test_a_counter_is_still_tried_while_the_cache_pauses_after_a_blip():
    """Generation bumps (page invalidation) and throttles are not skipped because an
    earlier call on this thread failed: the next incr goes to Redis again."""
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: needs a Redis that answers")
    cache = ResilientRedisCache(
        settings.REDIS_URL, {"KEY_PREFIX": f"blip-{time.monotonic_ns()}"}
    )
    cache._failed(ConnectionError("a blip"))  # what one failed call leaves behind
    cache.set("generation", 1)  # paused: dropped

    with pytest.raises(ValueError):  # tried: Redis says the key is missing
        cache.incr("generation")
    cache.set("generation", 5)  # no longer paused
    assert cache.incr("generation") == 6
    cache.delete("generation")


def test_order_status_lookups_go_on_while_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "shop.resilient_cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }

    response = client.post(
        "/en/shop/order-status/", {"number": "100001", "email": "a@example.com"}
    )

    assert response.status_code == 200  # the form again, not a 500 (nor a 429)
