"""Approximate prices in foreign currencies, from rates staff keep in the dashboard.

Only a display aid: orders, payments and refunds are always in VND. The buyer's choice
lives in the session; VND (the default) means no approximation is shown."""

import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import get_currency_precision
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.models import ExchangeRate

BASE_CURRENCY = "VND"
SESSION_KEY = "display_currency"
# Where the rates are kept for the rest of a request: fetched at most once per request.
_REQUEST_ATTR = "_ocop_exchange_rates"

# What the selector offers, VND first (VND: no approximation).
DISPLAY_CURRENCIES: list[tuple[str, str]] = [
    (BASE_CURRENCY, _("Vietnamese đồng")),
    *ExchangeRate.Currency.choices,
]
DISPLAY_CURRENCY_CODES = frozenset(code for code, _label in DISPLAY_CURRENCIES)

# Rough rates (VND per unit, late 2026) for the demo; staff set the real ones.
DEMO_RATES: dict[str, Decimal] = {
    "USD": Decimal("26350"),
    "EUR": Decimal("30550"),
    "JPY": Decimal("172.5"),
    "KRW": Decimal("18.15"),
    "CNY": Decimal("3705"),
    "TWD": Decimal("865"),
    "THB": Decimal("815"),
    "SGD": Decimal("20350"),
    "AUD": Decimal("17250"),
    "GBP": Decimal("35100"),
}


def rates_current(*, today: dt.date | None = None) -> dict[str, ExchangeRate]:
    """Each currency's rate in force today (the latest not dated in the future), in one
    query. Currencies without such a rate are missing from the result."""
    today = today or timezone.localdate()
    latest_day = (
        ExchangeRate.objects.filter(
            currency=OuterRef("currency"), effective_on__lte=today
        )
        .order_by("-effective_on")
        .values("effective_on")[:1]
    )
    rates = ExchangeRate.objects.filter(
        effective_on__lte=today, effective_on=Subquery(latest_day)
    )
    return {rate.currency: rate for rate in rates}


def rates_scheduled(*, today: dt.date | None = None) -> dict[str, ExchangeRate]:
    """Each currency's next rate dated in the future, if any (not in use yet)."""
    today = today or timezone.localdate()
    scheduled: dict[str, ExchangeRate] = {}
    for rate in ExchangeRate.objects.filter(effective_on__gt=today).order_by(
        "-effective_on"
    ):
        scheduled[rate.currency] = rate  # the earliest comes last and stays
    return scheduled


def rates_for_request(request: HttpRequest) -> dict[str, ExchangeRate]:
    """`rates_current()`, fetched once and kept on the request."""
    rates = getattr(request, _REQUEST_ATTR, None)
    if rates is None:
        rates = rates_current()
        setattr(request, _REQUEST_ATTR, rates)
    return rates


def display_currency(request: HttpRequest | None) -> str:
    """The currency the visitor chose to see approximations in (VND: none)."""
    session = getattr(request, "session", None)
    if session is None:
        return BASE_CURRENCY
    code = session.get(SESSION_KEY, BASE_CURRENCY)
    return code if code in DISPLAY_CURRENCY_CODES else BASE_CURRENCY


def display_currency_set(*, request: HttpRequest, currency: str) -> None:
    """Remember the visitor's choice for the rest of the visit."""
    if currency not in DISPLAY_CURRENCY_CODES:
        raise ValidationError({"currency": _("Choose one of the listed currencies.")})
    request.session[SESSION_KEY] = currency


def minor_digits(currency: str) -> int:
    """Decimals shown for a currency: none for JPY, KRW, VND; two for most (ISO 4217)."""
    return get_currency_precision(currency)


def vnd_to(
    amount_vnd: Decimal | int | None,
    currency: str,
    rates: Mapping[str, ExchangeRate],
) -> Decimal | None:
    """`amount_vnd` in `currency`, rounded half-up to the currency's usual decimals;
    None when there is no amount or no rate for the currency."""
    if amount_vnd is None:
        return None
    amount = Decimal(amount_vnd)
    if currency == BASE_CURRENCY:
        converted = amount
    else:
        rate = rates.get(currency)
        if rate is None:
            return None
        converted = amount / rate.vnd_per_unit
    return converted.quantize(Decimal(1).scaleb(-minor_digits(currency)), ROUND_HALF_UP)


@transaction.atomic
def exchange_rate_set(
    *,
    currency: str,
    vnd_per_unit: Decimal,
    effective_on: dt.date,
    user: AbstractBaseUser | None,
) -> ExchangeRate:
    """Record the rate of `currency` from `effective_on` on, replacing that day's rate
    if there is one. Earlier days stay as history."""
    errors = {}
    if currency not in ExchangeRate.Currency.values:
        errors["currency"] = _("Rates can only be kept for the listed currencies.")
    try:
        rate = Decimal(vnd_per_unit)
    except (InvalidOperation, TypeError, ValueError):
        rate = None
    if rate is None or not rate.is_finite() or rate <= 0:
        errors["vnd_per_unit"] = _("The rate must be a number greater than zero.")
    if not isinstance(effective_on, dt.date):
        errors["effective_on"] = _("Give the date the rate applies from.")
    if errors:
        raise ValidationError(errors)
    exchange_rate, _created = ExchangeRate.objects.update_or_create(
        currency=currency,
        effective_on=effective_on,
        defaults={"vnd_per_unit": rate, "updated_by": user},
    )
    return exchange_rate


def exchange_rates_seed(*, today: dt.date | None = None) -> list[ExchangeRate]:
    """Plausible demo rates for every listed currency, dated today. Safe to re-run."""
    today = today or timezone.localdate()
    return [
        exchange_rate_set(
            currency=currency, vnd_per_unit=rate, effective_on=today, user=None
        )
        for currency, rate in DEMO_RATES.items()
    ]
