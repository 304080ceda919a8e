"""Query parameters of the open-data API and the querysets they select.

Parameters are validated with DRF serializers so a bad value is a 400 that names the
parameter, never a silently ignored filter. Unknown parameters are ignored."""

import datetime as dt

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from rest_framework import exceptions, serializers

from catalogue.models import (
    AdministrativeUnit,
    Certificate,
    Producer,
    Product,
    ProductGroup,
)
from catalogue.selectors import (
    VALID_CERTIFICATES_ATTR,
    certificates_valid_prefetch,
    products_certified,
)

StockRecord = get_model("partner", "StockRecord")

# Every certificate of the product, newest first: what a product that is not certified
# right now shows (with its effective status, e.g. "revoked").
ALL_CERTIFICATES_ATTR = "api_certificates"


class InvalidFilter(exceptions.APIException):
    status_code = 400
    default_detail = _("Invalid filter.")
    default_code = "invalid_filter"

    def __init__(self, errors: dict[str, str]):
        super().__init__({"detail": self.default_detail, "errors": errors})


def choice_field(choices, **kwargs) -> serializers.ChoiceField:
    values = ", ".join(str(value) for value, *_label in choices)
    return serializers.ChoiceField(
        choices=choices,
        error_messages={
            "invalid_choice": format_lazy(_("Must be one of: {}."), values)
        },
        **kwargs,
    )


class CommaListField(serializers.Field):
    """A comma-separated list ("3,5"); each item is validated by `child`."""

    def __init__(self, child: serializers.Field, **kwargs):
        super().__init__(**kwargs)
        self.child = child
        self.child.bind(field_name="", parent=self)

    def to_internal_value(self, data) -> list:
        items = [item.strip() for item in str(data).split(",") if item.strip()]
        return sorted({self.child.run_validation(item) for item in items})

    def to_representation(self, value):
        return ",".join(str(item) for item in value)


def stars_field(**kwargs) -> CommaListField:
    child = serializers.ChoiceField(
        choices=Certificate.Stars.values,
        error_messages={"invalid_choice": _("Must be 3, 4 or 5.")},
    )
    return CommaListField(child=child, **kwargs)


class QueryFilters(serializers.Serializer):
    """Base: validates the query string of a list endpoint, pagination included."""

    page = serializers.IntegerField(min_value=1, required=False)
    # Values above the maximum (200) are capped by the paginator, as DRF does.
    page_size = serializers.IntegerField(min_value=1, required=False)

    @classmethod
    def from_request(cls, request) -> dict:
        """The validated parameters, or InvalidFilter (400) naming each bad one."""
        fields = cls().fields
        data = {}
        for key, values in request.query_params.lists():
            values = [value.strip() for value in values if value.strip()]
            if not values:
                continue  # "?stars=" from an empty form field means no filter
            # ?stars=3&stars=4 is the same as ?stars=3,4; otherwise the last one wins.
            is_list = isinstance(fields.get(key), CommaListField)
            data[key] = ",".join(values) if is_list else values[-1]
        filters = cls(data=data)
        if not filters.is_valid():
            raise InvalidFilter(
                {
                    key: " ".join(str(message) for message in messages)
                    for key, messages in filters.errors.items()
                }
            )
        return filters.validated_data


def validate_region_code(code: str) -> str:
    if not AdministrativeUnit.objects.filter(code=code).exists():
        raise serializers.ValidationError(_("No region has this code."))
    return code


def region_q(code: str, field: str) -> Q:
    """The unit, or a unit whose parent or grandparent is it (a province finds the
    communes of its districts)."""
    return (
        Q(**{f"{field}__code": code})
        | Q(**{f"{field}__parent__code": code})
        | Q(**{f"{field}__parent__parent__code": code})
    )


# Products ---------------------------------------------------------------------------

# ?ordering= value -> the field or annotation it sorts on ("-stars" for descending).
PRODUCT_ORDERINGS = {
    "id": "pk",
    "title": "title",
    "stars": "current_stars",
    "price_vnd": "lowest_price",
}


