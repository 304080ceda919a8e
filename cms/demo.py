"""Demo content for the Wagtail site, in Vietnamese and English.

The home pages always; then, once the demo catalogue and sales-point network exist
(seed_demo seeds them first), the sections the site menu finds by slug (stories,
events, campaigns, news, producers), an enquiry form, six tourism stories that sell
(real demo products and the outlets that stock them), three events, two campaigns, the
top producers' pages and two news items. Each page is made in Vietnamese, then
translated into English the way editors do (copy_for_translation) and published.

Deterministic for a seed (and a day: dates are counted from today, as the catalogue's
certificates are), and safe to re-run: pages are found by slug under their parent in
their locale and updated; a page is published again only when its content changed.
Publishing here bypasses the review workflow on purpose: seed data is pre-approved."""

import datetime as dt
import json
import random
import uuid
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from modelcluster.fields import ParentalKey
from oscar.core.loading import get_model
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from catalogue.models import AdministrativeUnit, Producer
from catalogue.stats import certificates_current
from cms import demo_content as content
from cms.demo_images import images_ensure
from cms.models import (
    CampaignIndexPage,
    CampaignPage,
    EventIndexPage,
    EventPage,
    FormPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    ProducerIndexPage,
    ProducerPage,
    StoryIndexPage,
    TourismStoryPage,
)
from cms.services import home_pages_ensure, site_chrome_defaults_ensure
from sales_points.models import SalesPoint
from sales_points.selectors import free_stock_q

StockRecord = get_model("partner", "StockRecord")

TITLES = {"vi": "Sản phẩm OCOP Thái Nguyên", "en": "Thai Nguyen OCOP products"}
HERO = {
    "vi": "Đặc sản Thái Nguyên đạt chuẩn OCOP, từ đồi chè Tân Cương đến tay bạn",
    "en": "Thai Nguyen's OCOP-certified specialities, from the Tan Cuong tea hills to you",
}
INTRO = {
    "vi": "<p>Mua trực tuyến hoặc nhận hàng tại hơn 150 điểm giới thiệu và bán sản phẩm OCOP.</p>",
    "en": "<p>Buy online or collect at more than 150 OCOP introduction and sales points.</p>",
}

LANGUAGES = ("vi", "en")
INDEX_TYPES = {
    "stories": StoryIndexPage,
    "events": EventIndexPage,
    "campaigns": CampaignIndexPage,
    "news": NewsIndexPage,
    "producers": ProducerIndexPage,
}
# The outlet whose presence says the sales-point demo has run.
NETWORK_MARKER = "tram-dung-nghi-hai-dang"
ONLINE_OUTLET = "ocop-online"  # a fulfilment store, not a place to send a visitor
TOP_PRODUCERS = 5
FEATURED_PRODUCTS = 6
BLOCK_IDS = uuid.UUID("6f1c2a52-2b8e-4d0c-9a57-0c0c0e0d0e11")  # namespace for block ids


def seed(*, seed: int) -> None:
    """The home pages, then the demo content if the demo catalogue is there (without
    it, e.g. in tests that build their own pages, only the home pages)."""
    home = home_pages_ensure(titles=TITLES, hero=HERO, intro=INTRO)
    if SalesPoint.objects.filter(code=NETWORK_MARKER).exists():
        content_seed(seed=seed, home=home)
        site_chrome_defaults_ensure()  # menu and footer link the sections just made


@transaction.atomic
def content_seed(*, seed: int, home: HomePage) -> None:
    today = timezone.localdate()
    catalogue = Catalogue.load(today)
    if not catalogue.products:
        return
    images = images_ensure(seed=seed)
    builder = Builder()
    with disable_reference_index_auto_update():
        _pages_seed(seed, today, home, catalogue, images, builder)
    builder.references_update()


@dataclass
class Context:
    """What every section's seed reads."""

    seed: int
    today: dt.date
    catalogue: "Catalogue"
    images: dict
    units: dict
    builder: "Builder"


