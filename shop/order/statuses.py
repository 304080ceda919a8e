"""What an order's status is called, and the signed link to its order-status page.

The status codes are OSCAR_ORDER_STATUS_PIPELINE's (shop/settings/base.py). The link
binds the order number to the order's email with a salted HMAC, so it can be emailed
and bookmarked without an account and cannot be changed to reach another order."""

from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from shop.links import public_base_url

STATUS_LABELS = {
    "pending_payment": _("Awaiting payment"),
    "received": _("Received"),
    "ready_for_pickup": _("Ready for pickup"),
    "dispatched": _("Dispatched"),
    "collected": _("Collected"),
    "delivered": _("Delivered"),
    "cancelled": _("Cancelled"),
}

STATUS_TOKEN_SALT = "shop.order.status"


def status_label(code: str | None) -> str:
    """The label of a status code; an unknown code (a status from before the pipeline
    changed) is shown as it is rather than hidden."""
    return STATUS_LABELS.get(code or "", code or "")


def order_timeline(order) -> list[dict]:
    """When the order was placed, then each status it moved to, oldest first (sorted
    here so a prefetch of status_changes in any order serves it)."""
    changes = sorted(order.status_changes.all(), key=lambda c: (c.date_created, c.pk))
    return [{"label": _("Order placed"), "date": order.date_placed}] + [
        {"label": status_label(change.new_status), "date": change.date_created}
        for change in changes
    ]


def _signer() -> signing.Signer:
    return signing.Signer(salt=STATUS_TOKEN_SALT)


def _bound_value(number: str, email: str) -> str:
    return f"{number}\n{(email or '').strip().lower()}"


def order_status_token(*, number: str, email: str) -> str:
    """The token of the order-status link: an HMAC of the number and the email (no
    expiry: the link is meant to be kept). URL-safe base64, no slash."""
    return _signer().signature(_bound_value(number, email))


def order_status_token_valid(*, number: str, email: str | None, token: str) -> bool:
    """Whether `token` was made for this number and email (constant-time), with the
    current SECRET_KEY or one of SECRET_KEY_FALLBACKS: emailed links survive a key
    rotation for as long as the old key is kept as a fallback."""
    if not email:
        return False
    signer, value = _signer(), _bound_value(number, email)
    return any(
        constant_time_compare(signer.signature(value, key), token)
        for key in (signer.key, *signer.fallback_keys)
    )


def order_status_path(order, language: str | None = None) -> str:
    """The path of the order's status page, in `language` (the active one)."""
    kwargs = {
        "number": order.number,
        "token": order_status_token(number=order.number, email=order.email or ""),
    }
    if language is None:
        return reverse("order-status-detail", kwargs=kwargs)
    with override(language):
        return reverse("order-status-detail", kwargs=kwargs)


def order_status_url(order, language: str | None = None) -> str:
    """The absolute URL of the order's status page, for emails."""
    return public_base_url() + order_status_path(order, language)
