from celery import shared_task

from sales_points import alerts


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
def low_stock_digest_send_task() -> int:
    """Daily: each outlet's low stock to its staff, the network's to managers."""
    return alerts.low_stock_digest_send()


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
def back_in_stock_notify_task() -> int:
    """Every few minutes: tell waiting buyers their product is back (each once)."""
    return alerts.back_in_stock_notify()
