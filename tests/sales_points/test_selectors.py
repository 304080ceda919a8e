"""Store-locator reads: open or closed, nearest outlets, stock free to sell."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from freezegun import freeze_time
from oscar.core.loading import get_model

from catalogue import services as catalogue_services
from sales_points import selectors, services
from sales_points.models import HoursException, OpeningHours, SalesPoint
from sales_points.templatetags.sales_points_tags import distance, open_state_text
from tests.factories import create_product, unit

StockRecord = get_model("partner", "StockRecord")
VN = ZoneInfo("Asia/Ho_Chi_Minh")

pytestmark = pytest.mark.django_db

# Real places: the outlets' distances below are the real ones.
THAI_NGUYEN_CITY = (21.5942, 105.8482)
TAN_CUONG = (21.5600, 105.7700)
HANOI = (21.0285, 105.8542)
HO_CHI_MINH_CITY = (10.7769, 106.7009)
MON_TO_SAT = range(6)
EVERY_DAY = range(7)


def vn(*args) -> dt.datetime:
    """A moment in Vietnamese time; 6 January 2025 is a Monday."""
    return dt.datetime(*args, tzinfo=VN)


def make_outlet(code, point=THAI_NGUYEN_CITY, **kwargs) -> SalesPoint:
    details = {
        "name_vi": f"Điểm bán {code}",
        "name_en": f"Outlet {code}",
        "level": SalesPoint.Level.COMMUNE,
        "kind": SalesPoint.Kind.COMMUNE_CENTRE,
        "region": unit("tan-cuong-2025"),
        "address": f"Số 1, {code}",
        **kwargs,
    }
    return services.sales_point_create(
        code=code,
        latitude=Decimal(str(point[0])),
        longitude=Decimal(str(point[1])),
        **details,
    )


def open_hours(outlet, weekdays=MON_TO_SAT, *periods):
    """Weekly hours; by default 7:30–11:30 and 13:30–17:30 (a lunch break)."""
    periods = periods or (("07:30", "11:30"), ("13:30", "17:30"))
    for weekday in weekdays:
        for opens, closes in periods:
            OpeningHours.objects.create(
                sales_point=outlet,
                weekday=weekday,
                opens=dt.time.fromisoformat(opens),
                closes=dt.time.fromisoformat(closes),
            )
    return outlet


def stock(outlet, product, quantity, allocated=0):
    services.stock_receive(sales_point=outlet, product=product, quantity=quantity)
    if allocated:
        record = StockRecord.objects.get(partner=outlet.partner, product=product)
        services.stock_allocate(stockrecord_id=record.pk, quantity=allocated)


# --- Open now ------------------------------------------------------------------------


@pytest.fixture
def outlet(db):
    return open_hours(make_outlet("tc-01"))


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # Monday morning: open until the lunch break.
        (vn(2025, 1, 6, 9, 0), (True, None, vn(2025, 1, 6, 11, 30))),
        # The lunch break: closed, opens again at 13:30.
        (vn(2025, 1, 6, 12, 0), (False, vn(2025, 1, 6, 13, 30), None)),
        # Closing time is not open time.
        (vn(2025, 1, 6, 11, 30), (False, vn(2025, 1, 6, 13, 30), None)),
        # Opening time is.
        (vn(2025, 1, 6, 7, 30), (True, None, vn(2025, 1, 6, 11, 30))),
        # Before opening: opens at 7:30 today.
        (vn(2025, 1, 6, 6, 0), (False, vn(2025, 1, 6, 7, 30), None)),
        # Evening: tomorrow morning, across midnight.
        (vn(2025, 1, 6, 23, 59), (False, vn(2025, 1, 7, 7, 30), None)),
        (vn(2025, 1, 7, 0, 0), (False, vn(2025, 1, 7, 7, 30), None)),
        # Saturday evening and Sunday (closed): Monday, across the week's end.
        (vn(2025, 1, 11, 18, 0), (False, vn(2025, 1, 13, 7, 30), None)),
        (vn(2025, 1, 12, 10, 0), (False, vn(2025, 1, 13, 7, 30), None)),
    ],
)
def test_open_state_follows_the_weekly_hours(outlet, at, expected):
    assert selectors.outlet_open_state(outlet, at) == expected


def test_open_state_reads_moments_in_vietnamese_time(outlet):
    # 00:30 UTC is 7:30 in Vietnam.
    at = dt.datetime(2025, 1, 6, 0, 30, tzinfo=dt.UTC)

    assert selectors.outlet_open_state(outlet, at).is_open


@freeze_time("2025-01-06 02:00:00")  # 9:00 in Vietnam, a Monday
def test_open_state_is_about_now_by_default(outlet):
    state = selectors.outlet_open_state(outlet)

    assert state == (True, None, vn(2025, 1, 6, 11, 30))


def test_a_closure_overrides_the_weekly_hours(outlet):
    HoursException.objects.create(sales_point=outlet, date=dt.date(2025, 1, 7))

    monday_evening = selectors.outlet_open_state(outlet, vn(2025, 1, 6, 18, 0))
    tuesday_morning = selectors.outlet_open_state(outlet, vn(2025, 1, 7, 9, 0))

    assert monday_evening == (False, vn(2025, 1, 8, 7, 30), None)
    assert tuesday_morning == (False, vn(2025, 1, 8, 7, 30), None)


def test_special_hours_replace_the_day_and_a_note_alone_does_not(outlet):
    HoursException.objects.create(
        sales_point=outlet, date=dt.date(2025, 1, 6), closed=False,
        opens=dt.time(8, 0), closes=dt.time(10, 0), note="Tết",
    )  # fmt: skip
    HoursException.objects.create(
        sales_point=outlet, date=dt.date(2025, 1, 7), closed=False, note="New stock"
    )

    assert selectors.outlet_open_state(outlet, vn(2025, 1, 6, 7, 45)) == (
        False,
        vn(2025, 1, 6, 8, 0),
        None,
    )
    assert selectors.outlet_open_state(outlet, vn(2025, 1, 6, 9, 0)) == (
        True,
        None,
        vn(2025, 1, 6, 10, 0),
    )
    # After the special hours: no afternoon that day; Tuesday keeps its usual hours.
    assert selectors.outlet_open_state(outlet, vn(2025, 1, 6, 14, 0)) == (
        False,
        vn(2025, 1, 7, 7, 30),
        None,
    )


def test_back_to_back_periods_close_at_the_end_of_the_last():
    outlet = open_hours(
        make_outlet("tc-02"), [0], ("07:30", "11:30"), ("11:30", "17:00")
    )

    state = selectors.outlet_open_state(outlet, vn(2025, 1, 6, 10, 0))

    assert state == (True, None, vn(2025, 1, 6, 17, 0))


def test_an_outlet_without_hours_is_closed_with_no_next_opening():
    outlet = make_outlet("tc-03")

    assert selectors.outlet_open_state(outlet, vn(2025, 1, 6, 9, 0)) == (
        False,
        None,
        None,
    )


def test_a_closure_longer_than_the_horizon_reads_as_closed(outlet):
    for day in range(selectors.HORIZON_DAYS + 2):
        HoursException.objects.create(
            sales_point=outlet, date=dt.date(2025, 1, 6) + dt.timedelta(days=day)
        )

    assert selectors.outlet_open_state(outlet, vn(2025, 1, 6, 9, 0)) == (
        False,
        None,
        None,
    )


@freeze_time("2025-01-06 02:00:00")
def test_prefetched_outlets_say_open_or_closed_without_a_query(
    outlet, django_assert_num_queries
):
    HoursException.objects.create(sales_point=outlet, date=dt.date(2025, 1, 7))
    open_hours(make_outlet("tc-02"), EVERY_DAY)
    outlets = list(selectors.outlets_public())

    with django_assert_num_queries(0):
        states = [selectors.outlet_open_state(o) for o in outlets]
        later = selectors.outlet_open_state(outlets[0], vn(2025, 1, 6, 18, 0))

    assert [s.is_open for s in states] == [True, True]
    assert later.next_opening == vn(2025, 1, 8, 7, 30)  # the closure was prefetched


@pytest.mark.parametrize(
    "at",
    [
        vn(2025, 1, 6, 9, 0),
        vn(2025, 1, 6, 12, 0),
        vn(2025, 1, 6, 17, 30),
        vn(2025, 1, 7, 9, 0),
        vn(2025, 1, 8, 9, 0),
        vn(2025, 1, 8, 12, 0),
        vn(2025, 1, 12, 9, 0),
    ],
)
def test_the_open_now_filter_agrees_with_the_open_state(at):
    weekdays = open_hours(make_outlet("a"))
    every_day = open_hours(make_outlet("b"), EVERY_DAY, ("08:00", "18:00"))
    closed_tuesday = open_hours(make_outlet("c"))
    HoursException.objects.create(sales_point=closed_tuesday, date=dt.date(2025, 1, 7))
    special = open_hours(make_outlet("d"))
    HoursException.objects.create(
        sales_point=special, date=dt.date(2025, 1, 8), closed=False,
        opens=dt.time(11, 0), closes=dt.time(13, 0),
    )  # fmt: skip
    noted = open_hours(make_outlet("e"))
    HoursException.objects.create(
        sales_point=noted, date=dt.date(2025, 1, 8), closed=False, note="note only"
    )
    make_outlet("f")  # no hours
    outlets = [weekdays, every_day, closed_tuesday, special, noted]

    in_sql = set(
        selectors.outlets_open_at(SalesPoint.objects.all(), at).values_list(
            "code", flat=True
        )
    )

    in_python = {o.code for o in outlets if selectors.outlet_open_state(o, at).is_open}
    assert in_sql == in_python


@pytest.mark.parametrize(
    ("at", "state", "text"),
    [
        (
            vn(2025, 1, 6, 9),
            (True, None, vn(2025, 1, 6, 11, 30)),
            "Open now, closes at 11:30",
        ),
        (
            vn(2025, 1, 6, 6),
            (False, vn(2025, 1, 6, 7, 30), None),
            "Closed, opens at 7:30",
        ),
        (
            vn(2025, 1, 6, 18),
            (False, vn(2025, 1, 7, 7, 30), None),
            "Closed, opens tomorrow at 7:30",
        ),
        (
            vn(2025, 1, 11, 18),
            (False, vn(2025, 1, 13, 7, 30), None),
            "Closed, opens Monday at 7:30",
        ),
        (vn(2025, 1, 6, 9), (False, None, None), "Closed"),
    ],
)
def test_open_state_in_words(at, state, text):
    with freeze_time(at), translation.override("en"):
        assert open_state_text(selectors.OpenState(*state)) == text


@pytest.mark.parametrize(
    ("km", "text"),
    [
        (0.004, "10 m"),
        (0.85, "850 m"),
        (2.345, "2.3 km"),
        (7.97, "8.0 km"),
        (150.6, "151 km"),
    ],
)
def test_distances_in_words(km, text):
    with translation.override("en"):
        assert distance(km) == text


# --- Distances -----------------------------------------------------------------------


def test_haversine_gives_real_distances():
    assert selectors.haversine_km(*THAI_NGUYEN_CITY, *HANOI) == pytest.approx(63, abs=1)
    assert selectors.haversine_km(*HANOI, *HO_CHI_MINH_CITY) == pytest.approx(
        1140, rel=0.01
    )
    assert selectors.haversine_km(*HANOI, *HANOI) == 0


def test_nearest_outlets_come_first_with_their_distance():
    make_outlet("hcm", HO_CHI_MINH_CITY)
    make_outlet("hn", HANOI)
    make_outlet("tc", TAN_CUONG)
    make_outlet("tn", THAI_NGUYEN_CITY)
    here = (21.5900, 105.8400)  # Thai Nguyen city, a few streets away

    nearest = selectors.outlets_nearest(*here, limit=10)

    assert [o.code for o in nearest] == ["tn", "tc", "hn", "hcm"]
    assert nearest[0].distance_km == pytest.approx(1.0, abs=0.2)
    assert nearest[1].distance_km == pytest.approx(7.9, abs=0.3)
    assert nearest[2].distance_km == pytest.approx(63, abs=1)


def test_nearest_widens_the_search_until_it_finds_enough():
    make_outlet("hcm", HO_CHI_MINH_CITY)
    make_outlet("tn", THAI_NGUYEN_CITY)

    nearest = selectors.outlets_nearest(*HANOI, limit=2)

    assert [o.code for o in nearest] == ["tn", "hcm"]
    assert selectors.outlets_nearest(*HANOI, limit=1)[0].code == "tn"


def test_nearest_finds_outlets_across_the_antimeridian():
    make_outlet("fiji", (-17.0, 179.9))
    make_outlet("far", (-17.0, 170.0))

    nearest = selectors.outlets_nearest(-17.0, -179.9, limit=1)

    assert nearest[0].code == "fiji"
    assert nearest[0].distance_km == pytest.approx(21.3, abs=0.5)


def test_nearest_on_an_empty_network_is_empty():
    assert selectors.outlets_nearest(*HANOI) == []


def test_outlets_by_distance_fetches_only_the_slice_asked_for(
    django_assert_num_queries,
):
    for i in range(5):
        make_outlet(f"o{i}", (21.0 + i / 10, 105.8))
    ordered = selectors.OutletsByDistance(selectors.outlets_public(), 21.45, 105.8)

    with django_assert_num_queries(3):  # the outlets, their hours, their exceptions
        page = ordered[1:3]

    assert len(ordered) == 5
    assert [o.code for o in page] == ["o3", "o2"]  # o4 (21.4) is the nearest
    assert [
        o.code for o in selectors.outlets_sorted_by_distance(page, 21.0, 105.8)
    ] == [
        "o2",
        "o3",
    ]


# --- With a product ------------------------------------------------------------------


def test_outlets_with_a_product_have_units_free_to_sell():
    product = create_product(num_in_stock=None)
    free = make_outlet("free", TAN_CUONG)
    all_held = make_outlet("held", THAI_NGUYEN_CITY)
    make_outlet("none", THAI_NGUYEN_CITY)
    stock(free, product, 5, allocated=2)
    stock(all_held, product, 3, allocated=3)

    with_product = selectors.outlets_with_product(product.pk)
    nearest = selectors.outlets_nearest(*THAI_NGUYEN_CITY, product_id=product.pk)

    assert [(o.code, o.product_free) for o in with_product] == [("free", 3)]
    assert [o.code for o in nearest] == ["free"]


def test_outlets_with_a_product_are_none_once_it_is_no_longer_certified():
    product = create_product(num_in_stock=None)
    stock(make_outlet("tc"), product, 5)
    catalogue_services.certificate_revoke(
        certificate=product.certificates.get(), reason="test"
    )

    assert not selectors.outlets_with_product(product.pk).exists()
    assert selectors.outlets_nearest(*TAN_CUONG, product_id=product.pk) == []


def test_inactive_outlets_are_not_public():
    product = create_product(num_in_stock=None)
    closed_down = make_outlet("closed")
    stock(closed_down, product, 5)
    SalesPoint.objects.filter(pk=closed_down.pk).update(is_active=False)
    make_outlet("open")

    assert [o.code for o in selectors.outlets_public()] == ["open"]
    assert not selectors.outlets_with_product(product.pk).exists()
    assert [o.code for o in selectors.outlets_nearest(*TAN_CUONG)] == ["open"]


def test_outlet_stock_lists_certified_products_free_to_sell_with_prices():
    outlet = make_outlet("tc")
    tea = create_product(title="Trà Tân Cương", price=Decimal("150000"))
    honey = create_product(title="Mật ong", price=Decimal("90000"))
    held = create_product(title="Miến dong")
    revoked = create_product(title="Chè búp")
    stock(outlet, tea, 4, allocated=1)
    stock(outlet, honey, 2)
    stock(outlet, held, 2, allocated=2)
    stock(outlet, revoked, 2)
    catalogue_services.certificate_revoke(
        certificate=revoked.certificates.get(), reason="test"
    )

    records = list(selectors.outlet_stock_public(outlet))

    assert [(r.product.title, r.free, r.price) for r in records] == [
        ("Mật ong", 2, Decimal("90000")),
        ("Trà Tân Cương", 3, Decimal("150000")),
    ]
    assert records[0].product.valid_certificates  # prefetched for the stars


def test_a_product_is_found_by_barcode_or_id():
    product = create_product(upc="8938505974192")

    assert selectors.product_by_id_or_upc("8938505974192") == product
    assert selectors.product_by_id_or_upc(str(product.pk)) == product
    assert selectors.product_by_id_or_upc("nothing") is None


def test_region_centre_is_the_mean_of_its_outlets():
    make_outlet("a", (21.0, 105.0), region=unit("binh-son"))
    make_outlet("b", (21.2, 105.2), region=unit("binh-son"))
    make_outlet("c", HANOI, region=unit("ha-noi"))

    assert selectors.region_centre("binh-son") == pytest.approx((21.1, 105.1))
    # A district finds the outlets of its communes.
    assert selectors.region_centre("tp-song-cong") == pytest.approx((21.1, 105.1))
    assert selectors.region_centre("dong-hy") is None
    assert {u.code for u in selectors.regions_with_outlets()} == {
        "binh-son",
        "tp-song-cong",
        "thai-nguyen-1997",
        "ha-noi",
    }
