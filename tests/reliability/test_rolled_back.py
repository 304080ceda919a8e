"""A task sent in a transaction that rolls back never runs: the shop's order emails,
through the outbox, with a real worker. (tests/shop/test_celery.py proves it for the
ping task sent with delay_on_commit.)"""

import pytest
from django.db import transaction
from oscar.core.loading import get_model

from shop.models import TaskOutboxEntry
from shop.order import services
from tests.factories import create_product
from tests.reliability import processes
from tests.shop.orders import basket_with, outlet, pickup, place, stocked

CommunicationEvent = get_model("order", "CommunicationEvent")


class Rollback(Exception):
    pass


def emails_recorded(order) -> list[str]:
    return sorted(
        CommunicationEvent.objects.filter(order=order).values_list(
            "event_type__code", flat=True
        )
    )


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_order_email_sent_in_a_rolled_back_transaction_never_goes(
    postgres, reference_data, redis_url, queue, smtp_sink, started, sending_to
):
    env = processes.process_env(
        REDIS_URL=redis_url,
        RELIABILITY_QUEUE=queue,
        RELIABILITY_SMTP_PORT=str(smtp_sink.port),
    )
    started(processes.worker_start(env, queue))
    sending_to(queue)
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 5)
    order = place(basket_with((tea, 1)), pickup(shop))

    # when staff mark the order ready, but the transaction around it rolls back
    with pytest.raises(Rollback), transaction.atomic():
        services.order_mark_ready(order=order)
        assert TaskOutboxEntry.objects.filter(kwargs__kind="ready_for_pickup").exists()
        raise Rollback
    # and then cancel it, for good
    services.order_cancel(order=order)

    # then the buyer hears of the order and its cancellation, never of a pickup
    # (one queue, one solo worker: once the later email went, the earlier would have)
    assert processes.wait_until(
        lambda: "ORDER_CANCELLED" in emails_recorded(order), timeout=60
    ), "the worker did not send the committed email"
    assert emails_recorded(order) == ["ORDER_CANCELLED", "ORDER_RECEIVED"]
    assert len(smtp_sink.messages) == 2
    assert not TaskOutboxEntry.objects.exists()
