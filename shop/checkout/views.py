"""Checkout: contact → delivery (home address and service, or an outlet to collect
from) → payment method → review and place → card payment → done. Thin views: the
order is placed and paid by shop.order.services."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.signing import Signer
from django.db import models
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST
from oscar.core.loading import get_class, get_model

from sales_points.forms import buyer_location
from shop.address_forms import (
    ContactForm,
    DeliveryAddressForm,
    to_shipping_address_fields,
)
from shop.checkout.forms import (
    CardConfirmForm,
    DeliveryChoiceForm,
    PaymentMethodForm,
    PickupOutletForm,
    ShippingMethodForm,
)
from shop.checkout.session import CheckoutSession, PickupAtOutlet
from shop.order import services
from shop.order.selectors import fulfilment_outlet_choose, outlets_for_pickup
from shop.order.statuses import order_status_path
from shop.payment import stripe_gateway

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
Repository = get_class("shipping.repository", "Repository")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")


# --- Session helpers ------------------------------------------------------------------


def _serialisable(fields: dict) -> dict:
    """Model instances become their primary keys (`province` → `province_id`)."""
    return {
        (f"{key}_id" if isinstance(value, models.Model) else key): (
            value.pk if isinstance(value, models.Model) else value
        )
        for key, value in fields.items()
    }


def _address(session: CheckoutSession):
    fields = session.get("address")
    return ShippingAddress(**fields) if fields else None


class CheckoutStep(View):
    """Common to the steps: a basket with lines, the checkout session."""

    template_name = ""
    needs = ()  # session keys an earlier step must have set, with where to go back

    def dispatch(self, request, *args, **kwargs):
        self.session = CheckoutSession(request)
        self.basket = request.basket
        if self.basket.is_empty:
            messages.info(request, _("Your basket is empty."))
            return redirect("basket:summary")
        for line in self.basket.all_lines():
            availability = line.purchase_info.availability
            if not availability.is_available_to_buy:
                messages.warning(
                    request,
                    _("%(title)s can no longer be bought: %(reason)s")
                    % {
                        "title": line.product.get_title(),
                        "reason": availability.message,
                    },
                )
                return redirect("basket:summary")
        for key, step in self.needs:
            if not self.session.get(key):
                return redirect(step)
        return super().dispatch(request, *args, **kwargs)

    def quantities(self) -> dict[int, int]:
        return services.basket_quantities(self.basket)

    def render(self, **context):
        context.setdefault("outlets_total", getattr(self, "outlets_total", 0))
        context.setdefault("basket", self.basket)
        context.setdefault("step", self.step)
        return render(self.request, self.template_name, context)


class ContactView(CheckoutStep):
    template_name = "shop/checkout/contact.html"
    step = "contact"

    def get(self, request):
        initial = {
            "email": self.session.get("email")
            or (request.user.email if request.user.is_authenticated else ""),
            "phone": self.session.get("phone", ""),
        }
        return self.render(form=ContactForm(initial=initial))

    def post(self, request):
        form = ContactForm(request.POST)
        if not form.is_valid():
            return self.render(form=form)
        self.session.save(
            email=form.cleaned_data["email"], phone=form.cleaned_data["phone"]
        )
        return redirect("checkout:delivery")


PICKUP_OUTLETS_SHOWN = 20


class DeliveryView(CheckoutStep):
    """Home delivery (address) or pickup (an outlet holding every line right now,
    nearest first when the browser shares its position)."""

    template_name = "shop/checkout/delivery.html"
    step = "delivery"
    needs = (("email", "checkout:index"),)

    def outlets(self):
        lat, lng = buyer_location(self.request) or (None, None)
        outlets = outlets_for_pickup(self.quantities(), lat=lat, lng=lng)
        self.outlets_total = len(outlets)
        # The nearest (or, without a position, the first by place) are enough to
        # choose from; the one chosen before stays in the list.
        shown = outlets[:PICKUP_OUTLETS_SHOWN]
        chosen = self.session.get("outlet")
        shown += [o for o in outlets[PICKUP_OUTLETS_SHOWN:] if o.code == chosen]
        return shown, lat, lng

    def get(self, request):
        outlets, lat, lng = self.outlets()
        return self.render(
            choice=DeliveryChoiceForm(
                initial={"delivery": self.session.get("delivery", "pickup")}
            ),
            address=DeliveryAddressForm(initial=self.session.get("address_form", {})),
            pickup=PickupOutletForm(
                outlets=outlets, initial={"outlet": self.session.get("outlet")}
            ),
            outlets=outlets, lat=lat, lng=lng,
        )  # fmt: skip

    def post(self, request):
        outlets, lat, lng = self.outlets()
        choice = DeliveryChoiceForm(request.POST)
        address = DeliveryAddressForm(request.POST)
        pickup = PickupOutletForm(request.POST, outlets=outlets)
        context = {
            "choice": choice, "address": address, "pickup": pickup, "outlets": outlets, "lat": lat,
            "lng": lng,
        }  # fmt: skip
        if not choice.is_valid():
            return self.render(**context)
        delivery = choice.cleaned_data["delivery"]
        if delivery == Order.Delivery.PICKUP:
            if not pickup.is_valid():
                return self.render(**context)
            self.session.save(
                delivery=delivery, outlet=pickup.cleaned_data["outlet"].code,
                address=None, shipping_method=PickupAtOutlet.code, payment_method=None,
            )  # fmt: skip
            return redirect("checkout:payment-method")
        if not address.is_valid():
            return self.render(**context)
        if address.cleaned_data.get("was_mapped"):
            messages.info(request, address.cleaned_data["mapping_note"])
        fields = to_shipping_address_fields(address.cleaned_data)
        self.session.save(
            delivery=delivery, outlet=None, address=_serialisable(fields),
            address_form=_form_data(address), shipping_method=None, payment_method=None,
        )  # fmt: skip
        return redirect("checkout:shipping-method")


def _form_data(form) -> dict:
    return {
        name: form.data.get(name)
        for name in form.fields
        if form.data.get(name) not in (None, "")
    }


class ShippingMethodView(CheckoutStep):
    template_name = "shop/checkout/shipping.html"
    step = "delivery"
    needs = (("email", "checkout:index"), ("address", "checkout:delivery"))

    def methods(self):
        address = _address(self.session)
        return Repository().get_shipping_methods(
            basket=self.basket, shipping_addr=address, province=address.province
        )

    def get(self, request):
        methods = self.methods()
        return self.render(
            form=ShippingMethodForm(methods=methods), methods=methods,
            address=_address(self.session),
        )  # fmt: skip

    def post(self, request):
        methods = self.methods()
        form = ShippingMethodForm(request.POST, methods=methods)
        if not form.is_valid():
            return self.render(
                form=form, methods=methods, address=_address(self.session)
            )
        self.session.save(shipping_method=form.cleaned_data["method"])
        return redirect("checkout:payment-method")


class PaymentMethodView(CheckoutStep):
    template_name = "shop/checkout/payment_method.html"
    step = "payment"
    needs = (
        ("email", "checkout:index"),
        ("delivery", "checkout:delivery"),
        ("shipping_method", "checkout:delivery"),
    )

    def get(self, request):
        return self.render(
            form=PaymentMethodForm(
                delivery=self.session.get("delivery"),
                initial={"payment_method": self.session.get("payment_method", "card")},
            )
        )

    def post(self, request):
        form = PaymentMethodForm(request.POST, delivery=self.session.get("delivery"))
        if not form.is_valid():
            return self.render(form=form)
        self.session.save(payment_method=form.cleaned_data["payment_method"])
        return redirect("checkout:preview")


class PreviewView(CheckoutStep):
    """Review with totals recomputed on the server, then place the order. Nothing
    posted here but the intent to place is read: prices, totals and quantities come
    from the basket and its strategy."""

    template_name = "shop/checkout/preview.html"
    step = "review"
    needs = PaymentMethodView.needs + (("payment_method", "checkout:payment-method"),)

    def choices(self) -> services.Checkout | None:
        """The buyer's choices, checked again (stock may have moved since)."""
        session = self.session
        shipping_address = None
        if session.get("delivery") == Order.Delivery.PICKUP:
            outlet = session.pickup_outlet()
            method = PickupAtOutlet()
        else:
            address = _address(session)
            methods = {
                m.code: m
                for m in Repository().get_shipping_methods(
                    basket=self.basket, shipping_addr=address, province=address.province
                )
            }
            method = methods.get(session.get("shipping_method"))
            outlet = fulfilment_outlet_choose(
                self.quantities(), province=address.province
            )
            shipping_address = session.get("address")
            if method is None:
                return None
        if outlet is None:
            return None
        allowed = (
            PaymentMethodForm(delivery=session.get("delivery"))
            .fields["payment_method"]
            .choices
        )
        if session.get("payment_method") not in dict(allowed):
            return None
        return services.Checkout(
            email=session.get("email"), phone=session.get("phone"),
            delivery=session.get("delivery"), outlet=outlet,
            payment_method=session.get("payment_method"), shipping_method=method,
            shipping_address=shipping_address, language=(get_language() or "vi")[:2],
        )  # fmt: skip

    def context(self, checkout):
        charge = checkout.shipping_method.calculate(self.basket)
        return {
            "checkout": checkout, "shipping_charge": charge,
            "order_total": OrderTotalCalculator().calculate(self.basket, charge),
            "address": _address(self.session),
            "payment_choices": Order.PaymentMethod.choices,
        }  # fmt: skip

    def get(self, request):
        checkout = self.choices()
        if checkout is None:
            messages.warning(
                request,
                _(
                    "No outlet can serve this basket as chosen any more: please choose again."
                ),
            )
            return redirect("checkout:delivery")
        context = self.context(checkout)
        # What the buyer saw is what is placed (else they are asked to look again).
        self.session.save(reviewed_total=str(context["order_total"].incl_tax))
        return self.render(**context)

    def post(self, request):
        checkout = self.choices()
        reviewed = self.session.get("reviewed_total")
        if checkout is None or reviewed is None:
            return self.get(request)
        try:
            order = services.order_place(
                basket=self.basket, user=request.user, checkout=checkout,
                request=request, expected_total=reviewed,
            )  # fmt: skip
        except services.CheckoutError as error:
            if error.order is not None and self.session.owns_order(error.order):
                return redirect("checkout:pay", number=error.order.number)
            messages.error(request, error.message)
            if error.total_changed:
                return redirect("checkout:preview")
            return redirect("basket:summary")
        self.session.remember_order(order.number)
        self.session.clear()
        if order.payment_method == Order.PaymentMethod.CARD:
            return redirect("checkout:pay", number=order.number)
        return redirect("checkout:done", number=order.number)


