"""Models of the shop itself (not of a forked Oscar app): exchange rates for showing
approximate prices to foreign buyers (charges are always in VND), and the outbox of
Celery tasks sent after a commit."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ExchangeRate(models.Model):
    """How many đồng one unit of a foreign currency is worth from a given day on.

    Rates are kept as history: a new day is a new row, and the rate in use is the one
    with the latest `effective_on` that is not in the future (see shop.currency)."""

    class Currency(models.TextChoices):
        USD = "USD", _("US dollar")
        EUR = "EUR", _("Euro")
        JPY = "JPY", _("Japanese yen")
        KRW = "KRW", _("South Korean won")
        CNY = "CNY", _("Chinese yuan")
        TWD = "TWD", _("New Taiwan dollar")
        THB = "THB", _("Thai baht")
        SGD = "SGD", _("Singapore dollar")
        AUD = "AUD", _("Australian dollar")
        GBP = "GBP", _("Pound sterling")

    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    vnd_per_unit = models.DecimalField(
        _("VND per unit"),
        max_digits=18,
        decimal_places=6,
        help_text=_("How many Vietnamese đồng one unit of the currency is worth."),
    )
    effective_on = models.DateField(_("effective from"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["currency", "-effective_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "effective_on"],
                name="shop_exchangerate_one_per_currency_and_day",
            ),
            models.CheckConstraint(
                condition=Q(vnd_per_unit__gt=0),
                name="shop_exchangerate_vnd_per_unit_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.vnd_per_unit} VND ({self.effective_on})"


class TaskOutboxEntry(models.Model):
    """A Celery task to send, written in the transaction of the change that calls for
    it (shop.task_outbox.task_send_on_commit): committed together or not at all.

    Sent after the commit and deleted once the broker took it; while the broker is
    down the row stays (attempts + 1, last_error) and a later flush sends it."""

    task = models.CharField(_("task"), max_length=200)  # its dotted name
    kwargs = models.JSONField(
        _("keyword arguments"), default=dict, encoder=DjangoJSONEncoder
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("task outbox entry")
        verbose_name_plural = _("task outbox entries")
        # A flush takes the fewest-failed, oldest rows first.
        indexes = [
            models.Index(fields=["attempts", "id"], name="shop_task_outbox_next")
        ]

    def __str__(self) -> str:
        return f"{self.task} ({self.attempts} attempts)"
