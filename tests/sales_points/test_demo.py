from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from oscar.core.loading import get_model

from catalogue import demo as catalogue_demo
from catalogue.selectors import products_certified
from sales_points import demo
from sales_points.demo import ONLINE_CODE
from sales_points.models import HoursException, OpeningHours, SalesPoint, StockMovement
from shop import demo as shop_demo
from shop import roles
from tests.sales_points.test_services import assert_ledger_adds_up

pytestmark = pytest.mark.django_db

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")

NINE_DISTRICTS = {
    "tp-thai-nguyen", "tp-song-cong", "tp-pho-yen", "dai-tu", "dinh-hoa", "dong-hy",
    "phu-luong", "phu-binh", "vo-nhai",
}  # fmt: skip
SPECIAL = {"tram-dung-nghi-hai-dang", "hn-xuc-tien-thuong-mai"}


@pytest.fixture(scope="class")
def network(django_db_setup, django_db_blocker):
    """The demo network, seeded once for the tests of a class (about 20 s) and rolled
    back after them; each test runs in a savepoint inside it, as in Django's
    TestCase.setUpTestData."""
    with django_db_blocker.unblock(), transaction.atomic():
        shop_demo.seed_logins()
        catalogue_demo.seed(seed=42)
        network = demo.seed(seed=42)
        shop_demo.outlet_login_link()
        yield network
        transaction.set_rollback(True)


def the_network():
    return SalesPoint.objects.exclude(code=ONLINE_CODE).select_related("region")


def district_of(unit) -> str:
    """The pre-2025 district of an administrative unit (itself, or a commune's)."""
    return unit.parent.code if unit.level == "commune" else unit.code


def snapshot() -> dict[str, int]:
    User = get_user_model()
    return {
        "outlets": SalesPoint.objects.count(),
        "partners": Partner.objects.count(),
        "records": StockRecord.objects.count(),
        "movements": StockMovement.objects.count(),
        "hours": OpeningHours.objects.count(),
        "exceptions": HoursException.objects.count(),
        "users": User.objects.count(),
        "partner users": Partner.users.through.objects.count(),
        "memberships": User.groups.through.objects.count(),
    }


def test_the_demo_stock_arrives_through_the_ledger():
    call_command("seed_demo", "--seed", "42")

    online = SalesPoint.objects.get(code=ONLINE_CODE)
    stocked = online.partner.stockrecords.filter(num_in_stock__gt=0)
    assert stocked.count() >= 200
    assert_ledger_adds_up()
    before = snapshot()

    call_command("seed_demo", "--seed", "42")  # re-running receives nothing twice

    assert_ledger_adds_up()
    assert online.movements.count() == stocked.count()
    assert snapshot() == before  # and creates, links and closes nothing twice


