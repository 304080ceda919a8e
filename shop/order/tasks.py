from celery import shared_task

from shop.order import services
from shop.payment import stripe_gateway

# Every task here is idempotent (an email is recorded in the transaction that sends it,
# the hold release and the intent cancel look at the current state), so they run with
# late acknowledgement: a worker killed mid-task (deploy, OOM, SIGKILL) leaves the
# message unacknowledged and it runs again, instead of being lost. Redis hands it out
# again after the broker's visibility_timeout (CELERY_VISIBILITY_TIMEOUT); a prefork
# child that dies is noticed by its parent at once, and reject_on_worker_lost requeues
# the task then rather than acknowledging it as failed.
RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(**RELIABLE, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def order_email_send_task(
    *, order_id: int, kind: str, amount=None, refunded_total=None
) -> bool:
    """One email about an order, in its language; each sent at most once."""
    from shop.order.emails import UnknownEmailKind, order_email_send

    try:
        return order_email_send(
            order_id=order_id, kind=kind, amount=amount, refunded_total=refunded_total
        )
    except (UnknownEmailKind, services.Order.DoesNotExist):
        return False  # retrying cannot help


@shared_task(**RELIABLE, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def holds_release_expired_task() -> int:
    """Every minute: cancel unpaid card orders past their hold, release the stock."""
    return services.holds_release_expired()


@shared_task(
    **RELIABLE,
    autoretry_for=(stripe_gateway.PaymentGatewayError,),
    retry_backoff=True,
    max_retries=5,
)
def payment_intent_cancel_task(*, intent_id: str) -> str:
    """So a cancelled order's intent can no longer be paid. An intent that is already
    paid or cancelled cannot be cancelled: the webhook deals with the former."""
    try:
        return stripe_gateway.payment_intent_cancel(intent_id).status
    except stripe_gateway.PaymentGatewayError as error:
        if error.code == "unreachable":
            raise  # retried with backoff
        return "not cancellable"
