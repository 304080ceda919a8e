"""Order emails: each kind in Vietnamese and English, sent once, one per refund.

The Vietnamese catalogue (locale/vi) does not have the new email sentences yet, so a
Vietnamese email is recognised by what does not wait for it: Vietnamese money format
(150.000 ₫), labels already translated (Status: Trạng thái, Total: Tổng cộng) and the
link in the /vi/ tree. These show the email is rendered under translation.override of
the order's language, whatever language the sender runs in."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_order

from sales_points.models import OpeningHours
from shop.order.emails import (
    EMAIL_KINDS,
    UnknownEmailKind,
    email_event_code,
    order_email_send,
)
from tests.factories import UserFactory, create_product
from tests.sales_points.test_services import make_outlet

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
Email = get_model("communication", "Email")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
Selector = get_class("partner.strategy", "Selector")

GUEST_EMAIL = "khach.hang@example.com"
VI_TOTAL, EN_TOTAL = "300.000\xa0₫", "₫300,000"


def pickup_outlet(code="tc-01"):
    """An outlet open Monday to Saturday with a lunch break, closed on Sunday."""
    outlet = make_outlet(code)
    for weekday in range(6):
        for opens, closes in (("07:30", "11:30"), ("13:30", "17:00")):
            OpeningHours.objects.create(
                sales_point=outlet,
                weekday=weekday,
                opens=dt.time.fromisoformat(opens),
                closes=dt.time.fromisoformat(closes),
            )
    return outlet


def make_order(
    *,
    number="100001",
    language="vi",
    user=None,
    email=GUEST_EMAIL,
    outlet=None,
    payment_method=Order.PaymentMethod.CASH_ON_DELIVERY,
    **fields,
):
    """Two units of a 150,000 ₫ product (300,000 ₫, free delivery): home delivery to
    Thái Nguyên, or pickup at `outlet` when one is given."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy()
    basket.add_product(create_product(title="Trà Tân Cương"), quantity=2)
    address = None
    if outlet is None:
        vietnam, _ = Country.objects.get_or_create(
            iso_3166_1_a2="VN",
            defaults={"name": "Việt Nam", "printable_name": "Việt Nam"},
        )
        address = ShippingAddress.objects.create(
            first_name="Nguyễn Văn",
            last_name="An",
            line1="12 Hoàng Văn Thụ",
            line4="Thái Nguyên",
            country=vietnam,
            notes="Gọi trước khi giao",
        )
    return create_order(
        number=number,
        basket=basket,
        user=user,
        shipping_address=address,
        guest_email="" if user else email,
        language=language,
        delivery=Order.Delivery.PICKUP if outlet else Order.Delivery.HOME,
        fulfilment_outlet=outlet,
        payment_method=payment_method,
        **fields,
    )


def text_of(message) -> str:
    return message.body


def html_of(message) -> str:
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return html


EN_SUBJECTS = {
    "received": "Order 100001 received",
    "payment_received": "Payment received for order 100001",
    "ready_for_pickup": "Order 100001 is ready for pickup",
    "dispatched": "Order 100001 is on its way",
    "cancelled": "Order 100001 has been cancelled",
    "refunded": "Refund for order 100001",
}


@pytest.mark.parametrize("kind", EMAIL_KINDS)
def test_each_email_is_sent_in_english_for_an_english_order(kind):
    outlet = pickup_outlet() if kind == "ready_for_pickup" else None
    order = make_order(language="en", outlet=outlet, amount_paid=Decimal("300000"))

    sent = order_email_send(order_id=order.pk, kind=kind, amount=Decimal("300000"))

    assert sent is True
    (message,) = mail.outbox
    assert message.subject == EN_SUBJECTS[kind]
    assert message.to == [GUEST_EMAIL]
    assert message.from_email == "OCOP Market <no-reply@ocop.local>"
    for body in (text_of(message), html_of(message)):
        assert "100001" in body
        assert "Trà Tân Cương" in body
        assert EN_TOTAL in body
        assert "/en/shop/order-status/100001/" in body
        assert "Status" in body


