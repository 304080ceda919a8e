"""Who may see and change which outlet: the one place that decides.

Outlet staff are Oscar partner users (`partner.users`) with dashboard access: they work
on their own outlet(s) only. Network managers (`sales_points.manage_network`) and
superusers work on every outlet. Every staff page, form, import, export and API call
narrows its querysets through these functions, so an outlet that is not yours is simply
not found (404) and nothing changes."""

from django.db.models import Q, QuerySet
from django.http import Http404
from oscar.core.loading import get_model

from sales_points.models import CounterSale, SalesPoint, StockMovement, Transfer

StockRecord = get_model("partner", "StockRecord")

NETWORK_PERMISSION = "sales_points.manage_network"
DASHBOARD_PERMISSION = "partner.dashboard_access"


def is_outlet_worker(user) -> bool:
    """May use the outlet staff pages at all: works at some outlet, or at all of them."""
    return is_network_manager(user) or outlets_for(user).exists()


def is_network_manager(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.has_perm(NETWORK_PERMISSION)
    )


def outlets_for(user) -> QuerySet[SalesPoint]:
    """The outlets whose stock this user may see and change."""
    outlets = SalesPoint.objects.select_related("partner", "region")
    if not user.is_authenticated or not user.is_active:
        return outlets.none()
    if is_network_manager(user):
        return outlets
    if not user.has_perm(DASHBOARD_PERMISSION):
        return outlets.none()
    return outlets.filter(partner__users=user)


def outlet_for(user, code: str) -> SalesPoint:
    """The user's outlet with this code, or 404: another outlet looks like no outlet."""
    outlet = outlets_for(user).filter(code=code).first()
    if outlet is None:
        raise Http404("No such sales point.")
    return outlet


def can_work_at(user, sales_point: SalesPoint) -> bool:
    return outlets_for(user).filter(pk=sales_point.pk).exists()


def stockrecords_for(user) -> QuerySet:
    return StockRecord.objects.filter(partner__sales_point__in=outlets_for(user))


def movements_for(user) -> QuerySet[StockMovement]:
    return StockMovement.objects.filter(sales_point__in=outlets_for(user))


def counter_sales_for(user) -> QuerySet[CounterSale]:
    return CounterSale.objects.filter(sales_point__in=outlets_for(user))


def transfers_for(user) -> QuerySet[Transfer]:
    """Transfers the user's outlets sent or are to receive."""
    outlets = outlets_for(user)
    return Transfer.objects.filter(
        Q(source__in=outlets) | Q(destination__in=outlets)
    ).distinct()


def can_receive(user, transfer: Transfer) -> bool:
    return can_work_at(user, transfer.destination)


def can_cancel(user, transfer: Transfer) -> bool:
    return can_work_at(user, transfer.source)


def orders_for(user) -> QuerySet:
    """Online orders fulfilled by the user's outlets (pickup there, or packed there
    for home delivery)."""
    Order = get_model("order", "Order")
    return Order.objects.filter(fulfilment_outlet__in=outlets_for(user))
