"""Insecure direct object references: a number, a key or a pk in a URL is never a way
into someone else's data. A buyer does not see or change another buyer's order,
payment pages, addresses, emails, notifications, alerts, wish lists or basket; staff
of one outlet do not see another outlet's orders in Oscar's dashboard nor import into
its stock; people outside a role do not reach the staff objects at all.

Every URL with a parameter is classified below (`COVERAGE`): the walk over the
resolver fails when a new one appears without a case. The outlet staff pages have
their own exhaustive walk in tests/sales_points/test_dashboard_permissions.py."""

import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import signing
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from oscar.core.loading import get_model

from sales_points import services as stock
from shop import roles
from shop.order.statuses import order_status_path
from tests.factories import UserFactory, create_product, outlet_staff
from tests.sales_points.test_services import make_outlet
from tests.shop.orders import basket_with, pickup, place

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Country = get_model("address", "Country")
Email = get_model("communication", "Email")
Notification = get_model("communication", "Notification")
Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
ProductAlert = get_model("customer", "ProductAlert")
UserAddress = get_model("address", "UserAddress")
WishList = get_model("wishlists", "WishList")

HERE = "tests/security/test_idor.py"
OUTLET_WALK = "tests/sales_points/test_dashboard_permissions.py (walks the namespace)"
PUBLIC = "public by design"
TOKEN = "a secret token in the URL is the credential"
STAFF_ONLY = f"{HERE}::test_oscars_staff_only_objects_refuse_everyone_else"
OCOP_STAFF = f"{HERE}::test_the_ocop_dashboard_objects_refuse_other_roles"

