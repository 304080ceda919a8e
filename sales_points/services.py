"""The only writers of stock. Each function locks the stock records it changes
(select_for_update, in primary-key order so two writers cannot deadlock), checks, writes
the StockRecord and a StockMovement in one transaction."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue.selectors import product_certification_problem
from sales_points.exceptions import (
    InsufficientStock,
    InvalidQuantity,
    LinesUnavailable,
    NotAnOutlet,
    NotCertified,
    StockChanged,
    StockError,
)
from sales_points.models import (
    CounterSale,
    CounterSaleLine,
    Lot,
    SalesPoint,
    StockMovement,
    Transfer,
    TransferLine,
)

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


def _locked_all_or_new(*, sales_point: SalesPoint, products: list) -> dict:
    """Lock the outlet's records of these products together, in primary-key order (as
    every writer does), creating the missing ones after."""
    records = _locked(
        partner_id=sales_point.partner_id, product_ids=[p.pk for p in products]
    )
    for product in products:
        if product.pk not in records:
            records[product.pk] = _locked_or_new(
                sales_point=sales_point, product=product
            )
    return records


def _reference_price(product):
    """A new outlet sells at the price the product already has elsewhere."""
    other = (
        StockRecord.objects.filter(product=product).exclude(price=None).order_by("pk")
    ).first()
    return other.price if other else None


def _move(
    record: StockRecord, *, kind: str, delta: int = 0, allocated_delta: int = 0,
    user=None, reason: str = "", reference: str = "", sales_point_id: int | None = None,
    lot=None,
) -> StockMovement:  # fmt: skip
    record.num_in_stock = (record.num_in_stock or 0) + delta
    record.num_allocated = (record.num_allocated or 0) + allocated_delta
    record.date_updated = timezone.now()
    # update(), not save(): Oscar's post_save receivers (its stock and product alerts,
    # replaced by sales_points.alerts) would run six more queries under the row lock.
    StockRecord.objects.filter(pk=record.pk).update(
        num_in_stock=record.num_in_stock, num_allocated=record.num_allocated,
        date_updated=record.date_updated,
    )  # fmt: skip
    return StockMovement.objects.create(
        sales_point_id=sales_point_id or record.partner.sales_point.pk,
        product_id=record.product_id, stockrecord=record, kind=kind, delta=delta,
        allocated_delta=allocated_delta, balance_after=record.num_in_stock,
        allocated_after=record.num_allocated, user=user, reason=str(reason),
        reference=reference, lot=lot,
    )  # fmt: skip


def _free(record: StockRecord) -> int:
    return (record.num_in_stock or 0) - (record.num_allocated or 0)


@transaction.atomic
def stock_receive(
    *, sales_point: SalesPoint, product, quantity: int, user=None, reason: str = "",
    reference: str = "", lot_code: str = "", harvested_on=None, best_before=None,
) -> StockMovement:  # fmt: skip
    """Goods arrive at an outlet. Only products certified right now may be received;
    a lot code (with harvest and best-before dates) may come with them."""
    _check_quantity(quantity)
    problem = product_certification_problem(product)
    if problem:
        raise NotCertified(problem)
    lot = _lot(sales_point, product, lot_code, harvested_on, best_before)
    record = _locked_or_new(sales_point=sales_point, product=product)
    return _move(
        record, kind=Kind.RECEIPT, delta=quantity, user=user, reason=reason,
        reference=reference, sales_point_id=sales_point.pk, lot=lot,
    )  # fmt: skip


def _lot(sales_point, product, code: str, harvested_on, best_before) -> Lot | None:
    if not code:
        if harvested_on or best_before:
            raise StockError(_("Dates belong to a lot: give the lot code too."))
        return None
    if harvested_on and best_before and best_before < harvested_on:
        raise StockError(_("Best-before cannot be earlier than the harvest date."))
    lot, created = Lot.objects.get_or_create(
        sales_point=sales_point, product=product, code=code,
        defaults={"harvested_on": harvested_on, "best_before": best_before},
    )  # fmt: skip
    if not created and (harvested_on, best_before) != (None, None):
        if (lot.harvested_on, lot.best_before) != (harvested_on, best_before):
            raise StockError(
                _("Lot %(code)s is already recorded with other dates.") % {"code": code}
            )
    return lot


@transaction.atomic
def stock_take(
    *, sales_point: SalesPoint, lines: dict[int, int], kind: str, user=None,
    reason: str = "", reference: str = "",
) -> list[StockMovement]:  # fmt: skip
    """Take units that are free to sell (not promised to online orders) out of stock:
    a counter sale, a write-off or a transfer out. All lines or none."""
    records = _locked_with_free_stock(sales_point, lines)
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


def _locked_with_free_stock(
    sales_point: SalesPoint, lines: dict[int, int]
) -> dict[int, StockRecord]:
    if not lines:
        raise StockError(_("Nothing to do: add at least one product."))
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
    return records


@transaction.atomic
def stock_write_off(
    *, sales_point: SalesPoint, product_id: int, quantity: int, reason: str, user=None
) -> StockMovement:
    """Damaged or expired goods leave the stock; the reason is required."""
    if not reason.strip():
        raise StockError(_("Say why the goods are written off (damaged, expired)."))
    return stock_take(
        sales_point=sales_point, lines={product_id: quantity}, kind=Kind.WRITE_OFF,
        user=user, reason=reason,
    )[0]  # fmt: skip


@transaction.atomic
def stock_threshold_set(
    *, sales_point: SalesPoint, product_id: int, threshold: int | None
) -> StockRecord:
    """Set (or clear, with None) the level below which the outlet calls stock low."""
    if threshold is not None and (not isinstance(threshold, int) or threshold < 0):
        raise InvalidQuantity(threshold)
    record = _locked(partner_id=sales_point.partner_id, product_ids=[product_id]).get(
        product_id
    )
    if record is None:
        raise StockError(_("This outlet has never stocked that product."))
    record.low_stock_threshold = threshold
    StockRecord.objects.filter(pk=record.pk).update(low_stock_threshold=threshold)
    return record


def _check_certified(product_ids) -> None:
    for product in Product.objects.filter(pk__in=list(product_ids)).order_by("pk"):
        problem = product_certification_problem(product)
        if problem:
            raise NotCertified(problem)


# --- Counter sales -----------------------------------------------------------------


@transaction.atomic
def counter_sale_record(
    *, sales_point: SalesPoint, lines: dict[int, int], payment: str, user=None
) -> CounterSale:
    """Sell over the counter: every line certified, priced and free to sell, or none.
    The receipt number is the outlet code and the sale's serial."""
    if payment not in CounterSale.Payment.values:
        raise StockError(_("Choose how the customer pays."))
    _check_certified(lines)  # before taking the locks: keeps them short
    records = _locked_with_free_stock(sales_point, lines)
    for product_id in sorted(lines):
        if records[product_id].price is None:
            raise StockError(
                _("Product %(id)s has no price at this outlet.") % {"id": product_id}
            )
    sale = CounterSale.objects.create(
        sales_point=sales_point, payment=payment, user=user,
        total=sum(records[pid].price * qty for pid, qty in lines.items()),
    )  # fmt: skip
    sale.receipt_number = f"{sales_point.code.upper()}-{sale.pk:06d}"
    sale.save(update_fields=["receipt_number"])
    CounterSaleLine.objects.bulk_create(
        CounterSaleLine(
            sale=sale, product_id=pid, quantity=qty, unit_price=records[pid].price
        )
        for pid, qty in sorted(lines.items())
    )
    for product_id, quantity in sorted(lines.items()):
        _move(
            records[product_id], kind=Kind.COUNTER_SALE, delta=-quantity, user=user,
            reference=sale.receipt_number, sales_point_id=sales_point.pk,
        )  # fmt: skip
    return sale


