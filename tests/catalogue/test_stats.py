import datetime as dt

import pytest
from django.utils import translation
from freezegun import freeze_time

from catalogue import services
from catalogue.models import Certificate, Producer, Product
from catalogue.stats import province_stats
from shop import roles
from tests.factories import (
    ProducerFactory,
    UserFactory,
    authority,
    create_product,
    group,
    issue_certificate,
    unit,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)  # after the 1 July 2025 reform
FROZEN = "2026-03-15 05:00:00"  # noon in Asia/Ho_Chi_Minh


def certified_product(
    *, stars=4, origin="tan-cuong-pre2025", product_group="tea", signed_on=None, **kw
):
    """A product from `origin` in `product_group` with a certificate in force."""
    product = create_product(certified=False, **kw)
    Product.objects.filter(pk=product.pk).update(
        origin=unit(origin) if origin else None, group=group(product_group)
    )
    product.refresh_from_db()
    issue_certificate(product, stars=stars, signed_on=signed_on)
    return product


def rows_by_code(rows):
    return {row["code"]: row for row in rows}


@freeze_time(FROZEN)
def test_stars_count_only_products_whose_certificate_is_in_force():
    # given one product of each star level in force, and products that are not
    certified_product(stars=3)
    certified_product(stars=4)
    certified_product(stars=5)
    create_product(certified=False)
    expired = create_product(certified=False)
    issue_certificate(expired, signed_on=dt.date(2022, 1, 10))  # expired 2025-01-10
    revoked = create_product()
    services.certificate_revoke(
        certificate=revoked.certificates.get(), reason="Failed inspection"
    )
    reassessed = create_product()
    services.certificate_start_reassessment(certificate=reassessed.certificates.get())

    # when
    stats = province_stats()

    # then
    assert stats["products_by_stars"] == {"3": 1, "4": 1, "5": 1}
    assert stats["total_certified"] == 3


@freeze_time(FROZEN)
def test_a_renewed_product_counts_once_with_its_newest_stars_and_is_not_expiring():
    # given a 4★ certificate two months from expiry, re-recognised at 5★ last week
    product = create_product(certified=False)
    old = issue_certificate(product, stars=4, signed_on=dt.date(2023, 5, 10))
    services.certificate_renew(
        certificate=old,
        stars=5,
        score=95,
        decision_number="99/QĐ-BNNMT",
        authority=authority("mae"),
        signed_on=TODAY - dt.timedelta(days=7),
    )
    assert Certificate.objects.valid_on().filter(product=product).count() == 2

    # when
    stats = province_stats()

    # then
    assert stats["products_by_stars"] == {"3": 0, "4": 0, "5": 1}
    assert stats["total_certified"] == 1
    assert stats["certificates_expiring"]["within_90_days"] == 0


@freeze_time("2024-06-01 05:00:00")
def test_groups_count_under_their_main_group_and_the_old_list_apart():
    # given tea and other drinks (beverages), processed food, and a 2019-list product
    for product_group in ("tea", "tea", "other-drinks", "food-processed"):
        certified_product(product_group=product_group)
    old_list = create_product(certified=False)
    issue_certificate(
        old_list,
        signed_on=dt.date(2022, 6, 1),
        group=group("textiles", scheme="1048-2019"),
    )

    # when
    stats = province_stats()

    # then the six 2023 groups, zeros included, in their official order
    groups = stats["products_by_group"]
    assert [row["code"] for row in groups] == [
        "food",
        "beverages",
        "herbs",
        "handicrafts",
        "ornamental",
        "tourism",
    ]
    assert rows_by_code(groups)["beverages"]["count"] == 3
    assert rows_by_code(groups)["food"]["count"] == 1
    assert rows_by_code(groups)["handicrafts"]["count"] == 0
    assert stats["products_by_group_other_schemes"] == [
        {
            "scheme": "1048-2019",
            "scheme_name": "OCOP 2019 (1048/QĐ-TTg)",
            "code": "textiles",
            "name": "Vải và may mặc",
            "count": 1,
        }
    ]
    assert stats["total_certified"] == 5


@freeze_time(FROZEN)
def test_group_names_follow_the_active_language():
    certified_product(product_group="tea")

    with translation.override("en"):
        stats = province_stats()

    assert rows_by_code(stats["products_by_group"])["beverages"]["name"] == "Beverages"