class TestTheNetwork:
    """The article's network, seeded once for these tests."""

    def test_the_network_is_the_articles_across_the_nine_districts(self, network):
        levels = Counter(the_network().values_list("level", flat=True))
        assert levels[SalesPoint.Level.COMMUNE] >= 130
        assert levels[SalesPoint.Level.DISTRICT] >= 20
        for level in (SalesPoint.Level.COMMUNE, SalesPoint.Level.DISTRICT):
            outlets = the_network().filter(level=level)
            assert {district_of(o.region) for o in outlets} == NINE_DISTRICTS, level
        per_district = Counter(
            district_of(o.region)
            for o in the_network().filter(level=SalesPoint.Level.DISTRICT)
        )
        assert set(per_district.values()) <= {2, 3}
        assert network.by_level == {**levels, SalesPoint.Level.PROVINCE: 1}

    def test_the_two_special_outlets_are_the_rest_station_and_the_hanoi_centre(
        self, network
    ):
        rest_stop = SalesPoint.objects.get(code="tram-dung-nghi-hai-dang")
        centre = SalesPoint.objects.get(code="hn-xuc-tien-thuong-mai")

        assert (rest_stop.level, rest_stop.kind) == ("special", "rest_stop")
        assert "Hải Đăng" in rest_stop.name_vi
        assert abs(rest_stop.latitude - Decimal("21.43")) < Decimal("0.05")
        assert abs(rest_stop.longitude - Decimal("105.87")) < Decimal("0.05")
        assert {
            (h.weekday, str(h.opens), str(h.closes)) for h in rest_stop.hours.all()
        } == {(day, "06:00:00", "22:00:00") for day in range(7)}
        assert (centre.level, centre.kind, centre.region.code) == (
            "special",
            "fair_centre",
            "ha-noi",
        )
        assert 20.9 < centre.latitude < 21.2 and 105.7 < centre.longitude < 106.0

    def test_thai_nguyen_outlets_lie_in_the_province_with_plausible_details(
        self, network
    ):
        outlets = the_network().exclude(region__code="ha-noi")
        for outlet in outlets:
            assert Decimal("21.3") < outlet.latitude < Decimal("22.1"), outlet
            assert Decimal("105.5") < outlet.longitude < Decimal("106.3"), outlet
            assert outlet.address.endswith("tỉnh Thái Nguyên"), outlet
            assert outlet.phone and outlet.name_en, outlet
        kinds = Counter(
            the_network().filter(level="commune").values_list("kind", flat=True)
        )
        assert kinds.most_common(1)[0][0] == SalesPoint.Kind.COMMUNE_CENTRE
        assert {"market", "post_office", "tourism", "craft_village"} <= set(kinds)
        tan_cuong = SalesPoint.objects.get(code="tn-tan-cuong")
        assert tan_cuong.name_vi == "Điểm bán OCOP xã Tân Cương"
        assert tan_cuong.region.code == "tan-cuong-pre2025"

    def test_every_outlet_has_weekly_hours_and_most_close_for_tet(self, network):
        assert not SalesPoint.objects.filter(hours__isnull=True).exists()
        closed_on_tet = (
            the_network()
            .filter(exceptions__date="2027-02-06", exceptions__closed=True)
            .distinct()
        )
        assert closed_on_tet.count() > 0.75 * the_network().count()
        markets = the_network().filter(kind="market")
        assert all(
            {(h.opens.isoformat(), h.closes.isoformat()) for h in m.hours.all()}
            == {("06:00:00", "18:00:00")}
            for m in markets
        )

    def test_every_outlet_has_a_staff_login_of_its_own(self, network):
        User = get_user_model()
        outlets = list(SalesPoint.objects.select_related("partner"))

        assert len(network.logins) == len(outlets)
        assert network.logins[0].username == "tn-tan-cuong"
        for outlet in outlets:
            user = User.objects.get(username=outlet.code)
            assert user.email == f"{outlet.code}@ocop.local"
            assert user.check_password(shop_demo.DEMO_PASSWORD)
            assert user.groups.filter(name=roles.SALES_POINT_STAFF).exists()
            assert list(user.partners.all()) == [outlet.partner]

    def test_the_documented_outlet_login_works_at_tan_cuong(self, network):
        outlet_user = get_user_model().objects.get(username="outlet")

        assert list(
            outlet_user.partners.values_list("sales_point__code", flat=True)
        ) == [shop_demo.OUTLET_LOGIN_AT]

    def test_outlets_stock_a_few_certified_products_each(self, network):
        certified = set(products_certified().values_list("pk", flat=True))
        for outlet in the_network().select_related("partner"):
            records = list(outlet.partner.stockrecords.select_related("product__group"))
            assert 8 <= len(records) <= 40, outlet
            assert any(r.product.group.code == "tea" for r in records), outlet
            assert {r.product_id for r in records} <= certified, outlet
            assert all(1 <= r.num_in_stock <= 60 for r in records), outlet
            assert all(r.price and r.price_currency == "VND" for r in records), outlet
        assert_ledger_adds_up()

    def test_outlets_stock_mostly_products_of_their_own_district(self, network):
        outlet = SalesPoint.objects.get(code="tn-la-bang")
        origins = Counter(
            district_of(record.product.origin)
            for record in outlet.partner.stockrecords.select_related(
                "product__origin__parent"
            )
        )
        assert origins.most_common(1)[0][0] == "dai-tu"


def test_national_outlets_are_written_in_bulk_with_their_ledger_once(db):
    ProductClass.objects.get_or_create(slug="ocop-product", name="OCOP product")
    Partner.objects.get_or_create(code=ONLINE_CODE, name="OCOP Market")
    catalogue_demo.seed_national(seed=42, products=120, producers=15)

    created = demo.national_outlets_seed(
        seed=42, count=50, stock_per_outlet=20, chunk_size=15
    )

    outlets = SalesPoint.objects.filter(code__startswith=demo.NATIONAL_PREFIX)
    assert created == 50 == outlets.count()
    assert outlets.order_by("code").first().code == "vn-00001"
    assert not outlets.filter(hours__isnull=True).exists()
    records = StockRecord.objects.filter(partner__sales_point__in=outlets)
    assert 15 * 50 <= records.count() <= 25 * 50
    assert set(records.values_list("product_id", flat=True)) <= set(
        products_certified().values_list("pk", flat=True)
    )
    assert_ledger_adds_up()
    before = snapshot()

    assert demo.national_outlets_seed(seed=42, count=50, stock_per_outlet=20) == 0
    assert snapshot() == before
