"""The search parameters of the page, browsing and the JSON API, read into a
SearchQuery (search.query) with field errors for bad values."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from catalogue.models import Producer
from search.query import SearchQuery
from search.text import tokens

MAX_PAGE = 500  # deeper pages are never browsed by people; they only cost
MAX_VALUES = 50  # values of one facet in one query
MAX_PRICE = 10**12  # đồng; above any product (and within the database's integers)
_code = RegexValidator(r"^[\w.-]{1,40}$", _("Not a valid code."))

# The query-string name of each facet (what its checkboxes submit).
FACET_PARAMS = {
    "group": "group",
    "stars": "stars",
    "region": "region",
    "producer_kind": "kind",
    "producer": "producer",
}
FACET_TITLES = {
    "group": _("Product group"),
    "stars": _("OCOP stars"),
    "region": _("Origin"),
    "producer_kind": _("Producer type"),
    "producer": _("Producer"),
    "availability": _("Availability"),
}
SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("price", _("Price: low to high")),
    ("-price", _("Price: high to low")),
    ("newest", _("Newest")),
    ("stars", _("Most stars")),
]


class CodeListField(forms.MultipleChoiceField):
    """Several codes (?group=a&group=b) checked for shape only: an unknown code
    simply matches nothing, as a facet value with no results would."""

    def __init__(self, *, validator=_code, **kwargs):
        super().__init__(required=False, **kwargs)
        self.validator = validator

    def validate(self, value):
        if len(value) > MAX_VALUES:
            raise forms.ValidationError(
                _("Choose at most %(n)s values.") % {"n": MAX_VALUES}
            )
        for item in value:
            self.validator(item)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    group = CodeListField()
    stars = forms.TypedMultipleChoiceField(
        choices=[(3, "3"), (4, "4"), (5, "5")], coerce=int, required=False
    )
    region = CodeListField()
    producer = CodeListField(validator=RegexValidator(r"^\d{1,9}$"))
    kind = forms.MultipleChoiceField(choices=Producer.Kind.choices, required=False)
    price_min = forms.IntegerField(
        label=_("From (VND)"), min_value=0, max_value=MAX_PRICE, required=False
    )
    price_max = forms.IntegerField(
        label=_("To (VND)"), min_value=0, max_value=MAX_PRICE, required=False
    )
    in_stock = forms.BooleanField(label=_("In stock"), required=False)
    outlet = forms.CharField(max_length=40, required=False, validators=[_code])
    near = forms.CharField(
        max_length=60,
        required=False,
        help_text=_("latitude,longitude"),
        validators=[
            RegexValidator(
                r"^-?\d{1,2}(\.\d+)?,-?\d{1,3}(\.\d+)?$",
                _("Give a point as latitude,longitude."),
            )
        ],
    )
    km = forms.FloatField(min_value=1, max_value=500, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    page = forms.IntegerField(min_value=1, max_value=MAX_PAGE, required=False)

    def clean_q(self):
        # Punctuation alone ("!!!") is no text: the whole catalogue, not a search.
        text = " ".join(self.cleaned_data["q"].split())
        return text if tokens(text) else ""

    def clean_near(self):
        near = self.cleaned_data["near"]
        if not near:
            return None
        lat, lng = (float(part) for part in near.split(","))
        if not (-90 <= lat <= 90 and -180 <= lng <= 180):
            raise forms.ValidationError(_("Give a point as latitude,longitude."))
        return (lat, lng)

    def clean(self):
        data = super().clean()
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("The upper price is below the lower one."))
        return data

    def search_query(self, *, language: str, page_size: int, **fixed) -> SearchQuery:
        """The SearchQuery for valid data (call after is_valid()); `fixed` sets
        what the page decides itself (a category)."""
        data = self.cleaned_data
        return SearchQuery(
            text=data["q"],
            groups=tuple(data["group"]),
            stars=tuple(data["stars"]),
            regions=tuple(data["region"]),
            producers=tuple(int(pk) for pk in data["producer"]),
            producer_kinds=tuple(data["kind"]),
            price_min=data["price_min"],
            price_max=data["price_max"],
            in_stock=data["in_stock"],
            outlet=data["outlet"] or None,
            near=data["near"],
            near_km=data["km"] or SearchQuery.near_km,
            language=language,
            sort=data["sort"] or "relevance",
            page=data["page"] or 1,
            page_size=page_size,
            **fixed,
        )
