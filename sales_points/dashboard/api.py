"""The outlet staff's read-only JSON: the outlet's stock and its ledger, for the
dashboard session (no tokens). Same gate as the pages: not an outlet worker is 403, an
outlet that is not yours is 404, checked before anything else (a POST included)."""

from rest_framework import generics, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission

from catalogue.api import vnd
from sales_points import alerts, permissions
from sales_points.dashboard import forms


class IsOutletWorker(BasePermission):
    def has_permission(self, request, view):
        return permissions.is_outlet_worker(request.user)


class StaffPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class OutletApiView(generics.ListAPIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsOutletWorker]
    pagination_class = StaffPagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticates, checks the role
        self.outlet = permissions.outlet_for(request.user, kwargs["code"])

    def records(self):
        return permissions.stockrecords_for(self.request.user).filter(
            partner__sales_point=self.outlet
        )


class StockSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    title = serializers.CharField(source="product.get_title")
    upc = serializers.CharField(source="product.upc", allow_null=True)
    num_in_stock = serializers.IntegerField()
    num_allocated = serializers.SerializerMethodField()
    free = serializers.IntegerField()
    low_stock_threshold = serializers.IntegerField(allow_null=True)
    threshold = serializers.IntegerField()
    is_low = serializers.BooleanField()
    price = serializers.SerializerMethodField()

    def get_num_allocated(self, record) -> int:
        return record.num_allocated or 0

    def get_price(self, record) -> int | None:
        return vnd(record.price)


class StockApiView(OutletApiView):
    """The outlet's stock records (`q`: name, code or barcode; `low=1`: low only)."""

    serializer_class = StockSerializer

    def get_queryset(self):
        records = alerts.stock_levels(self.records()).select_related("product")
        form = forms.StockFilterForm(self.request.query_params)
        return form.filter(records).order_by("product__title", "pk")


class MovementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    kind = serializers.CharField()
    product_id = serializers.IntegerField()
    title = serializers.CharField(source="product.get_title")
    delta = serializers.IntegerField()
    allocated_delta = serializers.IntegerField()
    balance_after = serializers.IntegerField()
    allocated_after = serializers.IntegerField()
    reference = serializers.CharField()
    reason = serializers.CharField()
    lot = serializers.CharField(source="lot.code", allow_null=True, default=None)
    user = serializers.CharField(source="user.email", allow_null=True, default=None)


class MovementApiView(OutletApiView):
    """The outlet's ledger, newest first; the movement page's filters (kind, product,
    reference, date_from, date_to)."""

    serializer_class = MovementSerializer

    def get_queryset(self):
        movements = permissions.movements_for(self.request.user).filter(
            sales_point=self.outlet
        )
        form = forms.MovementFilterForm(
            self.request.query_params, records=self.records()
        )
        return form.filter(movements).select_related("product", "user", "lot")
