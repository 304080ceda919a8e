from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

Order = get_model("order", "Order")


class DeliveryChoiceForm(forms.Form):
    delivery = forms.ChoiceField(
        label=_("How do you want your order?"),
        choices=Order.Delivery.choices,
        widget=forms.RadioSelect,
    )


class PickupOutletForm(forms.Form):
    """The outlet to collect from: one of those holding every line right now."""

    outlet = forms.ChoiceField(label=_("Outlet"), widget=forms.RadioSelect)

    def __init__(self, *args, outlets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.outlets = {outlet.code: outlet for outlet in outlets}
        self.fields["outlet"].choices = [(o.code, o.name) for o in outlets]

    def clean_outlet(self):
        return self.outlets[self.cleaned_data["outlet"]]


class ShippingMethodForm(forms.Form):
    method = forms.ChoiceField(label=_("Delivery service"), widget=forms.RadioSelect)

    def __init__(self, *args, methods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [(m.code, m.name) for m in methods]


class PaymentMethodForm(forms.Form):
    payment_method = forms.ChoiceField(
        label=_("How will you pay?"), widget=forms.RadioSelect
    )

    def __init__(self, *args, delivery: str, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [Order.PaymentMethod.CARD]
        if delivery == Order.Delivery.HOME:
            choices.append(Order.PaymentMethod.CASH_ON_DELIVERY)
        else:
            choices.append(Order.PaymentMethod.AT_PICKUP)
        self.fields["payment_method"].choices = [(c.value, c.label) for c in choices]


class CardConfirmForm(forms.Form):
    """The stand-in Stripe.js path: the browser tokenised the card at Stripe (or
    localstripe) and sends only the resulting card id."""

    payment_method = forms.RegexField(
        regex=r"^(card|pm|src)_[A-Za-z0-9]+$", max_length=255
    )