@pytest.mark.parametrize("kind", EMAIL_KINDS)
def test_each_email_is_sent_in_vietnamese_for_a_vietnamese_order(kind):
    outlet = pickup_outlet() if kind == "ready_for_pickup" else None
    order = make_order(language="vi", outlet=outlet, amount_paid=Decimal("300000"))

    with translation.override("en"):  # the worker's language does not matter
        sent = order_email_send(order_id=order.pk, kind=kind, amount=Decimal("300000"))

    assert sent is True
    (message,) = mail.outbox
    assert "100001" in message.subject
    for body in (text_of(message), html_of(message)):
        assert "100001" in body
        assert VI_TOTAL in body
        assert EN_TOTAL not in body
        assert "Trạng thái" in body  # "Status", already in the catalogue
        assert "Tổng cộng" in body  # "Total"
        assert "/vi/shop/order-status/100001/" in body


def test_the_received_email_lists_lines_totals_delivery_and_payment():
    order = make_order(language="en", contact_phone="0912 345 678")

    order_email_send(order_id=order.pk, kind="received")

    body = text_of(mail.outbox[0])
    assert "- Trà Tân Cương × 2: ₫300,000" in body
    assert "Total: ₫300,000" in body
    assert "12 Hoàng Văn Thụ" in body
    assert "Thái Nguyên" in body
    assert "Your phone: 0912 345 678" in body
    assert "Payment: Cash on delivery, awaiting payment" in body
    assert "You pay ₫300,000 in cash on delivery." in body
    assert "\n\n\n" not in body  # the template's tags leave no runs of blank lines


def test_the_ready_for_pickup_email_says_where_when_and_to_bring_the_number():
    outlet = pickup_outlet()
    order = make_order(
        language="en", outlet=outlet, payment_method=Order.PaymentMethod.AT_PICKUP
    )

    order_email_send(order_id=order.pk, kind="ready_for_pickup")

    body = text_of(mail.outbox[0])
    assert "ready for pickup at Outlet tc-01, Xóm Soi, Tân Cương." in body
    assert "bring your order number, 100001." in body
    assert "Monday–Saturday: 7:30–11:30, 13:30–17:00" in body
    assert "Sunday: Closed" in body
    assert "You pay ₫300,000 when you collect it." in body
    html = html_of(mail.outbox[0])
    assert "Outlet tc-01" in html
    assert "Monday–Saturday: 7:30–11:30, 13:30–17:00" in html


def test_the_pickup_outlet_is_named_in_the_orders_language():
    order = make_order(language="vi", outlet=pickup_outlet())

    order_email_send(order_id=order.pk, kind="ready_for_pickup")

    body = text_of(mail.outbox[0])
    assert "Điểm bán tc-01" in body
    assert "Outlet tc-01" not in body


def test_a_second_send_of_the_same_email_sends_nothing():
    order = make_order()

    first = order_email_send(order_id=order.pk, kind="received")
    again = order_email_send(order_id=order.pk, kind="received")

    assert (first, again) == (True, False)
    assert len(mail.outbox) == 1
    assert order.communication_events.get().event_type.code == "ORDER_RECEIVED"


def test_each_refund_gets_its_email_and_a_retried_one_does_not():
    order = make_order(
        language="en",
        payment_method=Order.PaymentMethod.CARD,
        amount_paid=Decimal("300000"),
        payment_state=Order.PaymentState.PAID,
    )
    Order.objects.filter(pk=order.pk).update(
        amount_refunded=Decimal("100000"),
        payment_state=Order.PaymentState.PARTLY_REFUNDED,
    )
    first = order_email_send(
        order_id=order.pk,
        kind="refunded",
        amount=Decimal("100000"),
        refunded_total=Decimal("100000"),
    )
    retried = order_email_send(
        order_id=order.pk,
        kind="refunded",
        amount=Decimal("100000"),
        refunded_total=Decimal("100000"),
    )
    Order.objects.filter(pk=order.pk).update(
        amount_refunded=Decimal("300000"), payment_state=Order.PaymentState.REFUNDED
    )
    second = order_email_send(  # as Celery hands it over: a string, no total
        order_id=order.pk, kind="refunded", amount="200000"
    )

    assert (first, retried, second) == (True, False, True)
    assert len(mail.outbox) == 2
    assert "We have refunded ₫100,000 for order 100001." in text_of(mail.outbox[0])
    assert "In all, ₫100,000 of the ₫300,000 you paid" in text_of(mail.outbox[0])
    assert "We have refunded ₫200,000 for order 100001." in text_of(mail.outbox[1])
    assert "In all, ₫300,000 of the ₫300,000 you paid" in text_of(mail.outbox[1])
    codes = set(order.communication_events.values_list("event_type__code", flat=True))
    assert codes == {"ORDER_REFUNDED_100000", "ORDER_REFUNDED_300000"}


