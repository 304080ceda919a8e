"""Every outlet staff URL, both ways: your outlet yes; another outlet, a guessed
transfer or receipt number, a buyer, a catalogue manager or a visitor never, and then
nothing changes. The URLs are read from the resolver: a new one cannot be left out."""

from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from oscar.core.loading import get_model

from catalogue.dashboard.nav import default_access_fn
from sales_points import services
from sales_points.models import (
    CounterSale,
    CounterSaleLine,
    Lot,
    StockMovement,
    Transfer,
)
from shop import roles
from tests.factories import UserFactory, create_product, outlet_staff
from tests.sales_points.test_services import assert_ledger_adds_up, make_outlet
from tests.shop.orders import basket_with, pickup, place

StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

NAMESPACE = "outlet-dashboard"


def _walk(patterns, prefix_params=()):
    for pattern in patterns:
        params = (*prefix_params, *pattern.pattern.converters)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, params)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield pattern.name, tuple(params), pattern.callback


def dashboard_urls():
    """(name, URL parameters, view) of every URL in the namespace."""
    _prefix, resolver = get_resolver().namespace_dict[NAMESPACE]
    return list(_walk(resolver.url_patterns))


URLS = dashboard_urls()
URL_NAMES = [name for name, _params, _view in URLS]
PARAMS = {name: params for name, params, _view in URLS}
OUTLET_URLS = [name for name in URL_NAMES if "code" in PARAMS[name]]
# URLs that name a transfer or a receipt, besides the outlet.
OBJECT_URLS = [name for name in OUTLET_URLS if len(PARAMS[name]) > 1]
POST_URLS = [name for name, _params, view in URLS if hasattr(view.view_class, "post")]


def test_the_namespace_is_walked():
    """The walk finds the pages (a broken walk would make every test below vacuous)."""
    assert {"index", "stock", "sell", "transfer-receive", "api-stock"} <= set(URL_NAMES)
    assert {"receive", "sell", "count", "transfer-send", "transfer-cancel"} <= set(
        POST_URLS
    )
    assert {"receipt-detail", "transfer-detail"} <= set(OBJECT_URLS)


@pytest.fixture
def world():
    """Three outlets stocked with tea; B (tc-02) sent C a transfer, C sent B one,
    and B sold one tea over the counter."""
    a, b, c = make_outlet("tc-01"), make_outlet("tc-02"), make_outlet("tc-03")
    tea = create_product(num_in_stock=None, upc="8930000000011")
    for outlet in (a, b, c):
        services.stock_receive(sales_point=outlet, product=tea, quantity=20)
    transfer_out = services.transfer_send(source=b, destination=c, lines={tea.pk: 2})
    transfer_in = services.transfer_send(source=c, destination=b, lines={tea.pk: 2})
    sale = services.counter_sale_record(
        sales_point=b, lines={tea.pk: 3}, payment="cash"
    )
    order = place(basket_with((tea, 1)), pickup(b))
    return SimpleNamespace(
        a=a, b=b, c=c, tea=tea, transfer_out=transfer_out, transfer_in=transfer_in,
        sale=sale, order=order,
    )  # fmt: skip


def url(world, name: str, code: str | None = None, **overrides) -> str:
    """The URL in the namespace, with the outlet's code and B's transfer (the incoming
    one for receiving), receipt and online order (cancelled by the action URL). An
    unknown parameter fails here, loudly."""
    if name.startswith("order-"):
        number = world.order.number
    elif name == "transfer-receive":
        number = world.transfer_in.number
    else:
        number = world.transfer_out.number
    values = {
        "code": code or world.b.code,
        "number": number,
        "action": "cancel",
        "receipt_number": world.sale.receipt_number,
        **overrides,
    }
    return reverse(
        f"{NAMESPACE}:{name}", kwargs={p: values[p] for p in PARAMS[name]} or None
    )


def payload(world, name: str) -> dict:
    """A POST every form accepts (each reads its own fields), on B's stock."""
    tea = world.tea.pk
    in_stock = StockRecord.objects.get(
        partner=world.b.partner, product=world.tea
    ).num_in_stock
    action = {"sell": "record", "transfer-send": "send", "count": "confirm"}
    return {
        "action": action.get(name, ""),
        "product": tea, "quantity": 1, "reason": "test", "threshold": 3,
        "payment": "cash", "destination": world.a.pk,
        "lines-TOTAL_FORMS": 1, "lines-INITIAL_FORMS": 0,
        "lines-0-product": tea, "lines-0-quantity": 1,
        f"count-{tea}": in_stock - 1, f"count-{tea}-expected": in_stock,
        f"return-{tea}": 1, "return-reason": "broken",
        f"received-{tea}": 1,
    }  # fmt: skip


def snapshot():
    """Everything a staff page can change."""
    return (
        StockMovement.objects.count(),
        Transfer.objects.count(),
        CounterSale.objects.count(),
        Lot.objects.count(),
        list(
            StockRecord.objects.order_by("pk").values_list(
                "num_in_stock", "num_allocated", "low_stock_threshold"
            )
        ),
        list(Transfer.objects.order_by("pk").values_list("status", flat=True)),
        list(
            CounterSaleLine.objects.order_by("pk").values_list(
                "quantity_returned", flat=True
            )
        ),
        list(Order.objects.order_by("pk").values_list("status", flat=True)),
    )


