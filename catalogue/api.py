"""The catalogue's read-only open-data API (JSON, paginated) and the CSV export of
certified products for the national OCOP database. Parameters: api_filters.py."""

import csv
import io
import itertools
from decimal import ROUND_HALF_UP, Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from rest_framework import generics, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.views import APIView

from catalogue import api_filters as filters
from catalogue.models import (
    AdministrativeUnit,
    Certificate,
    IssuingAuthority,
    Producer,
    Product,
    ProductGroup,
)
from catalogue.selectors import product_current_certificate, product_is_certified


class OpenDataPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


# Shared helpers ---------------------------------------------------------------------


def vnd(amount: Decimal | None) -> int | None:
    """VND is a zero-decimal currency; Oscar stores two decimals."""
    if amount is None:
        return None
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def product_url(request, product: Product) -> str:
    """The Vietnamese product page, whatever language the client asked for."""
    with translation.override("vi"):
        return request.build_absolute_uri(product.get_absolute_url())


def product_trace_url(request, product: Product) -> str | None:
    if not product.trace_code:
        return None
    return request.build_absolute_uri(f"/t/{product.trace_code}/")


def product_shown_certificate(product: Product) -> Certificate | None:
    """The certificate in force; for a product without one (listed with ?certified=all
    or =false, or by id) its latest certificate, whose status then says why."""
    current = product_current_certificate(product)
    if current is not None:
        return current
    history = getattr(product, filters.ALL_CERTIFICATES_ATTR, None) or [None]
    return history[0]


# Serializers ------------------------------------------------------------------------


def code_of(**kwargs) -> serializers.SlugRelatedField:
    """A related unit, group or scheme shown by its code."""
    return serializers.SlugRelatedField(slug_field="code", read_only=True, **kwargs)


class AuthoritySerializer(serializers.ModelSerializer):
    class Meta:
        model = IssuingAuthority
        fields = ["code", "name_vi", "name_en", "level"]


class ProductCertificateSerializer(serializers.ModelSerializer):
    authority = AuthoritySerializer()
    status = serializers.CharField(source="effective_status")

    class Meta:
        model = Certificate
        fields = [
            "id",
            "decision_number",
            "authority",
            "signed_on",
            "expires_on",
            "status",
        ]


class GroupSerializer(serializers.ModelSerializer):
    parent = code_of()
    scheme = code_of()

    class Meta:
        model = ProductGroup
        fields = ["code", "name_vi", "name_en", "parent", "scheme"]


class ProductProducerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Producer
        fields = ["id", "name_vi", "name_en", "kind", "registration_number"]


class OriginSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdministrativeUnit
        fields = ["code", "official_code", "name_vi", "name_en"]


class ProductSerializer(serializers.ModelSerializer):
    certified = serializers.SerializerMethodField()
    stars = serializers.IntegerField(source="shown_certificate.stars", allow_null=True)
    score = serializers.IntegerField(source="shown_certificate.score", allow_null=True)
    certificate = ProductCertificateSerializer(
        source="shown_certificate", allow_null=True
    )
    group = GroupSerializer()
    producer = ProductProducerSerializer()
    origin = OriginSerializer()
    price_vnd = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    trace_url = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id",
            "title",
            "title_en",
            "certified",
            "stars",
            "score",
            "certificate",
            "group",
            "producer",
            "origin",
            "growing_area_code",
            "price_vnd",
            "url",
            "trace_code",
            "trace_url",
        ]

    def to_representation(self, product):
        # Chosen once per product; a nested serializer built per product would cost
        # more than the rest of the row.
        product.shown_certificate = product_shown_certificate(product)
        return super().to_representation(product)

    def get_certified(self, product) -> bool:
        return product_is_certified(product)

    def get_price_vnd(self, product) -> int | None:
        return vnd(product.lowest_price)

    def get_url(self, product) -> str:
        return product_url(self.context["request"], product)

    def get_trace_url(self, product) -> str | None:
        return product_trace_url(self.context["request"], product)


class ProducerSerializer(serializers.ModelSerializer):
    region = code_of()
    certified_products = serializers.IntegerField(read_only=True)

    class Meta:
        model = Producer
        fields = [
            "id",
            "slug",
            "name_vi",
            "name_en",
            "kind",
            "registration_number",
            "region",
            "address",
            "phone",
            "email",
            "certified_products",
        ]


class CertificateProductSerializer(serializers.ModelSerializer):
    class Meta:
        model = Product
        fields = ["id", "title", "title_en"]


class CertificateSerializer(serializers.ModelSerializer):
    product = CertificateProductSerializer()
    group = code_of()
    authority = AuthoritySerializer()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "product",
            "producer",
            "group",
            "stars",
            "score",
            "decision_number",
            "authority",
            "signed_on",
            "expires_on",
            "status",
            "effective_status",
            "renews",
        ]


class RegionSerializer(serializers.ModelSerializer):
    parent = code_of()
    successors = code_of(many=True)
    predecessors = code_of(many=True)

    class Meta:
        model = AdministrativeUnit
        fields = [
            "code",
            "official_code",
            "level",
            "kind_vi",
            "kind_en",
            "name_vi",
            "name_en",
            "parent",
            "valid_from",
            "valid_to",
            "successors",
            "predecessors",
        ]


