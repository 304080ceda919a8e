"""Building the content tree in tests: pages added under the home pages, published,
and translated into English the way editors do (copy_for_translation)."""

import datetime as dt
import json
import uuid

from django.utils import timezone
from wagtail.models import Locale, Page

from cms.models import (
    CampaignIndexPage,
    CampaignPage,
    EventIndexPage,
    EventPage,
    FormField,
    FormPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ProducerIndexPage,
    ProducerPage,
    StoryIndexPage,
    TourismStoryPage,
)
from sales_points import services as stock
from sales_points.models import SalesPoint
from tests.factories import unit


def home(language: str = "vi") -> HomePage:
    return HomePage.objects.get(locale__language_code=language)


def add(parent: Page, page: Page) -> Page:
    """Add `page` under `parent` and publish it."""
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page.specific_class.objects.get(pk=page.pk)


def translate(page: Page, language: str = "en") -> Page:
    """The page's translation into `language`, published (its parent must already be
    translated, as Wagtail's translation tools require)."""
    copy = page.copy_for_translation(Locale.objects.get(language_code=language))
    copy.save_revision().publish()
    return copy.specific_class.objects.get(pk=copy.pk)


def index(cls, slug: str, title: str = "") -> Page:
    return add(home(), cls(title=title or slug.title(), slug=slug))


def stream(*blocks) -> str:
    """StreamField JSON from (type, raw value) pairs, as the editor saves it."""
    return json.dumps(
        [
            {"type": kind, "value": value, "id": str(uuid.uuid4())}
            for kind, value in blocks
        ]
    )


def story(parent: StoryIndexPage, *blocks, **fields) -> TourismStoryPage:
    fields.setdefault("title", "Con đường chè Tân Cương")
    fields.setdefault("slug", "tan-cuong-tea-trail")
    fields.setdefault("intro", "Một ngày trên đồi chè.")
    return add(parent, TourismStoryPage(body=stream(*blocks), **fields))


def products_block(*products, heading="") -> tuple:
    return (
        "products",
        {"heading": heading, "products": [product.pk for product in products]},
    )


def outlets_block(*outlets) -> tuple:
    return ("outlets", {"heading": "", "outlets": [outlet.pk for outlet in outlets]})


def producer_block(producer) -> tuple:
    return ("producer", {"producer": producer.pk, "text": ""})


def event(parent: EventIndexPage, *, starts_in_days=10, days=2, **fields) -> EventPage:
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=starts_in_days)
    fields.setdefault("title", "Lễ hội Trà Thái Nguyên")
    fields.setdefault("slug", "tea-festival")
    fields.setdefault("venue", "Quảng trường 20/8")
    return add(
        parent, EventPage(start=start, end=start + dt.timedelta(days=days), **fields)
    )


def campaign(parent: CampaignIndexPage, *, start, end, **fields) -> CampaignPage:
    return add(parent, CampaignPage(start_date=start, end_date=end, **fields))


def news(parent: NewsIndexPage, **fields) -> NewsPage:
    fields.setdefault("title", "Đợt đánh giá OCOP mới")
    fields.setdefault("slug", "new-ocop-round")
    return add(parent, NewsPage(**fields))


def producer_page(parent: ProducerIndexPage, producer, **fields) -> ProducerPage:
    fields.setdefault("title", producer.name_vi)
    fields.setdefault("slug", producer.slug)
    return add(parent, ProducerPage(producer=producer, **fields))


def form_page(parent: HomePage, **fields) -> FormPage:
    fields.setdefault("title", "Liên hệ bán buôn")
    fields.setdefault("slug", "wholesale")
    fields.setdefault("to_address", "sales@ocop.example")
    fields.setdefault("subject", "Wholesale enquiry")
    page = FormPage(**fields)
    page.form_fields = [
        FormField(label="Name", field_type="singleline", required=True),
        FormField(label="Email", field_type="email", required=True),
        FormField(label="Message", field_type="multiline", required=True),
    ]
    return add(parent, page)


def outlet(code: str = "tc-01", **kwargs) -> SalesPoint:
    return stock.sales_point_create(
        code=code, name_vi=f"Điểm bán {code}", name_en=f"Outlet {code}",
        level=SalesPoint.Level.COMMUNE, kind=SalesPoint.Kind.COMMUNE_CENTRE,
        region=unit("tan-cuong-2025"), address="Tân Cương",
        latitude="21.55", longitude="105.77", **kwargs,
    )  # fmt: skip
