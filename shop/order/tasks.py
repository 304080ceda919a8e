from celery import shared_task

from shop.order import services
from shop.payment import stripe_gateway


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
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


@shared_task(
    acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5
)
def holds_release_expired_task() -> int:
    """Every minute: cancel unpaid card orders past their hold, release the stock."""
    return services.holds_release_expired()


@shared_task(
    acks_late=True,
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