# --- Card payment ---------------------------------------------------------------------


def _own_order(request, number: str):
    order = get_object_or_404(
        Order.objects.select_related("fulfilment_outlet"), number=number
    )
    if not CheckoutSession(request).owns_order(order):
        raise Http404
    return order


class PayView(View):
    """The card form (Stripe's Payment Element, or localstripe's stand-in card
    element), for an order awaiting payment whose hold has not expired."""

    def get(self, request, number):
        order = _own_order(request, number)
        if order.payment_state != Order.PaymentState.PENDING:
            return redirect("checkout:done", number=number)
        if order.status != services.PENDING_PAYMENT:
            return redirect("checkout:done", number=number)
        if order.hold_expires_at and order.hold_expires_at <= timezone.now():
            services.holds_release_expired(order_id=order.pk)
            messages.warning(
                request,
                _("The time to pay has run out and the order was cancelled; your "
                  "basket is back."),
            )  # fmt: skip
            return _basket_back(request, redirect("basket:summary"), order)
        try:
            intent = services.order_payment_start(order=order)
        except stripe_gateway.PaymentGatewayError as error:
            return render(
                request, "shop/checkout/pay.html",
                {"order": order, "gateway_error": error.message},
            )  # fmt: skip
        return render(
            request, "shop/checkout/pay.html",
            {
                "order": order, "client_secret": intent["client_secret"],
                "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
                "stripe_js": _stripe_js_url(),
                "return_url": request.build_absolute_uri(
                    reverse("checkout:pay-return", kwargs={"number": number})
                ),
            },
        )  # fmt: skip