# Every URL with a parameter (outside the Wagtail and Django admins, which check
# their own object permissions) and where its access by the wrong person is tested.
COVERAGE = {
    # Buyers
    "customer:order": HERE,
    "customer:order-line": HERE,
    "customer:anon-order": HERE,
    "customer:anon-order-form": HERE,
    "customer:address-detail": HERE,
    "customer:address-delete": HERE,
    "customer:address-change-status": HERE,
    "customer:email-detail": HERE,
    "customer:notifications-detail": HERE,
    "customer:alerts-cancel-by-pk": HERE,
    "customer:wishlists-detail": HERE,
    "customer:wishlists-update": HERE,
    "customer:wishlists-delete": HERE,
    "customer:wishlists-remove-product": HERE,
    "customer:wishlists-move-product-to-another": HERE,
    "wishlists:detail": HERE,
    "checkout:pay": HERE,
    "checkout:pay-confirm": HERE,
    "checkout:pay-return": HERE,
    "checkout:pay-cancel": HERE,
    "checkout:done": HERE,
    "order-status-detail": HERE,
    "basket:vouchers-remove": HERE,
    # A product's pk: what the buyer adds goes into their own basket, list or alerts.
    "basket:add": PUBLIC,
    "customer:alert-create": PUBLIC,
    "customer:wishlists-add-product": PUBLIC,
    "customer:wishlists-create-with-product": PUBLIC,
    "customer:alerts-confirm": TOKEN,
    "customer:alerts-cancel-by-key": TOKEN,
    "password-reset-confirm": TOKEN,
    # Storefront, store locator, traceability and open data
    "catalogue:detail": PUBLIC,
    "catalogue:category": PUBLIC,
    "catalogue:range": PUBLIC,
    "catalogue:reviews-list": PUBLIC,
    "catalogue:reviews-detail": PUBLIC,
    "catalogue:reviews-add": PUBLIC,
    "catalogue:reviews-vote": PUBLIC,
    "offer:detail": PUBLIC,
    "sales_points:detail": PUBLIC,
    "trace": PUBLIC,
    "trace-qr-svg": PUBLIC,
    "trace-qr-png": PUBLIC,
    "trace-stamps": "tests/catalogue/test_trace.py::"
    "test_stamp_sheet_is_for_catalogue_managers_and_the_producer_only",
    "api:product-detail": PUBLIC,
    "api:producer-detail": PUBLIC,
    "api:certificate-detail": PUBLIC,
    "api:region-detail": PUBLIC,
    "api:sales-point-detail": PUBLIC,
    "api:sales-point-stock": PUBLIC,
    # Wagtail's public views check page and document privacy themselves.
    "wagtail_serve": PUBLIC,
    "wagtaildocs_serve": PUBLIC,
    "wagtaildocs_authenticate_with_password": PUBLIC,
    "wagtailcore_authenticate_with_password": PUBLIC,
    # Outlet staff
    **{
        f"outlet-dashboard:{name}": OUTLET_WALK
        for name in (
            "stock",
            "receive",
            "sell",
            "receipt-list",
            "receipt-detail",
            "receipt-return",
            "write-off",
            "threshold",
            "transfer-list",
            "transfer-send",
            "transfer-detail",
            "transfer-receive",
            "transfer-cancel",
            "count",
            "order-list",
            "order-detail",
            "order-action",
            "movement-list",
            "reports",
            "api-stock",
            "api-movements",
        )
    },  # fmt: skip
    "outlet-import:import": HERE,
    "outlet-import:confirm": HERE,
    "outlet-import:template": HERE,
    # Oscar's order dashboard: outlet staff see their own outlet's orders there.
    "dashboard:order-detail": HERE,
    "dashboard:order-detail-note": HERE,
    "dashboard:order-line-detail": HERE,
    "dashboard:order-shipping-address": HERE,
    # The OCOP catalogue dashboard: catalogue managers (a network-wide role).
    "ocop-dashboard:producer-update": OCOP_STAFF,
    "ocop-dashboard:certificate-detail": OCOP_STAFF,
    "ocop-dashboard:certificate-renew": OCOP_STAFF,
    "ocop-dashboard:certificate-revoke": OCOP_STAFF,
    "ocop-dashboard:certificate-reassess": OCOP_STAFF,
}
# The rest of Oscar's dashboard with a parameter: staff (is_staff) only.
STAFF_ONLY_PREFIXES = (
    "dashboard:catalogue-", "dashboard:user-", "dashboard:page-",
    "dashboard:partner-", "dashboard:offer-", "dashboard:range-",
    "dashboard:reviews-", "dashboard:voucher-", "dashboard:comms-",
    "dashboard:shipping-method-",
)  # fmt: skip