# JSON views -------------------------------------------------------------------------


class OpenDataListView(generics.ListAPIView):
    pagination_class = OpenDataPagination
    filters_class: type[filters.QueryFilters]

    def get_queryset(self):
        params = self.filters_class.from_request(self.request)
        return self.filter_for_api(params)

    def filter_for_api(self, params: dict):
        raise NotImplementedError


class ProductList(OpenDataListView):
    """Products certified today by default; ?certified=false or =all for the others."""

    serializer_class = ProductSerializer
    filters_class = filters.ProductFilters

    def filter_for_api(self, params):
        products = filters.products_for_api(params["certified"])
        return filters.products_filter(products, params)


class ProductDetail(generics.RetrieveAPIView):
    """Any public product by id, certified or not (see its `certified` field)."""

    serializer_class = ProductSerializer

    def get_queryset(self):
        return filters.products_for_api("all")


class ProducerList(OpenDataListView):
    serializer_class = ProducerSerializer
    filters_class = filters.ProducerFilters

    def filter_for_api(self, params):
        return filters.producers_filter(filters.producers_for_api(), params)


class ProducerDetail(generics.RetrieveAPIView):
    serializer_class = ProducerSerializer

    def get_queryset(self):
        return filters.producers_for_api()


class CertificateList(OpenDataListView):
    serializer_class = CertificateSerializer
    filters_class = filters.CertificateFilters

    def filter_for_api(self, params):
        return filters.certificates_filter(filters.certificates_for_api(), params)


class CertificateDetail(generics.RetrieveAPIView):
    serializer_class = CertificateSerializer

    def get_queryset(self):
        return filters.certificates_for_api()


class RegionList(OpenDataListView):
    serializer_class = RegionSerializer
    filters_class = filters.RegionFilters

    def filter_for_api(self, params):
        return filters.regions_filter(filters.regions_for_api(), params)


class RegionDetail(generics.RetrieveAPIView):
    serializer_class = RegionSerializer
    lookup_field = "code"

    def get_queryset(self):
        return filters.regions_for_api()


# CSV export -------------------------------------------------------------------------

CSV_COLUMNS = [
    "trace_code",
    "title_vi",
    "title_en",
    "group_code",
    "group_name_vi",
    "stars",
    "score",
    "decision_number",
    "authority_vi",
    "signed_on",
    "expires_on",
    "producer_name_vi",
    "producer_kind",
    "registration_number",
    "origin_code",
    "origin_official_code",
    "origin_name_vi",
    "growing_area_code",
    "price_vnd",
    "url",
]
CSV_CHUNK_SIZE = 500  # rows fetched (with their prefetches) and written per chunk


def csv_text(value: str | None) -> str:
    """Text as Excel should show it: a cell starting with = + - @ would run as a
    formula (CSV injection), so it gets a leading apostrophe."""
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def product_csv_row(request, product: Product) -> list | None:
    certificate = product_current_certificate(product)
    if certificate is None:
        return None  # revoked while the export ran: its chunk was fetched later
    group, producer, origin = product.group, product.producer, product.origin
    return [
        product.trace_code or "",
        csv_text(product.title),
        csv_text(product.title_en),
        group.code if group else "",
        group.name_vi if group else "",
        certificate.stars,
        certificate.score,
        csv_text(certificate.decision_number),
        certificate.authority.name_vi,
        certificate.signed_on.isoformat(),
        certificate.expires_on.isoformat(),
        csv_text(producer.name_vi) if producer else "",
        producer.kind if producer else "",
        csv_text(producer.registration_number) if producer else "",
        origin.code if origin else "",
        origin.official_code if origin else "",
        origin.name_vi if origin else "",
        csv_text(product.growing_area_code),
        "" if product.lowest_price is None else vnd(product.lowest_price),
        # The caller has switched to Vietnamese (see products_csv).
        request.build_absolute_uri(product.get_absolute_url()),
    ]


def products_csv(request, products):
    """The CSV in chunks of text: a UTF-8 BOM so Excel reads the Vietnamese right, the
    header, then the rows, fetched CSV_CHUNK_SIZE at a time to keep memory flat."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(CSV_COLUMNS)
    remaining = products.iterator(chunk_size=CSV_CHUNK_SIZE)
    while True:
        # Vietnamese product URLs; switched per chunk, not per row (20,000 rows), and
        # never held across a yield, where the server's code runs.
        with translation.override("vi"):
            chunk = list(itertools.islice(remaining, CSV_CHUNK_SIZE))
            rows = (product_csv_row(request, product) for product in chunk)
            writer.writerows(row for row in rows if row is not None)
        if not chunk:
            break
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()  # the header alone: no product is certified


class IgnoreClientContentNegotiation(BaseContentNegotiation):
    """The export is CSV whatever the Accept header says (errors stay JSON)."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ProductCsvExport(APIView):
    """Every product certified today (the product filters apply) as a CSV download."""

    content_negotiation_class = IgnoreClientContentNegotiation

    def get(self, request):
        params = filters.ProductFilters.from_request(request)
        products = filters.products_filter(filters.products_for_export(), params)
        response = StreamingHttpResponse(
            products_csv(request, products), content_type="text/csv; charset=utf-8"
        )
        filename = f"ocop-products-{timezone.localdate():%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
