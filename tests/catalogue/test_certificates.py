import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from freezegun import freeze_time

from catalogue import services
from catalogue.models import Certificate, Producer, add_months
from catalogue.selectors import product_is_certified
from tests.factories import (
    ProducerFactory,
    authority,
    create_product,
    issue_certificate,
    unit,
)

pytestmark = pytest.mark.django_db

BEFORE_REFORM = dt.date(2024, 3, 15)
AFTER_REFORM = dt.date(2025, 9, 1)


@pytest.fixture
def product():
    return create_product(certified=False)


def issue(product, **overrides):
    decision = {
        "product": product,
        "stars": 4,
        "score": 80,
        "decision_number": "123/QĐ-UBND",
        "authority": authority("ubnd-thai-nguyen-1997"),
        "signed_on": BEFORE_REFORM,
        **overrides,
    }
    return services.certificate_issue(**decision)


def assert_refused(product, field, **overrides):
    with pytest.raises(ValidationError) as refused:
        issue(product, **overrides)
    assert field in refused.value.message_dict, refused.value.message_dict
    assert not Certificate.objects.filter(product=product).exists()


@pytest.mark.parametrize(
    ("stars", "score"), [(3, 49), (3, 70), (4, 69), (4, 90), (5, 89)]
)
def test_a_score_outside_the_star_band_is_refused(product, stars, score):
    issuer = {3: "ubnd-tp-thai-nguyen", 4: "ubnd-thai-nguyen-1997", 5: "mard"}[stars]
    assert_refused(
        product, "score", stars=stars, score=score, authority=authority(issuer)
    )


@pytest.mark.parametrize(
    ("stars", "score"), [(3, 50), (3, 69), (4, 70), (4, 89), (5, 90)]
)
def test_the_band_edges_are_accepted(product, stars, score):
    issuer = {3: "ubnd-tp-thai-nguyen", 4: "ubnd-thai-nguyen-1997", 5: "mard"}[stars]

    certificate = issue(product, stars=stars, score=score, authority=authority(issuer))

    assert certificate.pk and certificate.stars == stars


def test_two_stars_are_not_certified(product):
    assert_refused(
        product, "stars", stars=2, score=45, authority=authority("ubnd-tp-thai-nguyen")
    )


def test_five_stars_only_from_the_central_level(product):
    assert_refused(product, "authority", stars=5, score=95)

    assert issue(product, stars=5, score=95, authority=authority("mard")).pk


def test_three_stars_by_the_district_before_the_reform_and_the_province_after(product):
    assert_refused(
        product, "authority", stars=3, score=60
    )  # province before the reform
    assert_refused(
        product, "authority", stars=3, score=60, signed_on=AFTER_REFORM,
        authority=authority("ubnd-tp-thai-nguyen"),
    )  # fmt: skip

    before = issue(
        product, stars=3, score=60, authority=authority("ubnd-tp-thai-nguyen")
    )
    after = issue(
        product, stars=3, score=60, signed_on=AFTER_REFORM, decision_number="9/QĐ",
        authority=authority("ubnd-thai-nguyen-2025"),
    )  # fmt: skip

    assert before.authority.level == "district" and after.authority.level == "province"


def test_an_issuer_whose_region_did_not_exist_on_the_signing_date_is_refused(product):
    # The merged province exists from 1 July 2025 only; the old one ends on 30 June 2025.
    assert_refused(product, "authority", authority=authority("ubnd-thai-nguyen-2025"))
    assert_refused(
        product,
        "authority",
        signed_on=AFTER_REFORM,
        authority=authority("ubnd-thai-nguyen-1997"),
    )


def test_expiry_is_the_signing_date_plus_36_months(product):
    certificate = issue(product)

    assert certificate.expires_on == dt.date(2027, 3, 15)
    assert add_months(dt.date(2024, 2, 29), 36) == dt.date(2027, 2, 28)


