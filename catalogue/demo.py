"""Demo catalogue: a few Thai Nguyen OCOP products (the full certified catalogue arrives
with the catalogue issue). Deterministic and safe to re-run."""

import io
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model
from PIL import Image, ImageDraw

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

# (upc, title, category breadcrumb, price in VND, colour)
DEMO_PRODUCTS = [
    (
        "TN-TEA-0001",
        "Trà Tân Cương đinh thượng hạng",
        "Đồ uống > Chè",
        1_250_000,
        "#3c7a3e",
    ),
    ("TN-TEA-0002", "Chè búp Tân Cương", "Đồ uống > Chè", 350_000, "#4f8f3a"),
    ("TN-TEA-0003", "Trà móc câu La Bằng", "Đồ uống > Chè", 420_000, "#2e6b30"),
    ("TN-TEA-0004", "Trà tôm nõn Trại Cài", "Đồ uống > Chè", 680_000, "#5a7d2a"),
    ("TN-FOOD-0001", "Miến dong Việt Cường", "Thực phẩm > Miến", 90_000, "#b08d57"),
    ("TN-FOOD-0002", "Mật ong rừng Võ Nhai", "Thực phẩm > Mật ong", 300_000, "#d49a1f"),
    ("TN-HERB-0001", "Tinh bột nghệ Bắc Kạn", "Dược liệu > Nghệ", 260_000, "#e0a100"),
    (
        "TN-CRAFT-0001",
        "Giỏ mây tre đan Phú Bình",
        "Thủ công mỹ nghệ > Mây tre",
        180_000,
        "#8a6a43",
    ),
]


def draw_product_image(title: str, colour: str, rng: random.Random) -> bytes:
    """A simple square label image drawn locally (no downloads)."""
    image = Image.new("RGB", (600, 600), colour)
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y, r = rng.randint(0, 600), rng.randint(0, 600), rng.randint(40, 160)
        draw.ellipse((x - r, y - r, x + r, y + r), outline="#ffffff", width=3)
    draw.rectangle((40, 420, 560, 560), fill="#ffffff")
    draw.text((60, 440), "OCOP", fill=colour)
    draw.text((60, 480), title, fill="#1f2a1f")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@transaction.atomic
def seed(*, seed: int, scale: str = "demo") -> int:
    rng = random.Random(seed)
    product_class, _ = ProductClass.objects.get_or_create(
        slug="ocop-product",
        defaults={"name": "OCOP product", "requires_shipping": True},
    )
    partner, _ = Partner.objects.get_or_create(
        code="ocop-online", defaults={"name": "OCOP Market"}
    )
    for upc, title, breadcrumb, price, colour in DEMO_PRODUCTS:
        product, created = Product.objects.get_or_create(
            upc=upc,
            defaults={
                "title": title,
                "product_class": product_class,
                "structure": "standalone",
            },
        )
        category = create_from_breadcrumbs(breadcrumb)
        ProductCategory.objects.get_or_create(product=product, category=category)
        StockRecord.objects.update_or_create(
            product=product,
            partner=partner,
            defaults={
                "partner_sku": upc,
                "price_currency": "VND",
                "price": Decimal(price),
                "num_in_stock": rng.randint(20, 200),
            },
        )
        if created or not product.images.exists():
            image = ProductImage(product=product, display_order=0, caption=title)
            image.original.save(
                f"{upc.lower()}.png",
                ContentFile(draw_product_image(title, colour, rng)),
                save=True,
            )
    return len(DEMO_PRODUCTS)
