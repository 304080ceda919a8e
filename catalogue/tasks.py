from celery import shared_task

from catalogue import services


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
def certificates_mark_expired_task() -> int:
    """Daily: expired certificates get the expired status (idempotent)."""
    return services.certificates_mark_expired()


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
def certificate_reminders_send_task() -> int:
    """Daily: renewal reminders 90 and 30 days ahead (each recorded, so sent once)."""
    return services.certificate_reminders_send()
