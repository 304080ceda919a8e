"""Test data, built on Oscar's own factories and our services."""

import datetime as dt
import itertools
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from oscar.test.factories import create_product as oscar_create_product

from catalogue import services
from catalogue.models import (
    AdministrativeUnit,
    IssuingAuthority,
    Producer,
    ProductGroup,
)
from shop import roles

_registration_numbers = itertools.count(4600100001)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or ():
            self.groups.add(Group.objects.get(name=name))


def unit(code: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.get(code=code)


def group(code: str = "tea", scheme: str = "148-2023") -> ProductGroup:
    return ProductGroup.objects.get(scheme__code=scheme, code=code)


def authority(code: str) -> IssuingAuthority:
    return IssuingAuthority.objects.get(code=code)


class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Producer

    name_vi = factory.Sequence(lambda n: f"Hợp tác xã chè Tân Cương {n}")
    name_en = factory.Sequence(lambda n: f"Tan Cuong Tea Cooperative {n}")
    slug = factory.Sequence(lambda n: f"htx-che-tan-cuong-{n}")
    kind = Producer.Kind.COOPERATIVE
    registration_number = factory.LazyFunction(lambda: str(next(_registration_numbers)))
    region = factory.LazyFunction(lambda: unit("tan-cuong-pre2025"))
    email = factory.Sequence(lambda n: f"producer{n}@example.com")


def issue_certificate(
    product, *, stars=4, score=None, signed_on=None, authority_code=None, **kw
):
    """A certificate that satisfies every OCOP rule unless told otherwise."""
    signed_on = signed_on or timezone.localdate() - dt.timedelta(days=100)
    score = score if score is not None else {3: 60, 4: 80, 5: 95}[stars]
    if authority_code is None:
        if stars == 5:
            authority_code = "mae"
        elif stars == 4 or signed_on >= dt.date(2025, 7, 1):
            authority_code = (
                "ubnd-thai-nguyen-2025"
                if signed_on >= dt.date(2025, 7, 1)
                else "ubnd-thai-nguyen-1997"
            )
        else:
            authority_code = "ubnd-tp-thai-nguyen"
    return services.certificate_issue(
        product=product, stars=stars, score=score, decision_number=f"QĐ-{product.pk}-{stars}",
        authority=authority(authority_code), signed_on=signed_on, **kw,
    )  # fmt: skip


def create_product(
    *,
    title="Trà Tân Cương",
    price=Decimal("150000"),
    num_in_stock=10,
    certified=True,
    stars=4,
    producer=None,
    **kwargs,
):
    """A public standalone product with a VND stock record, a producer, an origin and
    (unless certified=False) a certificate in force."""
    product = oscar_create_product(
        title=title,
        price=price,
        num_in_stock=num_in_stock,
        partner_name="OCOP Market",
        producer=producer or ProducerFactory(),
        group=group("tea"),
        origin=unit("tan-cuong-pre2025"),
        **kwargs,
    )
    if certified:
        issue_certificate(product, stars=stars)
    return product


def outlet_staff(*outlets, **kwargs):
    """A sales-point staff member working at the given outlets (partner users)."""
    user = UserFactory(groups=[roles.SALES_POINT_STAFF], **kwargs)
    for outlet in outlets:
        outlet.partner.users.add(user)
    return user
