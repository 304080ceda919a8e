from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_class, get_model
from oscar.test.factories import create_basket

from shop.shipping.demo import shipping_seed
from shop.shipping.repository import Repository, band_charge, delivery_charge
from shop.shipping.scales import Scale, packed_weight_kg
from shop.shipping.services import rate_table_save
from tests.factories import UserFactory, create_product, unit

WeightBased = get_model("shipping", "WeightBased")
WeightBand = get_model("shipping", "WeightBand")
ShippingAddress = get_model("order", "ShippingAddress")

D = Decimal
STANDARD_BANDS = [(D("1"), D(20000)), (D("3"), D(30000)), (D("10"), D(50000))]


def rate_table(code, *, provinces=(), bands=STANDARD_BANDS, free_above=None, **kw):
    return rate_table_save(
        code=code,
        name=kw.pop("name", code),
        provinces=[unit(c) for c in provinces],
        bands=bands,
        free_above=free_above,
        **kw,
    )


def basket_of(*lines):
    """A basket of (product, quantity) lines."""
    basket = create_basket(empty=True)
    for product, quantity in lines:
        basket.add_product(product, quantity)
    return basket


def tea(grams="200", price=100000, **kw):
    return create_product(price=D(price), net_quantity=D(grams), net_unit="g", **kw)


# --- Weight ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quantity", "unit_code", "kg"),
    [
        ("200", "g", "0.320"),  # 0.2 + 10 % + 100 g
        ("1", "kg", "1.200"),
        ("500", "ml", "0.650"),  # 1 g/ml
        ("1.5", "l", "1.750"),
        ("10", "pc", None),  # pieces have no mass: the default weight applies
        (None, "g", None),
        ("250", "", None),
    ],
)
def test_packed_weight_from_net_content(quantity, unit_code, kg):
    weight = packed_weight_kg(
        net_quantity=D(quantity) if quantity else None, net_unit=unit_code
    )

    assert weight == (D(kg) if kg else None)


@pytest.mark.django_db
def test_scale_weighs_net_content_then_the_default_weight():
    honey = create_product(net_quantity=D("500"), net_unit="ml")
    eggs = create_product(net_quantity=D("10"), net_unit="pc")
    basket = basket_of((tea(), 3), (honey, 1), (eggs, 2))

    weight = Scale(default_weight=D("0.500")).weigh_basket(basket)

    assert weight == 3 * D("0.320") + D("0.650") + 2 * D("0.500")


@pytest.mark.django_db
def test_a_weight_attribute_overrides_the_net_content():
    product = tea(attributes={"weight": "2.5"})

    assert Scale(default_weight=D("0.5")).weigh_product(product) == D("2.5")


# --- Charges -----------------------------------------------------------------------


def bands(*pairs):
    return [
        WeightBand(upper_limit=D(upper), charge=D(charge)) for upper, charge in pairs
    ]


@pytest.mark.parametrize(
    ("kg", "charge"),
    [
        ("0", 20000),
        ("1.000", 20000),  # a band includes its upper limit
        ("1.001", 30000),
        ("3", 30000),
        ("3.001", 50000),
        ("10", 50000),
        ("10.5", 50000 + 20000),  # a full parcel plus one for the rest
        ("13", 50000 + 30000),
        ("20", 2 * 50000),
    ],
)
def test_the_lightest_band_that_takes_the_weight_sets_the_charge(kg, charge):
    table = bands(("3", 30000), ("1", 20000), ("10", 50000))  # any order

    assert band_charge(bands=table, weight_kg=D(kg)) == charge


def test_charges_are_whole_dong():
    table = bands(("1", "20000.40"), ("2", "20000.50"))

    low = band_charge(bands=table, weight_kg=D("0.5"))
    high = band_charge(bands=table, weight_kg=D("1.5"))

    assert (low, high) == (D(20000), D(20001))
    assert low.as_tuple().exponent == 0 and high.as_tuple().exponent == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("total", "charge"), [("499999", 20000), ("500000", 0), ("750000", 0)]
)
def test_delivery_is_free_from_the_threshold(total, charge):
    table = rate_table("tn", free_above=D(500000))

    result = delivery_charge(
        method=table, basket_weight_kg=D("0.5"), basket_total=D(total)
    )

    assert result == charge
    assert result.as_tuple().exponent == 0