def form_errors(response):
    form = response.context and response.context.get("form")
    return form.errors if form else response


def request(client, method: str, path: str, data=None):
    if method == "get":
        return client.get(path)
    return client.post(path, data or {})


# --- Your outlet: yes ----------------------------------------------------------------


@pytest.mark.parametrize("name", OUTLET_URLS)
def test_every_page_opens_for_the_outlets_staff(client, world, name):
    client.force_login(outlet_staff(world.b))

    response = client.get(url(world, name))

    assert response.status_code == 200, response


def test_the_index_takes_a_one_outlet_worker_to_their_outlet(client, world):
    client.force_login(outlet_staff(world.b))

    response = client.get(reverse(f"{NAMESPACE}:index"))

    assert response.status_code == 302
    assert response["Location"] == url(world, "stock")


def test_the_index_lists_only_the_users_outlets(client, world):
    client.force_login(outlet_staff(world.a, world.b))

    response = client.get(reverse(f"{NAMESPACE}:index"))

    assert [o.code for o in response.context["outlets"]] == ["tc-01", "tc-02"]


@pytest.mark.parametrize("name", URL_NAMES)
def test_network_managers_open_every_page_of_any_outlet(client, world, name):
    client.force_login(UserFactory(groups=[roles.NETWORK_MANAGERS]))

    response = client.get(url(world, name))

    assert response.status_code == 200, response
    if name == "index":
        assert len(response.context["outlets"]) == 3


@pytest.mark.parametrize("name", POST_URLS)
def test_the_outlets_staff_change_their_outlet(client, world, name):
    """The other direction of the 404 tests below: the same POST does change B."""
    client.force_login(outlet_staff(world.b))
    before = snapshot()

    response = client.post(url(world, name), payload(world, name))

    assert response.status_code == 302, form_errors(response)
    assert snapshot() != before
    assert_ledger_adds_up()


# --- Another outlet: never -----------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("intruder", ["unrelated", "counterparty"])
@pytest.mark.parametrize("name", OUTLET_URLS)
def test_staff_of_another_outlet_get_404_and_change_nothing(
    client, world, name, method, intruder
):
    """Staff of A (no dealings with B) or of C (B's transfer partner, who sees those
    transfers under its own code) try B's pages."""
    client.force_login(outlet_staff(world.a if intruder == "unrelated" else world.c))
    before = snapshot()

    response = request(client, method, url(world, name), payload(world, name))

    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", OBJECT_URLS)
def test_a_guessed_transfer_or_receipt_of_another_outlet_is_404(
    client, world, name, method
):
    """Staff of A under A's own code, with B's transfer and receipt numbers."""
    client.force_login(outlet_staff(world.a))
    before = snapshot()

    path = url(world, name, code=world.a.code)
    response = request(client, method, path, payload(world, name))

    assert response.status_code == 404
    assert snapshot() == before


def test_the_receiving_outlet_cannot_cancel_nor_the_sender_receive(client, world):
    """C sees B's transfer (it is the destination) but only the sender calls it back,
    and B cannot confirm the arrival of what it sent."""
    tea = world.tea.pk
    before = snapshot()

    client.force_login(outlet_staff(world.c))
    cancel = url(world, "transfer-cancel", code=world.c.code)
    assert client.post(cancel).status_code == 403

    client.force_login(outlet_staff(world.b))
    receive = url(world, "transfer-receive", number=world.transfer_out.number)
    assert client.post(receive, {f"received-{tea}": 2}).status_code == 403
    assert snapshot() == before


# --- Not an outlet worker: never -----------------------------------------------------


def _is_api(name: str) -> bool:
    return name.startswith("api-")


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", URL_NAMES)
def test_visitors_are_sent_to_log_in(client, world, name, method):
    before = snapshot()

    response = request(client, method, url(world, name), payload(world, name))

    if _is_api(name):  # JSON: no login page to go to
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("dashboard:login"))
    assert snapshot() == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", URL_NAMES)
@pytest.mark.parametrize(
    "make_user",
    [
        lambda world: UserFactory(),  # a buyer
        lambda world: UserFactory(groups=[roles.CATALOGUE_MANAGERS]),
        lambda world: UserFactory(groups=[roles.SALES_POINT_STAFF]),  # no outlet yet
        lambda world: outlet_staff(world.b, is_active=False),  # left the job
    ],
    ids=["buyer", "catalogue-manager", "staff-without-outlet", "inactive-staff"],
)
def test_users_who_work_at_no_outlet_get_403(client, world, name, method, make_user):
    client.force_login(make_user(world))
    before = snapshot()

    response = request(client, method, url(world, name), payload(world, name))

    if response.status_code == 302:  # an inactive user's session is not a session
        assert response["Location"].startswith(reverse("dashboard:login"))
    else:
        assert response.status_code == 403
    assert snapshot() == before


def test_the_dashboard_menu_offers_the_outlet_pages_to_outlet_workers(world):
    staff = outlet_staff(world.b)
    manager = UserFactory(groups=[roles.NETWORK_MANAGERS])
    catalogue_manager = UserFactory(groups=[roles.CATALOGUE_MANAGERS])
    index = f"{NAMESPACE}:index"

    assert default_access_fn(staff, index)
    assert default_access_fn(manager, index)
    assert not default_access_fn(catalogue_manager, index)
    assert not default_access_fn(UserFactory(), index)
