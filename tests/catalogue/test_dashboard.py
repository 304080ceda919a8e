"""The catalogue managers' dashboard pages for OCOP producers and certificates."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from catalogue import services
from catalogue.dashboard.nav import default_access_fn
from catalogue.models import Certificate, Producer
from catalogue.selectors import product_is_certified
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

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_client")]


TODAY = "2026-03-01"
OCOP_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("producer", "certificate")
    for action in ("view", "add", "change")
]


def url(name, **kwargs):
    return reverse(f"ocop-dashboard:{name}", kwargs=kwargs or None)


@pytest.fixture
def manager():
    """A catalogue manager: the group alone must carry the permissions."""
    return UserFactory(groups=[roles.CATALOGUE_MANAGERS])


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def producer_data(**overrides):
    return {
        "name_vi": "Hợp tác xã chè La Bằng",
        "name_en": "La Bang Tea Cooperative",
        "slug": "",
        "kind": Producer.Kind.COOPERATIVE,
        "registration_number": "4600999001",
        "region": unit("la-bang").pk,
        "address": "Xóm Đầm Mụ, xã La Bằng",
        "phone": "0208 3824 123",
        "email": "htx.labang@example.com",
        "description_vi": "Chè búp La Bằng.",
        "description_en": "",
        **overrides,
    }


def decision_data(product, **overrides):
    return {
        "product": product.pk,
        "producer": "",
        "stars": 4,
        "score": 80,
        "decision_number": "1234/QĐ-UBND",
        "authority": authority("ubnd-thai-nguyen-2025").pk,
        "signed_on": "2025-09-01",
        "group": "",
        **overrides,
    }


# --- Producers ----------------------------------------------------------------


def test_a_manager_creates_a_producer_and_the_slug_comes_from_the_name(
    manager_client,
):
    # Given a manager on the create page
    # When they submit a producer without a slug
    response = manager_client.post(url("producer-create"), producer_data())

    # Then it is saved with an ASCII slug made from the Vietnamese name
    assert response.status_code == 302
    assert response["Location"] == url("producer-list")
    producer = Producer.objects.get(registration_number="4600999001")
    assert producer.slug == "hop-tac-xa-che-la-bang"
    assert producer.region == unit("la-bang")
    # and the list page says so
    page = manager_client.get(response["Location"])
    assert "Hợp tác xã chè La Bằng" in page.content.decode()
    assert [m.level_tag for m in page.context["messages"]] == ["success"]


def test_a_second_producer_of_the_same_name_gets_its_own_slug(manager_client):
    ProducerFactory(name_vi="Hợp tác xã chè La Bằng", slug="hop-tac-xa-che-la-bang")

    manager_client.post(url("producer-create"), producer_data())

    producer = Producer.objects.get(registration_number="4600999001")
    assert producer.slug == "hop-tac-xa-che-la-bang-2"


def test_a_duplicate_registration_number_is_a_field_error_and_saves_nothing(
    manager_client,
):
    # Given a producer with that registration number
    ProducerFactory(registration_number="4600999001")

    # When another producer is submitted with the same number
    response = manager_client.post(
        url("producer-create"), producer_data(name_vi="Cơ sở chè Hảo Đạt")
    )

    # Then the form comes back with the error on that field and the input kept
    assert response.status_code == 200
    form = response.context["form"]
    assert "already recorded" in " ".join(form.errors["registration_number"])
    assert list(form.errors) == ["registration_number"]
    assert form["name_vi"].value() == "Cơ sở chè Hảo Đạt"
    assert not Producer.objects.filter(name_vi="Cơ sở chè Hảo Đạt").exists()
    assert Producer.objects.count() == 1


def test_a_manager_edits_a_producer_that_points_at_a_retired_region(manager_client):
    # Given a producer recorded before the 2025 reform, in a commune that no longer exists
    producer = ProducerFactory(region=unit("tan-cuong-pre2025"))
    page = manager_client.get(url("producer-update", pk=producer.pk))
    assert page.status_code == 200
    choices = page.context["form"].fields["region"].queryset
    assert choices.filter(code="tan-cuong-pre2025").exists()
    assert choices.filter(code="tan-cuong-2025").exists()

    # When they change its phone number only
    data = producer_data(
        name_vi=producer.name_vi,
        slug=producer.slug,
        registration_number=producer.registration_number,
        region=producer.region_id,
        phone="0912 345 678",
    )
    response = manager_client.post(url("producer-update", pk=producer.pk), data)

    # Then it keeps the unit that was true when it was recorded
    assert response.status_code == 302
    producer.refresh_from_db()
    assert producer.phone == "0912 345 678"
    assert producer.region == unit("tan-cuong-pre2025")


def test_a_producer_gets_a_logo_and_representatives(manager_client):
    from PIL import Image

    image = SimpleUploadedFile("logo.png", b"", content_type="image/png")
    buffer = image.file
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    buffer.seek(0)
    representative = UserFactory()

    manager_client.post(
        url("producer-create"),
        {**producer_data(), "logo": image, "representatives": [representative.pk]},
    )

    producer = Producer.objects.get(registration_number="4600999001")
    assert producer.logo.name.startswith("producers/")
    assert list(producer.representatives.all()) == [representative]


def test_the_producer_list_searches_and_filters(manager_client):
    # Given three producers
    ProducerFactory(name_vi="Hợp tác xã chè Hảo Đạt", registration_number="111")
    ProducerFactory(
        name_vi="Công ty miến Việt Cường",
        registration_number="222",
        kind=Producer.Kind.ENTERPRISE,
    )
    ProducerFactory(
        name_vi="Hộ kinh doanh chè Vô Tranh",
        registration_number="333",
        kind=Producer.Kind.HOUSEHOLD,
        region=unit("vo-tranh"),
    )

    def names(**query):
        response = manager_client.get(url("producer-list"), query)
        assert response.status_code == 200
        return [p.name_vi for p in response.context["producers"]]

    # Then each search and filter narrows the list
    assert names(q="Hảo Đạt") == ["Hợp tác xã chè Hảo Đạt"]
    assert names(q="222") == ["Công ty miến Việt Cường"]
    assert names(kind="household") == ["Hộ kinh doanh chè Vô Tranh"]
    assert names(region=unit("vo-tranh").pk) == ["Hộ kinh doanh chè Vô Tranh"]
    assert len(names()) == 3


def test_the_producer_list_is_paginated(manager_client, settings):
    ProducerFactory.create_batch(21)

    first = manager_client.get(url("producer-list"))
    second = manager_client.get(url("producer-list"), {"page": 2})

    assert len(first.context["producers"]) == 20
    assert len(second.context["producers"]) == 1


# --- Certificates: recording ------------------------------------------------------


@freeze_time(TODAY)
def test_a_manager_records_a_certificate_with_its_evidence(manager_client):
    # Given an uncertified product
    product = create_product(certified=False)
    assert not product_is_certified(product)
    evidence = SimpleUploadedFile(
        "1234-qd-ubnd.pdf", b"%PDF-1.4 decision", content_type="application/pdf"
    )

    # When a manager records its recognition decision
    response = manager_client.post(
        url("certificate-create"), {**decision_data(product), "evidence": evidence}
    )

    # Then the certificate exists with a computed expiry, and the product is for sale
    certificate = Certificate.objects.get(product=product)
    assert response.status_code == 302
    assert response["Location"] == url("certificate-detail", pk=certificate.pk)
    assert certificate.expires_on == dt.date(2028, 9, 1)
    assert certificate.producer == product.producer
    assert certificate.group == product.group
    assert certificate.evidence.name.startswith("certificates/")
    assert product_is_certified(product)


@freeze_time(TODAY)
def test_the_certificate_form_can_be_prefilled_from_a_producer(manager_client):
    producer = ProducerFactory()

    page = manager_client.get(url("certificate-create"), {"producer": producer.pk})

    assert page.status_code == 200
    assert page.context["form"]["producer"].value() == str(producer.pk)
    assert "expires_on" not in page.context["form"].fields


BAD_DECISIONS = {
    "score outside the star band": ({"stars": 4, "score": 95}, "score"),
    "5 stars from a province": ({"stars": 5, "score": 95}, "authority"),
    "3 stars from a district after 1 July 2025": (
        {
            "stars": 3,
            "score": 60,
            "authority": "ubnd-tp-thai-nguyen",
            "signed_on": "2025-08-01",
        },
        "authority",
    ),
    "signed by the merged province before it existed": (
        {"signed_on": "2025-03-01"},
        "authority",
    ),
    "signed by the old province after it was merged": (
        {"authority": "ubnd-thai-nguyen-1997"},
        "authority",
    ),
    "signed in the future": ({"signed_on": "2026-03-02"}, "signed_on"),
    "a product of another producer": ({"producer": "other"}, "producer"),
}


@freeze_time(TODAY)
@pytest.mark.parametrize(
    ("overrides", "field"), BAD_DECISIONS.values(), ids=BAD_DECISIONS.keys()
)
def test_a_decision_breaking_an_ocop_rule_is_a_field_error_and_saves_nothing(
    manager_client, overrides, field
):
    # Given an uncertified product
    product = create_product(certified=False)
    if "authority" in overrides:
        overrides["authority"] = authority(overrides["authority"]).pk
    if overrides.get("producer") == "other":
        overrides["producer"] = ProducerFactory().pk

    # When a decision breaking one rule is submitted
    response = manager_client.post(
        url("certificate-create"), decision_data(product, **overrides)
    )

    # Then the form shows the error on that field, keeps the input and saves nothing
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field], form.errors
    assert form["decision_number"].value() == "1234/QĐ-UBND"
    assert "error-block" in response.content.decode()
    assert not Certificate.objects.exists()


@freeze_time(TODAY)
def test_the_certificate_form_refuses_missing_fields_before_the_service(
    manager_client,
):
    product = create_product(certified=False)

    response = manager_client.post(
        url("certificate-create"),
        decision_data(product, score="", decision_number="", stars=2),
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"score", "decision_number", "stars"}
    assert not Certificate.objects.exists()


# --- Certificates: renewal, revocation, re-assessment -------------------------------


@freeze_time(TODAY)
def test_renewing_keeps_the_old_certificate_and_links_the_new(manager_client):
    # Given a certificate signed before the reform, now under re-assessment
    product = create_product(certified=False)
    old = issue_certificate(product, stars=4, signed_on=dt.date(2023, 4, 10))
    services.certificate_start_reassessment(certificate=old)
    page = manager_client.get(url("certificate-renew", pk=old.pk))
    assert page.status_code == 200
    assert page.context["form"]["stars"].value() == 4

    # When the re-recognition decision is recorded
    response = manager_client.post(
        url("certificate-renew", pk=old.pk),
        {**decision_data(product, stars=5, score=92), "authority": authority("mae").pk},
    )

    # Then a new certificate renews the old one, which is kept in the history
    new = Certificate.objects.exclude(pk=old.pk).get()
    assert response.status_code == 302
    assert response["Location"] == url("certificate-detail", pk=new.pk)
    assert new.renews == old
    assert (new.product, new.stars, new.score) == (product, 5, 92)
    old.refresh_from_db()
    assert old.status == Certificate.Status.EXPIRED
    assert product_is_certified(product)
    # and both detail pages show the chain, oldest first
    for certificate in (old, new):
        detail = manager_client.get(url("certificate-detail", pk=certificate.pk))
        assert detail.context["history"] == [old, new]
    # and the old one can no longer be put under re-assessment
    refused = manager_client.post(url("certificate-reassess", pk=old.pk))
    assert refused.status_code == 200
    assert "already been renewed" in str(refused.context["form"].non_field_errors())


@freeze_time(TODAY)
def test_a_renewal_breaking_a_rule_is_a_field_error_and_saves_nothing(
    manager_client,
):
    product = create_product(certified=False)
    old = issue_certificate(product, stars=4, signed_on=dt.date(2023, 4, 10))

    response = manager_client.post(
        url("certificate-renew", pk=old.pk), decision_data(product, stars=5, score=95)
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["authority"]
    assert Certificate.objects.count() == 1


@freeze_time(TODAY)
def test_a_certificate_cannot_be_renewed_twice(manager_client):
    product = create_product(certified=False)
    old = issue_certificate(product, stars=4, signed_on=dt.date(2023, 4, 10))
    first = services.certificate_renew(
        certificate=old,
        stars=4,
        score=80,
        decision_number="1/QĐ-UBND",
        authority=authority("ubnd-thai-nguyen-2025"),
        signed_on=dt.date(2026, 2, 1),
    )

    page = manager_client.get(url("certificate-renew", pk=old.pk))
    response = manager_client.post(
        url("certificate-renew", pk=old.pk), decision_data(product)
    )

    assert page.status_code == 302
    assert page["Location"] == url("certificate-detail", pk=first.pk)
    assert response.status_code == 200
    assert "already been renewed" in str(response.context["form"].non_field_errors())
    assert Certificate.objects.count() == 2


def test_revoking_needs_a_reason(manager_client):
    # Given a certificate in force
    product = create_product()
    certificate = product.certificates.get()

    # When it is revoked without a reason
    response = manager_client.post(
        url("certificate-revoke", pk=certificate.pk), {"revoke-reason": "  "}
    )

    # Then the error is shown and nothing changes
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ACTIVE
    assert product_is_certified(product)


def test_a_revoked_certificate_takes_the_product_off_sale(manager_client):
    # Given a product for sale on its only certificate
    product = create_product()
    certificate = product.certificates.get()
    assert product_is_certified(product)

    # When a manager revokes it from the detail page, with a reason
    detail = manager_client.get(url("certificate-detail", pk=certificate.pk))
    assert url("certificate-revoke", pk=certificate.pk) in detail.content.decode()
    response = manager_client.post(
        url("certificate-revoke", pk=certificate.pk),
        {"revoke-reason": "Không tái đánh giá đúng hạn."},
    )

    # Then it is revoked with the reason, and the product is no longer for sale
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.status_reason == "Không tái đánh giá đúng hạn."
    assert not product_is_certified(product)
    # and a second revocation is refused
    again = manager_client.post(
        url("certificate-revoke", pk=certificate.pk), {"revoke-reason": "again"}
    )
    assert again.status_code == 200
    assert again.context["form"].non_field_errors()


def test_starting_a_reassessment_takes_an_optional_reason(manager_client):
    product = create_product()
    certificate = product.certificates.get()

    response = manager_client.post(
        url("certificate-reassess", pk=certificate.pk), {"reassess-reason": ""}
    )

    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.UNDER_REASSESSMENT
    assert not product_is_certified(product)


# --- Certificates: lists ------------------------------------------------------------


def decisions(response):
    assert response.status_code == 200
    return {c.decision_number for c in response.context["certificates"]}


def certified(number, signed_on, stars=4):
    """A certificate with a known decision number, signed on the given day."""
    product = create_product(certified=False)
    certificate = issue_certificate(product, stars=stars, signed_on=signed_on)
    Certificate.objects.filter(pk=certificate.pk).update(decision_number=number)
    certificate.decision_number = number
    return certificate


@freeze_time(TODAY)
def test_the_expiring_and_expired_lists_hold_the_right_certificates(manager_client):
    def renew(certificate):
        services.certificate_renew(
            certificate=certificate,
            stars=4,
            score=80,
            decision_number=f"renewal-of-{certificate.decision_number}",
            authority=authority("ubnd-thai-nguyen-2025"),
            signed_on=dt.date(2026, 1, 20),
        )

    # Given certificates in every situation (today is 1 March 2026): some marked
    # expired by the nightly job ...
    certified("marked-expired", dt.date(2022, 1, 10))
    renewed_after_marking = certified("marked-then-renewed", dt.date(2022, 2, 10))
    services.certificates_mark_expired()
    renew(renewed_after_marking)
    # ... some past their expiry that the job has not marked yet ...
    certified("past-expiry", dt.date(2023, 2, 1))
    renew(certified("past-expiry-renewed", dt.date(2023, 1, 5)))
    # ... some revoked, under re-assessment, or in force
    revoked = certified("revoked", dt.date(2023, 2, 1))
    services.certificate_revoke(certificate=revoked, reason="Vi phạm.")
    reassessed = certified("reassessed", dt.date(2023, 3, 25))
    services.certificate_start_reassessment(certificate=reassessed)
    certified("expiring", dt.date(2023, 3, 20))  # expires 20 March 2026
    certified("expiring-on-day-90", dt.date(2023, 5, 30))  # expires 30 May 2026
    certified("later", dt.date(2023, 6, 1))  # expires 1 June 2026: in 92 days
    renew(certified("expiring-renewed", dt.date(2023, 4, 1)))

    # When a manager opens the two quick views
    expiring = decisions(manager_client.get(url("certificate-expiring")))
    expired = decisions(manager_client.get(url("certificate-expired")))

    # Then each lists exactly the certificates that still need action
    assert expiring == {"expiring", "expiring-on-day-90"}
    assert expired == {"past-expiry", "marked-expired"}


@freeze_time(TODAY)
def test_the_certificate_list_filters_on_the_effective_status(manager_client):
    # Given a certificate past its expiry that the nightly job has not marked yet
    certified("past-expiry", dt.date(2023, 2, 1))
    certified("in-force", dt.date(2024, 2, 1))
    reassessed = certified("reassessed", dt.date(2024, 2, 1))
    services.certificate_start_reassessment(certificate=reassessed)

    def listed(**query):
        return decisions(manager_client.get(url("certificate-list"), query))

    # Then it counts as expired, not as active
    assert listed(status="expired") == {"past-expiry"}
    assert listed(status="active") == {"in-force"}
    assert listed(status="under_reassessment") == {"reassessed"}
    assert listed(status="revoked") == set()
    page = manager_client.get(url("certificate-list"), {"q": "past-expiry"})
    assert "badge-secondary" in page.content.decode()


@freeze_time(TODAY)
def test_the_certificate_list_searches_and_filters_by_stars(manager_client):
    five = certified("QĐ-5", dt.date(2025, 9, 1), stars=5)
    certified("QĐ-4", dt.date(2025, 9, 1), stars=4)
    product = five.product
    product.title = "Trà đinh Tân Cương đặc biệt"
    product.save()

    def listed(**query):
        return decisions(manager_client.get(url("certificate-list"), query))

    assert listed(stars=5) == {"QĐ-5"}
    assert listed(q="đinh Tân Cương") == {"QĐ-5"}
    assert listed(q="QĐ-4") == {"QĐ-4"}
    assert listed() == {"QĐ-5", "QĐ-4"}


# --- Access ----------------------------------------------------------------------


@pytest.fixture
def pages():
    """Every page: (method, path, the manager's expected status)."""
    product = create_product()
    certificate = product.certificates.get()
    producer = product.producer
    return [
        ("get", url("producer-list"), 200),
        ("get", url("producer-create"), 200),
        ("post", url("producer-create"), 200),
        ("get", url("producer-update", pk=producer.pk), 200),
        ("post", url("producer-update", pk=producer.pk), 200),
        ("get", url("producer-lookup") + "?q=chè", 200),
        ("get", url("user-lookup") + "?q=user", 200),
        ("get", url("certificate-list"), 200),
        ("get", url("certificate-expiring"), 200),
        ("get", url("certificate-expired"), 200),
        ("get", url("certificate-create"), 200),
        ("post", url("certificate-create"), 200),
        ("get", url("certificate-detail", pk=certificate.pk), 200),
        ("get", url("certificate-renew", pk=certificate.pk), 200),
        ("post", url("certificate-renew", pk=certificate.pk), 200),
        ("get", url("certificate-revoke", pk=certificate.pk), 200),
        ("post", url("certificate-revoke", pk=certificate.pk), 200),
        ("get", url("certificate-reassess", pk=certificate.pk), 200),
        ("post", url("certificate-reassess", pk=certificate.pk), 302),
    ]


def test_anonymous_visitors_are_sent_to_the_dashboard_login(client, pages):
    for method, path, _ in pages:
        response = getattr(client, method)(path)

        assert response.status_code == 302, path
        assert response["Location"].startswith("/dashboard/login/?next="), path
        assert "/dashboard/ocop/" in response["Location"]
    assert Certificate.objects.get().status == Certificate.Status.ACTIVE


@pytest.mark.parametrize(
    "group", [roles.SALES_POINT_STAFF, roles.COMMUNICATIONS_EDITORS, None]
)
def test_staff_without_the_permissions_are_refused(client, pages, group):
    client.force_login(UserFactory(groups=[group] if group else []))

    for method, path, _ in pages:
        assert getattr(client, method)(path).status_code == 403, path
    assert Certificate.objects.get().status == Certificate.Status.ACTIVE


def test_catalogue_managers_reach_every_page(manager_client, pages):
    for method, path, expected in pages:
        assert getattr(manager_client, method)(path).status_code == expected, path


def test_superusers_reach_the_pages(client, pages):
    client.force_login(UserFactory(is_superuser=True))

    for method, path, expected in pages[:3]:
        assert getattr(client, method)(path).status_code == expected, path


def test_viewing_certificates_does_not_allow_changing_them(client):
    # Given a user who may only view certificates
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="view_certificate"))
    client.force_login(user)
    certificate = create_product().certificates.get()

    # Then they see the detail page without actions, and cannot revoke or renew
    detail = client.get(url("certificate-detail", pk=certificate.pk))
    assert detail.status_code == 200
    assert url("certificate-revoke", pk=certificate.pk) not in detail.content.decode()
    revoke = client.post(
        url("certificate-revoke", pk=certificate.pk), {"revoke-reason": "x"}
    )
    assert revoke.status_code == 403
    assert client.get(url("certificate-renew", pk=certificate.pk)).status_code == 403
    assert client.get(url("producer-list")).status_code == 403