class ProductFilters(QueryFilters):
    certified = choice_field(
        [("true", "true"), ("false", "false"), ("all", "all")], default="true"
    )
    stars = stars_field(required=False)
    group = serializers.CharField(max_length=64, required=False)
    producer = serializers.IntegerField(min_value=1, required=False)
    producer_kind = choice_field(Producer.Kind.choices, required=False)
    region = serializers.CharField(max_length=64, required=False)
    price_min = serializers.IntegerField(min_value=0, required=False)
    price_max = serializers.IntegerField(min_value=0, required=False)
    q = serializers.CharField(max_length=100, required=False)
    ordering = choice_field(
        [(f"{sign}{key}", key) for key in PRODUCT_ORDERINGS for sign in ("", "-")],
        required=False,
    )

    def validate_group(self, code: str) -> str:
        if not ProductGroup.objects.filter(code=code).exists():
            raise serializers.ValidationError(_("No product group has this code."))
        return code

    def validate_producer(self, pk: int) -> int:
        if not Producer.objects.filter(pk=pk).exists():
            raise serializers.ValidationError(_("No producer has this id."))
        return pk

    def validate_region(self, code: str) -> str:
        return validate_region_code(code)

    def validate(self, attrs):
        low, high = attrs.get("price_min"), attrs.get("price_max")
        if low is not None and high is not None and high < low:
            raise serializers.ValidationError(
                {"price_max": _("Must not be less than price_min.")}
            )
        return attrs


def products_for_api(certified: str = "true") -> QuerySet:
    """Browsable products with everything the API shows, in a constant number of
    queries. `certified`: "true" (in force today), "false" (not) or "all"."""
    products = (
        Product.objects.browsable()
        .select_related("producer", "group__parent", "group__scheme", "origin")
        .prefetch_related(certificates_valid_prefetch())
        .annotate(lowest_price=lowest_price_subquery())
    )
    if certified == "true":
        return products_certified(products)
    products = products.prefetch_related(
        Prefetch(
            "certificates",
            queryset=Certificate.objects.select_related("authority"),
            to_attr=ALL_CERTIFICATES_ATTR,
        )
    )
    if certified == "false":
        return products.exclude(pk__in=products_certified().values("pk"))
    return products


# What the CSV export reads of a product and its relations.
EXPORT_FIELDS = [
    "id", "slug", "title", "title_en", "trace_code", "growing_area_code",
    "group__code", "group__name_vi",
    "producer__name_vi", "producer__kind", "producer__registration_number",
    "origin__code", "origin__official_code", "origin__name_vi",
]  # fmt: skip


def products_for_export() -> QuerySet:
    """Products certified today with only the columns of the CSV export: across
    20,000 rows, every unused field and joined row costs seconds."""
    valid_certificates = Prefetch(
        "certificates",
        queryset=Certificate.objects.valid_on().select_related("authority"),
        to_attr=VALID_CERTIFICATES_ATTR,
    )
    return (
        products_certified(Product.objects.browsable())
        .select_related("producer", "group", "origin")
        .only(*EXPORT_FIELDS)
        .prefetch_related(valid_certificates)
        .annotate(lowest_price=lowest_price_subquery())
    )


def lowest_price_subquery() -> Subquery:
    """The lowest price over the outlets' stock records: the least a buyer pays."""
    return Subquery(
        StockRecord.objects.filter(product=OuterRef("pk"), price__isnull=False)
        .order_by("price")
        .values("price")[:1]
    )


def current_stars_subquery() -> Subquery:
    """Stars of the newest certificate in force (the one the API shows), or NULL."""
    return Subquery(
        Certificate.objects.valid_on()
        .filter(product=OuterRef("pk"))
        .order_by("-signed_on", "-pk")
        .values("stars")[:1]
    )


def products_filter(products: QuerySet, filters: dict) -> QuerySet:
    ordering = filters.get("ordering", "id")
    if "stars" in filters or ordering.lstrip("-") == "stars":
        products = products.annotate(current_stars=current_stars_subquery())
    if "stars" in filters:
        products = products.filter(current_stars__in=filters["stars"])
    if "group" in filters:
        code = filters["group"]
        products = products.filter(Q(group__code=code) | Q(group__parent__code=code))
    if "producer" in filters:
        products = products.filter(producer_id=filters["producer"])
    if "producer_kind" in filters:
        products = products.filter(producer__kind=filters["producer_kind"])
    if "region" in filters:
        products = products.filter(region_q(filters["region"], "origin"))
    if "price_min" in filters:
        products = products.filter(lowest_price__gte=filters["price_min"])
    if "price_max" in filters:
        products = products.filter(lowest_price__lte=filters["price_max"])
    if "q" in filters:
        q = filters["q"]
        products = products.filter(Q(title__icontains=q) | Q(title_en__icontains=q))
    return products.order_by(*order_by(ordering, PRODUCT_ORDERINGS))


