import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from catalogue import services as catalogue_services
from sales_points import alerts, services
from sales_points.exceptions import StockError
from sales_points.models import BackInStockRequest
from shop import roles
from tests.factories import UserFactory, create_product, outlet_staff
from tests.sales_points.test_services import make_outlet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def test_the_daily_digest_tells_each_outlet_its_own_low_stock_and_managers_all():
    low, fine = make_outlet("tc-01"), make_outlet("tc-02")
    tea = create_product(num_in_stock=None)
    honey = create_product(num_in_stock=None, title="Mật ong Võ Nhai")
    services.stock_receive(sales_point=low, product=tea, quantity=2)  # 2 <= 5
    services.stock_receive(sales_point=low, product=honey, quantity=30)
    services.stock_receive(sales_point=fine, product=tea, quantity=30)
    services.stock_threshold_set(sales_point=low, product_id=honey.pk, threshold=40)
    outlet_staff(low, email="low@ocop.local")
    outlet_staff(fine, email="fine@ocop.local")
    UserFactory(groups=[roles.NETWORK_MANAGERS], email="boss@ocop.local")

    sent = alerts.low_stock_digest_send()

    assert sent == 2
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert set(by_recipient) == {("low@ocop.local",), ("boss@ocop.local",)}
    outlet_mail = by_recipient[("low@ocop.local",)].body
    assert "Trà Tân Cương" in outlet_mail and "Mật ong Võ Nhai" in outlet_mail
    assert "tc-01" in by_recipient[("boss@ocop.local",)].body
    assert "tc-02" not in by_recipient[("boss@ocop.local",)].body


def test_the_digest_is_sent_once_a_day():
    outlet = make_outlet()
    services.stock_receive(
        sales_point=outlet, product=create_product(num_in_stock=None), quantity=1
    )
    outlet_staff(outlet, email="low@ocop.local")

    assert alerts.low_stock_digest_send() == 1
    assert alerts.low_stock_digest_send() == 0
    assert len(mail.outbox) == 1


def test_units_held_for_orders_count_against_the_threshold():
    outlet, tea = make_outlet(), create_product(num_in_stock=None)
    services.stock_receive(sales_point=outlet, product=tea, quantity=8)
    record = outlet.partner.stockrecords.get(product=tea)
    assert not alerts.stockrecords_low().filter(pk=record.pk).exists()

    services.stock_allocate(stockrecord_id=record.pk, quantity=4)

    assert alerts.stockrecords_low().filter(pk=record.pk).exists()


def test_a_buyer_hears_once_when_the_product_is_back_at_the_outlet():
    outlet, tea = make_outlet(), create_product(num_in_stock=None)
    alerts.back_in_stock_request(
        product=tea, sales_point=outlet, email="An@Example.com", language="en"
    )
    alerts.back_in_stock_request(  # asking twice keeps one request
        product=tea, sales_point=outlet, email="an@example.com", language="en"
    )
    assert alerts.back_in_stock_notify() == 0  # still out of stock

    services.stock_receive(sales_point=outlet, product=tea, quantity=3)

    assert alerts.back_in_stock_notify() == 1
    assert alerts.back_in_stock_notify() == 0
    assert mail.outbox[0].to == ["an@example.com"]
    assert mail.outbox[0].subject.startswith("Back in stock")
    assert BackInStockRequest.objects.get().notified_at is not None


def test_no_request_for_what_is_in_stock_or_not_certified():
    outlet, tea = make_outlet(), create_product(num_in_stock=None)
    services.stock_receive(sales_point=outlet, product=tea, quantity=3)
    lapsed = create_product(num_in_stock=None, title="Miến")
    catalogue_services.certificate_revoke(
        certificate=lapsed.certificates.get(), reason="x"
    )

    for product in (tea, lapsed):
        with pytest.raises(StockError):
            alerts.back_in_stock_request(
                product=product, sales_point=outlet, email="a@b.vn", language="vi"
            )
    assert not BackInStockRequest.objects.exists()


def test_a_buyer_asks_from_the_product_page_where_it_is_sold_out(client):
    outlet, tea = make_outlet(), create_product(num_in_stock=None)
    services.stock_receive(sales_point=outlet, product=tea, quantity=1)
    services.counter_sale_record(sales_point=outlet, lines={tea.pk: 1}, payment="cash")

    page = client.get(tea.get_absolute_url())
    assert 'name="code"' in page.content.decode()  # the sold-out outlet is offered
    response = client.post(
        reverse("sales_points:back-in-stock"),
        {"product": tea.pk, "code": outlet.code, "email": "an@example.com",
         "next": tea.get_absolute_url()},
    )  # fmt: skip

    assert response.status_code == 302
    assert response.url == tea.get_absolute_url()
    request = BackInStockRequest.objects.get()
    assert (request.email, request.language) == ("an@example.com", "vi")


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-email"},
        {"code": "no-such-outlet"},
        {"next": "https://evil.example/"},  # never redirected off the site
    ],
)
def test_a_bad_back_in_stock_request_is_refused_and_stays_on_the_site(client, data):
    outlet, tea = make_outlet(), create_product(num_in_stock=None)
    services.stock_receive(sales_point=outlet, product=tea, quantity=1)
    services.counter_sale_record(sales_point=outlet, lines={tea.pk: 1}, payment="cash")
    form = {"product": tea.pk, "code": outlet.code, "email": "an@example.com"}
    form.update(data)

    response = client.post(reverse("sales_points:back-in-stock"), form)

    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response.url.startswith("/")
    if "next" not in data:
        assert not BackInStockRequest.objects.exists()


def test_a_failing_address_does_not_stop_the_other_back_in_stock_mails(monkeypatch):
    outlet, tea = make_outlet(), create_product(num_in_stock=None)
    for email in ("bad@example.com", "good@example.com"):
        alerts.back_in_stock_request(
            product=tea, sales_point=outlet, email=email, language="vi"
        )
    services.stock_receive(sales_point=outlet, product=tea, quantity=3)
    real_send = alerts._send_back_in_stock

    def send(request):
        if request.email.startswith("bad"):
            raise OSError("mail server refused")
        real_send(request)

    monkeypatch.setattr(alerts, "_send_back_in_stock", send)

    assert alerts.back_in_stock_notify() == 1
    assert [m.to for m in mail.outbox] == [["good@example.com"]]
    waiting = BackInStockRequest.objects.filter(notified_at__isnull=True)
    assert [r.email for r in waiting] == ["bad@example.com"]  # tried again next run


def test_a_superuser_gets_the_network_digest():
    outlet = make_outlet()
    services.stock_receive(
        sales_point=outlet, product=create_product(num_in_stock=None), quantity=1
    )
    UserFactory(is_superuser=True, email="root@ocop.local")

    alerts.low_stock_digest_send()

    assert [m.to for m in mail.outbox] == [["root@ocop.local"]]