@transaction.atomic
def counter_sale_return(
    *, sale: CounterSale, lines: dict[int, int], reason: str, user=None
) -> list[StockMovement]:
    """A customer brings goods back: never more than the receipt sold, less what has
    already come back. The units return to the outlet's stock."""
    sale = CounterSale.objects.select_for_update().get(pk=sale.pk)
    sold = {line.product_id: line for line in sale.lines.all()}
    records = _locked(partner_id=sale.sales_point.partner_id, product_ids=list(lines))
    movements = []
    for product_id, quantity in sorted(lines.items()):
        _check_quantity(quantity)
        line = sold.get(product_id)
        returnable = line.quantity - line.quantity_returned if line else 0
        if quantity > returnable:
            raise StockError(
                _("Receipt %(receipt)s allows %(n)s more of this product back.")
                % {"receipt": sale.receipt_number, "n": returnable}
            )
        line.quantity_returned += quantity
        line.save(update_fields=["quantity_returned"])
        record = records[product_id]
        movements.append(
            _move(
                record,
                kind=Kind.CUSTOMER_RETURN,
                delta=quantity,
                user=user,
                reason=reason,
                reference=sale.receipt_number,
                sales_point_id=sale.sales_point_id,
            )  # fmt: skip
        )
    return movements


# --- Transfers ---------------------------------------------------------------------