def _pages_seed(seed, today, home, catalogue, images, builder) -> None:
    units = {unit.code: unit for unit in AdministrativeUnit.objects.all()}
    ctx = Context(seed, today, catalogue, images, units, builder)
    indexes = {
        slug: builder.page(
            home, cls, slug, {lang: _index_fields(spec, lang) for lang in LANGUAGES}
        )
        for (slug, cls), spec in zip(
            INDEX_TYPES.items(), content.INDEXES.values(), strict=True
        )
    }
    builder.page(home, FormPage, content.FORM["slug"], _form_fields())
    _stories_seed(ctx, indexes["stories"])
    _events_seed(ctx, indexes["events"])
    _campaigns_seed(ctx, indexes["campaigns"])
    _news_seed(ctx, indexes["news"])
    producers = catalogue.top_producers(TOP_PRODUCERS)
    for producer in producers:
        builder.page(
            indexes["producers"],
            ProducerPage,
            producer.slug,
            _producer_fields(producer, catalogue, images["producer"]),
        )
    _home_featured(builder, home, catalogue, producers)


def _stories_seed(ctx: Context, parent: StoryIndexPage) -> None:
    for slug, spec in content.STORIES.items():
        rng = random.Random(f"{ctx.seed}:story:{slug}")
        products = ctx.catalogue.pick_products(spec["products"], spec["outlets"], rng)
        outlets = ctx.catalogue.pick_outlets(products, spec["outlets"])
        producer_id = ctx.catalogue.products[products[0]].producer_id
        ctx.builder.page(
            parent,
            TourismStoryPage,
            slug,
            {
                lang: {
                    "title": spec["title"][lang],
                    "date": ctx.today - dt.timedelta(days=spec["days_ago"]),
                    "intro": spec["intro"][lang],
                    "image": ctx.images[spec["image"]],
                    "region": ctx.units.get(spec["region"]),
                    "tags": spec["tags"][lang],
                    "body": _story_body(
                        spec, lang, ctx.images, products, outlets, producer_id
                    ),
                }
                for lang in LANGUAGES
            },
        )


def _events_seed(ctx: Context, parent: EventIndexPage) -> None:
    for slug, spec in content.EVENTS.items():
        rng = random.Random(f"{ctx.seed}:event:{slug}")
        anchors = [spec.get("at_outlet", spec["products"].get("stocked_at"))]
        products = ctx.catalogue.pick_products(spec["products"], anchors, rng, count=6)
        start = timezone.make_aware(
            dt.datetime.combine(
                ctx.today + dt.timedelta(days=spec["starts_in_days"]),
                dt.time(spec["hour"]),
            )
        )
        end = timezone.make_aware(
            dt.datetime.combine(
                start.date() + dt.timedelta(days=spec["days"] - 1), dt.time(17)
            )
        )
        outlet = ctx.catalogue.outlets.get(spec.get("at_outlet", ""))
        latitude = outlet.latitude if outlet else Decimal(spec["lat"])
        longitude = outlet.longitude if outlet else Decimal(spec["lng"])
        producers = list(
            dict.fromkeys(ctx.catalogue.products[pk].producer_id for pk in products)
        )
        ctx.builder.page(
            parent,
            EventPage,
            slug,
            {
                lang: {
                    "title": spec["title"][lang],
                    "start": start,
                    "end": end,
                    "venue": spec["venue"][lang],
                    "address": spec["address"][lang],
                    "latitude": latitude,
                    "longitude": longitude,
                    "region": ctx.units.get(spec["region"]),
                    "intro": spec["intro"][lang],
                    "image": ctx.images[spec["image"]],
                    "body": Stream(f"event:{slug}:{lang}")
                    .add("text", spec["body"][lang])
                    .blocks,
                    "participating_producers": [{"producer_id": p} for p in producers],
                    "participating_products": [{"product_id": p} for p in products],
                }
                for lang in LANGUAGES
            },
        )


