"""Demo catalogue of Thai Nguyen: reproduces the article's March 2024 figures as the set
of products with a certificate in force (240: 149 three-star, 89 four-star, 2 five-star),
plus products that are visibly not for sale (expired, revoked, under re-assessment).

Deterministic for a given seed and day (certificates are dated back from today so they
are valid whenever the seed runs), and safe to re-run. `scale="national"` adds a
national-size catalogue (20,000 products, 9,000 producers) with bulk inserts."""

import datetime as dt
import io
import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from PIL import Image, ImageDraw

from catalogue import services
from catalogue.models import DISTRICT_LEVEL_ABOLISHED as REFORM
from catalogue.models import (
    STAR_BANDS,
    AdministrativeUnit,
    Certificate,
    IssuingAuthority,
    Producer,
    ProductGroup,
    add_months,
    allowed_authority_levels,
    new_trace_code,
)
from catalogue.selectors import products_certified
from shop.text import fold_vietnamese, slugify_vietnamese

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

ACTIVE_STARS = {3: 149, 4: 89, 5: 2}  # the article, March 2024
NOT_FOR_SALE = {"expired": 5, "revoked": 3, "under_reassessment": 3}
MARD_RENAMED = dt.date(
    2025, 3, 1
)  # MARD became the Ministry of Agriculture and Environment

# The nine pre-2025 district-level units and, where the demo knows them, their communes.
DISTRICTS = {
    "tp-thai-nguyen": ["tan-cuong-pre2025", "thinh-duc", "phuc-xuan", "phuc-triu",
                       "quyet-thang", "phuc-ha"],
    "tp-song-cong": ["binh-son"],
    "tp-pho-yen": [],
    "dai-tu": ["la-bang"],
    "dinh-hoa": [],
    "dong-hy": ["minh-lap"],
    "phu-luong": ["vo-tranh"],
    "phu-binh": [],
    "vo-nhai": [],
}  # fmt: skip
PLACE_NAMES = {
    "tp-thai-nguyen": "Tân Cương", "tp-song-cong": "Sông Công", "tp-pho-yen": "Phổ Yên",
    "dai-tu": "La Bằng", "dinh-hoa": "Định Hóa", "dong-hy": "Trại Cài",
    "phu-luong": "Vô Tranh", "phu-binh": "Phú Bình", "vo-nhai": "Võ Nhai",
}  # fmt: skip

# group code -> (number of active products, category breadcrumb, price range in VND, colour)
GROUP_PLAN = {
    "tea": (104, "Đồ uống > Chè", (120_000, 1_500_000), "#3c7a3e"),
    "other-drinks": (12, "Đồ uống > Đồ uống khác", (60_000, 450_000), "#7a3c5a"),
    "food-processed": (
        44,
        "Thực phẩm > Thực phẩm chế biến",
        (35_000, 320_000),
        "#b08d57",
    ),
    "food-fresh": (30, "Thực phẩm > Nông sản", (30_000, 250_000), "#6b8f2e"),
    "herbs": (22, "Dược liệu", (80_000, 600_000), "#e0a100"),
    "handicrafts": (16, "Thủ công mỹ nghệ", (90_000, 900_000), "#8a6a43"),
    "ornamental": (7, "Sinh vật cảnh", (150_000, 2_000_000), "#2e7a6b"),
    "tourism": (5, "Du lịch cộng đồng", (200_000, 1_200_000), "#2e5a8f"),
}