@transaction.atomic
def transfer_send(
    *, source: SalesPoint, destination: SalesPoint, lines: dict[int, int], user=None,
    note: str = "",
) -> Transfer:  # fmt: skip
    """Take units out of the source outlet; they are in transit until received. Only
    the source's records are locked, so opposite transfers cannot deadlock."""
    if source.pk == destination.pk:
        raise StockError(_("A transfer goes to another outlet."))
    if not destination.is_active:
        raise StockError(_("%(outlet)s is closed.") % {"outlet": destination.name})
    _check_certified(lines)
    records = _locked_with_free_stock(source, lines)
    transfer = Transfer.objects.create(
        source=source, destination=destination, sent_by=user, note=note
    )
    transfer.number = f"TR-{transfer.pk:06d}"
    transfer.save(update_fields=["number"])
    TransferLine.objects.bulk_create(
        TransferLine(transfer=transfer, product_id=pid, quantity_sent=qty)
        for pid, qty in sorted(lines.items())
    )
    for product_id, quantity in sorted(lines.items()):
        _move(
            records[product_id], kind=Kind.TRANSFER_OUT, delta=-quantity, user=user,
            reason=_("to %(outlet)s") % {"outlet": destination.code},
            reference=transfer.number, sales_point_id=source.pk,
        )  # fmt: skip
    return transfer