def _stripe_js_url() -> str:
    base = settings.STRIPE_API_BASE
    return (
        f"{base.rstrip('/')}/js.stripe.com/v3/" if base else "https://js.stripe.com/v3/"
    )


@method_decorator(require_POST, name="dispatch")
class PayConfirmView(View):
    """Confirm the order's intent with the card the browser tokenised; answers JSON
    for the page's script: paid, needs 3-D Secure, or declined (with a message)."""

    def post(self, request, number):
        order = _own_order(request, number)
        form = CardConfirmForm(request.POST)
        if not form.is_valid():
            return JsonResponse(
                {"error": _("The card details were not received.")}, status=400
            )
        if order.status != services.PENDING_PAYMENT or not order.stripe_payment_intent:
            return JsonResponse({"redirect": reverse("checkout:done", args=[number])})
        try:
            intent = stripe_gateway.payment_intent_confirm(
                order.stripe_payment_intent,
                payment_method=form.cleaned_data["payment_method"],
            )
        except stripe_gateway.PaymentGatewayError as error:
            intent = _intent_or_none(order)
            if intent is not None:
                services.order_payment_update(order_number=number, intent=intent)
            order.refresh_from_db()
            if order.status != services.CANCELLED:  # not declined: Stripe unreachable
                return JsonResponse({"error": error.message}, status=503)
            response = JsonResponse(
                {
                    "error": _declined_message(error.message),
                    "basket": reverse("basket:summary"),
                },
                status=402,
            )
            return _basket_back(request, response, order)
        return JsonResponse(_after_confirm(order, intent.to_dict()))


