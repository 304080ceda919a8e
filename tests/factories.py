"""Test data, built on Oscar's own factories."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from oscar.test.factories import create_product as oscar_create_product


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


def create_product(
    *, title="Trà Tân Cương", price=Decimal("150000"), num_in_stock=10, **kwargs
):
    """A standalone public product with a VND stock record."""
    return oscar_create_product(
        title=title,
        price=price,
        num_in_stock=num_in_stock,
        partner_name="OCOP Market",
        **kwargs,
    )
