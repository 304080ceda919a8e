"""The order jobs on a real Celery worker (Redis broker, PostgreSQL in CI)."""

import time

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from shop.order.tasks import holds_release_expired_task
from tests.factories import create_product
from tests.shop.orders import basket_with, free, outlet, pickup, place, stocked

Order = get_model("order", "Order")


def wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_cancels_an_expired_hold_and_emails_the_buyer_once(
    reference_data, celery_worker
):
    shop, tea = outlet(), create_product()
    stocked(shop, tea, 2)
    order = place(basket_with((tea, 2)), pickup(shop, "card"))
    Order.objects.filter(pk=order.pk).update(hold_expires_at=timezone.now())

    holds_release_expired_task.delay()
    holds_release_expired_task.delay()  # beat may overlap: nothing happens twice

    def cancelled_and_told():
        return order.communication_events.filter(
            event_type__code="ORDER_CANCELLED"
        ).exists()

    assert wait_for(cancelled_and_told), "the worker did not cancel and email"
    order.refresh_from_db()
    assert order.status == "cancelled" and free(shop, tea) == 2
    time.sleep(1)
    assert (
        order.communication_events.filter(event_type__code="ORDER_CANCELLED").count()
        == 1
    )
