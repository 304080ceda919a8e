"""The outlets' read-only open-data API: the outlets (filters, distances from a point,
open now) and what each one has in stock. Bad parameters are a 400 naming them."""

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, generics, serializers

from catalogue.api import OpenDataPagination, product_trace_url, product_url, vnd
from catalogue.api_filters import QueryFilters, choice_field, validate_region_code
from catalogue.models import AdministrativeUnit
from catalogue.selectors import product_current_certificate
from sales_points.forms import parse_point
from sales_points.models import SalesPoint
from sales_points.selectors import (
    OutletsByDistance,
    outlet_open_state,
    outlet_stock_public,
    outlets_filter,
    outlets_public,
    product_by_id_or_upc,
)


class SalesPointNotFound(exceptions.NotFound):
    default_detail = _("No sales point has this code.")


# Parameters -------------------------------------------------------------------------


class SalesPointFilters(QueryFilters):
    near = serializers.CharField(max_length=64, required=False)
    product = serializers.CharField(max_length=64, required=False)
    region = serializers.CharField(max_length=64, required=False)
    level = choice_field(SalesPoint.Level.choices, required=False)
    kind = choice_field(SalesPoint.Kind.choices, required=False)
    open_now = serializers.BooleanField(required=False)

    def validate_near(self, raw: str) -> tuple[float, float]:
        try:
            return parse_point(raw)
        except ValueError as error:
            raise serializers.ValidationError(str(error)) from None

    def validate_product(self, raw: str):
        product = product_by_id_or_upc(raw)
        if product is None:
            raise serializers.ValidationError(_("No product has this id or barcode."))
        return product

    def validate_region(self, code: str) -> str:
        return validate_region_code(code)


# Serializers ------------------------------------------------------------------------


class OutletRegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = ["code", "level", "name_vi", "name_en"]


class SalesPointSerializer(serializers.ModelSerializer):
    region = OutletRegionSerializer()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    open_now = serializers.BooleanField(source="open_state.is_open")
    next_opening = serializers.DateTimeField(source="open_state.next_opening")
    closes_at = serializers.DateTimeField(source="open_state.closes_at")
    url = serializers.SerializerMethodField()
    stock_url = serializers.SerializerMethodField()

    class Meta:
        model = SalesPoint
        fields = [
            "code",
            "name_vi",
            "name_en",
            "level",
            "kind",
            "region",
            "address",
            "latitude",
            "longitude",
            "phone",
            "email",
            "is_pickup_point",
            "open_now",
            "next_opening",
            "closes_at",
            "url",
            "stock_url",
        ]

    def to_representation(self, outlet):
        outlet.open_state = outlet_open_state(outlet, self.context.get("now"))
        data = super().to_representation(outlet)
        if hasattr(outlet, "distance_km"):  # ?near= was given
            data["distance_km"] = round(outlet.distance_km, 3)
        if hasattr(outlet, "product_free"):  # ?product= was given
            data["product_free"] = outlet.product_free
        return data

    def get_url(self, outlet) -> str:
        return outlet_url(self.context["request"], outlet)

    def get_stock_url(self, outlet) -> str:
        path = reverse("api:sales-point-stock", kwargs={"code": outlet.code})
        return self.context["request"].build_absolute_uri(path)


class OutletStockSerializer(serializers.Serializer):
    """One product free to sell at the outlet (a stock record with `free`)."""

    product_id = serializers.IntegerField()
    upc = serializers.CharField(source="product.upc")
    title = serializers.SerializerMethodField()
    title_en = serializers.SerializerMethodField()
    stars = serializers.SerializerMethodField()
    quantity = serializers.IntegerField(source="free")
    price_vnd = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    trace_url = serializers.SerializerMethodField()

    def get_title(self, record) -> str:
        return record.product.get_title()

    def get_title_en(self, record) -> str:
        product = record.product
        return product.title_en or (product.parent.title_en if product.parent else "")

    def get_stars(self, record) -> int | None:
        certificate = product_current_certificate(record.product)
        return certificate.stars if certificate else None

    def get_price_vnd(self, record) -> int | None:
        return vnd(record.price)

    def get_url(self, record) -> str:
        return product_url(self.context["request"], record.product)

    def get_trace_url(self, record) -> str | None:
        return product_trace_url(self.context["request"], record.product)


def outlet_url(request, outlet: SalesPoint) -> str:
    """The outlet's Vietnamese page, whatever language the client asked for."""
    with translation.override("vi"):
        path = reverse("sales_points:detail", kwargs={"code": outlet.code})
    return request.build_absolute_uri(path)


# Views ------------------------------------------------------------------------------


class SalesPointList(generics.ListAPIView):
    """Active outlets by code, or nearest first with ?near=lat,lng (then each has
    distance_km); ?product=<id or barcode> keeps those with it free to sell."""

    serializer_class = SalesPointSerializer
    pagination_class = OpenDataPagination

    def get_queryset(self):
        params = SalesPointFilters.from_request(self.request)
        product = params.get("product")
        outlets = outlets_filter(
            outlets_public(),
            region=params.get("region"),
            level=params.get("level"),
            kind=params.get("kind"),
            open_now=params.get("open_now", False),
            product_id=product.pk if product else None,
        )
        if "near" in params:
            return OutletsByDistance(outlets, *params["near"])
        return outlets.order_by("code")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}


class SalesPointDetail(generics.RetrieveAPIView):
    serializer_class = SalesPointSerializer
    lookup_field = "code"

    def get_queryset(self):
        return outlets_public()

    def get_object(self):
        outlet = self.get_queryset().filter(code=self.kwargs["code"]).first()
        if outlet is None:
            raise SalesPointNotFound()
        return outlet


class SalesPointStock(generics.ListAPIView):
    """The certified products free to sell at one active outlet, by title."""

    serializer_class = OutletStockSerializer
    pagination_class = OpenDataPagination

    def get_queryset(self):
        outlet = SalesPoint.objects.filter(
            code=self.kwargs["code"], is_active=True
        ).first()
        if outlet is None:
            raise SalesPointNotFound()
        return outlet_stock_public(outlet)