# (Vietnamese name, English name) stems per group; the place and producer make them unique.
STEMS = {
    "tea": [("Trà đinh", "Dinh needle tea"), ("Trà móc câu", "Moc cau hook tea"),
            ("Trà búp", "Bud tea"), ("Trà tôm nõn", "Young shoot tea"),
            ("Chè xanh", "Green tea"), ("Trà nõn tôm đặc biệt", "Special young shoot tea")],
    "other-drinks": [("Rượu ngô men lá", "Leaf-yeast corn liquor"),
                     ("Nước cốt gấc", "Gac fruit juice"),
                     ("Rượu nếp cái hoa vàng", "Glutinous rice wine")],
    "food-processed": [("Miến dong", "Dong glass noodles"), ("Bánh chưng", "Chung cake"),
                       ("Mật ong rừng", "Wild honey"), ("Giò lụa", "Pork roll"),
                       ("Bánh cook", "Cook cake"), ("Nem chua", "Fermented pork roll")],
    "food-fresh": [("Gạo bao thai", "Bao thai rice"), ("Bưởi Tân Quang", "Tan Quang pomelo"),
                   ("Na La Hiên", "La Hien custard apple"), ("Vải sớm", "Early lychee"),
                   ("Gà đồi", "Hill chicken")],
    "herbs": [("Tinh bột nghệ", "Turmeric starch"), ("Cao nghệ curcumin", "Curcumin extract"),
              ("Trà hoa vàng", "Golden camellia tea"), ("Giảo cổ lam", "Gynostemma herb")],
    "handicrafts": [("Giỏ mây tre đan", "Woven rattan basket"), ("Khăn thổ cẩm", "Brocade scarf"),
                    ("Chổi đót", "Reed broom"), ("Nón lá", "Leaf hat")],
    "ornamental": [("Lan rừng", "Wild orchid"), ("Bonsai chè cổ thụ", "Ancient tea bonsai")],
    "tourism": [("Tour đồi chè", "Tea hill tour"), ("Homestay bản làng", "Village homestay")],
}  # fmt: skip

# kind -> (share of producers, Vietnamese prefix, English suffix)
KINDS = [
    (Producer.Kind.COOPERATIVE, 0.33, "Hợp tác xã", "Cooperative"),
    (Producer.Kind.ENTERPRISE, 0.24, "Công ty TNHH", "Co., Ltd."),
    (Producer.Kind.HOUSEHOLD, 0.33, "Hộ kinh doanh", "Household Business"),
    (Producer.Kind.COOPERATIVE_GROUP, 0.10, "Tổ hợp tác", "Cooperative Group"),
]
FAMILY_NAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Dương",
]
GIVEN_NAMES = ["Văn Hùng", "Thị Lan", "Văn Bình", "Thị Hoa", "Đức Minh", "Thị Hương",
               "Văn Toàn", "Thị Mai", "Quang Huy", "Thị Thu"]  # fmt: skip


@dataclass
class PlannedProduct:
    upc: str
    group: str
    stars: int
    fate: str  # "active", "renewed", or one of NOT_FOR_SALE


def seed(*, seed: int, scale: str = "demo") -> int:
    """Build the demo catalogue; returns the number of products with a certificate in force."""
    today = timezone.localdate()
    rng = random.Random(seed)
    _seed_province(rng, today)
    if scale == "national":
        seed_national(seed=seed)
    return products_certified(day=today).count()


