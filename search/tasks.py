from celery import shared_task

from search import outbox


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def search_outbox_drain_task(limit: int = 500) -> int:
    """After each commit that queued products, and every minute: drain the search
    outbox to the active backends (idempotent; a failed backend keeps the rows and
    the task retries with backoff). A full batch sends the next one."""
    drained = outbox.outbox_drain(limit=limit)
    if drained >= limit:
        search_outbox_drain_task.delay(limit)
    return drained