def test_catalogue_managers_hold_the_ocop_permissions():
    granted = set(
        Group.objects.get(name=roles.CATALOGUE_MANAGERS).permissions.values_list(
            "codename", flat=True
        )
    )

    assert set(OCOP_PERMISSIONS) <= granted


def test_the_menu_shows_the_pages_to_whoever_may_open_them(manager):
    # Given the access function the dashboard menu is to use
    staff = UserFactory(groups=[roles.SALES_POINT_STAFF])

    # Then it follows the permissions of each view, and defers to Oscar for its own
    for name in ("producer-list", "certificate-list", "certificate-expiring"):
        assert default_access_fn(manager, f"ocop-dashboard:{name}")
        assert not default_access_fn(staff, f"ocop-dashboard:{name}")
    assert default_access_fn(staff, "dashboard:index")
    assert default_access_fn(manager, None)


def test_the_dashboard_menu_renders_the_ocop_entries(manager_client, settings):
    settings.OSCAR_DASHBOARD_DEFAULT_ACCESS_FUNCTION = (
        "catalogue.dashboard.nav.default_access_fn"
    )
    settings.OSCAR_DASHBOARD_NAVIGATION = [
        *settings.OSCAR_DASHBOARD_NAVIGATION,
        {
            "label": "OCOP",
            "children": [
                {"label": "Producers", "url_name": "ocop-dashboard:producer-list"},
                {
                    "label": "Certificates",
                    "url_name": "ocop-dashboard:certificate-list",
                },
            ],
        },
    ]

    page = manager_client.get(url("certificate-list"))

    assert page.status_code == 200
    assert f'href="{url("producer-list")}"' in page.content.decode()