def test_the_refund_key_keeps_the_minor_unit_when_there_is_one():
    assert email_event_code("refunded", Decimal("150000.00")) == "ORDER_REFUNDED_150000"
    assert email_event_code("refunded", Decimal("12.5")) == "ORDER_REFUNDED_12_50"
    assert email_event_code("payment_received") == "ORDER_PAYMENT_RECEIVED"


def test_the_same_kind_is_sent_once_per_order_not_once_overall():
    one = make_order(number="100001", language="en")
    two = make_order(number="100002", language="en")

    assert order_email_send(order_id=one.pk, kind="dispatched")
    assert order_email_send(order_id=two.pk, kind="dispatched")

    assert [m.subject for m in mail.outbox] == [
        "Order 100001 is on its way",
        "Order 100002 is on its way",
    ]


def test_a_members_email_goes_to_their_address_and_into_their_account():
    user = UserFactory(email="thanh.vien@example.com")
    order = make_order(user=user, language="en")

    order_email_send(order_id=order.pk, kind="received")

    assert mail.outbox[0].to == ["thanh.vien@example.com"]
    assert Email.objects.get(user=user).subject == "Order 100001 received"


def test_an_unknown_kind_is_refused():
    order = make_order()

    with pytest.raises(UnknownEmailKind):
        order_email_send(order_id=order.pk, kind="shipped")

    assert not mail.outbox


def test_an_order_without_an_email_address_sends_nothing():
    order = make_order(email="")

    assert order_email_send(order_id=order.pk, kind="received") is False
    assert not mail.outbox
    assert not order.communication_events.exists()


def test_sending_reads_the_order_in_a_few_queries(django_assert_max_num_queries):
    order = make_order(outlet=pickup_outlet())

    # Order (locked), lines, surcharges, hours, closures; the event type (created the
    # first time), the check, the event; 4 savepoint statements. A fixed number,
    # whatever the number of lines or opening periods.
    with django_assert_max_num_queries(13):
        order_email_send(order_id=order.pk, kind="ready_for_pickup")


def test_the_link_in_the_email_opens_the_order_status_page(client):
    order = make_order(language="en")
    order_email_send(order_id=order.pk, kind="received")

    url = re.search(r"https?://\S+/order-status/\S+/", text_of(mail.outbox[0])).group()
    response = client.get(re.sub(r"^https?://[^/]+", "", url))

    assert response.status_code == 200
    assert "Order 100001" in response.content.decode()


def test_a_pickup_email_names_an_upcoming_closure_of_the_outlet():
    from django.utils import timezone

    from sales_points.models import HoursException

    outlet = pickup_outlet()
    closed_on = timezone.localdate() + dt.timedelta(days=3)
    HoursException.objects.create(
        sales_point=outlet, date=closed_on, closed=True, note="Tết"
    )
    order = make_order(outlet=outlet, language="en")

    assert order_email_send(order_id=order.pk, kind="ready_for_pickup")

    body = mail.outbox[-1].body
    assert "Tết" in body and str(closed_on.day) in body


def test_an_english_email_does_not_repeat_the_address_in_english():
    from catalogue.models import AdministrativeUnit
    from shop.templatetags.order_tags import address_lines

    order = make_order(language="en")
    address = order.shipping_address
    address.line4 = "xã Tân Cương"
    address.state = "tỉnh Thái Nguyên"
    address.commune = AdministrativeUnit.objects.get(code="tan-cuong-2025")
    address.province = AdministrativeUnit.objects.get(code="thai-nguyen-2025")
    address.save()

    with translation.override("en"):
        lines = address_lines(address)

    assert "Tan Cuong commune" not in lines and "Thai Nguyen province" not in lines
    assert "xã Tân Cương" in lines
