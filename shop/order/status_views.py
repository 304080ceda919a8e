"""The order-status page: a guest finds an order by number and email and is sent to
its signed, bookmarkable link (the one the order emails carry)."""

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import FormView
from oscar.core.loading import get_model

from sales_points.selectors import outlet_open_state, outlet_prefetches
from shop.order.status_forms import OrderStatusLookupForm
from shop.order.statuses import order_status_path, order_status_token_valid
from shop.security import client_ip

Order = get_model("order", "Order")


# Order numbers run in sequence: without a limit, anyone knowing a buyer's email could
# try them all. Per client address, failed or not.
LOOKUP_LIMIT, LOOKUP_WINDOW_SECONDS = 10, 15 * 60


def lookup_throttle_key(client_address: str) -> str:
    return f"order-status-lookups:{client_address}"


@method_decorator(never_cache, name="dispatch")
class OrderStatusLookupView(FormView):
    template_name = "shop/order_status/lookup.html"
    form_class = OrderStatusLookupForm

    def post(self, request, *args, **kwargs):
        key = lookup_throttle_key(client_ip(request) or "")
        cache.add(key, 0, LOOKUP_WINDOW_SECONDS)
        try:
            attempts = cache.incr(key)
        except ValueError:  # the cache is down: lookups go on, unthrottled
            attempts = 0
        if attempts > LOOKUP_LIMIT:
            form = self.get_form()
            form.errors.clear()
            form.add_error(
                None,
                _("Too many attempts from here. Please try again in 15 minutes."),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        return redirect(order_status_path(form.order))


def order_status_queryset():
    """Orders with what the status page reads: lines, status changes, the
    delivery address, the pickup outlet with its hours (a fixed number of queries)."""
    return Order.objects.select_related(
        "user",
        "fulfilment_outlet",
        "shipping_address__country",
        "shipping_address__province",
        "shipping_address__commune",
    ).prefetch_related(
        "lines",
        "surcharges",
        "status_changes",
        *outlet_prefetches("fulfilment_outlet"),
    )


@require_safe
@never_cache
def order_status_detail(request: HttpRequest, number: str, token: str) -> HttpResponse:
    order = get_object_or_404(order_status_queryset(), number=number)
    if not order_status_token_valid(
        number=order.number, email=order.email, token=token
    ):
        raise Http404
    outlet = order.fulfilment_outlet
    if outlet is not None:
        outlet.open_state = outlet_open_state(outlet)
    context = {
        "order": order,
        "lines": list(order.lines.all()),
    }
    return render(request, "shop/order_status/detail.html", context)