def _campaigns_seed(ctx: Context, parent: CampaignIndexPage) -> None:
    for slug, spec in content.CAMPAIGNS.items():
        rng = random.Random(f"{ctx.seed}:campaign:{slug}")
        products = ctx.catalogue.pick_products(spec["products"], spec["outlets"], rng)
        outlets = ctx.catalogue.pick_outlets(products, spec["outlets"])
        start, end = _campaign_dates(spec, ctx.today)
        ctx.builder.page(
            parent,
            CampaignPage,
            slug,
            {
                lang: {
                    "title": spec["title"][lang],
                    "start_date": start,
                    "end_date": end,
                    "intro": spec["intro"][lang],
                    "image": ctx.images[spec["image"]],
                    "body": Stream(f"campaign:{slug}:{lang}")
                    .add("text", spec["body"][lang])
                    .add("products", _products_value(products, spec["title"][lang]))
                    .add("outlets", _outlets_value(outlets, lang))
                    .blocks,
                }
                for lang in LANGUAGES
            },
        )


def _news_seed(ctx: Context, parent: NewsIndexPage) -> None:
    for slug, spec in content.NEWS.items():
        date = spec.get("date") or ctx.today - dt.timedelta(days=spec["days_ago"])
        outlets = [
            ctx.catalogue.outlets[code]
            for code in spec.get("outlets", [])
            if code in ctx.catalogue.outlets
        ]
        ctx.builder.page(
            parent,
            NewsPage,
            slug,
            {
                lang: {
                    "title": spec["title"][lang],
                    "date": date,
                    "intro": spec["intro"][lang],
                    "image": ctx.images[spec["image"]],
                    "body": _news_body(slug, spec, lang, outlets),
                }
                for lang in LANGUAGES
            },
        )


# --- The catalogue, read once ---------------------------------------------------------


@dataclass(frozen=True)
class ProductRow:
    pk: int
    upc: str
    title: str
    group: str
    producer_id: int
    stars: int


