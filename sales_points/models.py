"""Sales points (OCOP introduction-and-sales outlets) and the stock ledger.

Each outlet is an Oscar Partner; its stock of a product is Oscar's StockRecord for
(product, partner). Every change goes through sales_points.services, which writes a
StockMovement in the same transaction: num_in_stock always equals the sum of the
outlet's movement deltas for that product."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from catalogue.models import Localized


class SalesPoint(models.Model):
    class Level(models.TextChoices):
        COMMUNE = "commune", _("commune level")
        DISTRICT = (
            "district",
            _("district level"),
        )  # outlets opened before the 2025 reform
        PROVINCE = "province", _("province level")
        SPECIAL = "special", _("special")

    class Kind(models.TextChoices):
        """Where an OCOP point may be (Decision 950/QĐ-BCT, 2023), plus other."""

        TRANSPORT_HUB = "transport_hub", _("station, airport, bus station or port")
        REST_STOP = "rest_stop", _("expressway or highway rest stop")
        MARKET = "market", _("trade centre, supermarket or market")
        TOURISM = "tourism", _("tourist site, restaurant or hotel")
        CRAFT_VILLAGE = "craft_village", _("craft village")
        COMMUNE_CENTRE = (
            "commune_centre",
            _("commune trade-service centre or industrial zone"),
        )
        FAIR_CENTRE = "fair_centre", _("fair and exhibition centre")
        POST_OFFICE = "post_office", _("post office or commune cultural post office")
        OTHER = "other", _("other")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    partner = models.OneToOneField(
        "partner.Partner", models.PROTECT, related_name="sales_point"
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    region = models.ForeignKey(
        "catalogue.AdministrativeUnit", models.PROTECT, related_name="sales_points"
    )
    address = models.CharField(_("address"), max_length=255)
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    is_pickup_point = models.BooleanField(_("pickup point"), default=True)
    # Home-delivery orders to the outlet's province are packed here first (the rule is
    # in shop.order.services.fulfilment_outlet_choose).
    fulfils_online_orders = models.BooleanField(
        _("fulfils online orders"), default=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sales point")
        permissions = [("manage_network", "Can see and change every outlet's stock")]
        indexes = [models.Index(fields=["latitude", "longitude"])]  # nearest outlets
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="sales_point_coordinates_on_earth",
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    name = Localized("name")


class OpeningHours(models.Model):
    """A weekly opening period (several per day are allowed: lunch breaks)."""

    sales_point = models.ForeignKey(SalesPoint, models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=[(i, str(i)) for i in range(7)])
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")), name="hours_close_after_open"
            )
        ]

    def __str__(self):
        return f"{self.weekday} {self.opens}-{self.closes}"


class HoursException(models.Model):
    """A dated exception to the weekly hours: a holiday closure or Tết hours."""

    sales_point = models.ForeignKey(
        SalesPoint, models.CASCADE, related_name="exceptions"
    )
    date = models.DateField()
    closed = models.BooleanField(default=True)
    opens = models.TimeField(null=True, blank=True)
    closes = models.TimeField(null=True, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["sales_point", "date"], name="one_exception_a_day"
            )
        ]

    def __str__(self):
        return f"{self.sales_point_id} {self.date}"


class StockMovement(models.Model):
    """One line of the stock ledger. `delta` changes num_in_stock, `allocated_delta`
    changes num_allocated; balances are after the movement."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("receipt")
        COUNTER_SALE = "counter_sale", _("counter sale")
        ONLINE_ALLOCATION = "online_allocation", _("online order allocation")
        ONLINE_HANDOVER = "online_handover", _("online order hand-over or dispatch")
        ALLOCATION_CANCEL = "allocation_cancel", _("allocation cancelled")
        TRANSFER_OUT = "transfer_out", _("transfer out")
        TRANSFER_IN = "transfer_in", _("transfer in")
        COUNT_ADJUSTMENT = "count_adjustment", _("count adjustment")
        WRITE_OFF = "write_off", _("write-off")
        CUSTOMER_RETURN = "customer_return", _("customer return")

    sales_point = models.ForeignKey(
        SalesPoint, models.PROTECT, related_name="movements"
    )
    product = models.ForeignKey(
        "catalogue.Product", models.PROTECT, related_name="movements"
    )
    stockrecord = models.ForeignKey(
        "partner.StockRecord", models.PROTECT, related_name="movements"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    delta = models.IntegerField(default=0)
    allocated_delta = models.IntegerField(default=0)
    balance_after = models.IntegerField()
    allocated_after = models.IntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(max_length=255, blank=True)
    reference = models.CharField(max_length=64, blank=True, db_index=True)
    lot = models.ForeignKey(
        "Lot", models.PROTECT, null=True, blank=True, related_name="movements"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["sales_point", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="ledger_never_negative"
            ),
            models.CheckConstraint(
                condition=Q(
                    allocated_after__gte=0, allocated_after__lte=F("balance_after")
                ),
                name="ledger_allocated_within_stock",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.delta:+d} ({self.sales_point_id}/{self.product_id})"


class Lot(models.Model):
    """A batch received at an outlet: where it came from and until when it keeps."""

    sales_point = models.ForeignKey(SalesPoint, models.PROTECT, related_name="lots")
    product = models.ForeignKey("catalogue.Product", models.PROTECT, related_name="+")
    code = models.CharField(_("lot"), max_length=64)
    harvested_on = models.DateField(_("harvest date"), null=True, blank=True)
    best_before = models.DateField(_("best before"), null=True, blank=True)

    class Meta:
        ordering = ["best_before", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["sales_point", "product", "code"], name="one_lot_per_code"
            ),
            models.CheckConstraint(
                condition=Q(harvested_on__isnull=True)
                | Q(best_before__isnull=True)
                | Q(best_before__gte=F("harvested_on")),
                name="lot_keeps_after_harvest",
            ),
        ]

    def __str__(self):
        return self.code


class Transfer(models.Model):
    """Goods sent from one outlet to another: out of the source's stock when sent, in
    transit until the destination confirms what arrived."""

    class Status(models.TextChoices):
        IN_TRANSIT = "in_transit", _("in transit")
        RECEIVED = "received", _("received")
        CANCELLED = "cancelled", _("cancelled")

    number = models.CharField(_("number"), max_length=32, unique=True, blank=True)
    source = models.ForeignKey(SalesPoint, models.PROTECT, related_name="transfers_out")
    destination = models.ForeignKey(
        SalesPoint, models.PROTECT, related_name="transfers_in"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.IN_TRANSIT
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(auto_now_add=True, db_index=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("transfer")
        constraints = [
            models.CheckConstraint(
                condition=~Q(source=F("destination")),
                name="transfer_between_two_outlets",
            )
        ]

    def __str__(self):
        return self.number

    @property
    def has_difference(self) -> bool:
        return any(line.difference for line in self.lines.all())


class TransferLine(models.Model):
    transfer = models.ForeignKey(Transfer, models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalogue.Product", models.PROTECT, related_name="+")
    quantity_sent = models.PositiveIntegerField(_("sent"))
    quantity_received = models.PositiveIntegerField(
        _("received"), null=True, blank=True
    )

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["transfer", "product"], name="one_transfer_line_per_product"
            ),
            models.CheckConstraint(
                condition=Q(quantity_sent__gt=0), name="transfer_sends_something"
            ),
            models.CheckConstraint(
                condition=Q(quantity_received__isnull=True)
                | Q(quantity_received__lte=F("quantity_sent")),
                name="transfer_receives_at_most_what_was_sent",
            ),
        ]

    def __str__(self):
        return f"{self.quantity_sent} × {self.product_id}"

    @property
    def difference(self) -> int:
        """Units sent but not received (lost or damaged in transit)."""
        if self.quantity_received is None:
            return 0
        return self.quantity_sent - self.quantity_received


class CounterSale(models.Model):
    """A sale over the counter at an outlet; its number is printed on the receipt."""

    class Payment(models.TextChoices):
        CASH = "cash", _("cash")
        BANK_TRANSFER = "bank_transfer", _("bank transfer / QR")
        CARD = "card", _("card")

    receipt_number = models.CharField(
        _("receipt number"), max_length=40, unique=True, blank=True
    )
    sales_point = models.ForeignKey(
        SalesPoint, models.PROTECT, related_name="counter_sales"
    )
    payment = models.CharField(_("payment"), max_length=16, choices=Payment.choices)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("counter sale")

    def __str__(self):
        return self.receipt_number


class CounterSaleLine(models.Model):
    sale = models.ForeignKey(CounterSale, models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalogue.Product", models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    quantity_returned = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sale", "product"], name="one_sale_line_per_product"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="sale_line_sells_something"
            ),
            models.CheckConstraint(
                condition=Q(quantity_returned__lte=F("quantity")),
                name="returns_at_most_what_was_sold",
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.product_id}"

    @property
    def line_total(self):
        return self.unit_price * self.quantity


class BackInStockRequest(models.Model):
    """A buyer asks to be told when a product is free to sell again at an outlet."""

    product = models.ForeignKey("catalogue.Product", models.CASCADE, related_name="+")
    sales_point = models.ForeignKey(
        SalesPoint, models.CASCADE, related_name="back_in_stock_requests"
    )
    email = models.EmailField(_("email"))
    language = models.CharField(max_length=8, default="vi")
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "sales_point", "email"],
                condition=Q(notified_at__isnull=True),
                name="one_open_request_per_buyer",
            )
        ]

    def __str__(self):
        return f"{self.email} {self.product_id}@{self.sales_point_id}"
