"""Order bits for pages and emails: a status's label, a delivery address as lines, and
an outlet's opening hours in a few lines (days with the same hours grouped)."""

import datetime as dt

from django import template
from django.utils import formats, timezone
from django.utils.dates import WEEKDAYS

from sales_points.selectors import (
    EXCEPTIONS_ATTR,
    HORIZON_DAYS,
    outlet_weekly_hours,
)
from shop.addresses import unit_postal_name
from shop.order.statuses import order_timeline as _order_timeline
from shop.order.statuses import status_label as _status_label

register = template.Library()


@register.filter
def status_label(code) -> str:
    """{{ order.status|status_label }}: 'Ready for pickup' for ready_for_pickup."""
    return str(_status_label(code))


@register.simple_tag
def order_timeline(order) -> list[dict]:
    """{% order_timeline order as timeline %}: [{'label', 'date'}], oldest first."""
    return _order_timeline(order)


@register.filter
def address_lines(address) -> list[str]:
    """The address as lines: Oscar's fields, then the commune and province (ours)
    unless a line already names them, the country last."""
    if address is None:
        return []
    lines = address.active_address_fields()
    country = address.country.printable_name if address.country_id else ""
    tail = [lines.pop()] if lines and country and lines[-1] == country else []
    for unit in (getattr(address, "commune", None), getattr(address, "province", None)):
        if unit is None:
            continue
        # The address lines hold the Vietnamese postal names; an English page must not
        # add the same places again in English.
        names = {unit.full_name.lower(), unit_postal_name(unit).lower()}
        if not any(name in line.lower() for line in lines for name in names):
            lines.append(unit.full_name)
    return lines + tail


def _time(value: dt.time) -> str:
    return formats.time_format(value, "G:i")


def _periods_text(periods) -> str:
    return ", ".join(f"{_time(opens)}–{_time(closes)}" for opens, closes in periods)


def weekly_hours_rows(outlet) -> list[dict]:
    """[{'days': 'Monday–Friday', 'hours': '7:30–11:30, 13:30–17:00'}, …], closed days
    with hours ''; consecutive days with the same periods share a row."""
    weekly = outlet_weekly_hours(outlet)
    rows: list[dict] = []
    start = 0
    for day in range(1, 8):
        if day < 7 and weekly.get(day, []) == weekly.get(start, []):
            continue
        first, last = WEEKDAYS[start], WEEKDAYS[day - 1]
        rows.append(
            {
                "days": str(first) if start == day - 1 else f"{first}–{last}",
                "hours": _periods_text(weekly.get(start, [])),
            }
        )
        start = day
    return rows


def upcoming_exception_rows(outlet, today: dt.date | None = None) -> list[dict]:
    """The outlet's closures and special hours of the next HORIZON_DAYS days."""
    today = today or timezone.localdate()
    last = today + dt.timedelta(days=HORIZON_DAYS)
    exceptions = getattr(outlet, EXCEPTIONS_ATTR, None)
    if exceptions is None:
        exceptions = outlet.exceptions.filter(date__range=(today, last))
    rows = []
    for exception in exceptions:
        if not today <= exception.date <= last:
            continue
        if exception.closed:
            hours = ""
        elif exception.opens and exception.closes:
            hours = _periods_text([(exception.opens, exception.closes)])
        else:
            continue  # a note only: the usual hours apply
        rows.append(
            {
                "date": exception.date,
                # "l, DATE_FORMAT" is no format name: each letter would be a code.
                "label": f"{formats.date_format(exception.date, 'l')}, "
                f"{formats.date_format(exception.date, 'DATE_FORMAT')}",
                "hours": hours,
                "note": exception.note,
            }
        )
    return rows


@register.simple_tag
def outlet_hours(outlet) -> dict:
    """{% outlet_hours outlet as hours %}: {'weekly': rows, 'exceptions': rows,
    'given': bool}. With sales_points.selectors.outlet_prefetches it runs no query."""
    if outlet is None:
        return {"weekly": [], "exceptions": [], "given": False}
    weekly = weekly_hours_rows(outlet)
    return {
        "weekly": weekly,
        "exceptions": upcoming_exception_rows(outlet),
        "given": any(row["hours"] for row in weekly),
    }