@dataclass
class Catalogue:
    """What the demo picks from: the certified public products (with their stars),
    the active outlets, and which outlets have units of which product free to sell."""

    products: dict[int, ProductRow]
    outlets: dict[str, SalesPoint]
    stocked_at: dict[int, set[int]]  # product pk -> partner ids with free stock

    @classmethod
    def load(cls, today: dt.date) -> "Catalogue":
        rows = (
            certificates_current(today)
            .filter(product__is_public=True, product__parent=None)
            .values_list(
                "product_id",
                "product__upc",
                "product__title",
                "product__group__code",
                "product__producer_id",
                "stars",
            )
        )
        products = {
            row[0]: ProductRow(*row) for row in rows if row[4] is not None
        }  # a product without a producer cannot have a producer block
        outlets = {
            outlet.code: outlet
            for outlet in SalesPoint.objects.filter(is_active=True).exclude(
                code=ONLINE_OUTLET
            )
        }
        partner_ids = {outlet.partner_id for outlet in outlets.values()}
        stocked_at: dict[int, set[int]] = {}
        records = StockRecord.objects.filter(
            free_stock_q(), product_id__in=list(products)
        ).values_list("product_id", "partner_id")
        for product_id, partner_id in records:
            if partner_id in partner_ids:
                stocked_at.setdefault(product_id, set()).add(partner_id)
        return cls(products=products, outlets=outlets, stocked_at=stocked_at)

    def pick_products(
        self, rule: dict, anchors: list, rng: random.Random, count: int = 4
    ) -> list[int]:
        """Up to `count` stocked products matching the rule (title words, groups, stars,
        stocked at one outlet), those the anchor outlets hold first; the rule relaxes
        step by step rather than come back empty."""
        words = [word.lower() for word in rule.get("words", [])]
        groups = rule.get("groups", [])
        min_stars = rule.get("min_stars", 3)
        stocked_outlet = self.outlets.get(rule.get("stocked_at") or "")
        anchor_partners = {
            self.outlets[code].partner_id for code in anchors if code in self.outlets
        }

        def matching(use_words: bool, use_groups: bool) -> list[ProductRow]:
            return sorted(
                (
                    row
                    for row in self.products.values()
                    if self._matches(
                        row,
                        words if use_words else [],
                        groups if use_groups else [],
                        min_stars,
                        stocked_outlet,
                    )
                ),
                key=lambda row: row.upc,
            )

        candidates = (
            matching(True, True)
            or matching(True, False)
            or matching(False, True)
            or matching(False, False)
            or sorted(
                (row for row in self.products.values() if self.stocked_at.get(row.pk)),
                key=lambda row: row.upc,
            )
        )
        preferred = [r for r in candidates if self.stocked_at[r.pk] & anchor_partners]
        others = [r for r in candidates if not self.stocked_at[r.pk] & anchor_partners]
        rng.shuffle(preferred)
        rng.shuffle(others)
        ordered = preferred + others
        if len(words) > 1:  # a mix: take each word's best in turn
            buckets = [
                [row for row in ordered if word in row.title.lower()] for word in words
            ]
            mixed = []
            while len(mixed) < len(ordered) and any(buckets):
                for bucket in buckets:
                    while bucket and bucket[0] in mixed:
                        bucket.pop(0)
                    if bucket:
                        mixed.append(bucket.pop(0))
            ordered = mixed + [row for row in ordered if row not in mixed]
        return [row.pk for row in ordered[:count]]

    def _matches(self, row, words, groups, min_stars, stocked_outlet) -> bool:
        partners = self.stocked_at.get(row.pk)
        return bool(
            partners
            and row.stars >= min_stars
            and (not words or any(word in row.title.lower() for word in words))
            and (not groups or row.group in groups)
            and (stocked_outlet is None or stocked_outlet.partner_id in partners)
        )

    def pick_outlets(self, products: list[int], anchors: list, count: int = 3) -> list:
        """Outlets with units of the products free to sell: the anchors that have some,
        then those that have the most of them."""
        holding = Counter(
            partner for pk in products for partner in self.stocked_at.get(pk, ())
        )
        first = [
            self.outlets[code]
            for code in anchors
            if code in self.outlets and holding[self.outlets[code].partner_id]
        ]
        rest = sorted(
            (
                outlet
                for outlet in self.outlets.values()
                if holding[outlet.partner_id] and outlet not in first
            ),
            key=lambda outlet: (-holding[outlet.partner_id], outlet.code),
        )
        return (first + rest)[:count]

    def top_producers(self, count: int) -> list[Producer]:
        """The producers with the most certified products (ties: oldest record)."""
        counts = Counter(row.producer_id for row in self.products.values())
        ranked = sorted(counts, key=lambda pk: (-counts[pk], pk))[:count]
        loaded = Producer.objects.select_related("region").in_bulk(ranked)
        return [loaded[pk] for pk in ranked]

    def producer_product_count(self, producer: Producer) -> int:
        return sum(
            1 for row in self.products.values() if row.producer_id == producer.pk
        )


# --- Page writing ---------------------------------------------------------------------


class Builder:
    """Creates or updates a Vietnamese page and its English translation, publishing
    each only when something changed (so a re-run adds no revisions)."""

    def __init__(self):
        self.locales = {
            code: Locale.objects.get(language_code=code) for code in LANGUAGES
        }
        self.published: list[Page] = []

    def publish(self, page: Page) -> None:
        page.save_revision().publish()
        self.published.append(page)

    def references_update(self) -> None:
        """Index what the published pages refer to (images, products, producers), once
        per page rather than on each of the several saves a publish makes."""
        for page in self.published:
            ReferenceIndex.create_or_update_for_object(Page.objects.get(pk=page.pk))

    def page(self, parent: Page, cls, slug: str, fields: dict) -> Page:
        """The Vietnamese page `slug` under `parent` (a Vietnamese page), with
        fields["vi"], and its English translation with fields["en"]. Returns the
        Vietnamese page."""
        page = cls.objects.child_of(parent).filter(slug=slug).first()
        if page is None:
            page = cls(slug=slug, locale=self.locales["vi"])
            _assign(page, fields["vi"])
            parent.add_child(instance=page)
            self.publish(page)
        elif _assign(page, fields["vi"]) or not page.live:
            self.publish(page)

        english = page.get_translation_or_none(self.locales["en"])
        created = english is None
        if created:
            english = page.copy_for_translation(self.locales["en"])
        english = english.specific
        if _assign(english, fields["en"]) or created or not english.live:
            self.publish(english)
        return page


