"""With Redis (cache and broker) stopped, the site still serves its pages and takes
orders, and the emails those orders send are not lost: they wait in the task outbox
and go once Redis is back.

Real processes: gunicorn serving the project and a Celery worker, both on a
redis-server of the test's own (started, stopped, started again; nothing saved, so
whatever was queued in it is gone, as after a crash), and an SMTP server that counts
what it is sent. The buyer is `requests`, going through the checkout pages."""

import time
import warnings

import pytest
import requests
from celery.exceptions import AlwaysEagerIgnored
from django.urls import reverse
from oscar.core.loading import get_model

from search.outbox import outbox_drain_all
from shop.models import TaskOutboxEntry
from shop.tasks import task_outbox_flush_task
from tests.factories import create_product
from tests.reliability import processes
from tests.shop.orders import outlet, stocked

Order = get_model("order", "Order")
CommunicationEvent = get_model("order", "CommunicationEvent")

# Redis down must cost a page little: refused connections fail at once and the cache
# then leaves Redis alone for a while (shop.resilient_cache).
PAGE_SECONDS = 5


def get(session: requests.Session, url: str, timed: bool = True) -> requests.Response:
    started = time.monotonic()
    response = session.get(url, allow_redirects=False, timeout=60)
    assert not timed or time.monotonic() - started < PAGE_SECONDS, f"{url} was slow"
    return response


def buy(base: str, product, shop, email: str) -> str:
    """A guest's whole checkout through the pages (pickup, pay there); the order
    number."""
    session = requests.Session()
    assert get(session, base + product.get_absolute_url()).status_code == 200
    csrf = {"X-CSRFToken": session.cookies["csrftoken"]}

    def post(name: str, data: dict) -> requests.Response:
        response = session.post(
            base + reverse(name), data, headers=csrf, allow_redirects=False, timeout=30
        )
        assert response.status_code == 302, (name, response.status_code)
        return response

    response = session.post(
        base + reverse("basket:add", kwargs={"pk": product.pk}),
        {"quantity": 1},
        headers=csrf,
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302
    post("checkout:index", {"email": email, "phone": "0912 345 678"})
    post("checkout:delivery", {"delivery": "pickup", "outlet": shop.code})
    post("checkout:payment-method", {"payment_method": "at_pickup"})
    assert get(session, base + reverse("checkout:preview")).status_code == 200
    done = post("checkout:preview", {"total": "1", "price": "1"}).headers["Location"]
    assert get(session, base + done).status_code == 200
    return Order.objects.get(guest_email=email).number


def emailed(number: str) -> bool:
    return CommunicationEvent.objects.filter(
        order__number=number, event_type__code="ORDER_RECEIVED"
    ).exists()


def send_as_beat_does(broker_url: str, queue: str) -> None:
    """Beat's "task-outbox-flush" entry, sent to the test's queue."""
    from shop.celery import app

    # send_task, as beat does: never run inline, whatever this process's settings
    with app.connection_for_write(broker_url) as connection, warnings.catch_warnings():
        warnings.simplefilter("ignore", AlwaysEagerIgnored)
        app.send_task(task_outbox_flush_task.name, connection=connection, queue=queue)


@pytest.fixture
def site(postgres, reference_data, redis_server, queue, smtp_sink, started, home_pages):
    """A shop with a product in stock, served by gunicorn, with a worker; both on
    the test's own Redis."""
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 10)
    outbox_drain_all()  # searchable
    env = processes.process_env(
        REDIS_URL=redis_server.url,
        RELIABILITY_QUEUE=queue,
        RELIABILITY_SMTP_PORT=str(smtp_sink.port),
    )
    server, base = processes.server_start(env)
    started(server)
    started(processes.worker_start(env, queue))
    return base, shop, tea


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("backlog_sent_by", ["a later order", "beat's flush"])
def test_with_redis_down_pages_serve_orders_go_through_and_no_email_is_lost(
    site, redis_server, queue, smtp_sink, backlog_sent_by
):
    base, shop, tea = site
    pages = [
        "/vi/",
        "/en/",
        reverse("catalogue:index"),
        tea.get_absolute_url(),
        reverse("search:search") + "?q=tra",
        reverse("basket:summary"),
    ]
    visitor = requests.Session()
    # (untimed: the server's first requests load templates and translations)
    statuses = [get(visitor, base + page, timed=False).status_code for page in pages]
    assert statuses == [200] * 6

    # when Redis stops
    redis_server.stop()

    # then every page still serves (from the database, the cache missing)
    assert [get(visitor, base + page).status_code for page in pages] == [200] * 6
    # and a buyer can place an order; its email waits in the outbox, nothing sent
    first = buy(base, tea, shop, "first@example.com")
    [waiting] = TaskOutboxEntry.objects.all()
    assert (waiting.task, waiting.kwargs["kind"]) == (
        "shop.order.tasks.order_email_send_task", "received",
    )  # fmt: skip
    assert waiting.attempts == 1 and "refused" in waiting.last_error.lower()
    assert smtp_sink.messages == [] and not emailed(first)

    # when Redis is back (empty: what was queued in it is gone)
    redis_server.start()
    if backlog_sent_by == "a later order":
        # a later commit sends its own email, sees the backlog and asks for a flush
        later = buy(base, tea, shop, "later@example.com")
        expected = {first, later}
    else:
        send_as_beat_does(redis_server.url, queue)
        expected = {first}

    # then the waiting email is sent, once, and the outbox is empty
    assert processes.wait_until(lambda: all(map(emailed, expected)), timeout=90), (
        "the email that waited was not sent"
    )
    assert not TaskOutboxEntry.objects.exists()
    assert len(smtp_sink.messages) == len(expected)