@freeze_time(FROZEN)
def test_origins_are_placed_in_their_pre_2025_district():
    # given origins: two communes of two districts, a district, the merged commune
    # (Tân Cương + Thịnh Đức of Thái Nguyên city, Bình Sơn of Sông Công city), the
    # province itself and no origin
    certified_product(origin="thinh-duc")
    certified_product(origin="binh-son")
    certified_product(origin="dai-tu")
    certified_product(origin="tan-cuong-2025")
    certified_product(origin="thai-nguyen-2025")
    certified_product(origin=None)

    # when
    districts = rows_by_code(
        province_stats()["products_by_region"]["pre_2025_district"]
    )

    # then the merged commune counts once, under the district of most predecessors
    assert districts["tp-thai-nguyen"]["count"] == 2
    assert districts["tp-song-cong"]["count"] == 1
    assert districts["dai-tu"]["count"] == 1
    assert districts["ba-be"]["count"] == 0  # every pre-2025 district is listed
    assert districts["other"]["count"] == 1  # province-wide: no district
    assert districts["unknown"]["count"] == 1
    assert sum(row["count"] for row in districts.values()) == 6


@freeze_time(FROZEN)
def test_origins_are_placed_in_todays_province_and_commune():
    # given old communes merged into the new Tân Cương, the new commune itself, a
    # commune with no recorded successor, an old district and no origin
    for origin in ("thinh-duc", "binh-son", "tan-cuong-2025", "phuc-xuan", "dai-tu"):
        certified_product(origin=origin)
    certified_product(origin=None)

    # when
    current = rows_by_code(province_stats()["products_by_region"]["current"])

    # then all fall in today's Thái Nguyên; the commune only where known
    province = current["thai-nguyen-2025"]
    assert province["count"] == 5
    assert province["communes"] == [
        {"code": "tan-cuong-2025", "name": "xã Tân Cương", "count": 3}
    ]
    assert province["commune_unknown"] == 2
    assert "thai-nguyen-1997" not in current
    assert current["unknown"]["count"] == 1


@freeze_time(FROZEN)
def test_before_the_reform_the_current_units_were_the_old_ones():
    certified_product(origin="thinh-duc", signed_on=dt.date(2024, 6, 1))

    current = rows_by_code(
        province_stats(today=dt.date(2025, 6, 1))["products_by_region"]["current"]
    )

    assert current["thai-nguyen-1997"]["communes"][0]["code"] == "thinh-duc"


@freeze_time(FROZEN)
def test_producers_are_counted_by_kind_only_with_a_certified_product():
    # given an enterprise and a household with certified products, a cooperative whose
    # only product was revoked, and a cooperative group with no product
    certified_product(producer=ProducerFactory(kind=Producer.Kind.ENTERPRISE))
    certified_product(
        producer=ProducerFactory(kind=Producer.Kind.HOUSEHOLD, region=unit("la-bang"))
    )
    revoked = certified_product(
        producer=ProducerFactory(kind=Producer.Kind.COOPERATIVE)
    )
    services.certificate_revoke(certificate=revoked.certificates.get(), reason="Fraud")
    ProducerFactory(kind=Producer.Kind.COOPERATIVE_GROUP)

    # when
    stats = province_stats()

    # then
    assert stats["producers_by_kind"] == {
        "enterprise": 1,
        "cooperative": 0,
        "cooperative_group": 0,
        "household": 1,
    }
    assert stats["producers_total"] == 4


