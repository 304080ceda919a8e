import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from search.outbox import outbox_drain
from shop import currency, roles
from shop.models import ExchangeRate
from tests.factories import UserFactory, create_product, outlet_staff

pytestmark = pytest.mark.django_db

DASHBOARD = "/dashboard/currency/"


def today() -> dt.date:
    return timezone.localdate()


def set_rate(code: str, rate: str, *, days_ago: int = 0) -> ExchangeRate:
    return currency.exchange_rate_set(
        currency=code,
        vnd_per_unit=Decimal(rate),
        effective_on=today() - dt.timedelta(days=days_ago),
        user=None,
    )


def choose(client, code: str, *, lang: str = "en"):
    return client.post(
        f"/{lang}/shop/currency/set/", {"currency": code, "next": f"/{lang}/shop/"}
    )


# --- Conversion ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "rate", "amount", "expected"),
    [
        ("USD", "26350", "150000", Decimal("5.69")),  # 5.6925…
        ("USD", "26350", "13175", Decimal("0.50")),  # exactly half a dollar
        ("EUR", "30550", "150000", Decimal("4.91")),  # 4.9099…
        ("JPY", "172.5", "150000", Decimal("870")),  # 869.57: whole yen
        ("KRW", "18.15", "150000", Decimal("8264")),  # 8264.46: whole won
        ("CNY", "3705", "150000", Decimal("40.49")),  # 40.4858…
        ("THB", "815", "150000", Decimal("184.05")),  # 184.049…
        ("USD", "20000", "30", Decimal("0.00")),  # 0.0015 rounds down
        ("USD", "20000", "100", Decimal("0.01")),  # 0.005 rounds half up
    ],
)
def test_vnd_converts_to_each_currency_rounded_to_its_usual_digits(
    code, rate, amount, expected
):
    # given
    rates = {code: ExchangeRate(currency=code, vnd_per_unit=Decimal(rate))}

    # when
    converted = currency.vnd_to(Decimal(amount), code, rates)

    # then
    assert converted == expected
    assert converted.as_tuple().exponent == expected.as_tuple().exponent


def test_no_rate_means_no_conversion():
    assert currency.vnd_to(Decimal("150000"), "USD", {}) is None
    assert currency.vnd_to(None, "USD", {}) is None


def test_the_rate_in_use_is_the_latest_one_not_dated_in_the_future():
    # given
    set_rate("USD", "25000", days_ago=30)
    set_rate("USD", "26000", days_ago=1)
    set_rate("USD", "99999", days_ago=-1)  # tomorrow's: scheduled, not in use
    set_rate("EUR", "31000", days_ago=-5)  # only a future rate: no EUR yet

    # when
    rates = currency.rates_current()

    # then
    assert set(rates) == {"USD"}
    assert rates["USD"].vnd_per_unit == Decimal("26000")
    assert rates["USD"].effective_on == today() - dt.timedelta(days=1)
    assert currency.vnd_to(Decimal("52000"), "USD", rates) == Decimal("2.00")
    assert currency.rates_scheduled()["USD"].vnd_per_unit == Decimal("99999")


def test_tomorrows_rate_takes_over_tomorrow():
    # given
    set_rate("USD", "26000", days_ago=0)
    set_rate("USD", "27000", days_ago=-1)

    # when
    rates = currency.rates_current(today=today() + dt.timedelta(days=1))

    # then
    assert rates["USD"].vnd_per_unit == Decimal("27000")


def test_current_rates_are_read_in_one_query(django_assert_num_queries):
    # given
    for days_ago in range(5):
        set_rate("USD", str(26000 + days_ago), days_ago=days_ago)
        set_rate("JPY", str(170 + days_ago), days_ago=days_ago)

    # when
    with django_assert_num_queries(1):
        rates = currency.rates_current()

    # then
    assert {code: r.vnd_per_unit for code, r in rates.items()} == {
        "USD": Decimal("26000"),
        "JPY": Decimal("170"),
    }


# --- The service --------------------------------------------------------------


def test_setting_a_rate_twice_on_one_day_replaces_it_and_keeps_earlier_days():
    # given
    user = UserFactory(groups=[roles.CATALOGUE_MANAGERS])
    set_rate("USD", "25000", days_ago=7)

    # when
    currency.exchange_rate_set(
        currency="USD", vnd_per_unit=Decimal("26000"), effective_on=today(), user=None
    )
    currency.exchange_rate_set(
        currency="USD", vnd_per_unit=Decimal("26350"), effective_on=today(), user=user
    )

    # then
    history = list(ExchangeRate.objects.filter(currency="USD"))
    assert [(r.effective_on, r.vnd_per_unit) for r in history] == [
        (today(), Decimal("26350")),
        (today() - dt.timedelta(days=7), Decimal("25000")),
    ]
    assert history[0].updated_by == user


