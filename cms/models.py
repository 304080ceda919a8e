"""The province's content pages. Every page type is translatable (Wagtail pages carry a
locale and a translation key): the English tree is a translation of the Vietnamese one.

Tree: HomePage > StoryIndexPage > TourismStoryPage, EventIndexPage > EventPage,
CampaignIndexPage > CampaignPage, NewsIndexPage > NewsPage, ProducerIndexPage >
ProducerPage, and FormPage. Catalogue records (products, producers, outlets, regions)
are chosen, never copied: pages show them live."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    MultipleChooserPanel,
)
from wagtail.contrib.forms.models import (
    AbstractEmailForm,
    AbstractFormField,
    AbstractFormSubmission,
)
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms import selectors
from cms.blocks import GalleryBlock, StoryStreamBlock
from cms.feeds import IndexPageFeed
from cms.ical import event_calendar
from cms.text import fold_diacritics
from shop.links import absolute_url

PER_PAGE = 12
SEARCH_MAX_RESULTS = 200
WORDS_PER_MINUTE = 200


def _image_field(verbose_name=None):
    return models.ForeignKey(
        "wagtailimages.Image",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=verbose_name or _("image"),
    )


def _region_field():
    return models.ForeignKey(
        "catalogue.AdministrativeUnit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )


def _with_listing_images(queryset):
    """Listing cards show each page's image: fetch images and their renditions with the
    pages instead of once per card."""
    return queryset.select_related("image").prefetch_related("image__renditions")


def _paginate(request, queryset, per_page=PER_PAGE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def _stream_words(raw_blocks) -> int:
    """Words a reader reads in a StreamField's raw JSON (text, quotes, captions)."""
    words = 0
    for item in raw_blocks or ():
        value = item.get("value") if isinstance(item, dict) else item
        if isinstance(value, str):
            words += len(strip_tags(value).split())
        elif isinstance(value, dict):
            words += _stream_words(
                [v for v in value.values() if isinstance(v, (str, list, dict))]
            )
        elif isinstance(value, list):
            words += _stream_words(value)
    return words


# --- Home ----------------------------------------------------------------------------


