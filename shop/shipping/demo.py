"""Demo delivery rates from Thái Nguyên, where the demo outlets are (deterministic, safe
to re-run). Provinces are found by name among the units in force, so the tables pick up
the 34 post-2025 provinces as far as the reference data has them and skip the others;
the nationwide fallback table covers every province no other table lists."""

from decimal import Decimal

from django.db import transaction

from catalogue.models import AdministrativeUnit
from shop.shipping.services import rate_table_save

HOME = ["Thái Nguyên"]
NEIGHBOURS = ["Hà Nội", "Bắc Ninh", "Tuyên Quang", "Phú Thọ", "Lạng Sơn", "Cao Bằng"]


def _bands(*pairs):
    return [(Decimal(upper), Decimal(charge)) for upper, charge in pairs]


# code, name vi, name en, description vi, description en, provinces, bands
# (up to kg, VND), free from (VND)
RATE_TABLES = [
    (
        "standard-thai-nguyen", "Giao hàng tiêu chuẩn – nội tỉnh Thái Nguyên",
        "Standard delivery – within Thái Nguyên",
        "Giao trong 1–2 ngày làm việc.", "Delivered in 1–2 working days.",
        HOME, _bands(("1", 20000), ("3", 30000), ("10", 50000)), Decimal(500000),
    ),
    (
        "express-thai-nguyen", "Giao nhanh trong ngày – nội tỉnh Thái Nguyên",
        "Same-day express – within Thái Nguyên",
        "Đặt trước 11 giờ, nhận trong ngày.", "Order before 11 am, delivered the same day.",
        HOME, _bands(("1", 35000), ("3", 50000), ("10", 80000)), None,
    ),
    (
        "standard-northern", "Giao hàng tiêu chuẩn – các tỉnh lân cận",
        "Standard delivery – neighbouring provinces",
        "Giao trong 2–3 ngày làm việc.", "Delivered in 2–3 working days.",
        NEIGHBOURS, _bands(("1", 30000), ("3", 45000), ("10", 80000)), Decimal(1000000),
    ),
    (
        "express-northern", "Giao nhanh – các tỉnh lân cận",
        "Express delivery – neighbouring provinces",
        "Giao trong 1 ngày làm việc.", "Delivered in 1 working day.",
        NEIGHBOURS, _bands(("1", 50000), ("3", 70000), ("10", 120000)), None,
    ),
    (
        "standard-nationwide", "Giao hàng tiêu chuẩn – toàn quốc",
        "Standard delivery – nationwide",
        "Giao trong 3–5 ngày làm việc.", "Delivered in 3–5 working days.",
        [], _bands(("1", 40000), ("3", 60000), ("10", 110000)), Decimal(1000000),
    ),
]  # fmt: skip


def provinces_named(names: list[str]) -> list[AdministrativeUnit]:
    """The provinces in force with these Vietnamese names (missing ones skipped)."""
    found = {
        unit.name_vi: unit
        for unit in AdministrativeUnit.objects.filter(
            level=AdministrativeUnit.Level.PROVINCE,
            valid_to__isnull=True,
            name_vi__in=names,
        ).order_by("-code")  # one unit per name; the order only makes it stable
    }
    return [found[name] for name in names if name in found]


@transaction.atomic
def shipping_seed() -> int:
    """The demo rate tables; returns how many were saved."""
    saved = 0
    for code, name, name_en, text, text_en, names, bands, free in RATE_TABLES:
        provinces = provinces_named(names)
        if names and not provinces:
            continue  # with no province it would become a nationwide fallback
        rate_table_save(
            code=code, name=name, name_en=name_en, description=text,
            description_en=text_en, provinces=provinces, bands=bands,
            free_above=free, default_weight=Decimal("0.500"),
        )  # fmt: skip
        saved += 1
    return saved