@pytest.mark.parametrize(
    ("code", "rate", "field"),
    [
        ("USD", "0", "vnd_per_unit"),
        ("USD", "-26000", "vnd_per_unit"),
        ("USD", "NaN", "vnd_per_unit"),
        ("XYZ", "26000", "currency"),
        ("VND", "1", "currency"),
    ],
)
def test_the_service_refuses_bad_rates(code, rate, field):
    with pytest.raises(ValidationError) as error:
        currency.exchange_rate_set(
            currency=code, vnd_per_unit=Decimal(rate), effective_on=today(), user=None
        )

    assert field in error.value.error_dict
    assert not ExchangeRate.objects.exists()


def test_demo_rates_cover_every_currency_and_can_be_seeded_again():
    # when
    currency.exchange_rates_seed()
    currency.exchange_rates_seed()

    # then
    rates = currency.rates_current()
    assert set(rates) == set(ExchangeRate.Currency.values)
    assert ExchangeRate.objects.count() == len(ExchangeRate.Currency.values)
    assert {"USD", "EUR", "JPY", "KRW", "CNY"} <= {
        c for c, _ in currency.DISPLAY_CURRENCIES
    }
    assert all(rate.effective_on == today() for rate in rates.values())


# --- The selector ---------------------------------------------------------------


