"""Forms of the currency selector and the exchange-rate dashboard page. They check the
input; shop.currency does the writes (and checks again)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from shop.currency import DISPLAY_CURRENCIES
from shop.models import ExchangeRate


class DisplayCurrencyForm(forms.Form):
    """The buyer's choice of currency for approximate prices."""

    currency = forms.ChoiceField(label=_("Currency"), choices=DISPLAY_CURRENCIES)
    next = forms.CharField(required=False)


class ExchangeRateForm(forms.Form):
    """A rate for one currency from a given day on (that day's rate is replaced)."""

    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=[
            (code, format_lazy("{} – {}", code, name))
            for code, name in ExchangeRate.Currency.choices
        ],
    )
    vnd_per_unit = forms.DecimalField(
        label=_("VND per unit"),
        max_digits=18,
        decimal_places=6,
        help_text=_("How many đồng one unit is worth, e.g. 26350 for one US dollar."),
        widget=forms.NumberInput(attrs={"step": "any", "min": "0"}),
    )
    effective_on = forms.DateField(
        label=_("Effective from"),
        help_text=_("The rate is used from this day until a later one takes over."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_on"].initial = timezone.localdate

    def clean_vnd_per_unit(self) -> Decimal:
        rate = self.cleaned_data["vnd_per_unit"]
        if rate <= 0:
            raise forms.ValidationError(
                _("The rate must be a number greater than zero.")
            )
        return rate
