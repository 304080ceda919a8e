"""The only writers of stock. Each function locks the stock records it changes
(select_for_update, in primary-key order so two writers cannot deadlock), checks, writes
the StockRecord and a StockMovement in one transaction."""

from django.db import IntegrityError, transaction
from oscar.core.loading import get_model

from catalogue.selectors import product_certification_problem
from sales_points.exceptions import (
    InsufficientStock,
    InvalidQuantity,
    NotAnOutlet,
    NotCertified,
)
from sales_points.models import SalesPoint, StockMovement

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Kind = StockMovement.Kind


def _check_quantity(quantity) -> None:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
        raise InvalidQuantity(quantity)


def _locked(*, partner_id: int, product_ids: list[int]) -> dict[int, StockRecord]:
    records = (
        StockRecord.objects.select_for_update()
        .filter(partner_id=partner_id, product_id__in=product_ids)
        .order_by("pk")
    )
    return {record.product_id: record for record in records}


def _locked_or_new(*, sales_point: SalesPoint, product) -> StockRecord:
    record = _locked(partner_id=sales_point.partner_id, product_ids=[product.pk]).get(
        product.pk
    )
    if record is not None:
        return record
    try:
        with transaction.atomic():  # a concurrent first receipt may create it first
            StockRecord.objects.create(
                partner_id=sales_point.partner_id, product=product,
                partner_sku=f"{sales_point.code}-{product.pk}", price_currency="VND",
                price=_reference_price(product), num_in_stock=0, num_allocated=0,
            )  # fmt: skip
    except IntegrityError:
        pass
    return _locked(partner_id=sales_point.partner_id, product_ids=[product.pk])[
        product.pk
    ]


def _reference_price(product):
    """A new outlet sells at the price the product already has elsewhere."""
    other = StockRecord.objects.filter(product=product).exclude(price=None).first()
    return other.price if other else None


def _move(
    record: StockRecord, *, kind: str, delta: int = 0, allocated_delta: int = 0,
    user=None, reason: str = "", reference: str = "", sales_point_id: int | None = None,
) -> StockMovement:  # fmt: skip
    record.num_in_stock = (record.num_in_stock or 0) + delta
    record.num_allocated = (record.num_allocated or 0) + allocated_delta
    record.save(update_fields=["num_in_stock", "num_allocated", "date_updated"])
    return StockMovement.objects.create(
        sales_point_id=sales_point_id or record.partner.sales_point.pk,
        product_id=record.product_id, stockrecord=record, kind=kind, delta=delta,
        allocated_delta=allocated_delta, balance_after=record.num_in_stock,
        allocated_after=record.num_allocated, user=user, reason=reason, reference=reference,
    )  # fmt: skip


def _free(record: StockRecord) -> int:
    return (record.num_in_stock or 0) - (record.num_allocated or 0)


@transaction.atomic
def stock_receive(
    *, sales_point: SalesPoint, product, quantity: int, user=None, reason: str = "",
    reference: str = "",
) -> StockMovement:  # fmt: skip
    """Goods arrive at an outlet. Only products certified right now may be received."""
    _check_quantity(quantity)
    problem = product_certification_problem(product)
    if problem:
        raise NotCertified(problem)
    record = _locked_or_new(sales_point=sales_point, product=product)
    return _move(
        record, kind=Kind.RECEIPT, delta=quantity, user=user, reason=reason,
        reference=reference, sales_point_id=sales_point.pk,
    )  # fmt: skip


@transaction.atomic
def stock_take(
    *, sales_point: SalesPoint, lines: dict[int, int], kind: str, user=None,
    reason: str = "", reference: str = "",
) -> list[StockMovement]:  # fmt: skip
    """Take units that are free to sell (not promised to online orders) out of stock:
    a counter sale, a write-off or a transfer out. All lines or none."""
    for quantity in lines.values():
        _check_quantity(quantity)
    records = _locked(partner_id=sales_point.partner_id, product_ids=list(lines))
    for product_id, quantity in lines.items():
        record = records.get(product_id)
        available = _free(record) if record else 0
        if available < quantity:
            raise InsufficientStock(
                product_id=product_id, available=available, wanted=quantity
            )
    return [
        _move(
            records[product_id],
            kind=kind,
            delta=-quantity,
            user=user,
            reason=reason,
            reference=reference,
            sales_point_id=sales_point.pk,
        )  # fmt: skip
        for product_id, quantity in sorted(lines.items())
    ]


