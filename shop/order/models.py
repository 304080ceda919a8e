from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.address.abstract_models import AbstractShippingAddress
from oscar.apps.order.abstract_models import AbstractOrder


class Order(AbstractOrder):
    """Oscar's order plus how it is delivered, where its stock is held and how it is
    paid. `payment_state` only moves forward (shop.order.payment_states)."""

    class Delivery(models.TextChoices):
        HOME = "home", _("home delivery")
        PICKUP = "pickup", _("pickup at an outlet")

    class PaymentMethod(models.TextChoices):
        CARD = "card", _("card (Stripe)")
        CASH_ON_DELIVERY = "cod", _("cash on delivery")
        AT_PICKUP = "at_pickup", _("pay at pickup")

    class PaymentState(models.TextChoices):
        PENDING = "pending", _("awaiting payment")
        PAID = "paid", _("paid")
        PARTLY_REFUNDED = "partly_refunded", _("partly refunded")
        REFUNDED = "refunded", _("refunded")
        FAILED = "failed", _("payment failed")
        CANCELLED = "cancelled", _("cancelled")

    delivery = models.CharField(
        _("delivery"), max_length=16, choices=Delivery.choices, default=Delivery.HOME
    )
    fulfilment_outlet = models.ForeignKey(
        "sales_points.SalesPoint", models.PROTECT, null=True, blank=True,
        related_name="orders", verbose_name=_("fulfilment outlet"),
    )  # fmt: skip
    contact_phone = models.CharField(_("phone"), max_length=16, blank=True)
    language = models.CharField(_("language"), max_length=8, default="vi")
    payment_method = models.CharField(
        _("payment method"), max_length=16, choices=PaymentMethod.choices,
        default=PaymentMethod.CARD,
    )  # fmt: skip
    payment_state = models.CharField(
        _("payment state"), max_length=16, choices=PaymentState.choices,
        default=PaymentState.PENDING, db_index=True,
    )  # fmt: skip
    amount_paid = models.DecimalField(
        _("amount paid"), max_digits=12, decimal_places=2, default=0
    )
    amount_refunded = models.DecimalField(
        _("amount refunded"), max_digits=12, decimal_places=2, default=0
    )
    stripe_payment_intent = models.CharField(
        _("Stripe PaymentIntent"), max_length=64, blank=True, db_index=True
    )
    # Unpaid card orders hold their stock until then; past it the hold counts as free.
    hold_expires_at = models.DateTimeField(
        _("stock held until"), null=True, blank=True, db_index=True
    )

    class CancelledBecause(models.TextChoices):
        EXPIRED = "expired", _("payment not received in time")
        PAYMENT_FAILED = "payment_failed", _("card payment failed")
        BUYER = "buyer", _("cancelled by the buyer")
        STAFF = "staff", _("cancelled by staff")

    cancelled_because = models.CharField(
        _("cancelled because"), max_length=16, choices=CancelledBecause.choices,
        blank=True,
    )  # fmt: skip
    flagged = models.TextField(
        _("flagged for staff"), blank=True,
        help_text=_("Why this order must not be fulfilled before a person checks it."),
    )  # fmt: skip

    class Meta(AbstractOrder.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_paid__gte=0)
                & models.Q(amount_refunded__gte=0)
                & models.Q(amount_refunded__lte=models.F("amount_paid")),
                name="order_refund_within_payment",
            ),
        ]


class ShippingAddress(AbstractShippingAddress):
    """The delivery address, pointing at the administrative units true when the order
    was made (post-2025 province and commune; the older form is mapped on entry)."""

    province = models.ForeignKey(
        "catalogue.AdministrativeUnit", models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("province"),
    )  # fmt: skip
    commune = models.ForeignKey(
        "catalogue.AdministrativeUnit", models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("commune or ward"),
    )  # fmt: skip


from oscar.apps.order.models import *  # noqa: E402, F403  (must stay last)
