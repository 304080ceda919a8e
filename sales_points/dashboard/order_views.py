"""Online orders at an outlet: pickup orders to prepare, hand over or cancel, delivery
orders to dispatch, cash to record; refunds for network managers. Narrowed through
sales_points.permissions.orders_for; shop.order.services makes every change."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, HttpResponseRedirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.core.loading import get_model

from sales_points import permissions
from sales_points.dashboard.views import PAGE_SIZE, OutletAccessMixin
from sales_points.exceptions import StockError
from shop.order import services
from shop.order.statuses import status_label
from shop.payment.stripe_gateway import PaymentGatewayError

Order = get_model("order", "Order")

OPEN_STATUSES = ("pending_payment", "received", "ready_for_pickup", "dispatched")


class OrderListView(OutletAccessMixin, generic.ListView):
    template_name = "sales_points/dashboard/order_list.html"
    context_object_name = "orders"
    paginate_by = PAGE_SIZE
    section = "orders"
    title = _("Online orders")

    def get_queryset(self):
        orders = (
            permissions.orders_for(self.request.user)
            .filter(fulfilment_outlet=self.outlet)
            .select_related("user", "fulfilment_outlet")
            .order_by("-date_placed")
        )
        if self.request.GET.get("show") != "all":
            orders = orders.filter(status__in=OPEN_STATUSES)
        return orders

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_all"] = self.request.GET.get("show") == "all"
        for order in context["orders"]:
            order.status_text = status_label(order.status)
        return context


class NetworkOrderListView(OutletAccessMixin, generic.ListView):
    """Network managers: online orders of every outlet, those flagged for a person
    first (a payment that does not match, paid after a cancellation)."""

    template_name = "sales_points/dashboard/network_order_list.html"
    context_object_name = "orders"
    paginate_by = PAGE_SIZE
    title = _("Online orders of the network")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.is_network_manager(
            request.user
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        orders = permissions.orders_for(self.request.user).select_related(
            "fulfilment_outlet"
        )
        show = self.request.GET.get("show", "open")
        if show == "flagged":
            orders = orders.exclude(flagged="")
        elif show != "all":
            orders = orders.filter(Q(status__in=OPEN_STATUSES) | ~Q(flagged=""))
        flagged_first = Case(
            When(flagged="", then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        return orders.order_by(flagged_first, "-date_placed")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show"] = self.request.GET.get("show", "open")
        for order in context["orders"]:
            order.status_text = status_label(order.status)
        return context


# Each action: (service, needs network manager, message)
ACTIONS = {
    "ready": (services.order_mark_ready, False, _("Marked ready; the buyer was told.")),
    "paid": (None, False, _("Payment recorded.")),
    "hand-over": (services.order_hand_over, False, _("Handed over.")),
    "delivered": (services.order_mark_delivered, False, _("Marked delivered.")),
    "cancel": (services.order_cancel, False, _("Order cancelled; its stock is free.")),
    "refund": (None, True, _("Refund sent through Stripe.")),
}


class OrderDetailView(OutletAccessMixin, generic.TemplateView):
    template_name = "sales_points/dashboard/order_detail.html"
    section = "orders"

    def load_objects(self):
        self.order = self.get_order()

    def get_order(self):
        order = (
            permissions.orders_for(self.request.user)
            .filter(fulfilment_outlet=self.outlet, number=self.kwargs["number"])
            .select_related("shipping_address", "user")
            .first()
        )
        if order is None:
            raise Http404("No such order at this outlet.")
        return order

    @cached_property
    def is_manager(self) -> bool:
        return permissions.is_network_manager(self.request.user)

    def get_context_data(self, **kwargs):
        order = self.order
        return super().get_context_data(
            order=order, lines=order.lines.select_related("product"),
            page_title=_("Order %(number)s") % {"number": order.number},
            status_text=status_label(order.status),
            history=order.status_changes.order_by("date_created"),
            may_refund=self.is_manager and order.payment_method == "card"
            and order.amount_paid > order.amount_refunded,
            **kwargs,
        )  # fmt: skip


class OrderActionView(OrderDetailView):
    """One step on the order (POST); a GET shows the order."""

    def post(self, request, *args, **kwargs):
        action = kwargs.get("action")
        if action not in ACTIONS:
            raise Http404
        service, managers_only, done = ACTIONS[action]
        if managers_only and not self.is_manager:
            raise Http404
        try:
            if action == "paid":
                services.order_payment_record(
                    order=self.order, amount=request.POST.get("amount", ""),
                    user=request.user,
                )  # fmt: skip
            elif action == "refund":
                services.order_refund(
                    order=self.order, amount=request.POST.get("amount", ""),
                    user=request.user,
                )  # fmt: skip
            elif action == "cancel":
                services.order_cancel(
                    order=self.order, user=request.user,
                    may_refund_card=self.is_manager,
                )  # fmt: skip
            else:
                service(order=self.order, user=request.user)
        except (services.OrderActionError, StockError, PaymentGatewayError) as error:
            messages.error(request, getattr(error, "message", str(error)))
        except (ArithmeticError, ValueError):
            messages.error(request, _("Enter the amount in đồng, digits only."))
        else:
            messages.success(request, done)
        return HttpResponseRedirect(
            self.outlet_url("order-detail", number=self.order.number)
        )
