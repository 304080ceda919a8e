"""Demo sales points and their stock, received through the ledger (deterministic)."""

import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from oscar.core.loading import get_model

from catalogue.models import AdministrativeUnit
from catalogue.selectors import product_is_certified
from sales_points import services
from sales_points.models import SalesPoint, StockMovement

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

ONLINE_CODE = "ocop-online"


@transaction.atomic
def seed(*, seed: int) -> int:
    """The province's online fulfilment outlet, stocked through receipts. (The commune
    and district network of the sales-point issue is built on top of this.)"""
    rng = random.Random(seed + 7)
    online = online_outlet()
    unstocked = (
        StockRecord.objects.filter(partner=online.partner)
        .exclude(
            product__upc__startswith="VN-"
        )  # national scale: receive_national_stock
        .filter(~Exists(StockMovement.objects.filter(stockrecord=OuterRef("pk"))))
        .select_related("product")
        .order_by("pk")
    )
    for record in unstocked:
        if product_is_certified(record.product):
            services.stock_receive(
                sales_point=online, product=record.product, quantity=rng.randint(5, 120),
                reason="Nhập kho ban đầu (dữ liệu mẫu)", reference="demo",
            )  # fmt: skip
    return SalesPoint.objects.count()


def online_outlet() -> SalesPoint:
    existing = SalesPoint.objects.filter(code=ONLINE_CODE).first()
    if existing:
        return existing
    partner, _ = Partner.objects.get_or_create(
        code=ONLINE_CODE, defaults={"name": "OCOP Market"}
    )
    return services.sales_point_create(
        code=ONLINE_CODE, partner=partner, name_vi="Kho bán hàng trực tuyến OCOP Thái Nguyên",
        name_en="Thai Nguyen OCOP online fulfilment store", level=SalesPoint.Level.PROVINCE,
        kind=SalesPoint.Kind.MARKET, region=AdministrativeUnit.objects.get(code="thai-nguyen-2025"),
        address="Đường Hoàng Văn Thụ, phường Phan Đình Phùng, Thái Nguyên",
        latitude=Decimal("21.592477"), longitude=Decimal("105.844000"), is_pickup_point=True,
    )  # fmt: skip


def receive_national_stock(*, seed: int) -> None:
    """National-scale stock: receipts written in bulk, ledger and records in step."""
    rng = random.Random(seed + 11)
    online = online_outlet()
    records = list(
        StockRecord.objects.filter(
            partner=online.partner, product__upc__startswith="VN-"
        )
        .filter(~Exists(StockMovement.objects.filter(stockrecord=OuterRef("pk"))))
        .only("pk", "product_id")
    )
    movements = []
    for record in records:
        record.num_in_stock = rng.randint(0, 200)
        if record.num_in_stock:
            movements.append(
                StockMovement(
                    sales_point=online,
                    product_id=record.product_id,
                    stockrecord=record,
                    kind=StockMovement.Kind.RECEIPT,
                    delta=record.num_in_stock,
                    balance_after=record.num_in_stock,
                    allocated_after=0,
                    reference="demo",
                )  # fmt: skip
            )
    with transaction.atomic():
        StockRecord.objects.bulk_update(records, ["num_in_stock"], batch_size=5000)
        StockMovement.objects.bulk_create(movements, batch_size=5000)
