"""The public store locator: the list of outlets (filters, distances, a map when tiles
load) and each outlet's page (hours, address, directions, products in stock)."""

import datetime as dt

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.views.decorators.http import require_safe

from sales_points.forms import LocatorFilterForm, format_point
from sales_points.selectors import (
    EXCEPTIONS_ATTR,
    HORIZON_DAYS,
    OutletsByDistance,
    outlet_open_state,
    outlet_stock_public,
    outlet_weekly_hours,
    outlets_by_name,
    outlets_filter,
    outlets_public,
    region_centre,
    regions_with_outlets,
)

PAGE_SIZE = 20
DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = "© OpenStreetMap contributors"


def map_settings() -> dict:
    """Tiles come from OCOP_MAP_TILE_URL (OpenStreetMap's by default); the map script
    and styles are ours (static files), so only the tiles can fail to load."""
    return {
        "tile_url": getattr(settings, "OCOP_MAP_TILE_URL", DEFAULT_TILE_URL),
        "attribution": getattr(
            settings, "OCOP_MAP_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION
        ),
    }


def map_markers(outlets) -> list[dict]:
    return [
        {
            "code": outlet.code,
            "name": outlet.name,
            "lat": float(outlet.latitude),
            "lng": float(outlet.longitude),
            "url": reverse("sales_points:detail", kwargs={"code": outlet.code}),
            "open": outlet.open_state.is_open,
        }
        for outlet in outlets
    ]


@require_safe
def outlet_list(request: HttpRequest) -> HttpResponse:
    form = LocatorFilterForm(request.GET, regions=regions_with_outlets())
    filters = form.filters()
    outlets = outlets_filter(outlets_public(), **filters)
    origin = form.cleaned_data.get("near")
    if origin is None and form.cleaned_data.get("place"):
        origin = region_centre(form.cleaned_data["place"])
    if origin is not None:
        outlets = OutletsByDistance(outlets, *origin)
    else:
        outlets = outlets_by_name(outlets)
    page = Paginator(outlets, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for outlet in page:
        outlet.open_state = outlet_open_state(outlet, now)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page,
        "outlets": page.object_list,
        "product": form.cleaned_data.get("product"),
        "origin": format_point(origin) if origin else "",
        "query": query.urlencode(),
        "markers": map_markers(page.object_list),
        "map": map_settings(),
    }
    return render(request, "sales_points/list.html", context)


def week_rows(outlet) -> list[dict]:
    """Monday to Sunday with their periods, for the hours table."""
    weekly = outlet_weekly_hours(outlet)
    today = timezone.localdate().weekday()
    return [
        {"name": WEEKDAYS[day], "periods": weekly.get(day, []), "today": day == today}
        for day in range(7)
    ]


def upcoming_exceptions(outlet) -> list:
    """Closures and special hours of the next HORIZON_DAYS days."""
    last = timezone.localdate() + dt.timedelta(days=HORIZON_DAYS)
    return [e for e in getattr(outlet, EXCEPTIONS_ATTR) if e.date <= last]


@require_safe
def outlet_detail(request: HttpRequest, code: str) -> HttpResponse:
    outlet = get_object_or_404(outlets_public(), code=code)
    outlet.open_state = outlet_open_state(outlet)
    context = {
        "outlet": outlet,
        "week": week_rows(outlet),
        "exceptions": upcoming_exceptions(outlet),
        "stock": outlet_stock_public(outlet),
        "markers": map_markers([outlet]),
        "map": map_settings(),
        "directions_url": (
            "https://www.google.com/maps/dir/?api=1&destination="
            f"{outlet.latitude},{outlet.longitude}"
        ),
    }
    return render(request, "sales_points/detail.html", context)