@freeze_time("2025-10-15 05:00:00")
def test_expiring_certificates_are_counted_and_listed_soonest_first():
    # given certificates expiring in 20 and 60 days, one in force for years, one that
    # lapsed unrenewed, one that lapsed but was renewed, and a revoked one
    in_20 = issue_certificate(
        create_product(certified=False, title="Trà đinh"),
        signed_on=dt.date(2022, 11, 4),
    )
    in_60 = issue_certificate(
        create_product(certified=False, title="Miến"), signed_on=dt.date(2022, 12, 14)
    )
    create_product(title="Mật ong")  # signed 100 days ago
    issue_certificate(create_product(certified=False), signed_on=dt.date(2022, 1, 5))
    lapsed = issue_certificate(
        create_product(certified=False), signed_on=dt.date(2022, 2, 1)
    )
    services.certificate_renew(
        certificate=lapsed,
        stars=4,
        score=80,
        decision_number="12/QĐ-UBND",
        authority=authority("ubnd-thai-nguyen-2025"),
        signed_on=dt.date(2025, 8, 1),
    )
    old_revoked = issue_certificate(
        create_product(certified=False), signed_on=dt.date(2022, 1, 6)
    )
    services.certificate_revoke(certificate=old_revoked, reason="Not re-assessed")
    assert (in_20.expires_on, in_60.expires_on) == (
        dt.date(2025, 11, 4),
        dt.date(2025, 12, 14),
    )

    # when
    stats = province_stats()

    # then
    assert stats["certificates_expiring"] == {
        "within_90_days": 2,
        "within_30_days": 1,
        "expired_not_renewed": 1,
    }
    soonest = stats["certificates_expiring_soonest"]
    assert [row["product_title"] for row in soonest[:2]] == ["Trà đinh", "Miến"]
    assert soonest[0]["expires_on"] == "2025-11-04"
    assert soonest[0]["days_left"] == 20
    assert soonest[0]["decision_number"] == in_20.decision_number
    assert len(soonest) == 4  # the three above and the renewal


@freeze_time(FROZEN)
def test_the_soonest_list_stops_at_twenty():
    for _ in range(21):
        create_product()

    assert len(province_stats()["certificates_expiring_soonest"]) == 20


@freeze_time(FROZEN)
def test_yearly_target_counts_only_first_certificates_signed_this_year(settings):
    # given a target of 4 and: two products first certified this year, a product
    # certified last year and renewed this year, one first certified this year but
    # revoked, one first certified last year, and one certified years ago whose
    # certificate lapsed and that was certified again (not a renewal) this year
    settings.OCOP_YEARLY_TARGET = 4
    create_product(stars=4)  # signed 100 days ago: 2025-12-05, last year
    first = create_product(certified=False)
    issue_certificate(first, stars=3, signed_on=dt.date(2026, 1, 20))
    second = create_product(certified=False)
    issue_certificate(second, stars=5, signed_on=dt.date(2026, 3, 1))
    renewed = create_product(certified=False)
    services.certificate_renew(
        certificate=issue_certificate(renewed, signed_on=dt.date(2023, 4, 1)),
        stars=4,
        score=80,
        decision_number="7/QĐ-UBND",
        authority=authority("ubnd-thai-nguyen-2025"),
        signed_on=dt.date(2026, 2, 1),
    )
    revoked = create_product(certified=False)
    services.certificate_revoke(
        certificate=issue_certificate(revoked, signed_on=dt.date(2026, 2, 2)),
        reason="Wrong data",
    )
    relisted = create_product(certified=False)  # lapsed in 2025, certified again
    issue_certificate(relisted, signed_on=dt.date(2022, 1, 5))
    issue_certificate(relisted, signed_on=dt.date(2026, 2, 3))

    # when
    target = province_stats()["yearly_target"]

    # then
    assert target == {
        "year": 2026,
        "target": 4,
        "new_products": 2,
        "progress": 0.5,
        "percent": 50,
    }


def test_sales_points_are_counted_by_level_with_every_level_present():
    from sales_points import services
    from sales_points.models import SalesPoint

    for code, level in [("a", "commune"), ("b", "commune"), ("c", "special")]:
        services.sales_point_create(
            code=code, name_vi=code, name_en=code, level=level,
            kind=SalesPoint.Kind.OTHER, region=unit("tan-cuong-2025"), address="x",
            latitude="21.5", longitude="105.8",
        )  # fmt: skip

    assert province_stats()["sales_points_by_level"] == {
        "commune": 2,
        "district": 0,
        "province": 0,
        "special": 1,
    }


