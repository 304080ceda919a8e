"""StreamField blocks of the content pages: writing (rich text, images with credits,
quotes, video, a place on a map) and selling (products, producers, outlets).

The blocks that embed catalogue records load them in bulk: Wagtail converts all the
blocks of one type in a stream with one `bulk_to_python` call, and our chooser blocks
answer it with one query (plus a fixed set of prefetches) for every record chosen
anywhere in the stream. A story with twelve product blocks costs what one costs."""

import copy

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from cms.choosers import (
    producer_chooser_viewset,
    product_chooser_viewset,
    sales_point_chooser_viewset,
)


def _in_order(values, loaded: dict) -> list:
    """The loaded objects for `values` (primary keys), in order, None where missing; a
    key chosen twice gets its own copy, as Wagtail's ChooserBlock does."""
    seen, result = set(), []
    for value in values:
        obj = loaded.get(_as_pk(value))
        if obj is not None and obj.pk in seen:
            obj = copy.copy(obj)
        if obj is not None:
            seen.add(obj.pk)
        result.append(obj)
    return result


def _as_pk(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _pks(values) -> set[int]:
    return {pk for pk in map(_as_pk, values) if pk is not None}


class ProductChooserBlock(product_chooser_viewset.get_block_class()):
    """One product, loaded with what a product card shows (price, stock, images, the
    certificates in force): one query set for every product block of the page."""

    def bulk_to_python(self, values):
        from cms.selectors import products_for_cards

        values = list(values)
        return _in_order(values, products_for_cards(_pks(values)))

    def to_python(self, value):
        return self.bulk_to_python([value])[0]

    class Meta:
        icon = "tag"


class ProducerChooserBlock(producer_chooser_viewset.get_block_class()):
    def bulk_to_python(self, values):
        from cms.selectors import producers_by_pk

        values = list(values)
        return _in_order(values, producers_by_pk(_pks(values)))

    def to_python(self, value):
        return self.bulk_to_python([value])[0]

    class Meta:
        icon = "group"


class SalesPointChooserBlock(sales_point_chooser_viewset.get_block_class()):
    """An outlet with its hours prefetched (its open-now line); closed-down outlets
    load as None and are left out."""

    def bulk_to_python(self, values):
        from cms.selectors import outlets_by_pk

        values = list(values)
        return _in_order(values, outlets_by_pk(_pks(values)))

    def to_python(self, value):
        return self.bulk_to_python([value])[0]

    class Meta:
        icon = "site"


class CaptionedImageBlock(blocks.StructBlock):
    """An image with the alternative text every reader needs, a caption and a credit."""

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=255,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=255)
    credit = blocks.CharBlock(
        label=_("credit"), required=False, max_length=255, help_text=_("Photo: …")
    )

    class Meta:
        icon = "image"
        template = "cms/blocks/captioned_image.html"
        label = _("Image")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("who said it"), required=False)

    class Meta:
        icon = "openquote"
        template = "cms/blocks/quote.html"
        label = _("Quote")


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(
        label=_("video link"),
        help_text=_(
            "A YouTube or Vimeo address, e.g. https://www.youtube.com/watch?v=…"
        ),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "media"
        template = "cms/blocks/video.html"
        label = _("Video")


class MapPlaceBlock(blocks.StructBlock):
    """A point to find on a map: the tea hill, the homestay, the fair ground."""

    label = blocks.CharBlock(label=_("place name"), max_length=200)
    latitude = blocks.DecimalBlock(
        label=_("latitude"), min_value=-90, max_value=90, decimal_places=6
    )
    longitude = blocks.DecimalBlock(
        label=_("longitude"), min_value=-180, max_value=180, decimal_places=6
    )
    note = blocks.CharBlock(label=_("how to get there"), required=False)

    class Meta:
        icon = "site"
        template = "cms/blocks/map_place.html"
        label = _("Place on a map")


class TextTableBlock(TableBlock):
    """A table typed by the editor (opening hours, a tea-trail timetable). Cells and
    caption are plain text: the text renderer only (an "html" renderer would print cell
    HTML as it is), merged cells off, and our template escapes every cell."""

    def __init__(self, **kwargs):
        kwargs["table_options"] = {
            **(kwargs.get("table_options") or {}),
            "renderer": "text",
            "mergeCells": False,
        }
        super().__init__(**kwargs)

    def is_html_renderer(self):
        return False

    class Meta:
        icon = "table"
        template = "cms/blocks/table.html"
        label = _("Table")


class ProductsBlock(blocks.StructBlock):
    """Products to buy from the story: live price, stars and availability. A product
    whose certificate is no longer in force shows no star and cannot be bought here."""

    heading = blocks.CharBlock(label=_("heading"), required=False)
    products = blocks.ListBlock(ProductChooserBlock(label=_("product")), min_num=1)

    class Meta:
        icon = "tag"
        template = "cms/blocks/products.html"
        label = _("Products")


class ProducerBlock(blocks.StructBlock):
    producer = ProducerChooserBlock(label=_("producer"))
    text = blocks.TextBlock(label=_("why meet them"), required=False)

    class Meta:
        icon = "group"
        template = "cms/blocks/producer.html"
        label = _("Producer")


class OutletsBlock(blocks.StructBlock):
    """Buy it here: chosen sales points, each with whether it is open now."""

    heading = blocks.CharBlock(label=_("heading"), required=False)
    outlets = blocks.ListBlock(
        SalesPointChooserBlock(label=_("sales point")), min_num=1
    )

    class Meta:
        icon = "site"
        template = "cms/blocks/outlets.html"
        label = _("Buy it here")


class StoryStreamBlock(blocks.StreamBlock):
    """The body of stories, campaigns, events, news and producer pages."""

    heading = blocks.CharBlock(
        label=_("Heading"), icon="title", template="cms/blocks/heading.html"
    )
    text = blocks.RichTextBlock(
        label=_("Text"),
        icon="pilcrow",
        features=["bold", "italic", "link", "ol", "ul", "h3", "h4"],
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    video = VideoBlock()
    place = MapPlaceBlock()
    table = TextTableBlock()
    products = ProductsBlock()
    producer = ProducerBlock()
    outlets = OutletsBlock()


class GalleryBlock(blocks.StreamBlock):
    image = CaptionedImageBlock()