@transaction.atomic
def stock_allocate(
    *, stockrecord_id: int, quantity: int, reference: str = ""
) -> StockMovement:
    """Hold units for an online order; refuses more than is free to sell."""
    _check_quantity(quantity)
    record = _locked_by_pk(stockrecord_id)
    if _free(record) < quantity:
        raise InsufficientStock(
            product_id=record.product_id, available=_free(record), wanted=quantity
        )
    return _move(
        record,
        kind=Kind.ONLINE_ALLOCATION,
        allocated_delta=quantity,
        reference=reference,
    )


@transaction.atomic
def stock_consume_allocation(
    *, stockrecord_id: int, quantity: int, reference: str = "", user=None
) -> StockMovement:
    """An online order is handed over or dispatched: the held units leave the outlet."""
    _check_quantity(quantity)
    record = _locked_by_pk(stockrecord_id)
    if (record.num_allocated or 0) < quantity:
        raise InsufficientStock(
            product_id=record.product_id,
            available=record.num_allocated or 0,
            wanted=quantity,
        )
    return _move(
        record, kind=Kind.ONLINE_HANDOVER, delta=-quantity, allocated_delta=-quantity,
        reference=reference, user=user,
    )  # fmt: skip


@transaction.atomic
def stock_cancel_allocation(
    *, stockrecord_id: int, quantity: int, reference: str = "", user=None
) -> StockMovement:
    """Release units held for an order (never more than are held)."""
    _check_quantity(quantity)
    record = _locked_by_pk(stockrecord_id)
    released = min(quantity, record.num_allocated or 0)
    return _move(
        record, kind=Kind.ALLOCATION_CANCEL, allocated_delta=-released, reference=reference,
        user=user,
    )  # fmt: skip


@transaction.atomic
def stock_count(
    *, sales_point: SalesPoint, counted: dict[int, int], user=None, reason: str = ""
) -> list[StockMovement]:
    """Record a stock count: each difference becomes a count adjustment. A count may
    not go below what is held for online orders."""
    for quantity in counted.values():
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
            raise InvalidQuantity(quantity)
    records = _locked(partner_id=sales_point.partner_id, product_ids=list(counted))
    movements = []
    for product_id, quantity in sorted(counted.items()):
        record = records.get(product_id)
        if record is None:
            if quantity == 0:
                continue
            product = Product.objects.get(pk=product_id)
            problem = product_certification_problem(product)
            if problem:
                raise NotCertified(problem)
            record = _locked_or_new(sales_point=sales_point, product=product)
        if quantity < (record.num_allocated or 0):
            raise InsufficientStock(
                product_id=product_id, available=quantity, wanted=record.num_allocated
            )
        if quantity != record.num_in_stock:
            movements.append(
                _move(
                    record,
                    kind=Kind.COUNT_ADJUSTMENT,
                    delta=quantity - record.num_in_stock,
                    user=user,
                    reason=reason,
                    sales_point_id=sales_point.pk,
                )  # fmt: skip
            )
    return movements


def _locked_by_pk(stockrecord_id: int) -> StockRecord:
    record = (
        StockRecord.objects.select_for_update(of=("self",))  # lock the record only
        .select_related("partner__sales_point")
        .get(pk=stockrecord_id)
    )
    if not hasattr(record.partner, "sales_point"):
        raise NotAnOutlet(record.partner_id)
    return record


@transaction.atomic
def sales_point_create(
    *, code: str, name_vi: str, name_en: str, level: str, kind: str, region, address: str,
    latitude, longitude, partner=None, **details,
) -> SalesPoint:  # fmt: skip
    """Open an outlet; it gets (or takes over) the Oscar partner that holds its stock."""
    Partner = get_model("partner", "Partner")
    if partner is None:
        partner = Partner.objects.create(code=code, name=name_vi)
    sales_point = SalesPoint(
        code=code, partner=partner, name_vi=name_vi, name_en=name_en, level=level,
        kind=kind, region=region, address=address, latitude=latitude,
        longitude=longitude, **details,
    )  # fmt: skip
    sales_point.full_clean()
    sales_point.save()
    return sales_point