def _walk(patterns, prefix="", namespaces=(), params=()):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        regex = re.compile(pattern.pattern.regex.pattern)
        found = (*params, *pattern.pattern.converters, *regex.groupindex)
        if regex.groups > len(regex.groupindex):  # positional groups
            found = (*found, "<positional>")
        if isinstance(pattern, URLResolver):
            namespace = (pattern.namespace,) if pattern.namespace else ()
            yield from _walk(
                pattern.url_patterns, route, (*namespaces, *namespace), found
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield ":".join((*namespaces, pattern.name)), route, tuple(found)


def object_urls() -> dict[str, tuple]:
    """Every named URL that takes a parameter, outside the two admins."""
    urls = {}
    for name, route, params in _walk(get_resolver().url_patterns):
        if params and not route.startswith(("cms-admin/", "django-admin/")):
            urls.setdefault(name, tuple(dict.fromkeys(params)))
    return urls


OBJECT_URLS = object_urls()
STAFF_ONLY_URLS = sorted(
    name for name in OBJECT_URLS if name.startswith(STAFF_ONLY_PREFIXES)
)


def test_every_url_with_a_parameter_has_an_access_case():
    """A new URL naming an object must say who may open it, and be tested."""
    unclassified = sorted(
        name
        for name in OBJECT_URLS
        if name not in COVERAGE and name not in STAFF_ONLY_URLS
    )
    stale = sorted(name for name in COVERAGE if name not in OBJECT_URLS)

    assert not unclassified, f"add an IDOR case and a COVERAGE entry: {unclassified}"
    assert not stale, f"these URLs are gone: {stale}"
    assert {"customer:order", "checkout:pay", "dashboard:order-detail"} <= set(
        OBJECT_URLS
    )  # the walk works
    assert len(STAFF_ONLY_URLS) > 30


def test_the_outlet_walk_covers_every_outlet_dashboard_url():
    from tests.sales_points.test_dashboard_permissions import OUTLET_URLS

    ours = {name for name, where in COVERAGE.items() if where == OUTLET_WALK}
    assert ours == {f"outlet-dashboard:{name}" for name in OUTLET_URLS}


# --- Buyers -----------------------------------------------------------------------


@pytest.fixture
def alice():
    """A member with an order, an address, an email, a notification, a stock alert,
    a private wish list and a basket."""
    user = UserFactory(username="alice", email="alice@example.com")
    shop, tea = make_outlet("tc-01"), create_product(num_in_stock=None)
    stock.stock_receive(sales_point=shop, product=tea, quantity=20)
    order = place(basket_with((tea, 1), owner=user), pickup(shop), user)
    card_order = place(basket_with((tea, 1), owner=user), pickup(shop, "card"), user)
    address = UserAddress.objects.create(
        user=user, first_name="Alice", line1="1 Đường Chè", line4="Thái Nguyên",
        country=Country.objects.get(pk="VN"), phone_number="+84912345678",
        is_default_for_shipping=True, is_default_for_billing=True,
    )  # fmt: skip
    email = Email.objects.create(user=user, subject="Your order", body_text="secret")
    notification = Notification.objects.create(
        recipient=user, subject="Private", body="secret"
    )
    alert = ProductAlert.objects.create(user=user, product=tea)
    wishlist = WishList.objects.create(owner=user, name="Gifts")
    line = wishlist.lines.create(product=tea, title=tea.title, quantity=1)
    basket = basket_with((tea, 2), owner=user)
    return SimpleNamespace(
        user=user, shop=shop, tea=tea, order=order, card_order=card_order,
        address=address, email=email, notification=notification, alert=alert,
        wishlist=wishlist, line=line, basket=basket,
    )  # fmt: skip


@pytest.fixture
def bob(client):
    """Another member, logged in, with a wish list of his own."""
    user = UserFactory(username="bob", email="bob@example.com")
    client.force_login(user)
    return SimpleNamespace(user=user, wishlist=WishList.objects.create(owner=user))


def buyer_snapshot(alice):
    alice.address.refresh_from_db()
    alice.alert.refresh_from_db()
    return (
        list(Order.objects.order_by("pk").values_list("status", "payment_state")),
        (alice.address.line1, alice.address.is_default_for_shipping),
        UserAddress.objects.count(),
        alice.alert.status,
        list(alice.wishlist.lines.values_list("pk", "product_id", "quantity")),
        (WishList.objects.filter(pk=alice.wishlist.pk).values_list("name").first()),
        Basket.objects.get(pk=alice.basket.pk).num_items,
        Basket.objects.filter(owner__username="bob").count(),
    )


def alice_urls(alice, bob) -> dict[str, str]:
    order, key = alice.order.number, alice.wishlist.key
    return {
        "customer:order": reverse("customer:order", args=[order]),
        "customer:order-line": reverse(
            "customer:order-line", args=[order, alice.order.lines.get().pk]
        ),
        "customer:address-detail": reverse(
            "customer:address-detail", args=[alice.address.pk]
        ),
        "customer:address-delete": reverse(
            "customer:address-delete", args=[alice.address.pk]
        ),
        "customer:address-change-status": reverse(
            "customer:address-change-status",
            kwargs={"pk": alice.address.pk, "action": "default_for_shipping"},
        ),
        "customer:email-detail": reverse(
            "customer:email-detail", args=[alice.email.pk]
        ),
        "customer:notifications-detail": reverse(
            "customer:notifications-detail", args=[alice.notification.pk]
        ),
        "customer:alerts-cancel-by-pk": reverse(
            "customer:alerts-cancel-by-pk", args=[alice.alert.pk]
        ),
        "customer:wishlists-detail": reverse("customer:wishlists-detail", args=[key]),
        "customer:wishlists-update": reverse("customer:wishlists-update", args=[key]),
        "customer:wishlists-delete": reverse("customer:wishlists-delete", args=[key]),
        "customer:wishlists-remove-product": reverse(
            "customer:wishlists-remove-product",
            kwargs={"key": key, "line_pk": alice.line.pk},
        ),
        "customer:wishlists-move-product-to-another": reverse(
            "customer:wishlists-move-product-to-another",
            kwargs={"key": key, "line_pk": alice.line.pk, "to_key": bob.wishlist.key},
        ),
        "wishlists:detail": reverse("wishlists:detail", args=[key]),
        "checkout:pay": reverse("checkout:pay", args=[alice.card_order.number]),
        "checkout:pay-confirm": reverse(
            "checkout:pay-confirm", args=[alice.card_order.number]
        ),
        "checkout:pay-return": reverse(
            "checkout:pay-return", args=[alice.card_order.number]
        ),
        "checkout:pay-cancel": reverse(
            "checkout:pay-cancel", args=[alice.card_order.number]
        ),
        "checkout:done": reverse("checkout:done", args=[order]),
    }


BUYER_URLS = [
    "customer:order", "customer:order-line", "customer:address-detail",
    "customer:address-delete", "customer:address-change-status",
    "customer:email-detail", "customer:notifications-detail",
    "customer:alerts-cancel-by-pk", "customer:wishlists-detail",
    "customer:wishlists-update", "customer:wishlists-delete",
    "customer:wishlists-remove-product",
    "customer:wishlists-move-product-to-another", "wishlists:detail",
    "checkout:pay", "checkout:pay-confirm", "checkout:pay-return",
    "checkout:pay-cancel", "checkout:done",
]  # fmt: skip


def buyer_post_data(alice) -> dict:
    return {
        "first_name": "Mallory", "line1": "Stolen", "line4": "Hà Nội",
        "country": "VN", "phone_number": "+84912345678", "name": "Mine",
        "quantity": 1, "action": "reorder",
    }  # fmt: skip


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", BUYER_URLS)
def test_a_buyer_cannot_open_or_change_another_buyers_things(
    client, alice, bob, name, method
):
    before = buyer_snapshot(alice)
    path = alice_urls(alice, bob)[name]

    if method == "get":
        response = client.get(path)
    else:
        response = client.post(path, buyer_post_data(alice))

    # 405: the view does not take this method at all (the other one is tested).
    assert response.status_code in (403, 404, 405), (path, response.status_code)
    assert buyer_snapshot(alice) == before


@pytest.mark.parametrize("name", BUYER_URLS)
def test_a_visitor_cannot_open_a_members_things(client, alice, name):
    bob = SimpleNamespace(wishlist=WishList.objects.create(owner=UserFactory()))
    before = buyer_snapshot(alice)
    path = alice_urls(alice, bob)[name]

    answers = [client.get(path), client.post(path, buyer_post_data(alice))]

    for response in answers:
        if response.status_code == 302:
            assert "/login/" in response["Location"], response["Location"]
        else:
            assert response.status_code in (403, 404, 405), name
    assert {r.status_code for r in answers} != {405}  # one method reached the view
    assert buyer_snapshot(alice) == before


@pytest.mark.parametrize("name", ["customer:order", "checkout:done"])
def test_the_owner_does_open_them(client, alice, name):
    """The other direction: the same URLs work for Alice (the 404s above are not
    404s for everyone)."""
    client.force_login(alice.user)
    bob = SimpleNamespace(wishlist=WishList.objects.create(owner=UserFactory()))

    assert client.get(alice_urls(alice, bob)[name]).status_code == 200


def test_the_order_status_page_needs_the_orders_own_token(client, alice, bob):
    """Bob's valid link for his order does not open Alice's order by number."""
    bobs = place(
        basket_with((alice.tea, 1), owner=bob.user), pickup(alice.shop), bob.user
    )
    bobs_path = order_status_path(bobs)
    alices_path = bobs_path.replace(f"/{bobs.number}/", f"/{alice.order.number}/")

    assert client.get(bobs_path).status_code == 200
    assert client.get(alices_path).status_code == 404
    assert client.get(order_status_path(alice.order)).status_code == 200


def test_oscars_guest_order_page_needs_the_orders_hash(client, alice):
    guest = place(basket_with((alice.tea, 1)), pickup(alice.shop))
    forged = signing.Signer().sign(guest.number).split(":")[-1]

    for path in (
        reverse("customer:anon-order", args=[guest.number, forged]),
        reverse("customer:anon-order-form", args=[guest.number, forged]),
    ):
        response = client.post(path, {"email": guest.email}, follow=True)
        assert guest.lines.get().title not in response.content.decode()
        assert response.context.get("order") is None


def test_a_buyer_sees_only_their_own_basket(client, alice, bob):
    response = client.get(reverse("basket:summary"))

    assert response.context["basket"].num_items == 0
    assert response.context["basket"].pk != alice.basket.pk


def test_a_forged_basket_cookie_opens_no_basket(client, alice):
    """Oscar signs the anonymous basket cookie and never opens an owned basket
    from it."""
    anonymous = basket_with((alice.tea, 1))
    for value in (
        str(anonymous.pk),  # unsigned
        f"{anonymous.pk}:forged",
        signing.Signer().sign(alice.basket.pk),  # signed, but a member's basket
    ):
        client.cookies[settings.OSCAR_BASKET_COOKIE_OPEN] = value
        response = client.get(reverse("basket:summary"))
        assert response.context["basket"].pk not in (anonymous.pk, alice.basket.pk)


def test_removing_a_voucher_touches_only_your_own_basket(client, alice, bob):
    from oscar.test.factories import VoucherFactory

    voucher = VoucherFactory()
    alice.basket.vouchers.add(voucher)

    response = client.post(reverse("basket:vouchers-remove", args=[voucher.pk]))

    assert response.status_code in (302, 404)
    assert list(alice.basket.vouchers.all()) == [voucher]


# --- Outlet staff in Oscar's order dashboard ----------------------------------------


@pytest.fixture
def two_outlets():
    a, b = make_outlet("tc-01"), make_outlet("tc-02")
    tea = create_product(num_in_stock=None)
    for outlet in (a, b):
        stock.stock_receive(sales_point=outlet, product=tea, quantity=10)
    order = place(basket_with((tea, 1)), pickup(b))
    note = OrderNote.objects.create(order=order, message="Gọi trước khi giao")
    return SimpleNamespace(a=a, b=b, tea=tea, order=order, note=note)


def oscar_order_urls(world) -> list[str]:
    number = world.order.number
    return [
        reverse("dashboard:order-detail", args=[number]),
        reverse("dashboard:order-detail-note", args=[number, world.note.pk]),
        reverse(
            "dashboard:order-line-detail", args=[number, world.order.lines.get().pk]
        ),
        reverse("dashboard:order-shipping-address", args=[number]),
    ]


def order_snapshot(world):
    order = Order.objects.get(pk=world.order.pk)
    return (
        order.status,
        list(order.notes.values_list("message", flat=True)),
        list(order.lines.values_list("status", flat=True)),
    )


@pytest.mark.parametrize("index", range(4))
@pytest.mark.parametrize("method", ["get", "post"])
def test_outlet_staff_cannot_open_another_outlets_order_in_oscars_dashboard(
    client, two_outlets, index, method
):
    client.force_login(outlet_staff(two_outlets.a))
    before = order_snapshot(two_outlets)
    path = oscar_order_urls(two_outlets)[index]

    if method == "get":
        response = client.get(path)
    else:
        response = client.post(
            path,
            {"order_action": "change_order_status", "new_status": "cancelled",
             "message": "hacked", "note_type": "Info", "line1": "Stolen"},
        )  # fmt: skip

    assert response.status_code in (404, 405)  # 405: the line page is GET only
    assert order_snapshot(two_outlets) == before


def test_oscars_order_list_shows_outlet_staff_only_their_outlets_orders(
    client, two_outlets
):
    client.force_login(outlet_staff(two_outlets.a))

    response = client.get(reverse("dashboard:order-list"))

    assert response.status_code == 200
    assert list(response.context["orders"]) == []


def test_the_outlets_own_staff_do_open_it(client, two_outlets):
    client.force_login(outlet_staff(two_outlets.b))

    for path in oscar_order_urls(two_outlets)[:3]:
        assert client.get(path).status_code == 200, path


# --- Outlet stock import -------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ["import", "confirm", "template"])
def test_outlet_staff_cannot_import_into_another_outlet(
    client, two_outlets, name, method
):
    from sales_points.models import StockMovement

    client.force_login(outlet_staff(two_outlets.a))
    path = reverse(f"outlet-import:{name}", kwargs={"code": two_outlets.b.code})
    before = StockMovement.objects.count()

    response = getattr(client, method)(path)

    assert response.status_code == 404
    assert StockMovement.objects.count() == before
    if name != "confirm":  # POST only
        own = reverse(f"outlet-import:{name}", kwargs={"code": two_outlets.a.code})
        assert client.get(own).status_code == 200


# --- Staff-only objects ---------------------------------------------------------------


OTHER_ROLES = {
    "buyer": lambda: UserFactory(),
    "outlet-staff": lambda: outlet_staff(make_outlet("tc-09")),
    "network-manager": lambda: UserFactory(groups=[roles.NETWORK_MANAGERS]),
    "communications-editor": lambda: UserFactory(groups=[roles.COMMUNICATIONS_EDITORS]),
}


def _dummy_kwargs(name: str) -> dict:
    values = {"product_class_slug": "tea", "slug": "order-placed"}
    return {param: values.get(param, 1) for param in OBJECT_URLS[name]}


def _refused(response) -> bool:
    if response.status_code == 302:
        return "/login/" in response["Location"]
    return response.status_code == 403


@pytest.mark.parametrize("role", ["buyer", "outlet-staff"])
@pytest.mark.parametrize("name", STAFF_ONLY_URLS)
def test_oscars_staff_only_objects_refuse_everyone_else(client, name, role):
    """Refused before the object is looked up (a 404 would hide a missing check)."""
    client.force_login(OTHER_ROLES[role]())
    path = reverse(name, kwargs=_dummy_kwargs(name))

    assert _refused(client.get(path)), path
    assert _refused(client.post(path, {})), path


@pytest.mark.parametrize("role", ["buyer", "outlet-staff", "communications-editor"])
@pytest.mark.parametrize(
    "name", sorted(n for n in COVERAGE if n.startswith("ocop-dashboard:"))
)
def test_the_ocop_dashboard_objects_refuse_other_roles(client, name, role):
    """Producers and certificates are the catalogue managers' (network-wide): no
    other role opens or changes one, whatever its pk."""
    from catalogue.models import Certificate, Producer

    product = create_product()
    certificate = Certificate.objects.get(product=product)
    pk = product.producer.pk if "producer" in name else certificate.pk
    client.force_login(OTHER_ROLES[role]())
    path = reverse(name, kwargs={"pk": pk})
    before = (
        list(Certificate.objects.values_list("status", "expires_on")),
        list(Producer.objects.values_list("name_vi", flat=True)),
    )

    assert _refused(client.get(path))
    assert _refused(client.post(path, {"name_vi": "x", "reason": "x"}))
    assert (
        list(Certificate.objects.values_list("status", "expires_on")),
        list(Producer.objects.values_list("name_vi", flat=True)),
    ) == before