@pytest.mark.django_db
def test_no_threshold_means_never_free():
    table = rate_table("tn")

    assert delivery_charge(
        method=table, basket_weight_kg=D("2"), basket_total=D(10_000_000)
    ) == D(30000)


@pytest.mark.django_db
def test_a_rate_table_charges_a_basket_by_weight_and_total():
    table = rate_table("tn", free_above=D(500000), default_weight=D("0.5"))
    light = basket_of((tea(price=D(100000)), 3))  # 0.96 kg, 300,000 ₫
    heavier = basket_of((tea(price=D(100000)), 4))  # 1.28 kg, 400,000 ₫
    free = basket_of((tea(price=D(250000)), 2))  # exactly 500,000 ₫

    charges = [table.calculate(b) for b in (light, heavier, free)]

    assert [c.incl_tax for c in charges] == [D(20000), D(30000), D(0)]
    assert all(c.excl_tax == c.incl_tax and c.currency == "VND" for c in charges)


# --- Which tables apply ------------------------------------------------------------


@pytest.fixture
def tables(db):
    """Thái Nguyên's own standard and express tables, and a nationwide fallback."""
    return {
        "tn": rate_table("tn-standard", provinces=["thai-nguyen-2025"]),
        "tn-express": rate_table(
            "tn-express",
            provinces=["thai-nguyen-2025"],
            bands=[(D("10"), D(60000))],
        ),
        "fallback": rate_table(
            "nationwide", bands=[(D("1"), D(40000)), (D("10"), D(90000))]
        ),
    }


def codes(methods):
    return [m.code for m in methods]


def test_the_province_tables_apply_cheapest_first(tables):
    basket = basket_of((tea(), 1))
    address = ShippingAddress(
        first_name="An", province=unit("thai-nguyen-2025")
    )  # unsaved

    methods = Repository().get_shipping_methods(basket, shipping_addr=address)

    assert codes(methods) == ["tn-standard", "tn-express"]


def test_a_province_no_table_lists_gets_the_fallback(tables):
    basket = basket_of((tea(), 1))
    address = ShippingAddress(first_name="An", province=unit("ha-noi"))

    methods = Repository().get_shipping_methods(basket, shipping_addr=address)

    assert codes(methods) == ["nationwide"]
    assert methods[0].calculate(basket).incl_tax == D(40000)


def test_a_province_keyword_picks_the_tables(tables):
    basket = basket_of((tea(), 1))

    by_unit = Repository().get_shipping_methods(
        basket, province=unit("thai-nguyen-2025")
    )
    by_id = Repository().get_shipping_methods(
        basket, province=unit("thai-nguyen-2025").pk
    )

    assert codes(by_unit) == codes(by_id) == ["tn-standard", "tn-express"]


def test_without_a_province_the_fallback_applies(tables):
    basket = basket_of((tea(), 1))

    assert codes(Repository().get_shipping_methods(basket)) == ["nationwide"]


def test_no_delivery_to_an_unserved_province_without_a_fallback(tables):
    tables["fallback"].delete()
    basket = basket_of((tea(), 1))
    address = ShippingAddress(first_name="An", province=unit("ha-noi"))

    methods = Repository().get_shipping_methods(basket, shipping_addr=address)
    estimate = Repository().get_default_shipping_method(basket, shipping_addr=address)

    assert methods == []
    assert estimate.code == "delivery-unavailable"
    assert estimate.calculate(basket).incl_tax == 0


def test_a_table_without_bands_never_applies(tables):
    tables["tn-express"].bands.all().delete()
    basket = basket_of((tea(), 1))

    methods = Repository().get_shipping_methods(
        basket, province=unit("thai-nguyen-2025")
    )

    assert codes(methods) == ["tn-standard"]


def test_the_basket_estimate_is_the_cheapest_method(tables):
    basket = basket_of((tea(), 1))

    method = Repository().get_default_shipping_method(
        basket, province=unit("thai-nguyen-2025")
    )

    assert method.code == "tn-standard"


