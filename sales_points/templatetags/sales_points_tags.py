"""Store-locator bits for any template: an outlet's open-or-closed line, distances,
and the "available at N outlets" box of the product page."""

import datetime as dt
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from sales_points.forms import buyer_location, format_point
from sales_points.selectors import (
    OpenState,
    outlet_open_state,
    outlets_nearest,
    outlets_sold_out_of,
    outlets_with_product,
)

register = template.Library()


def _time(moment: dt.datetime) -> str:
    return formats.time_format(timezone.localtime(moment), "G:i")


def open_state_text(state: OpenState, now: dt.datetime | None = None) -> str:
    """'Open now, closes at 17:00', 'Closed, opens at 7:30', '… opens tomorrow at 7:30',
    '… opens Monday at 7:30'."""
    if state.is_open:
        return _("Open now, closes at %(time)s") % {"time": _time(state.closes_at)}
    if state.next_opening is None:
        return _("Closed")
    today = timezone.localdate(now or timezone.now())
    days = (timezone.localdate(state.next_opening) - today).days
    time = _time(state.next_opening)
    if days <= 0:
        return _("Closed, opens at %(time)s") % {"time": time}
    if days == 1:
        return _("Closed, opens tomorrow at %(time)s") % {"time": time}
    if days < 7:
        day = WEEKDAYS[timezone.localdate(state.next_opening).weekday()]
        return _("Closed, opens %(day)s at %(time)s") % {"day": day, "time": time}
    date = formats.date_format(
        timezone.localdate(state.next_opening), "SHORT_DATE_FORMAT"
    )
    return _("Closed, opens on %(date)s at %(time)s") % {"date": date, "time": time}


@register.simple_tag
def outlet_status(outlet, at=None) -> dict:
    """{'is_open', 'text'} for an outlet; uses `outlet.open_state` when a view set it."""
    state = getattr(outlet, "open_state", None) or outlet_open_state(outlet, at)
    if state == (False, None, None) and not outlet.hours.all():
        return {"is_open": False, "text": _("Opening hours not given")}
    return {"is_open": state.is_open, "text": open_state_text(state, at)}


@register.filter
def distance(km) -> str:
    """'850 m', '2.3 km' ('2,3 km' in Vietnamese), '120 km'."""
    if km is None:
        return ""
    if km < 1:
        return _("%(metres)s m") % {"metres": max(10, int(round(km * 1000, -1)))}
    places = 1 if km < 100 else 0
    # number_format cuts the decimals off; round first (7.97 is 8.0, not 7.9).
    rounded = round(km, places)
    return _("%(km)s km") % {
        "km": formats.number_format(rounded, places, use_l10n=True)
    }


def locator_url(**params) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse("sales_points:list") + (f"?{query}" if query else "")


@register.inclusion_tag(
    "sales_points/partials/product_availability.html", takes_context=True
)
def product_availability(context, product):
    """'Available at N outlets — nearest: X, 2.3 km, open now' for a product page;
    the nearest outlet only once the buyer's location is known."""
    request = context.get("request")
    if product is None or product.is_parent:  # stock is held by the variants
        return {"show": False}
    location = buyer_location(request)
    count = outlets_with_product(product.pk).count()
    nearest = None
    if count and location is not None:
        found = outlets_nearest(*location, product_id=product.pk, limit=1)
        nearest = found[0] if found else None
    near = format_point(location) if location else ""
    return {
        "show": True,
        "product": product,
        "count": count,
        "nearest": nearest,
        "located": location is not None,
        "list_url": locator_url(product=product.pk, near=near),
        "sold_out_at": outlets_sold_out_of(product.pk),
        "next": request.get_full_path() if request else "",
    }
