"""The guest's order-status lookup: order number and email."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

Order = get_model("order", "Order")


def order_for_status_lookup(*, number: str, email: str):
    """The order with exactly this number whose email is `email` (any case), else
    None. The same query and comparison run whether or not the number exists, so the
    answer does not tell (by content or obviously by time) which part was wrong."""
    order = Order.objects.select_related("user").filter(number=number).first()
    expected = ((order.email if order is not None else None) or "").strip().lower()
    # Compared even without an order, against a value that cannot match.
    matches = constant_time_compare(expected or "\0", email.strip().lower())
    return order if order is not None and matches else None


class OrderStatusLookupForm(forms.Form):
    number = forms.CharField(
        label=_("Order number"),
        max_length=128,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("The email address the order was placed with."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    error_messages = {
        "no_match": _("No order matches that number and email."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order = None

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip().lstrip("#").strip()

    def clean(self):
        cleaned = super().clean()
        number, email = cleaned.get("number"), cleaned.get("email")
        if number and email:
            self.order = order_for_status_lookup(number=number, email=email)
            if self.order is None:
                raise ValidationError(self.error_messages["no_match"], code="no_match")
        return cleaned
