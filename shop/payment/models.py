from django.db import models
from django.utils.translation import gettext_lazy as _


class StripeEvent(models.Model):
    """A Stripe webhook event, stored once: the unique id makes a replayed or
    concurrently delivered event a no-op."""

    event_id = models.CharField(_("event id"), max_length=255, unique=True)
    type = models.CharField(_("type"), max_length=64)
    order = models.ForeignKey(
        "order.Order", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=255, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("Stripe event")

    def __str__(self):
        return f"{self.type} {self.event_id}"


from oscar.apps.payment.models import *  # noqa: E402, F403  (must stay last)
