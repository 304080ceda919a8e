from celery import shared_task
from django.core.cache import cache

PING_KEY = "worker-ping:{token}"


@shared_task(acks_late=True)
def worker_ping_task(token: str) -> str:
    """Leave a mark in the cache: proves end to end that a worker runs what we send
    (used by the integration tests; idempotent, so late acknowledgement is safe)."""
    cache.set(PING_KEY.format(token=token), "pong", timeout=600)
    return token