def test_choosing_a_currency_keeps_it_in_the_session_and_goes_back(client):
    # when
    response = choose(client, "USD")

    # then
    assert response.status_code == 302
    assert response["Location"] == "/en/shop/"
    assert client.session[currency.SESSION_KEY] == "USD"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/path", "http://testserver.evil/", ""],
)
def test_the_selector_does_not_redirect_off_the_site(client, next_url):
    # when
    response = client.post(
        "/en/shop/currency/set/", {"currency": "EUR", "next": next_url}
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session[currency.SESSION_KEY] == "EUR"


def test_the_selector_refuses_an_unknown_currency(client):
    # given
    choose(client, "JPY")

    # when
    response = choose(client, "XYZ")

    # then
    assert response.status_code == 400
    assert client.session[currency.SESSION_KEY] == "JPY"


def test_the_selector_takes_only_posts(client):
    assert client.get("/en/shop/currency/set/?currency=USD").status_code == 405


def test_the_header_offers_the_currencies_in_a_form_that_works_without_javascript(
    english_client, home_pages
):
    # when
    html = english_client.get("/en/").content.decode()

    # then
    assert 'action="/en/shop/currency/set/"' in html
    assert '<label class="sr-only" for="currency-selector-currency">' in html
    for code in ("VND", "USD", "EUR", "JPY", "KRW", "CNY"):
        assert f'<option value="{code}"' in html
    assert 'name="next" value="/en/"' in html


# --- Prices on pages --------------------------------------------------------------


def test_product_page_shows_the_approximate_price_in_usd_once_chosen(
    english_client, home_pages, product
):
    # given
    set_rate("USD", "26350", days_ago=2)
    with translation.override("en"):
        url = product.get_absolute_url()
        rate_date = date_format(today() - dt.timedelta(days=2), "DATE_FORMAT")

    # when
    choose(english_client, "USD")
    html = english_client.get(url).content.decode()

    # then
    assert "₫150,000" in html
    assert "US$5.69" in html
    assert "≈" in html
    assert f"Approximate, at the rate of {rate_date}; you are charged in VND." in html


def test_product_page_shows_no_approximation_in_vnd(
    english_client, home_pages, product
):
    # given
    set_rate("USD", "26350")
    with translation.override("en"):
        url = product.get_absolute_url()

    # when: nothing chosen, then VND chosen
    before = english_client.get(url).content.decode()
    choose(english_client, "VND")
    after = english_client.get(url).content.decode()

    # then
    for html in (before, after):
        assert "₫150,000" in html
        assert "approx-price" not in html
        assert "US$" not in html


def test_no_approximation_for_a_currency_without_a_rate(
    english_client, home_pages, product
):
    # given
    set_rate("USD", "26350")
    with translation.override("en"):
        url = product.get_absolute_url()

    # when
    choose(english_client, "THB")
    html = english_client.get(url).content.decode()

    # then
    assert "₫150,000" in html
    assert "approx-price" not in html


def test_whole_yen_in_vietnamese(client, home_pages, product):
    # given
    set_rate("JPY", "172.5")
    with translation.override("vi"):
        url = product.get_absolute_url()

    # when
    choose(client, "JPY", lang="vi")
    html = client.get(url).content.decode()

    # then
    assert "150.000\xa0₫" in html
    assert "870\xa0¥" in html


def test_a_listing_reads_the_rates_once_however_many_prices_it_shows(
    english_client, home_pages
):
    # given
    for n in range(6):
        create_product(title=f"Trà số {n}", price=Decimal("263500"))
    outbox_drain()  # searchable, as after the commit
    set_rate("USD", "26350")
    choose(english_client, "USD")

    # when
    with CaptureQueriesContext(connection) as queries:
        html = english_client.get("/en/shop/").content.decode()

    # then
    rate_queries = [q for q in queries if "shop_exchangerate" in q["sql"]]
    assert len(rate_queries) == 1
    assert html.count("US$10.00") == 6


def test_the_price_tag_reads_the_rates_once_per_request(django_assert_num_queries):
    # given
    set_rate("USD", "25000")
    request = RequestFactory().get("/en/shop/")
    request.session = {currency.SESSION_KEY: "USD"}
    template = Template(
        "{% load currency_tags %}{% for p in prices %}{% approx_price p %}|{% endfor %}"
    )
    prices = [Decimal(25000 * n) for n in range(1, 21)]

    # when
    with translation.override("en"), django_assert_num_queries(1):
        html = template.render(Context({"request": request, "prices": prices}))

    # then
    assert "US$1.00" in html
    assert "US$20.00" in html
    assert html.count("approx-price") == 20


def test_the_price_tag_asks_nothing_of_the_database_in_vnd(django_assert_num_queries):
    # given
    request = RequestFactory().get("/en/shop/")
    request.session = {}
    template = Template("{% load currency_tags %}[{% approx_price price %}]")

    # when
    with django_assert_num_queries(0):
        html = template.render(
            Context({"request": request, "price": Decimal("150000")})
        )

    # then
    assert html == "[]"


def test_basket_shows_the_approximate_total_and_says_the_charge_is_in_vnd(
    english_client, home_pages, product
):
    # given
    set_rate("USD", "26350")
    choose(english_client, "USD")
    with translation.override("en"):
        add_url = reverse("basket:add", kwargs={"pk": product.pk})
        basket_url = reverse("basket:summary")
    english_client.post(add_url, {"quantity": 2})

    # when
    html = english_client.get(basket_url).content.decode()

    # then
    assert "₫300,000" in html
    assert "US$11.39" in html  # 300000 / 26350 = 11.385…
    assert (
        "You will be charged in Vietnamese đồng (VND). "
        "Other currencies are approximate." in html
    )


# --- The dashboard ----------------------------------------------------------------


@pytest.mark.parametrize("group", [roles.CATALOGUE_MANAGERS, roles.NETWORK_MANAGERS])
def test_catalogue_and_network_managers_see_the_rates(english_client, group):
    # given
    set_rate("USD", "26350", days_ago=3)
    set_rate("USD", "26500", days_ago=-2)
    english_client.force_login(UserFactory(groups=[group]))

    # when
    response = english_client.get(DASHBOARD)

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Exchange rates" in html
    assert "26,350" in html and "26,500" in html
    usd = next(row for row in response.context["current_rates"] if row["code"] == "USD")
    assert usd["rate"].effective_on == today() - dt.timedelta(days=3)
    assert usd["scheduled"].vnd_per_unit == Decimal("26500")
    assert len(response.context["history"]) == 2


def test_a_catalogue_manager_sets_a_rate(client):
    # given
    manager = UserFactory(groups=[roles.CATALOGUE_MANAGERS])
    client.force_login(manager)

    # when
    response = client.post(
        DASHBOARD,
        {"currency": "KRW", "vnd_per_unit": "18.15", "effective_on": today()},
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    rate = ExchangeRate.objects.get()
    assert (rate.currency, rate.vnd_per_unit, rate.effective_on, rate.updated_by) == (
        "KRW",
        Decimal("18.15"),
        today(),
        manager,
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"currency": "USD", "vnd_per_unit": "0"}, "vnd_per_unit"),
        ({"currency": "USD", "vnd_per_unit": "-1"}, "vnd_per_unit"),
        ({"currency": "USD", "vnd_per_unit": "abc"}, "vnd_per_unit"),
        ({"currency": "XYZ", "vnd_per_unit": "26000"}, "currency"),
        ({"currency": "VND", "vnd_per_unit": "1"}, "currency"),
    ],
)
def test_bad_rates_come_back_as_form_errors(client, data, field):
    # given
    client.force_login(UserFactory(groups=[roles.CATALOGUE_MANAGERS]))

    # when
    response = client.post(DASHBOARD, {**data, "effective_on": today()})

    # then
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not ExchangeRate.objects.exists()


def test_buyers_and_outlet_staff_may_not_see_or_set_rates(client):
    # given
    for user in (UserFactory(), outlet_staff()):
        client.force_login(user)

        # when
        seen = client.get(DASHBOARD)
        posted = client.post(
            DASHBOARD,
            {"currency": "USD", "vnd_per_unit": "1", "effective_on": today()},
        )

        # then
        assert seen.status_code == 403
        assert posted.status_code == 403
    assert not ExchangeRate.objects.exists()


def test_anonymous_visitors_are_sent_to_the_dashboard_login(client):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"].startswith(
        "/dashboard/login/?next=/dashboard/currency/"
    )