# --- Query counts ------------------------------------------------------------------


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@freeze_time(TODAY)
@pytest.mark.parametrize(
    "name", ["producer-list", "certificate-list", "certificate-expiring"]
)
def test_list_pages_cost_the_same_queries_for_1_and_15_rows(
    manager_client, name, django_assert_max_num_queries
):
    # Given one row (a certificate expiring within 90 days, so every list shows it)
    def add_rows(n):
        for _ in range(n):
            product = create_product(certified=False)
            issue_certificate(product, stars=4, signed_on=dt.date(2023, 4, 1))

    add_rows(1)
    path = url(name)
    count_queries(manager_client, path)  # warm the session and content-type caches
    one = count_queries(manager_client, path)

    # When there are fifteen
    add_rows(14)
    response = manager_client.get(path)
    assert len(response.context["object_list"]) == 15
    fifteen = count_queries(manager_client, path)

    # Then the page costs no more queries
    assert fifteen == one
    with django_assert_max_num_queries(12):
        manager_client.get(path)


def test_the_group_select_tells_the_schemes_apart():
    # The product group select names its scheme: two lists share names ("Food").
    from catalogue.dashboard.forms import CertificateDecisionForm

    labels = [label for _, label in CertificateDecisionForm().fields["group"].choices]

    assert any(label.endswith(group("tea").name) for label in labels)
    assert len(labels) == len(set(labels))