@transaction.atomic
def _seed_province(rng: random.Random, today: dt.date) -> None:
    units = {u.code: u for u in AdministrativeUnit.objects.all()}
    groups = {g.code: g for g in ProductGroup.objects.filter(scheme__code="148-2023")}
    authorities = {a.code: a for a in IssuingAuthority.objects.all()}
    product_class, _ = ProductClass.objects.get_or_create(
        slug="ocop-product",
        defaults={"name": "OCOP product", "requires_shipping": True},
    )
    partner, _ = Partner.objects.get_or_create(
        code="ocop-online", defaults={"name": "OCOP Market"}
    )
    producers = _seed_producers(rng, units, count=120)
    # A tea cooperative's name ends up in its products' titles ("– chè Tân Cương 28"):
    # given rice wine, it made "chè tân cương" find the wine among the teas.
    not_tea = [p for p in producers if " chè " not in f" {p.name_vi} "]

    for n, planned in enumerate(_plan(rng)):
        group_code = planned.group
        _count, breadcrumb, (low, high), colour = GROUP_PLAN[group_code]
        producer = (
            not_tea[n % len(not_tea)]
            if group_code != "tea"
            else rng.choice(
                [
                    p
                    for p in producers
                    if p.name_vi.startswith(("Hợp tác xã", "Hộ", "Công ty"))
                ]
            )
        )
        stem_vi, stem_en = rng.choice(STEMS[group_code])
        district = _district_of(producer.region)
        place = PLACE_NAMES.get(district.code, district.name_vi)
        brand = _brand(producer)
        title = (
            f"{stem_vi} {place} – {brand}"
            if place not in stem_vi
            else f"{stem_vi} – {brand}"
        )
        title_en = f"{stem_en}, {district.name_en} – {producer.name_en}"
        product, created = Product.objects.get_or_create(
            upc=planned.upc,
            defaults={
                "title": title, "title_en": title_en, "product_class": product_class,
                "structure": "standalone", "producer": producer, "group": groups[group_code],
                "origin": producer.region,
                "growing_area_code": f"TN-{district.official_code}-{n:03d}"
                if group_code == "tea" else "",
                "description": f"<p>{title}: sản phẩm OCOP của {producer.name_vi}, "
                f"{district.full_name}, Thái Nguyên.</p>",
                "description_en": f"<p>{title_en}: an OCOP product of {producer.name_en}, "
                f"{district.name_en}, Thai Nguyen.</p>",
                "net_quantity": Decimal(rng.choice([100, 200, 250, 500, 1000])),
                "net_unit": "g" if group_code in ("tea", "herbs", "food-processed") else "pc",
                "shelf_life_days": rng.choice([180, 365, 540]) if group_code != "tourism" else None,
                "storage_vi": "Nơi khô ráo, thoáng mát, tránh ánh nắng trực tiếp.",
                "storage_en": "Keep in a cool, dry place away from direct sunlight.",
            },
        )  # fmt: skip
        if not created:
            continue
        ProductCategory.objects.create(
            product=product, category=create_from_breadcrumbs(breadcrumb)
        )
        price = Decimal(rng.randrange(low, high, 10_000) if high > 100_000 else low)
        StockRecord.objects.create(
            product=product, partner=partner, partner_sku=planned.upc, price_currency="VND",
            price=price, num_in_stock=0, num_allocated=0,  # stock arrives via sales_points.demo
        )  # fmt: skip
        _certify(rng, product, planned, authorities, today)
        image = ProductImage(product=product, display_order=0, caption=title)
        image.original.save(
            f"{planned.upc.lower()}.png",
            ContentFile(draw_product_image(title, colour, rng)),
            save=True,
        )
    # Certificates dated past their expiry (the expired fates, renewed ones) get the status
    # the nightly job would give them.
    services.certificates_mark_expired(today=today)


def _plan(rng: random.Random) -> list[PlannedProduct]:
    """Which group, stars and fate each demo product gets: tea the largest share, both
    five-star products tea, and the stars matching the article exactly."""
    groups = [
        code for code, (count, *_rest) in GROUP_PLAN.items() for _ in range(count)
    ]
    stars = [5, 5] + [4] * ACTIVE_STARS[4] + [3] * ACTIVE_STARS[3]
    # Five-star and most four-star products are teas; shuffle the rest deterministically.
    rest = groups[2:]
    rng.shuffle(rest)
    planned = [
        PlannedProduct(
            f"TN-{n + 1:04d}", group, star, "renewed" if n % 40 == 7 else "active"
        )
        for n, (group, star) in enumerate(zip(groups[:2] + rest, stars, strict=True))
    ]
    for fate, count in NOT_FOR_SALE.items():
        for _ in range(count):
            planned.append(
                PlannedProduct(f"TN-X{len(planned) + 1:03d}", rng.choice(["tea", "food-processed"]),
                               rng.choice([3, 4]), fate)
            )  # fmt: skip
    return planned


def _certify(
    rng, product, planned: PlannedProduct, authorities, today: dt.date
) -> None:
    """Issue the certificates through the service, dated so the fate comes true today."""
    if planned.fate == "expired":
        signed = add_months(today, -36) - dt.timedelta(days=rng.randint(1, 200))
    elif planned.fate == "renewed":
        first = add_months(today, -36) - dt.timedelta(days=rng.randint(20, 300))
        old = _issue(rng, product, planned.stars, first, authorities, number=1)
        signed = old.expires_on - dt.timedelta(days=rng.randint(0, 30))
        _issue(rng, product, planned.stars, signed, authorities, number=2, renews=old)
        return
    else:
        signed = today - dt.timedelta(days=rng.randint(20, 1000))
    certificate = _issue(rng, product, planned.stars, signed, authorities, number=1)
    if planned.fate == "revoked":
        services.certificate_revoke(
            certificate=certificate,
            reason="Thu hồi do không đạt khi đánh giá lại chất lượng.",
        )
    elif planned.fate == "under_reassessment":
        services.certificate_start_reassessment(
            certificate=certificate, reason="Đang đánh giá, phân hạng lại."
        )


