"""A worker killed with SIGKILL in the middle of a task leaves no half-done work, and
the task's effect happens exactly once after a worker starts again.

The task is the shop's own: the "order received" email, sent through the outbox when
the order commits. The worker is killed while it talks to the mail server, inside the
transaction that locks the order and records the email: the mail server holds the
message unanswered (as a slow one would), so the kill lands there every time, with no
hook in the task. Redis hands the unacknowledged task out again after the worker's
visibility timeout (CELERY_VISIBILITY_TIMEOUT, a few seconds here)."""

import email
import email.policy

import pytest
from django.db import DatabaseError, transaction
from oscar.core.loading import get_model

from shop.models import TaskOutboxEntry
from tests.factories import create_product
from tests.reliability import processes
from tests.shop.orders import basket_with, outlet, pickup, place, stocked

Order = get_model("order", "Order")
CommunicationEvent = get_model("order", "CommunicationEvent")
CommunicationEventType = get_model("communication", "CommunicationEventType")

VISIBILITY_TIMEOUT = 3


def order_locked(order) -> bool:
    """Does another transaction hold the order's row?"""
    try:
        with transaction.atomic():
            Order.objects.select_for_update(nowait=True).get(pk=order.pk)
    except DatabaseError:
        return True
    return False


def emails_recorded(order) -> int:
    return CommunicationEvent.objects.filter(
        order=order, event_type__code="ORDER_RECEIVED"
    ).count()


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_email_leaves_nothing_half_done_and_the_email_goes_once(
    postgres, reference_data, redis_url, queue, smtp_sink, started, sending_to
):
    env = processes.process_env(
        REDIS_URL=redis_url,
        RELIABILITY_QUEUE=queue,
        RELIABILITY_SMTP_PORT=str(smtp_sink.port),
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
    )
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 5)
    event_types_before = set(CommunicationEventType.objects.values_list("code"))
    smtp_sink.hold_next()
    first = processes.worker_start(env, queue)
    started(first)
    sending_to(queue)

    # when an order commits, its email task goes to the worker, which is held by
    # the mail server in the middle of sending it, and is killed there
    order = place(basket_with((tea, 1)), pickup(shop))
    assert not TaskOutboxEntry.objects.exists(), "the broker took the task"
    assert smtp_sink.holding.wait(60), "the worker never started the email"
    assert order_locked(order), "the worker is inside its transaction"
    processes.worker_kill(first)

    # then nothing of the task remains: its transaction rolled back (the order is
    # free, no email recorded, no event type created), the mail server accepted nothing
    assert processes.wait_until(lambda: not order_locked(order), timeout=10)
    assert emails_recorded(order) == 0
    assert set(CommunicationEventType.objects.values_list("code")) == (
        event_types_before
    )
    assert smtp_sink.messages == []

    # when a worker starts again, the unacknowledged task is handed out again and
    # the email is sent and recorded, once
    smtp_sink.release()
    started(processes.worker_start(env, queue))
    assert processes.wait_until(lambda: emails_recorded(order), timeout=90), (
        "the task was not delivered again"
    )
    # (long enough for another redelivery, had the task not been acknowledged)
    processes.wait_until(lambda: False, timeout=VISIBILITY_TIMEOUT * 3)
    assert emails_recorded(order) == 1
    [data] = smtp_sink.messages
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message["To"] == "buyer@example.com"
    assert order.number in message.get_body(("plain",)).get_content()
