"""Admin choosers for the catalogue and outlet records that pages and blocks point at.

They are chooser-only viewsets (no create tab): products, producers, outlets and regions
are edited in Oscar's dashboard, never from Wagtail. Registered in wagtail_hooks; the
StreamField blocks are built from them in cms.blocks."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic.chooser import (
    ChooseResultsView,
    ChooseView,
)
from wagtail.admin.viewsets.chooser import ChooserViewSet


def _search_form(*fields: str) -> type[BaseFilterForm]:
    """A chooser filter form with a search box matching any of `fields` (the models are
    not in Wagtail's search index, so the database does the matching)."""

    class SearchForm(BaseFilterForm):
        q = forms.CharField(
            label=_("Search term"),
            widget=forms.TextInput(attrs={"placeholder": _("Search")}),
            required=False,
        )

        def filter(self, objects):
            query = (self.cleaned_data.get("q") or "").strip()
            self.search_query = query
            self.is_searching = bool(query)
            if not query:
                return objects
            condition = Q()
            for field in fields:
                condition |= Q(**{f"{field}__icontains": query})
            return objects.filter(condition)

    return SearchForm


def _views(form_class):
    mixin = type("SearchMixin", (), {"filter_form_class": form_class})
    return (
        type("ChooseView", (mixin, ChooseView), {}),
        type("ChooseResultsView", (mixin, ChooseResultsView), {}),
    )


class ProductChooserViewSet(ChooserViewSet):
    model = "catalogue.Product"
    icon = "tag"
    choose_one_text = _("Choose a product")
    choose_another_text = _("Choose another product")
    edit_item_text = _("Edit this product")
    choose_view_class, choose_results_view_class = _views(
        _search_form("title", "title_en", "upc", "producer__name_vi")
    )

    def get_object_list(self):
        from catalogue.models import Product

        return Product.objects.exclude(structure="parent").order_by("title", "pk")


class ProducerChooserViewSet(ChooserViewSet):
    model = "catalogue.Producer"
    icon = "group"
    choose_one_text = _("Choose a producer")
    choose_another_text = _("Choose another producer")
    edit_item_text = _("Edit this producer")
    choose_view_class, choose_results_view_class = _views(
        _search_form("name_vi", "name_en", "registration_number")
    )


class SalesPointChooserViewSet(ChooserViewSet):
    model = "sales_points.SalesPoint"
    icon = "site"
    choose_one_text = _("Choose a sales point")
    choose_another_text = _("Choose another sales point")
    edit_item_text = _("Edit this sales point")
    choose_view_class, choose_results_view_class = _views(
        _search_form("name_vi", "name_en", "code", "address")
    )

    def get_object_list(self):
        from sales_points.models import SalesPoint

        return SalesPoint.objects.filter(is_active=True).order_by("name_vi")


class RegionChooserViewSet(ChooserViewSet):
    model = "catalogue.AdministrativeUnit"
    icon = "globe"
    choose_one_text = _("Choose a region")
    choose_another_text = _("Choose another region")
    edit_item_text = _("Edit this region")
    choose_view_class, choose_results_view_class = _views(
        _search_form("name_vi", "name_en", "code")
    )


product_chooser_viewset = ProductChooserViewSet("product_chooser")
producer_chooser_viewset = ProducerChooserViewSet("producer_chooser")
sales_point_chooser_viewset = SalesPointChooserViewSet("sales_point_chooser")
region_chooser_viewset = RegionChooserViewSet("region_chooser")

CHOOSER_VIEWSETS = [
    product_chooser_viewset,
    producer_chooser_viewset,
    sales_point_chooser_viewset,
    region_chooser_viewset,
]