def order_by(ordering: str, fields: dict[str, str]) -> list:
    """The ordering with the primary key as a tie-breaker (pages must not overlap) and
    empty values last either way."""
    descending = ordering.startswith("-")
    field = F(fields[ordering.lstrip("-")])
    if descending:
        return [field.desc(nulls_last=True), "-pk"]
    return [field.asc(nulls_last=True), "pk"]


# Producers --------------------------------------------------------------------------


class ProducerFilters(QueryFilters):
    kind = choice_field(Producer.Kind.choices, required=False)
    region = serializers.CharField(max_length=64, required=False)

    def validate_region(self, code: str) -> str:
        return validate_region_code(code)


def producers_for_api() -> QuerySet:
    certified = (
        products_certified(Product.objects.browsable().filter(producer=OuterRef("pk")))
        .order_by()
        .values("producer")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Producer.objects.select_related("region")
        .annotate(certified_products=Coalesce(Subquery(certified), 0))
        .order_by("name_vi", "pk")
    )


def producers_filter(producers: QuerySet, filters: dict) -> QuerySet:
    if "kind" in filters:
        producers = producers.filter(kind=filters["kind"])
    if "region" in filters:
        producers = producers.filter(region_q(filters["region"], "region"))
    return producers


# Certificates -----------------------------------------------------------------------


class CertificateFilters(QueryFilters):
    status = CommaListField(
        child=choice_field(Certificate.Status.choices), required=False
    )
    stars = stars_field(required=False)
    product = serializers.IntegerField(min_value=1, required=False)
    producer = serializers.IntegerField(min_value=1, required=False)
    expires_before = serializers.DateField(required=False)
    expires_after = serializers.DateField(required=False)


def effective_status_q(status: str, today: dt.date) -> Q:
    """Certificates whose effective status (Certificate.effective_status) is `status`:
    an active certificate past its expiry counts as expired before the nightly job."""
    Status = Certificate.Status
    if status == Status.ACTIVE:
        return Q(status=Status.ACTIVE, expires_on__gt=today)
    if status == Status.EXPIRED:
        return Q(status=Status.EXPIRED) | Q(status=Status.ACTIVE, expires_on__lte=today)
    return Q(status=status)


def certificates_for_api() -> QuerySet:
    return Certificate.objects.select_related("product", "authority", "group")


def certificates_filter(certificates: QuerySet, filters: dict) -> QuerySet:
    if "status" in filters:
        today = timezone.localdate()
        condition = Q()
        for status in filters["status"]:
            condition |= effective_status_q(status, today)
        certificates = certificates.filter(condition)
    if "stars" in filters:
        certificates = certificates.filter(stars__in=filters["stars"])
    if "product" in filters:
        certificates = certificates.filter(product_id=filters["product"])
    if "producer" in filters:
        certificates = certificates.filter(producer_id=filters["producer"])
    if "expires_before" in filters:
        certificates = certificates.filter(expires_on__lt=filters["expires_before"])
    if "expires_after" in filters:
        certificates = certificates.filter(expires_on__gt=filters["expires_after"])
    return certificates.order_by("-signed_on", "-pk")


# Regions ----------------------------------------------------------------------------


class RegionFilters(QueryFilters):
    level = choice_field(AdministrativeUnit.Level.choices, required=False)
    parent = serializers.CharField(max_length=64, required=False)
    valid_on = serializers.DateField(required=False)

    def validate_parent(self, code: str) -> str:
        return validate_region_code(code)


def regions_for_api() -> QuerySet:
    return AdministrativeUnit.objects.select_related("parent").prefetch_related(
        Prefetch("successors", queryset=AdministrativeUnit.objects.only("pk", "code")),
        Prefetch(
            "predecessors", queryset=AdministrativeUnit.objects.only("pk", "code")
        ),
    )


def regions_filter(regions: QuerySet, filters: dict) -> QuerySet:
    if "level" in filters:
        regions = regions.filter(level=filters["level"])
    if "parent" in filters:
        regions = regions.filter(parent__code=filters["parent"])
    if "valid_on" in filters:
        day = filters["valid_on"]
        regions = regions.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )
    return regions.order_by("level", "name_vi", "code")