def test_an_expiry_typed_by_hand_is_refused(product):
    certificate = Certificate(
        product=product, producer=product.producer, group=product.group, stars=4, score=80,
        decision_number="1/QĐ", authority=authority("ubnd-thai-nguyen-1997"),
        signed_on=BEFORE_REFORM, expires_on=dt.date(2030, 1, 1),
    )  # fmt: skip

    with pytest.raises(ValidationError) as refused:
        certificate.full_clean()

    assert "expires_on" in refused.value.message_dict


def test_a_certificate_for_a_product_of_another_producer_is_refused(product):
    assert_refused(product, "producer", producer=ProducerFactory())


def test_a_signing_date_in_the_future_is_refused(product):
    assert_refused(
        product, "signed_on", signed_on=dt.date.today() + dt.timedelta(days=3)
    )


def test_a_duplicate_registration_number_is_refused():
    first = ProducerFactory()
    twin = Producer(
        name_vi="Hộ kinh doanh khác", slug="khac", kind=Producer.Kind.HOUSEHOLD,
        registration_number=first.registration_number, region=unit("la-bang"),
    )  # fmt: skip

    with pytest.raises(ValidationError) as refused:
        twin.full_clean()

    assert "registration_number" in refused.value.message_dict


def test_the_database_refuses_a_score_outside_the_band_even_past_the_model(product):
    certificate = issue(product)

    with pytest.raises(IntegrityError):
        Certificate.objects.filter(pk=certificate.pk).update(score=95)


def test_renewal_keeps_the_history(product):
    old = issue(product, signed_on=dt.date(2023, 5, 2))

    new = services.certificate_renew(
        certificate=old, stars=4, score=85, decision_number="2/QĐ",
        authority=authority("ubnd-thai-nguyen-2025"), signed_on=AFTER_REFORM,
    )  # fmt: skip

    old.refresh_from_db()
    assert new.renews == old and old.renewal == new
    assert list(product.certificates.order_by("signed_on")) == [old, new]
    assert new.expires_on == dt.date(2028, 9, 1)


def test_a_certificate_is_renewed_only_once(product):
    old = issue(product, signed_on=dt.date(2023, 5, 2))
    decision = {
        "stars": 4, "score": 85, "decision_number": "2/QĐ",
        "authority": authority("ubnd-thai-nguyen-2025"), "signed_on": AFTER_REFORM,
    }  # fmt: skip
    services.certificate_renew(certificate=old, **decision)

    with pytest.raises(ValidationError):
        services.certificate_renew(certificate=old, **decision)


def test_certification_lapses_on_the_expiry_day_without_any_job(product):
    certificate = issue(product)  # expires on 2027-03-15

    with freeze_time("2027-03-14"):
        assert product_is_certified(product)
    with freeze_time("2027-03-15"):
        assert not product_is_certified(product)
        certificate.refresh_from_db()
        assert certificate.status == Certificate.Status.ACTIVE  # no job has run
        assert certificate.effective_status == Certificate.Status.EXPIRED


def test_revoked_and_under_reassessment_certificates_do_not_certify():
    revoked, reassessed = create_product(), create_product()

    services.certificate_revoke(certificate=revoked.certificates.get(), reason="Fraud")
    services.certificate_start_reassessment(certificate=reassessed.certificates.get())

    assert not product_is_certified(revoked)
    assert not product_is_certified(reassessed)


def test_revoking_needs_a_reason():
    product = create_product()

    with pytest.raises(ValidationError):
        services.certificate_revoke(certificate=product.certificates.get(), reason="  ")

    assert product_is_certified(product)


def test_the_newest_valid_certificate_is_the_current_one():
    product = create_product(stars=3)
    issue_certificate(
        product, stars=4, signed_on=dt.date.today() - dt.timedelta(days=5)
    )

    from catalogue.selectors import product_current_certificate

    assert product_current_certificate(product).stars == 4
