import time
import uuid

import pytest
from django.core.cache import cache
from django.db import transaction

from shop.tasks import PING_KEY, worker_ping_task


def ping_mark(token: str):
    return cache.get(PING_KEY.format(token=token))


def wait_for_mark(token: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ping_mark(token):
            return ping_mark(token)
        time.sleep(0.1)
    return None


class Rollback(Exception):
    pass


def send_in_rolled_back_transaction(token: str) -> None:
    with pytest.raises(Rollback), transaction.atomic():
        worker_ping_task.delay_on_commit(token)
        raise Rollback


def send_in_committed_transaction(token: str) -> None:
    with transaction.atomic():
        worker_ping_task.delay_on_commit(token)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eager_task_sent_in_a_committed_transaction_runs():
    token = uuid.uuid4().hex

    send_in_committed_transaction(token)

    assert ping_mark(token) == "pong"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eager_task_sent_in_a_rolled_back_transaction_never_runs():
    token = uuid.uuid4().hex

    send_in_rolled_back_transaction(token)

    assert ping_mark(token) is None


@pytest.mark.redis
# serialized_rollback like every transactional test here: a flush without it re-creates
# content types, which the next serialized test then restores a second time.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_real_worker_runs_committed_tasks_and_never_rolled_back_ones(celery_worker):
    rolled_back, committed = uuid.uuid4().hex, uuid.uuid4().hex

    send_in_rolled_back_transaction(rolled_back)
    send_in_committed_transaction(committed)

    # One queue, one solo worker: once the later task ran, the earlier would have too.
    assert wait_for_mark(committed) == "pong", (
        "the worker did not run the committed task"
    )
    assert ping_mark(rolled_back) is None
    assert celery_worker.poll() is None, "the worker died"
