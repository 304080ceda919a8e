from celery import shared_task
from django.core.cache import cache

PING_KEY = "worker-ping:{token}"


@shared_task(acks_late=True)
def worker_ping_task(token: str) -> str:
    """Leave a mark in the cache: proves end to end that a worker runs what we send
    (used by the integration tests; idempotent, so late acknowledgement is safe)."""
    cache.set(PING_KEY.format(token=token), "pong", timeout=600)
    return token


@shared_task
def task_outbox_flush_task() -> int:
    """Every minute (beat), and when a commit finds a backlog: send the tasks the
    broker could not take when their change committed (shop.task_outbox)."""
    from shop.task_outbox import task_outbox_flush

    return task_outbox_flush()
