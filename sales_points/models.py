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
    is_active = models.BooleanField(_("active"), default=True)
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sales point")
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
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
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
