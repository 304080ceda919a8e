"""Approximate foreign prices beside VND ones, and the notice that charges are in VND.

{% load currency_tags %}
{% approx_price session.price %}      ≈ US$5.69 (nothing when VND is chosen)
{% charged_in_vnd_notice %}
"""

from decimal import Decimal

from babel.numbers import format_currency
from django import template
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from shop.currency import (
    BASE_CURRENCY,
    DISPLAY_CURRENCIES,
    display_currency,
    rates_for_request,
    vnd_to,
)

register = template.Library()


def _babel_locale() -> str:
    # Plain "en" writes "$12.34"; international English writes "US$12.34", which a
    # buyer comparing against Australian or Taiwanese dollars can tell apart.
    locale = to_locale(get_language() or "vi")
    return "en_001" if locale == "en" else locale


def _amount_in_vnd(price) -> Decimal | None:
    """A Decimal amount, or an Oscar price (incl. tax when known) in VND."""
    if price is None:
        return None
    if hasattr(price, "is_tax_known"):
        if getattr(price, "currency", BASE_CURRENCY) != BASE_CURRENCY:
            return None
        if not getattr(price, "exists", True):
            return None
        return price.incl_tax if price.is_tax_known else price.excl_tax
    try:
        amount = Decimal(price)
    except (ArithmeticError, TypeError, ValueError):
        return None
    return amount if amount.is_finite() else None


@register.simple_tag(takes_context=True)
def approx_price(context, price) -> str:
    """The price in the visitor's chosen currency ("≈ US$12.34"), the rate's date in
    a tooltip; nothing when VND is chosen or there is no rate. The rates are read at
    most once per request, however many prices a page shows."""
    request = context.get("request")
    currency = display_currency(request)
    if currency == BASE_CURRENCY or request is None:
        return ""
    amount = _amount_in_vnd(price)
    if amount is None:
        return ""
    rates = rates_for_request(request)
    converted = vnd_to(amount, currency, rates)
    if converted is None:
        return ""
    note = _("Approximate, at the rate of %(date)s; you are charged in VND.") % {
        # Spelled-out month: 03/04 reads differently to a buyer from the US.
        "date": date_format(rates[currency].effective_on, "DATE_FORMAT")
    }
    return format_html(
        '<span class="approx-price text-muted small" title="{}">'
        '<span aria-hidden="true">≈ </span><span class="sr-only">{} </span>{}</span>',
        note,
        _("approximately"),
        format_currency(
            converted, currency, locale=_babel_locale(), currency_digits=True
        ),
    )


@register.inclusion_tag("shop/currency/charged_in_vnd_notice.html", takes_context=True)
def charged_in_vnd_notice(context) -> dict:
    """Basket and checkout: the charge is in VND whatever currency is shown."""
    return {}


@register.simple_tag(takes_context=True)
def currency_selector_options(context) -> list[dict]:
    """The selector's options, the visitor's choice marked."""
    current = display_currency(context.get("request"))
    return [
        {"code": code, "name": name, "selected": code == current}
        for code, name in DISPLAY_CURRENCIES
    ]


@register.filter
def rate_number(value) -> str:
    """A rate without trailing zeros, the active language's way: 26,350 or 18.15."""
    if value in (None, ""):
        return ""
    plain = Decimal(value).normalize()
    # normalize() turns 26350 into 2.635E+4; quantizing to 1 brings the digits back.
    if plain == plain.to_integral_value():
        plain = plain.quantize(Decimal(1))
    return number_format(plain, force_grouping=True)