def _issue(
    rng, product, stars, signed: dt.date, authorities, *, number: int, renews=None
):
    band = STAR_BANDS[stars]
    level = next(iter(allowed_authority_levels(stars, signed)))
    district = _district_of(product.producer.region)
    if level == IssuingAuthority.Level.CENTRAL:
        authority = authorities["mard" if signed < MARD_RENAMED else "mae"]
    elif level == IssuingAuthority.Level.DISTRICT:
        authority = authorities[f"ubnd-{district.code}"]
    elif signed >= REFORM:
        authority = authorities["ubnd-thai-nguyen-2025"]
    else:
        authority = authorities["ubnd-thai-nguyen-1997"]
    return services.certificate_issue(
        product=product, stars=stars, score=rng.randint(*band),
        decision_number=f"{rng.randint(100, 4999)}/QĐ-UBND-{product.upc}-{number}",
        authority=authority, signed_on=signed, renews=renews,
    )  # fmt: skip


def _brand(producer: Producer) -> str:
    """'Hộ kinh doanh Đỗ Đức Minh' -> 'Đỗ Đức Minh': the name without its legal form."""
    for _kind, _share, prefix_vi, _suffix in KINDS:
        if producer.name_vi.startswith(prefix_vi + " "):
            return producer.name_vi[len(prefix_vi) + 1 :]
    return producer.name_vi


def _district_of(unit: AdministrativeUnit) -> AdministrativeUnit:
    return unit.parent if unit.level == AdministrativeUnit.Level.COMMUNE else unit


def _seed_producers(rng: random.Random, units, *, count: int) -> list[Producer]:
    producers = []
    district_codes = list(DISTRICTS)
    for n in range(count):
        district_code = district_codes[n % len(district_codes)]
        communes = DISTRICTS[district_code]
        region = (
            units[rng.choice(communes)]
            if communes and rng.random() < 0.7
            else units[district_code]
        )
        kind, prefix_vi, suffix_en = _kind_for(n / count)
        place = PLACE_NAMES[district_code]
        if kind == Producer.Kind.HOUSEHOLD:
            person = f"{rng.choice(FAMILY_NAMES)} {rng.choice(GIVEN_NAMES)}"
            name_vi, name_en = (
                f"{prefix_vi} {person}",
                f"{fold_vietnamese(person)} {suffix_en}",
            )
        else:
            trade = rng.choice(["chè", "nông sản", "đặc sản", "chè sạch", "dược liệu"])
            name_vi = f"{prefix_vi} {trade} {place} {n + 1}"
            name_en = fold_vietnamese(f"{place} {trade.title()} {suffix_en} {n + 1}")
        registration_number = f"46{n + 1:08d}"
        producer, _ = Producer.objects.get_or_create(
            registration_number=registration_number,
            defaults={
                "name_vi": name_vi, "name_en": name_en, "kind": kind, "region": region,
                "slug": slugify_vietnamese(f"{name_vi}-{registration_number}"),
                "address": f"{region.full_name}, {units[district_code].full_name}, Thái Nguyên",
                "phone": f"0208{rng.randint(3000000, 3999999)}",
                "email": f"ocop{n + 1}@example.vn",
                "description_vi": f"{name_vi} sản xuất đặc sản {place}.",
                "description_en": f"{name_en} makes {fold_vietnamese(place)} specialities.",
            },
        )  # fmt: skip
        producers.append(producer)
    return producers


def _kind_for(fraction: float):
    total = 0.0
    for kind, share, prefix_vi, suffix_en in KINDS:
        total += share
        if fraction < total:
            return kind, prefix_vi, suffix_en
    return KINDS[-1][0], KINDS[-1][2], KINDS[-1][3]


