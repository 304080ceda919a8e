"""What the buyer chose so far in checkout, kept in the session between steps."""

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _

from sales_points.models import SalesPoint
from shop.shipping.methods import Free

KEY = "ocop_checkout"
ORDERS_KEY = "ocop_orders"  # order numbers this browser placed (pay pages check it)


class PickupAtOutlet(Free):
    code = "pickup"
    name = _("Pickup at an outlet")
    description = _("Collect it at the outlet you chose; no delivery charge.")


class CheckoutSession:
    def __init__(self, request):
        self.request = request
        self.data = request.session.get(KEY, {})

    def save(self, **values) -> None:
        self.data.update(values)
        self.request.session[KEY] = self.data

    def get(self, key, default=None):
        return self.data.get(key, default)

    def clear(self) -> None:
        self.request.session.pop(KEY, None)
        self.data = {}

    def pickup_outlet(self) -> SalesPoint | None:
        code = self.data.get("outlet")
        if not code:
            return None
        try:
            return SalesPoint.objects.select_related("partner").get(
                code=code, is_active=True
            )
        except ObjectDoesNotExist:
            return None

    def remember_order(self, number: str) -> None:
        numbers = self.request.session.get(ORDERS_KEY, [])[-19:]
        self.request.session[ORDERS_KEY] = [*numbers, number]

    def owns_order(self, order) -> bool:
        user = self.request.user
        if user.is_authenticated and order.user_id == user.pk:
            return True
        return order.number in self.request.session.get(ORDERS_KEY, [])