def _basket_back(request, response, order):
    """After a failed or cancelled payment the order's basket is open again: make it
    this browser's basket again (an anonymous buyer's basket cookie was dropped while
    the basket was frozen)."""
    Basket = get_model("basket", "Basket")
    basket = Basket.open.filter(pk=order.basket_id).first() if order.basket_id else None
    if basket is not None and not request.user.is_authenticated:
        request.basket = basket
        response.set_cookie(
            settings.OSCAR_BASKET_COOKIE_OPEN, Signer().sign(basket.pk),
            max_age=settings.OSCAR_BASKET_COOKIE_LIFETIME,
            secure=settings.OSCAR_BASKET_COOKIE_SECURE, httponly=True,
        )  # fmt: skip
    return response


def _intent_or_none(order) -> dict | None:
    try:
        return stripe_gateway.payment_intent_retrieve(
            order.stripe_payment_intent
        ).to_dict()
    except stripe_gateway.PaymentGatewayError:
        return None


def _declined_message(detail: str) -> str:
    return _(
        "Your card was not accepted (%(detail)s). Nothing was charged and your order "
        "was cancelled; your basket is back, so you can try another card or pay "
        "another way."
    ) % {"detail": detail}


def _after_confirm(order, intent: dict) -> dict:
    services.order_payment_update(order_number=order.number, intent=intent)
    if intent.get("status") == "requires_action":
        return {"requires_action": True}
    return {"redirect": reverse("checkout:pay-return", args=[order.number])}


class PayReturnView(View):
    """Where the browser lands after paying. It may arrive before Stripe's webhook,
    so it reads the intent from Stripe itself and applies the same update."""

    def get(self, request, number):
        order = _own_order(request, number)
        if (
            order.stripe_payment_intent
            and order.payment_state == Order.PaymentState.PENDING
        ):
            intent = _intent_or_none(order)
            if intent is not None:
                services.order_payment_update(order_number=number, intent=intent)
                order.refresh_from_db()
                error = (intent.get("last_payment_error") or {}).get("message")
                if order.payment_state == Order.PaymentState.FAILED:
                    messages.error(request, _declined_message(error or _("declined")))
                    return _basket_back(request, redirect("basket:summary"), order)
        if order.status == services.CANCELLED and order.payment_state != "paid":
            # Declined or expired, settled by the webhook before the buyer got here.
            messages.error(request, _declined_message(_("not paid")))
            return _basket_back(request, redirect("basket:summary"), order)
        return redirect("checkout:done", number=number)


class DoneView(View):
    """Thank-you page: the order as placed, how it is paid and where it goes."""

    def get(self, request, number):
        order = _own_order(request, number)
        context = {
            "order": order, "lines": order.lines.select_related("product"),
            "status_path": order_status_path(order),
        }  # fmt: skip
        response = render(request, "shop/checkout/done.html", context)
        if order.status == services.CANCELLED:
            return _basket_back(request, response, order)
        return response


@require_POST
def pay_cancel(request, number):
    """The buyer gives up paying: the order is cancelled and the basket comes back."""
    order = _own_order(request, number)
    if order.status != services.PENDING_PAYMENT:
        return redirect("checkout:done", number=number)
    if order.stripe_payment_intent:
        # Cancelled at Stripe first, so the other tab cannot pay it any more; if it
        # was paid meanwhile, the order is paid, not cancelled.
        try:
            stripe_gateway.payment_intent_cancel(order.stripe_payment_intent)
        except stripe_gateway.PaymentGatewayError:
            intent = _intent_or_none(order)
            if intent is None or intent.get("status") != "canceled":
                return redirect("checkout:pay-return", number=number)
    services.order_cancel(order=order, by_buyer=True)
    messages.info(request, _("The payment was cancelled; your basket is back."))
    return _basket_back(request, redirect("basket:summary"), order)