@freeze_time(FROZEN)
@pytest.mark.parametrize(
    ("language", "district", "beverages"),
    [
        ("vi", "thành phố Sông Công", "Đồ uống"),
        ("en", "Song Cong city", "Beverages"),
    ],
)
def test_the_public_page_shows_the_figures_in_both_languages(
    client, language, district, beverages
):
    # given two 4★ products and one 5★
    certified_product(stars=4)
    certified_product(stars=4, origin="binh-son")
    certified_product(stars=5)

    # when
    response = client.get(f"/{language}/ocop/statistics/")

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}"' in html
    assert '<p class="display-4 mb-0" data-stat="total-certified">3</p>' in html
    assert 'data-stat="stars-4">2</p>' in html
    assert 'data-stat="stars-5">1</p>' in html
    assert "<caption>" in html and '<th scope="col">' in html
    assert "<progress" in html
    assert f'<th scope="row">{district}</th>' in html  # the pre-2025 district table
    assert f'<th scope="row">{beverages}</th>' in html  # the group table


def test_the_public_page_is_named():
    from django.urls import reverse

    with translation.override("en"):
        assert reverse("ocop:statistics") == "/en/ocop/statistics/"


def test_anonymous_visitors_are_sent_to_the_dashboard_login(client):
    response = client.get("/dashboard/ocop/statistics/")

    assert response.status_code == 302
    assert response["Location"].startswith(
        "/dashboard/login/?next=/dashboard/ocop/statistics/"
    )


def test_buyers_may_not_see_the_dashboard_statistics(client):
    client.force_login(UserFactory())

    assert client.get("/dashboard/ocop/statistics/").status_code == 403


@pytest.mark.parametrize(
    "group_name", [roles.SALES_POINT_STAFF, roles.NETWORK_MANAGERS]
)
def test_dashboard_users_see_the_statistics_and_the_expiring_list(client, group_name):
    # given a product whose certificate is in force, and a dashboard user
    product = create_product(title="Trà móc câu")
    client.force_login(UserFactory(groups=[group_name]))

    # when
    response = client.get("/dashboard/ocop/statistics/")

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trà móc câu" in html
    assert product.certificates.get().decision_number in html


def test_staff_see_the_dashboard_statistics(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get("/dashboard/ocop/statistics/").status_code == 200


@freeze_time(FROZEN)
def test_the_api_answers_json_with_the_statistics(client):
    certified_product(stars=3)

    response = client.get("/api/v1/stats/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert {
        "products_by_stars",
        "products_by_group",
        "products_by_region",
        "producers_by_kind",
        "certificates_expiring",
        "yearly_target",
        "sales_points_by_level",
    } <= body.keys()
    assert body["products_by_stars"]["3"] == 1
    assert body["date"] == "2026-03-15"


@freeze_time(FROZEN)
def test_the_api_takes_a_date(client):
    # given a certificate signed on 5 Dec 2025
    create_product()

    # when asked for the day before and the day of the signing
    before = client.get("/api/v1/stats/?date=2025-12-04").json()
    on = client.get("/api/v1/stats/?date=2025-12-05").json()

    # then
    assert (before["total_certified"], on["total_certified"]) == (0, 1)
    assert before["date"] == "2025-12-04"


@pytest.mark.parametrize("bad", ["yesterday", "2025-13-01", "2025-02-30", "20250101"])
def test_the_api_refuses_a_bad_date_with_a_json_message(client, bad):
    response = client.get("/api/v1/stats/", {"date": bad})

    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.json()["detail"]


ORIGINS = ["thinh-duc", "binh-son", "dai-tu", "tan-cuong-2025", "la-bang", None]
GROUPS = ["tea", "food-processed", "herbs", "handicrafts"]


# Stars, groups and origins (1), group list (1), units and successions (2), producers
# (2), expiries (3), yearly target (1).
STATS_QUERIES = 11


@freeze_time(FROZEN)
def test_the_number_of_queries_does_not_grow_with_products(django_assert_num_queries):
    # given one product
    certified_product()
    with django_assert_num_queries(STATS_QUERIES):
        assert province_stats()["total_certified"] == 1

    # when there are fifteen, of varied stars, groups, origins and producers
    for i in range(14):
        certified_product(
            stars=3 + i % 3,
            origin=ORIGINS[i % len(ORIGINS)],
            product_group=GROUPS[i % len(GROUPS)],
            producer=ProducerFactory(kind=Producer.Kind.values[i % 4]),
        )

    # then the same queries answer
    with django_assert_num_queries(STATS_QUERIES):
        assert province_stats()["total_certified"] == 15