def _open_transfer(transfer: Transfer) -> Transfer:
    locked = (
        Transfer.objects.select_for_update(of=("self",))
        .select_related("source", "destination")
        .get(pk=transfer.pk)
    )
    if locked.status != Transfer.Status.IN_TRANSIT:
        raise StockError(
            _("Transfer %(number)s is already %(status)s.")
            % {"number": locked.number, "status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def transfer_receive(
    *, transfer: Transfer, received: dict[int, int], user=None
) -> Transfer:
    """The destination confirms what arrived, line by line (0 to what was sent); the
    difference stays on the line for the network to follow up."""
    transfer = _open_transfer(transfer)
    lines = {line.product_id: line for line in transfer.lines.select_related("product")}
    if set(received) != set(lines):
        raise StockError(_("Confirm a quantity for every line of the transfer."))
    for product_id, quantity in received.items():
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
            raise InvalidQuantity(quantity)
        if quantity > lines[product_id].quantity_sent:
            raise StockError(
                _("More received than sent (%(sent)s): count again.")
                % {"sent": lines[product_id].quantity_sent}
            )
    arriving = [line.product for line in lines.values() if received[line.product_id]]
    records = _locked_all_or_new(sales_point=transfer.destination, products=arriving)
    for product_id, line in sorted(lines.items()):
        line.quantity_received = received[product_id]
        line.save(update_fields=["quantity_received"])
        if line.quantity_received:
            record = records[product_id]
            _move(
                record, kind=Kind.TRANSFER_IN, delta=line.quantity_received, user=user,
                reason=_("from %(outlet)s") % {"outlet": transfer.source.code},
                reference=transfer.number, sales_point_id=transfer.destination_id,
            )  # fmt: skip
    return _close(transfer, Transfer.Status.RECEIVED, user)


@transaction.atomic
def transfer_cancel(*, transfer: Transfer, user=None) -> Transfer:
    """The sender calls back a transfer still in transit: the units return to it."""
    transfer = _open_transfer(transfer)
    lines = list(transfer.lines.select_related("product").order_by("product_id"))
    records = _locked_all_or_new(
        sales_point=transfer.source, products=[line.product for line in lines]
    )
    for line in lines:
        record = records[line.product_id]
        _move(
            record, kind=Kind.TRANSFER_IN, delta=line.quantity_sent, user=user,
            reason=_("transfer cancelled"), reference=transfer.number,
            sales_point_id=transfer.source_id,
        )  # fmt: skip
    return _close(transfer, Transfer.Status.CANCELLED, user)


def _close(transfer: Transfer, status: str, user) -> Transfer:
    transfer.status, transfer.closed_by, transfer.closed_at = (
        status,
        user,
        timezone.now(),
    )
    transfer.save(update_fields=["status", "closed_by", "closed_at"])
    return transfer


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


def _check_lines(quantities: dict[int, int]) -> None:
    if not quantities:
        raise InvalidQuantity(0)
    for quantity in quantities.values():
        _check_quantity(quantity)


def _require_all(records: dict, quantities: dict[int, int], *, available) -> None:
    """Every line has `available(record)` units for it, or LinesUnavailable names
    each line short (a missing record has none)."""
    have = {pk: available(records[pk]) if pk in records else 0 for pk in quantities}
    shortages = {
        pk: (have[pk], wanted) for pk, wanted in quantities.items() if have[pk] < wanted
    }
    if shortages:
        raise LinesUnavailable(shortages)


@transaction.atomic
def stock_allocate_lines(
    *, sales_point: SalesPoint, quantities: dict[int, int], reference: str = ""
) -> list[StockMovement]:
    """Hold every line of an online order at one outlet, or none: the records are
    locked together (primary-key order) and every shortage is reported at once."""
    _check_lines(quantities)
    records = _locked(partner_id=sales_point.partner_id, product_ids=list(quantities))
    _require_all(records, quantities, available=_free)
    return [
        _move(
            records[product_id],
            kind=Kind.ONLINE_ALLOCATION,
            allocated_delta=quantity,
            reference=reference,
            sales_point_id=sales_point.pk,
        )  # fmt: skip
        for product_id, quantity in sorted(quantities.items())
    ]


@transaction.atomic
def stock_cancel_lines(
    *, sales_point: SalesPoint, quantities: dict[int, int], reference: str = "",
    user=None,
) -> list[StockMovement]:  # fmt: skip
    """Release what an order holds at an outlet (never more than is held)."""
    _check_lines(quantities)
    records = _locked(partner_id=sales_point.partner_id, product_ids=list(quantities))
    movements = []
    for product_id, quantity in sorted(quantities.items()):
        record = records.get(product_id)
        released = min(quantity, (record.num_allocated or 0) if record else 0)
        if released:
            movements.append(
                _move(
                    record,
                    kind=Kind.ALLOCATION_CANCEL,
                    allocated_delta=-released,
                    reference=reference,
                    user=user,
                    sales_point_id=sales_point.pk,
                )  # fmt: skip
            )
    return movements


@transaction.atomic
def stock_consume_lines(
    *, sales_point: SalesPoint, quantities: dict[int, int], reference: str = "",
    user=None,
) -> list[StockMovement]:  # fmt: skip
    """An online order is handed over or dispatched: its held units leave the outlet."""
    _check_lines(quantities)
    records = _locked(partner_id=sales_point.partner_id, product_ids=list(quantities))
    _require_all(records, quantities, available=lambda r: r.num_allocated or 0)
    return [
        _move(
            records[product_id],
            kind=Kind.ONLINE_HANDOVER,
            delta=-quantity,
            allocated_delta=-quantity,
            reference=reference,
            user=user,
            sales_point_id=sales_point.pk,
        )  # fmt: skip
        for product_id, quantity in sorted(quantities.items())
    ]


@transaction.atomic
def stock_count(
    *, sales_point: SalesPoint, counted: dict[int, int], user=None, reason: str = "",
    reference: str = "", expected: dict[int, int] | None = None,
) -> list[StockMovement]:  # fmt: skip
    """Record a stock count: each difference becomes a count adjustment. A count may
    not go below what is held for online orders."""
    for quantity in counted.values():
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 0:
            raise InvalidQuantity(quantity)
    records = _locked(partner_id=sales_point.partner_id, product_ids=list(counted))
    for product_id, level in (expected or {}).items():
        record = records.get(product_id)
        if (record.num_in_stock if record else 0) != level:
            # A sale or receipt landed since the counter saw the level: the count
            # would overwrite it.
            raise StockChanged(product_id)
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
                    reference=reference,
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