def _assign(page: Page, fields: dict) -> bool:
    """Set the fields on the page; True if any value differs from what it had."""
    changed = False
    for name, wanted in fields.items():
        if name == "tags":
            before = sorted(tag.name for tag in page.tags.all())
            if before != sorted(wanted):
                page.tags.set(list(wanted))
                changed = True
            continue
        field = page._meta.get_field(name)
        if isinstance(field, StreamField):
            # Stream builds raw data in the form the database keeps (ListBlock items
            # with ids included), so comparing raw JSON needs no block loading.
            if _json(list(getattr(page, name).raw_data)) != _json(wanted):
                setattr(page, name, json.dumps(wanted, cls=DjangoJSONEncoder))
                changed = True
        elif isinstance(field, models.ForeignKey):
            pk = wanted.pk if wanted is not None else None
            if getattr(page, field.attname) != pk:
                setattr(page, name, wanted)
                changed = True
        elif field.one_to_many and isinstance(field.remote_field, ParentalKey):
            model = field.related_model
            keys = list(wanted[0]) if wanted else []
            before = [
                {key: getattr(row, key) for key in keys}
                for row in getattr(page, name).all()
            ]
            if before != wanted or (not wanted and getattr(page, name).exists()):
                setattr(page, name, [model(**row) for row in wanted])
                changed = True
        elif getattr(page, name) != wanted:
            setattr(page, name, wanted)
            changed = True
    return changed