def draw_product_image(title: str, colour: str, rng: random.Random) -> bytes:
    """A simple label image drawn locally (no downloads)."""
    image = Image.new("RGB", (400, 400), colour)
    draw = ImageDraw.Draw(image)
    for _ in range(5):
        x, y, r = rng.randint(0, 400), rng.randint(0, 400), rng.randint(30, 110)
        draw.ellipse((x - r, y - r, x + r, y + r), outline="#ffffff", width=3)
    draw.rectangle((24, 280, 376, 376), fill="#ffffff")
    draw.text((40, 292), "OCOP", fill=colour)
    draw.text((40, 320), title[:48], fill="#1f2a1f")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def seed_national(*, seed: int, products: int = 20_000, producers: int = 9_000) -> None:
    """A national-size catalogue for benchmarks, with bulk inserts (no images)."""
    if Product.objects.filter(upc__startswith="VN-").exists():
        return
    rng = random.Random(seed + 1)
    today = timezone.localdate()
    units = list(AdministrativeUnit.objects.filter(level="commune"))
    groups = list(
        ProductGroup.objects.filter(scheme__code="148-2023", parent__isnull=False)
    )
    groups += list(
        ProductGroup.objects.filter(scheme__code="148-2023", subgroups__isnull=True)
    )
    authority = IssuingAuthority.objects.get(code="ubnd-thai-nguyen-2025")
    central = IssuingAuthority.objects.get(code="mae")
    product_class = ProductClass.objects.get(slug="ocop-product")
    partner = Partner.objects.get(code="ocop-online")

    with transaction.atomic():
        Producer.objects.bulk_create(
            [
                Producer(
                    name_vi=f"Chủ thể OCOP {n + 1}",
                    name_en=f"OCOP producer {n + 1}",
                    slug=f"vn-producer-{n + 1}",
                    kind=rng.choice(KINDS)[0],
                    registration_number=f"99{n + 1:08d}",
                    region=rng.choice(units),
                )  # fmt: skip
                for n in range(producers)
            ],
            batch_size=2000,
        )
        national_producers = list(
            Producer.objects.filter(slug__startswith="vn-producer-")
        )
        new_products = []
        for n in range(products):
            group = rng.choice(groups)
            stem_vi, stem_en = rng.choice(
                STEMS.get(group.code, STEMS["food-processed"])
            )
            producer = rng.choice(national_producers)
            title = f"{stem_vi} {producer.name_vi}"
            new_products.append(
                Product(
                    upc=f"VN-{n + 1:06d}",
                    title=title,
                    title_en=f"{stem_en}, {producer.name_en}",
                    slug=slugify_vietnamese(title)[:128],
                    product_class=product_class,
                    structure="standalone",
                    producer=producer,
                    group=group,
                    origin=producer.region,
                    trace_code=new_trace_code(),
                    description=f"<p>{title}</p>",
                )  # fmt: skip
            )
        Product.objects.bulk_create(new_products, batch_size=2000)
        created = list(
            Product.objects.filter(upc__startswith="VN-").select_related("producer")
        )
        StockRecord.objects.bulk_create(
            [
                StockRecord(
                    product=p,
                    partner=partner,
                    partner_sku=p.upc,
                    price_currency="VND",
                    price=Decimal(rng.randrange(30_000, 1_500_000, 10_000)),
                    num_in_stock=0,
                    num_allocated=0,
                )  # fmt: skip
                for p in created
            ],
            batch_size=5000,
        )
        certificates = []
        for p in created:
            stars = rng.choices([3, 4, 5], weights=[73, 23.5, 3.5])[0]
            # Provincial decisions since the reform (the issuer that exists today).
            signed = today - dt.timedelta(days=rng.randint(1, (today - REFORM).days))
            certificates.append(
                Certificate(
                    product=p,
                    producer=p.producer,
                    group=p.group,
                    stars=stars,
                    score=rng.randint(*STAR_BANDS[stars]),
                    decision_number=f"QĐ-VN-{p.upc}",
                    authority=central if stars == 5 else authority,
                    signed_on=signed,
                    expires_on=add_months(signed, 36),  # bulk_create skips save()
                )  # fmt: skip
            )
        Certificate.objects.bulk_create(certificates, batch_size=5000)