@pytest.mark.django_db
def test_names_follow_the_active_language():
    table = rate_table("tn", name="Giao hàng tiêu chuẩn", name_en="Standard delivery")
    untranslated = rate_table("other", name="Giao nhanh")

    with translation.override("en"):
        english = (table.display_name, untranslated.display_name)
    with translation.override("vi"):
        vietnamese = table.display_name

    assert english == ("Standard delivery", "Giao nhanh")
    assert vietnamese == "Giao hàng tiêu chuẩn"


# --- Dashboard ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dashboard_form_is_ours():
    form_class = get_class("dashboard.shipping.forms", "WeightBasedForm")

    assert {"provinces", "free_above", "name_en", "description_en"} <= set(
        form_class().fields
    )


@pytest.mark.django_db
def test_the_dashboard_form_offers_provinces_in_force_only():
    form = get_class("dashboard.shipping.forms", "WeightBasedForm")()

    choices = set(form.fields["provinces"].queryset.values_list("code", flat=True))

    assert {"thai-nguyen-2025", "ha-noi"} <= choices
    assert "thai-nguyen-1997" not in choices  # retired
    assert "tp-thai-nguyen" not in choices  # not a province


@pytest.mark.django_db
def test_staff_set_provinces_and_free_delivery_in_the_dashboard(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        reverse("dashboard:shipping-method-create"),
        {
            "name": "Giao hàng tiêu chuẩn – Thái Nguyên",
            "name_en": "Standard delivery – Thái Nguyên",
            "description": "",
            "description_en": "",
            "provinces": [unit("thai-nguyen-2025").pk],
            "free_above": "500000",
            "default_weight": "0.5",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    table = WeightBased.objects.get(name_en="Standard delivery – Thái Nguyên")
    assert list(table.provinces.values_list("code", flat=True)) == ["thai-nguyen-2025"]
    assert table.free_above == D(500000)
    page = client.get(reverse("dashboard:shipping-method-detail", args=[table.pk]))
    assert page.status_code == 200
    assert "500.000" in page.content.decode() or "500,000" in page.content.decode()


@pytest.mark.django_db
def test_the_dashboard_form_edits_an_existing_table():
    table = rate_table("tn", provinces=["thai-nguyen-2025"], free_above=D(500000))
    form_class = get_class("dashboard.shipping.forms", "WeightBasedForm")

    form = form_class(
        instance=table,
        data={
            "name": table.name,
            "provinces": [unit("ha-noi").pk],
            "free_above": "",
            "default_weight": "0.5",
        },
    )
    assert form.is_valid(), form.errors
    form.save()

    table.refresh_from_db()
    assert list(table.provinces.values_list("code", flat=True)) == ["ha-noi"]
    assert table.free_above is None


@pytest.mark.django_db
def test_band_charges_in_fractions_of_a_dong_are_refused():
    table = rate_table("tn")
    form_class = get_class("dashboard.shipping.forms", "WeightBandForm")

    form = form_class(table, data={"upper_limit": "20", "charge": "80000.50"})

    assert not form.is_valid()
    assert "charge" in form.errors


# --- Demo --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_rates_are_re_runnable():
    shipping_seed()
    first = sorted(WeightBand.objects.values_list("pk", "method__code", "charge"))

    shipping_seed()

    assert (
        sorted(WeightBand.objects.values_list("pk", "method__code", "charge")) == first
    )
    assert WeightBased.objects.count() == 5


@pytest.mark.django_db
def test_the_demo_rates_by_destination():
    shipping_seed()
    basket = basket_of((tea(), 1))  # 0.32 kg, 100,000 ₫

    def offered(code):
        methods = Repository().get_shipping_methods(basket, province=unit(code))
        return {m.code: m.calculate(basket).incl_tax for m in methods}

    assert offered("thai-nguyen-2025") == {
        "standard-thai-nguyen": 20000,
        "express-thai-nguyen": 35000,
    }
    assert offered("ha-noi") == {"standard-northern": 30000, "express-northern": 50000}
    assert offered("bac-kan-1997") == {"standard-nationwide": 40000}