def _json(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


class Stream:
    """StreamField raw data with block ids derived from the page and position, so the
    same content gives the same JSON on every run."""

    def __init__(self, key: str):
        self.key = key
        self.blocks: list[dict] = []

    def _id(self, suffix: str) -> str:
        return str(uuid.uuid5(BLOCK_IDS, f"{self.key}:{suffix}"))

    def add(self, kind: str, value) -> "Stream":
        n = len(self.blocks)
        if kind in ("products", "outlets"):  # a ListBlock: items with ids too
            value = {
                **value,
                kind: [
                    {"type": "item", "value": pk, "id": self._id(f"{n}:{i}")}
                    for i, pk in enumerate(value[kind])
                ],
            }
        self.blocks.append({"type": kind, "value": value, "id": self._id(str(n))})
        return self


# --- Page contents --------------------------------------------------------------------


def _index_fields(spec: dict, lang: str) -> dict:
    return {"title": spec["title"][lang], "intro": spec["intro"][lang]}


def _form_fields() -> dict:
    spec = content.FORM
    fields = {}
    for n, lang in enumerate(LANGUAGES):
        fields[lang] = {
            "title": spec["title"][lang],
            "intro": spec["intro"][lang],
            "thank_you_text": spec["thank_you_text"][lang],
            "subject": spec["subject"][lang],
            "to_address": spec["to_address"],
            "from_address": spec["from_address"],
            "form_fields": [
                {
                    "label": row[2 + n],
                    "field_type": row[0],
                    "required": row[1],
                    "choices": row[4 + n],
                }
                for row in spec["fields"]
            ],
        }
    return fields


def _image_value(image, alt: str, caption: str, credit: str) -> dict:
    return {"image": image.pk, "alt_text": alt, "caption": caption, "credit": credit}


def _products_value(products: list[int], heading: str) -> dict:
    return {"heading": heading, "products": products}


def _outlets_value(outlets: list, lang: str) -> dict:
    return {
        "heading": content.OUTLETS_HEADING[lang],
        "outlets": [outlet.pk for outlet in outlets],
    }


def _story_body(spec, lang, images, products, outlets, producer_id) -> list:
    first, *more = spec["body"][lang]
    place = spec["place"]
    stream = (
        Stream(f"story:{spec['image']}:{lang}")
        .add("text", first)
        .add(
            "image",
            _image_value(
                images[spec["image"]],
                spec["alt"][lang],
                spec["caption"][lang],
                content.CREDIT[lang],
            ),
        )
    )
    for paragraph in more:
        stream.add("text", paragraph)
    return (
        stream.add(
            "quote",
            {"text": spec["quote"][lang], "attribution": spec["quote_by"][lang]},
        )
        .add("products", _products_value(products, spec["products_heading"][lang]))
        .add("producer", {"producer": producer_id, "text": content.MEET_PRODUCER[lang]})
        .add(
            "place",
            {
                "label": place["label"][lang],
                "latitude": place["lat"],
                "longitude": place["lng"],
                "note": place["note"][lang],
            },
        )
        .add("outlets", _outlets_value(outlets, lang))
        .blocks
    )


def _news_body(slug: str, spec: dict, lang: str, outlets: list) -> list:
    stream = Stream(f"news:{slug}:{lang}")
    for paragraph in spec["body"][lang]:
        stream.add("text", paragraph)
    if "table" in spec:
        header, rows, caption = spec["table"][lang]
        stream.add(
            "table",
            {
                "data": [header, *rows],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_caption": caption,
            },
        )
    if "credit" in spec:
        stream.add("text", f"<p><i>{spec['credit'][lang]}</i></p>")
    if outlets:
        stream.add("outlets", _outlets_value(outlets, lang))
    return stream.blocks


def _campaign_dates(spec: dict, today: dt.date) -> tuple[dt.date, dt.date]:
    if spec.get("tet"):
        tet = next((day for day in content.TET_DAYS if day > today), None)
        if tet is not None:
            return tet - dt.timedelta(days=45), tet - dt.timedelta(days=1)
        return today + dt.timedelta(days=30), today + dt.timedelta(days=75)
    return (
        today + dt.timedelta(days=spec["starts_in_days"]),
        today + dt.timedelta(days=spec["ends_in_days"]),
    )


def _producer_fields(producer: Producer, catalogue: Catalogue, image) -> dict:
    spec = content.PRODUCER_PAGE
    count = catalogue.producer_product_count(producer)
    names = {"vi": producer.name_vi, "en": producer.name_en or producer.name_vi}
    places = {
        "vi": producer.region.name_vi if producer.region else "Thái Nguyên",
        "en": producer.region.name_en if producer.region else "Thai Nguyen",
    }
    descriptions = {
        "vi": producer.description_vi,
        "en": producer.description_en or producer.description_vi,
    }
    fields = {}
    for lang in LANGUAGES:
        name = names[lang]
        fields[lang] = {
            "title": name,
            "producer": producer,
            "intro": spec["intro"][lang].format(
                name=name, count=count, place=places[lang]
            ),
            "image": image,
            "body": Stream(f"producer:{producer.slug}:{lang}")
            .add("text", spec["body"][lang].format(description=descriptions[lang]))
            .blocks,
            "gallery": Stream(f"producer-gallery:{producer.slug}:{lang}")
            .add(
                "image",
                _image_value(
                    image,
                    spec["alt"][lang],
                    spec["caption"][lang].format(name=name),
                    content.CREDIT[lang],
                ),
            )
            .blocks,
        }
    return fields


def _home_featured(builder, home, catalogue: Catalogue, producers) -> None:
    """The home pages feature the best-rated products in stock and the top producers."""
    ranked = sorted(
        (
            row
            for row in catalogue.products.values()
            if catalogue.stocked_at.get(row.pk)
        ),
        key=lambda row: (-row.stars, row.upc),
    )[:FEATURED_PRODUCTS]
    fields = {
        "featured_products": [{"product_id": row.pk} for row in ranked],
        "featured_producers": [{"producer_id": p.pk} for p in producers],
    }
    for page in (home, home.get_translation(builder.locales["en"]).specific):
        if _assign(page, fields):
            builder.publish(page)
