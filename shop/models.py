"""Models of the shop itself (not of a forked Oscar app): exchange rates for showing
approximate prices to foreign buyers. Charges are always in VND."""

from django.conf import settings
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
