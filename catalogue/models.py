"""Oscar's catalogue plus the OCOP domain: administrative units with history, producers
(OCOP subjects), versioned product groups, issuing authorities and star certificates.

Customised Oscar models are declared above the star import, as Oscar's forking requires."""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct

CERTIFICATE_VALIDITY_MONTHS = 36
TRACE_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read off labels


def localized(obj, field: str) -> str:
    """The English value when English is active and filled in, else the Vietnamese one."""
    if (get_language() or "").startswith("en"):
        value = getattr(obj, f"{field}_en", "")
        if value:
            return value
    return getattr(obj, f"{field}_vi", "") or ""


class Localized:
    """A read-only attribute giving `<field>_en` or `<field>_vi` by the active language."""

    def __init__(self, field: str):
        self.field = field

    def __get__(self, obj, owner=None):
        return self if obj is None else localized(obj, self.field)


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day of the month `months` later (clamped to the month's last day)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(day)


def new_trace_code() -> str:
    return "".join(secrets.choice(TRACE_CODE_ALPHABET) for _ in range(8))


class AdministrativeUnit(models.Model):
    """A province, district or commune as it was between two dates. Units are retired
    and succeeded, never rewritten: what pointed at a unit keeps pointing at it."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("province")
        DISTRICT = "district", _("district")
        COMMUNE = "commune", _("commune or ward")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    official_code = models.CharField(_("official code"), max_length=16, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind_vi = models.CharField(
        _("kind (Vietnamese)"), max_length=32
    )  # "xã", "thành phố"
    kind_en = models.CharField(_("kind (English)"), max_length=32)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=128)
    name_en = models.CharField(_("name (English)"), max_length=128)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children"
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to (last day)"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="predecessors"
    )
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        ordering = ["level", "name_vi"]
        verbose_name = _("administrative unit")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_to_after_valid_from",
            )
        ]

    def __str__(self):
        return self.full_name

    name = Localized("name")

    kind = Localized("kind")

    @property
    def full_name(self) -> str:
        """'Thịnh Đức commune' / 'xã Thịnh Đức'."""
        if (get_language() or "").startswith("en"):
            return f"{self.name_en} {self.kind_en}".strip()
        return f"{self.kind_vi} {self.name_vi}".strip()

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class ProductGroupScheme(models.Model):
    """A version of the OCOP product-group list (1048/QĐ-TTg of 2019, 148/QĐ-TTg of 2023)."""

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=128)
    decision = models.CharField(max_length=64, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-valid_from"]

    def __str__(self):
        return self.name


class ProductGroup(models.Model):
    """An OCOP product group or subgroup of one scheme: tea is a subgroup of beverages."""

    scheme = models.ForeignKey(
        ProductGroupScheme, models.PROTECT, related_name="groups"
    )
    code = models.SlugField(max_length=64)
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="subgroups"
    )
    name_vi = models.CharField(max_length=128)
    name_en = models.CharField(max_length=128)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"], name="unique_group_code_per_scheme"
            )
        ]

    def __str__(self):
        return self.name

    name = Localized("name")

    @property
    def top(self) -> "ProductGroup":
        """The main group (one of the six) this group falls under."""
        return self.parent if self.parent_id else self


class Producer(models.Model):
    """An OCOP subject: the enterprise, cooperative, cooperative group or household
    business whose products are certified."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("enterprise")
        COOPERATIVE = "cooperative", _("cooperative")
        COOPERATIVE_GROUP = "cooperative_group", _("cooperative group")
        HOUSEHOLD = "household", _("household business")

    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    registration_number = models.CharField(
        _("business registration number"), max_length=32, unique=True
    )
    region = models.ForeignKey(
        AdministrativeUnit,
        models.PROTECT,
        related_name="producers",
        verbose_name=_("region"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    description_vi = models.TextField(_("description (Vietnamese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="producers/", blank=True)
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="producers"
    )
    date_created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("producer")

    def __str__(self):
        return self.name

    name = Localized("name")

    description = Localized("description")


class IssuingAuthority(models.Model):
    """Who signs recognition decisions: a People's Committee or a ministry. Data, not an
    enum: the levels that may issue each star changed on 1 July 2025."""

    class Level(models.TextChoices):
        CENTRAL = "central", _("central (ministry)")
        PROVINCE = "province", _("province")
        DISTRICT = "district", _("district")

    code = models.SlugField(max_length=64, unique=True)
    name_vi = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200)
    level = models.CharField(max_length=16, choices=Level.choices)
    region = models.ForeignKey(
        AdministrativeUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="authorities",
    )

    class Meta:
        ordering = ["level", "name_vi"]
        verbose_name_plural = _("issuing authorities")

    def __str__(self):
        return self.name

    name = Localized("name")


class CertificateQuerySet(models.QuerySet):
    def valid_on(self, day: dt.date | None = None):
        """Active certificates of 3 stars or more in force on `day` (today by default)."""
        day = day or timezone.localdate()
        return self.filter(
            status=Certificate.Status.ACTIVE,
            stars__gte=3,
            signed_on__lte=day,
            expires_on__gt=day,
        )


class Certificate(models.Model):
    """An OCOP recognition decision for one product. Renewal (re-recognition) makes a new
    certificate that points at the one it renews; history is never overwritten."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        EXPIRED = "expired", _("expired")
        UNDER_REASSESSMENT = "under_reassessment", _("under re-assessment")
        REVOKED = "revoked", _("revoked")

    class Stars(models.IntegerChoices):
        THREE = 3, _("3 stars")
        FOUR = 4, _("4 stars")
        FIVE = 5, _("5 stars")

    product = models.ForeignKey(
        "catalogue.Product", models.PROTECT, related_name="certificates"
    )
    producer = models.ForeignKey(Producer, models.PROTECT, related_name="certificates")
    group = models.ForeignKey(ProductGroup, models.PROTECT, related_name="certificates")
    stars = models.PositiveSmallIntegerField(_("stars"), choices=Stars.choices)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    decision_number = models.CharField(_("decision number"), max_length=64)
    authority = models.ForeignKey(
        IssuingAuthority,
        models.PROTECT,
        related_name="certificates",
        verbose_name=_("issuer"),
    )
    signed_on = models.DateField(_("signed on"))
    # signed_on + 36 months, set by the model: the first day the certificate is no longer valid.
    expires_on = models.DateField(_("expires on"), editable=False)
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.ACTIVE
    )
    evidence = models.FileField(
        _("evidence document"), upload_to="certificates/", blank=True
    )
    renews = models.OneToOneField(
        "self", models.PROTECT, null=True, blank=True, related_name="renewal"
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    date_created = models.DateTimeField(auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("OCOP certificate")
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=3, stars__lte=5), name="certificate_stars_3_to_5"
            ),
            models.CheckConstraint(
                condition=(
                    Q(stars=3, score__gte=50, score__lte=69)
                    | Q(stars=4, score__gte=70, score__lte=89)
                    | Q(stars=5, score__gte=90, score__lte=100)
                ),
                name="certificate_score_in_star_band",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__gt=models.F("signed_on")),
                name="certificate_expires_after_signing",
            ),
        ]

    def __str__(self):
        return f"{self.decision_number} ({self.stars}★)"

    def save(self, *args, **kwargs):
        self.expires_on = self.computed_expiry()
        super().save(*args, **kwargs)

    def computed_expiry(self) -> dt.date:
        return add_months(self.signed_on, CERTIFICATE_VALIDITY_MONTHS)

    def clean(self):
        errors = certificate_rule_errors(self)
        if errors:
            raise ValidationError(errors)

    def is_valid_on(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return (
            self.status == self.Status.ACTIVE
            and self.stars >= 3
            and self.signed_on <= day < self.expires_on
        )

    @property
    def effective_status(self) -> str:
        """The status as of today: an active certificate past its expiry is expired even
        before the nightly job has marked it."""
        if (
            self.status == self.Status.ACTIVE
            and timezone.localdate() >= self.expires_on
        ):
            return self.Status.EXPIRED
        return self.status

    def get_effective_status_display(self) -> str:
        return self.Status(self.effective_status).label


STAR_BANDS = {3: (50, 69), 4: (70, 89), 5: (90, 100)}
DISTRICT_LEVEL_ABOLISHED = dt.date(2025, 7, 1)


def allowed_authority_levels(stars: int, signed_on: dt.date) -> set[str]:
    """148/QĐ-TTg: 5★ central only; 4★ province; 3★ district until 30 June 2025, then
    province (the district level was abolished)."""
    Level = IssuingAuthority.Level
    if stars == 5:
        return {Level.CENTRAL}
    if stars == 4:
        return {Level.PROVINCE}
    return (
        {Level.DISTRICT} if signed_on < DISTRICT_LEVEL_ABOLISHED else {Level.PROVINCE}
    )


def certificate_rule_errors(cert: "Certificate") -> dict[str, list[str]]:
    """The OCOP rules a certificate must meet, as field errors (empty when it does)."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if cert.stars not in STAR_BANDS:
        add("stars", _("Only 3, 4 or 5 stars are certified."))
    elif cert.score is not None:
        low, high = STAR_BANDS[cert.stars]
        if not low <= cert.score <= high:
            add(
                "score",
                _(
                    "A %(stars)s-star product scores %(low)s to %(high)s; %(score)s is outside."
                )
                % {"stars": cert.stars, "low": low, "high": high, "score": cert.score},
            )
    if cert.signed_on:
        if cert.signed_on > timezone.localdate():
            add("signed_on", _("The decision cannot be signed in the future."))
        if cert.expires_on and cert.expires_on != cert.computed_expiry():
            add(
                "expires_on",
                _("The expiry is not typed: it is the signing date plus 36 months."),
            )
        if cert.authority_id and cert.stars in STAR_BANDS:
            authority = cert.authority
            allowed = allowed_authority_levels(cert.stars, cert.signed_on)
            if authority.level not in allowed:
                add(
                    "authority",
                    _(
                        "A %(stars)s-star certificate signed on %(date)s is issued at %(levels)s "
                        "level, not by %(authority)s."
                    )
                    % {
                        "stars": cert.stars,
                        "date": cert.signed_on.isoformat(),
                        "levels": ", ".join(
                            str(IssuingAuthority.Level(level).label)
                            for level in sorted(allowed)
                        ),
                        "authority": authority.name,
                    },
                )
            if authority.region_id and not authority.region.is_valid_on(cert.signed_on):
                add(
                    "authority",
                    _("%(region)s did not exist as such on %(date)s.")
                    % {
                        "region": authority.region.full_name,
                        "date": cert.signed_on.isoformat(),
                    },
                )
    if cert.product_id:
        product = cert.product
        if product.producer_id is None:
            add("product", _("The product has no producer: set its producer first."))
        elif cert.producer_id and cert.producer_id != product.producer_id:
            add("producer", _("This product belongs to another producer."))
        if cert.renews_id and cert.renews.product_id != cert.product_id:
            add("renews", _("A renewal must be for the same product."))
    return errors


class CertificateReminder(models.Model):
    """A renewal reminder sent: one per certificate and lead time, so re-runs send none."""

    certificate = models.ForeignKey(
        Certificate, models.CASCADE, related_name="reminders"
    )
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before"], name="one_reminder_per_lead_time"
            )
        ]

    def __str__(self):
        return f"{self.certificate} – {self.days_before} days"


class Product(AbstractProduct):
    """Oscar's product with the OCOP product data."""

    class NetUnit(models.TextChoices):
        GRAM = "g", "g"
        KILOGRAM = "kg", "kg"
        MILLILITRE = "ml", "ml"
        LITRE = "l", "l"
        PIECE = "pc", _("pieces")

    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    producer = models.ForeignKey(
        Producer, models.PROTECT, null=True, blank=True, related_name="products"
    )
    group = models.ForeignKey(
        ProductGroup, models.PROTECT, null=True, blank=True, related_name="products"
    )
    origin = models.ForeignKey(
        AdministrativeUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
    )
    growing_area_code = models.CharField(
        _("growing-area code"), max_length=64, blank=True
    )
    net_quantity = models.DecimalField(
        _("net quantity"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    net_unit = models.CharField(
        _("unit"), max_length=4, choices=NetUnit.choices, blank=True
    )
    ingredients_vi = models.TextField(_("ingredients (Vietnamese)"), blank=True)
    ingredients_en = models.TextField(_("ingredients (English)"), blank=True)
    storage_vi = models.TextField(_("storage (Vietnamese)"), blank=True)
    storage_en = models.TextField(_("storage (English)"), blank=True)
    shelf_life_days = models.PositiveIntegerField(
        _("shelf life (days)"), null=True, blank=True
    )
    trace_code = models.CharField(
        _("traceability code"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )

    def save(self, *args, **kwargs):
        if not self.trace_code:
            self.trace_code = new_trace_code()
        super().save(*args, **kwargs)

    def get_title(self):
        if (get_language() or "").startswith("en") and self.title_en:
            return self.title_en
        return super().get_title()

    get_title.short_description = _("Title")

    @property
    def localized_description(self) -> str:
        if (get_language() or "").startswith("en") and self.description_en:
            return self.description_en
        return self.description

    ingredients = Localized("ingredients")

    storage = Localized("storage")


from oscar.apps.catalogue.models import *  # noqa: E402, F403  (must stay last)