class HomePage(RoutablePageMixin, Page):
    """The province home page, one per language (the English one a translation). It
    also says when a page asked for in its language has not been translated yet."""

    hero_heading = models.CharField(_("hero heading"), max_length=200, blank=True)
    intro = RichTextField(_("introduction"), blank=True)
    image = _image_field(_("hero image"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("hero_heading"),
        FieldPanel("intro"),
        FieldPanel("image"),
        MultipleChooserPanel(
            "featured_products",
            chooser_field_name="product",
            heading=_("Featured products"),
            label=_("Product"),
        ),
        MultipleChooserPanel(
            "featured_producers",
            chooser_field_name="producer",
            heading=_("Featured producers"),
            label=_("Producer"),
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "cms.StoryIndexPage",
        "cms.EventIndexPage",
        "cms.CampaignIndexPage",
        "cms.NewsIndexPage",
        "cms.ProducerIndexPage",
        "cms.FormPage",
    ]
    max_count_per_parent = 2  # one per locale under the root

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Featured products are shown live: one that lost its certificate drops out.
        product_ids = [row.product_id for row in self.featured_products.all()]
        context["featured_products"] = selectors.products_certified_in_order(
            product_ids
        )
        context["featured_producers"] = [
            row.producer
            for row in self.featured_producers.select_related("producer__region")
        ]
        context["stories"] = _with_listing_images(
            TourismStoryPage.objects.live().public().descendant_of(self)
        ).order_by("-date", "-pk")[:3]
        context["events"] = selectors.events_upcoming(
            _with_listing_images(EventPage.objects.live().public().descendant_of(self))
        )[:3]
        context["campaigns"] = selectors.campaigns_running(
            _with_listing_images(
                CampaignPage.objects.live().public().descendant_of(self)
            )
        )[:3]
        context["figures"] = selectors.province_figures()
        return context

    @path("not-translated/", name="not_translated")
    def not_translated(self, request):
        """The language switcher's answer for a page with no translation in this
        home page's language: say so, offer this home page and the original."""
        original = None
        page_id = request.GET.get("from", "")
        if page_id.isdigit():
            original = Page.objects.live().public().filter(pk=page_id).first()
        context = {"page": self, "self": self, "request": request}
        context["original"] = context["language_switcher_page"] = original
        return TemplateResponse(request, "cms/not_translated.html", context)


class HomePageFeaturedProduct(Orderable):
    page = ParentalKey(
        HomePage, on_delete=models.CASCADE, related_name="featured_products"
    )
    product = models.ForeignKey(
        "catalogue.Product", models.CASCADE, related_name="+", verbose_name=_("product")
    )

    panels = [FieldPanel("product")]


class HomePageFeaturedProducer(Orderable):
    page = ParentalKey(
        HomePage, on_delete=models.CASCADE, related_name="featured_producers"
    )
    producer = models.ForeignKey(
        "catalogue.Producer",
        models.CASCADE,
        related_name="+",
        verbose_name=_("producer"),
    )

    panels = [FieldPanel("producer")]


# --- Index pages ---------------------------------------------------------------------


class IndexPage(Page):
    """A section listing its child pages (stories, events, campaigns, news, producers)."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True


class FeedIndexMixin(RoutablePageMixin):
    """An index page with RSS and Atom feeds of its children, at rss/ and atom/."""

    def feed_items(self):
        raise NotImplementedError

    @path("rss/", name="rss")
    def rss_feed(self, request):
        return IndexPageFeed(self, "rss")(request)

    @path("atom/", name="atom")
    def atom_feed(self, request):
        return IndexPageFeed(self, "atom")(request)


def _search_ids(queryset, query: str) -> list[int]:
    """Primary keys of the pages of `queryset` matching `query`, best first. Pages
    index a copy of their text without accents, and the query is folded the same way,
    so "tan cuong" and "Tân Cương" find the same stories."""
    hits = queryset.search(fold_diacritics(query), operator="and")
    return [page.pk for page in hits[:SEARCH_MAX_RESULTS]]


# --- Stories ---------------------------------------------------------------------------


class StoryIndexPage(FeedIndexMixin, IndexPage):
    """Tourism and culture stories, newest first, filtered by tag with ?tag= and
    searched with ?q=."""

    subpage_types = ["cms.TourismStoryPage"]

    class Meta:
        verbose_name = _("story index page")

    def feed_items(self):
        return (
            TourismStoryPage.objects.live()
            .public()
            .child_of(self)
            .order_by("-date", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = _with_listing_images(
            TourismStoryPage.objects.live().public().child_of(self)
        ).order_by("-date", "-pk")
        tag = request.GET.get("tag", "").strip()
        if tag:
            stories = stories.filter(tags__slug=tag)
        query = request.GET.get("q", "").strip()[:200]
        if query:
            ids = _search_ids(
                TourismStoryPage.objects.live().public().child_of(self), query
            )
            rank = {pk: position for position, pk in enumerate(ids)}
            stories = sorted(stories.filter(pk__in=ids), key=lambda p: rank[p.pk])
        context["tag"] = tag
        context["query"] = query
        context["stories"] = _paginate(request, stories)
        return context


class TourismStoryPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "cms.TourismStoryPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class TourismStoryPage(Page):
    """A story that sells: the Tân Cương tea trail, a craft village, a homestay, with
    the products to buy and the outlets that have them."""

    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.TextField(_("introduction"), blank=True)
    image = _image_field()
    region = _region_field()
    body = StreamField(StoryStreamBlock(), verbose_name=_("body"), blank=True)
    tags = ClusterTaggableManager(
        through=TourismStoryPageTag, blank=True, verbose_name=_("tags")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("region"),
        FieldPanel("tags"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
        index.SearchField("search_text_folded"),
        index.FilterField("date"),
    ]

    parent_page_types = ["cms.StoryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("tourism story")
        verbose_name_plural = _("tourism stories")

    def search_text_folded(self) -> str:
        """Title, introduction and text without accents, for accent-blind search."""
        body = " ".join(
            str(text)
            for block in self.body
            for text in block.block.get_searchable_content(block.value)
        )
        return fold_diacritics(f"{self.title} {self.intro} {body}")

    @cached_property
    def reading_time(self) -> int:
        """Minutes to read, at 200 words a minute, at least one."""
        words = len(self.intro.split()) + _stream_words(self.body.raw_data)
        return max(1, round(words / WORDS_PER_MINUTE))


# --- Campaigns ---------------------------------------------------------------------


class CampaignIndexPage(IndexPage):
    """The campaigns running today; expired ones drop out."""

    subpage_types = ["cms.CampaignPage"]

    class Meta:
        verbose_name = _("campaign index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["campaigns"] = selectors.campaigns_running(
            _with_listing_images(CampaignPage.objects.live().public().child_of(self))
        )
        return context


class CampaignPage(Page):
    """A promotion (Tết gifts, tea season) between two dates, both included."""

    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    intro = models.TextField(_("introduction"), blank=True)
    image = _image_field()
    body = StreamField(StoryStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.CampaignIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("campaign")

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("A campaign cannot end before it starts.")}
            )

    @property
    def is_running(self) -> bool:
        return self.start_date <= timezone.localdate() <= self.end_date

    @property
    def has_ended(self) -> bool:
        return self.end_date < timezone.localdate()


# --- Events ----------------------------------------------------------------------------


class EventIndexPage(IndexPage):
    """Fairs, exhibitions and festivals: what is coming, then what has been."""

    subpage_types = ["cms.EventPage"]

    class Meta:
        verbose_name = _("event index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = _with_listing_images(
            EventPage.objects.live().public().child_of(self)
        ).select_related("region")
        context["upcoming"] = selectors.events_upcoming(events)
        context["past"] = _paginate(request, selectors.events_past(events))
        return context


class EventPage(RoutablePageMixin, Page):
    """A fair, exhibition, festival or trade-promotion event, with an .ics download."""

    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    region = _region_field()
    intro = models.TextField(_("introduction"), blank=True)
    image = _image_field()
    body = StreamField(StoryStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("region"),
            ],
            heading=_("Where"),
        ),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        MultipleChooserPanel(
            "participating_producers",
            chooser_field_name="producer",
            heading=_("Participating producers"),
            label=_("Producer"),
        ),
        MultipleChooserPanel(
            "participating_products",
            chooser_field_name="product",
            heading=_("Products on show"),
            label=_("Product"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("An event cannot end before it starts.")})
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(
                _("Give both the latitude and the longitude, or neither.")
            )
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            raise ValidationError({"latitude": _("A latitude is from -90 to 90.")})
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            raise ValidationError({"longitude": _("A longitude is from -180 to 180.")})

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    def ics_url(self, request=None) -> str:
        return (self.get_url(request) or "") + self.reverse_subpage("ics")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["producers"] = [
            row.producer
            for row in self.participating_producers.select_related("producer__region")
        ]
        product_ids = [row.product_id for row in self.participating_products.all()]
        loaded = selectors.products_for_cards(product_ids)
        context["products"], context["lapsed_products"] = (
            selectors.products_split_certified(loaded.get(pk) for pk in product_ids)
        )
        context["ics_url"] = self.ics_url(request)
        return context

    @path("calendar/", name="ics")  # Wagtail serves [\w-]/ paths only
    def ics(self, request):
        """The event as an iCalendar file, to add to a calendar."""
        body = event_calendar(
            self,
            url=absolute_url(request, self.get_url(request) or "/"),
            host=request.get_host(),
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.slug}.ics"'
        return response


class EventPageProducer(Orderable):
    page = ParentalKey(
        EventPage, on_delete=models.CASCADE, related_name="participating_producers"
    )
    producer = models.ForeignKey(
        "catalogue.Producer",
        models.CASCADE,
        related_name="+",
        verbose_name=_("producer"),
    )

    panels = [FieldPanel("producer")]


class EventPageProduct(Orderable):
    page = ParentalKey(
        EventPage, on_delete=models.CASCADE, related_name="participating_products"
    )
    product = models.ForeignKey(
        "catalogue.Product", models.CASCADE, related_name="+", verbose_name=_("product")
    )

    panels = [FieldPanel("product")]


# --- News ------------------------------------------------------------------------------


class NewsIndexPage(FeedIndexMixin, IndexPage):
    subpage_types = ["cms.NewsPage"]

    class Meta:
        verbose_name = _("news index page")

    def feed_items(self):
        return NewsPage.objects.live().public().child_of(self).order_by("-date", "-pk")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        news = _with_listing_images(
            NewsPage.objects.live().public().child_of(self)
        ).order_by("-date", "-pk")
        context["news"] = _paginate(request, news)
        return context


class NewsPage(Page):
    """An announcement: a new certification round, a fair's registration, a recall."""

    date = models.DateField(_("date"), default=timezone.localdate)
    intro = models.TextField(_("introduction"), blank=True)
    image = _image_field()
    body = StreamField(StoryStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news item")


# --- Producers -------------------------------------------------------------------------


class ProducerIndexPage(IndexPage):
    subpage_types = ["cms.ProducerPage"]

    class Meta:
        verbose_name = _("producer index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["producer_pages"] = (
            _with_listing_images(ProducerPage.objects.live().public().child_of(self))
            .select_related("producer__region")
            .order_by("title")
        )
        return context


class ProducerPage(Page):
    """A small website for one OCOP producer: their story and photos, the products they
    sell now with their stars, their certificates, how to reach them, where to buy."""

    producer = models.ForeignKey(
        "catalogue.Producer",
        models.PROTECT,
        related_name="pages",
        verbose_name=_("producer"),
    )
    intro = models.TextField(_("introduction"), blank=True)
    image = _image_field()
    body = StreamField(StoryStreamBlock(), verbose_name=_("story"), blank=True)
    gallery = StreamField(GalleryBlock(), verbose_name=_("photos"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("producer"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("gallery"),
        MultiFieldPanel(
            [FieldPanel("contact_name"), FieldPanel("website")], heading=_("Contact")
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["cms.ProducerIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("producer page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["products"] = selectors.producer_products_certified(self.producer)
        context["certificates"] = selectors.producer_certificates_current(self.producer)
        context["outlets"] = selectors.outlets_stocking_producer(self.producer)
        return context


# --- Forms -----------------------------------------------------------------------------


class FormField(AbstractFormField):
    page = ParentalKey(
        "cms.FormPage", on_delete=models.CASCADE, related_name="form_fields"
    )


class FormPageSubmission(AbstractFormSubmission):
    """A stored enquiry; `emailed_at` makes the email task safe to re-run."""

    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)


class FormPage(AbstractEmailForm):
    """An enquiry form (wholesale, tours): each submission is stored, then emailed to
    the addresses given (after commit, by a Celery task, so a slow mail server never
    holds the visitor's request)."""

    intro = RichTextField(_("introduction"), blank=True)
    thank_you_text = RichTextField(_("thank-you text"), blank=True)

    content_panels = [
        *AbstractEmailForm.content_panels,
        FormSubmissionsPanel(),
        FieldPanel("intro"),
        InlinePanel("form_fields", heading=_("Form fields"), label=_("Field")),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("from_address", permission="superuser"),
                        FieldPanel("to_address", permission="superuser"),
                    ]
                ),
                FieldPanel("subject"),
            ],
            heading=_("Email"),
        ),
    ]

    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    cache_page = False  # a form posts back and shows errors: never a cached response

    class Meta:
        verbose_name = _("form page")

    def get_submission_class(self):
        return FormPageSubmission

    def process_form_submission(self, form):
        # Store now; email after commit (EmailFormMixin would send inside the request).
        submission = self.get_submission_class().objects.create(
            form_data=form.cleaned_data, page=self
        )
        if self.to_address:
            from cms.tasks import form_submission_email_task
            from shop.task_outbox import task_send_on_commit

            # Through the outbox: with the broker down the enquiry is kept and its
            # email sent when it is back, not a 500 after the save.
            task_send_on_commit(form_submission_email_task, submission_id=submission.pk)
        return submission


# --- Site chrome: defined in cms.snippets, imported here so Django finds the models.

from cms.snippets import (  # noqa: E402, F401
    FooterContent,
    NavigationMenu,
    PromoBanner,
    SocialLinks,
)
