from django.utils.translation import gettext as _
from oscar.apps.order import exceptions, processing
from oscar.apps.payment.exceptions import PaymentError

from sales_points import permissions
from sales_points.exceptions import StockError
from shop.order.statuses import status_label
from shop.payment.stripe_gateway import PaymentGatewayError


class OrderStepRefused(PaymentError):
    """A PaymentError because both of Oscar's order dashboard views show those to
    staff (the list view shows nothing else); the message says why."""


class EventHandler(processing.EventHandler):
    """Oscar's order dashboard changes orders through here. Status changes go through
    shop.order.services, so stock, payment and emails follow; shipping and payment
    events, which would move stock or money outside them, are refused."""

    def handle_order_status_change(self, order, new_status, note_msg=None):
        from shop.order import services

        steps = {
            services.READY: services.order_mark_ready,
            services.COLLECTED: services.order_hand_over,
            services.DISPATCHED: services.order_hand_over,
            services.DELIVERED: services.order_mark_delivered,
            services.CANCELLED: services.order_cancel,
        }
        pickup = order.delivery == order.Delivery.PICKUP
        wrong_kind = (new_status == services.COLLECTED and not pickup) or (
            new_status == services.DISPATCHED and pickup
        )
        if new_status not in steps or wrong_kind:
            raise OrderStepRefused(
                _(
                    "An order becomes “%(status)s” by its payment or delivery, not by hand."
                )
                % {"status": status_label(new_status)}
            )
        extra = {}
        if new_status == services.CANCELLED:  # refunds a card: managers only
            extra["may_refund_card"] = bool(
                self.user
                and (
                    self.user.is_superuser or permissions.is_network_manager(self.user)
                )
            )
        try:
            steps[new_status](order=order, user=self.user, **extra)
        except (services.OrderActionError, StockError, PaymentGatewayError) as error:
            raise OrderStepRefused(getattr(error, "message", str(error))) from error
        order.refresh_from_db()
        if note_msg:
            self.create_note(order, note_msg)

    def handle_shipping_event(self, order, event_type, lines, line_quantities, **kw):
        raise exceptions.InvalidShippingEvent(
            _("Hand over or dispatch the order from the outlet's order page.")
        )

    def handle_payment_event(self, order, event_type, amount, lines=None,
                             line_quantities=None, **kwargs):  # fmt: skip
        raise exceptions.InvalidPaymentEvent(
            _(
                "Record cash from the outlet's order page; card payments come from Stripe."
            )
        )
