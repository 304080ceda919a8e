from celery import shared_task

from cms import services


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
def form_submission_email_task(submission_id: int) -> bool:
    """Email one stored form submission (idempotent: sent at most once)."""
    return services.form_submission_email_send(submission_id=submission_id)


@shared_task(acks_late=True)
def pages_publish_scheduled_task() -> None:
    """Run by Celery beat every minute: scheduled publishing and unpublishing."""
    services.pages_publish_scheduled()
