"""Catalogue browsing and search pages, answered by the search interface
(search.backends), not haystack: Oscar 4.2 lists catalogue pages through haystack,
whose simple engine shows no products at all (Oscar issue #4366)."""

from collections.abc import Sequence
from urllib.parse import unquote

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from oscar.apps.search.signals import user_search
from oscar.core.loading import get_model

from search import backends
from search.forms import FACET_PARAMS, FACET_TITLES, SearchForm
from search.query import FACETS, SearchResult

Category = get_model("catalogue", "Category")


class ResultWindow(Sequence):
    """A SearchResult as Django's Paginator sees it: the total as the length, and
    the page the backend returned as the only slice ever read."""

    def __init__(self, result: SearchResult):
        self.result = result

    def __len__(self):
        return self.result.total

    def __getitem__(self, index):
        return self.result.products


def facet_groups(result: SearchResult, form: SearchForm) -> list[dict]:
    """The result's facets as the sidebar shows them: a title, the form field the
    checkboxes submit, and the values with counts."""
    groups = []
    for facet in FACETS:
        values = result.facets.get(facet) or []
        if facet == "availability":
            boxes = [_availability_box(value, form) for value in values]
        else:
            param = FACET_PARAMS[facet]
            boxes = [
                {"name": param, "value": v.value, "label": v.label, "count": v.count,
                 "selected": v.selected}
                for v in values
            ]  # fmt: skip
        if boxes:
            groups.append({"key": facet, "title": FACET_TITLES[facet], "boxes": boxes})
    return groups


def _availability_box(value, form: SearchForm) -> dict:
    """ "in_stock" ticks in_stock=1; an outlet or a point stays ticked with the value
    that was asked for, so unticking it removes the filter."""
    if value.value.startswith("outlet:"):
        name, submitted = "outlet", value.value.removeprefix("outlet:")
    elif value.value == "near":
        name, submitted = "near", form.data.get("near", "")
    else:
        name, submitted = "in_stock", "1"
    return {"name": name, "value": submitted, "label": value.label,
            "count": value.count, "selected": value.selected}  # fmt: skip


class CatalogueView(TemplateView):
    """All products that can be sold, with facets."""

    template_name = "oscar/catalogue/browse.html"
    page_size = settings.OSCAR_PRODUCTS_PER_PAGE

    def get(self, request, *args, **kwargs):
        self.form = SearchForm(request.GET)
        if not self.form.is_valid():
            context = self.get_context_data(result=None, products=[])
            return self.render_to_response(context, status=400)
        query = self.form.search_query(
            language=get_language(), page_size=self.page_size, **self.scope()
        )
        result = backends.search(query)
        paginator = Paginator(ResultWindow(result), self.page_size)
        try:
            page = paginator.page(query.page)
        except InvalidPage:
            # A page past the end (the catalogue shrank since the link was made).
            raise Http404(_("There is no such page of results.")) from None
        return self.render_to_response(
            self.get_context_data(
                result=result,
                suggestion_query=self.suggestion_query(result),
                products=page.object_list,
                paginator=paginator,
                page_obj=page,
                is_paginated=paginator.num_pages > 1,
                facet_groups=facet_groups(result, self.form),
            )
        )

    def scope(self) -> dict:
        """What this page fixes in the query, beyond the buyer's parameters."""
        return {}

    def suggestion_query(self, result: SearchResult) -> str:
        """The query string of "did you mean": the same filters, the better text."""
        if not result.suggestion:
            return ""
        params = self.request.GET.copy()
        params["q"] = result.suggestion
        params.pop("page", None)
        return params.urlencode()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form"] = self.form
        ctx["query"] = self.form.cleaned_data.get("q", "")
        ctx["summary"] = self.summary()
        return ctx

    def summary(self) -> str:
        return _("All products")


class ProductCategoryView(CatalogueView):
    """Products in a category and its descendants."""

    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404
        expected = self.category.get_absolute_url()
        if unquote(expected) != unquote(request.path):
            query = request.GET.urlencode()  # the filters survive the move
            return HttpResponsePermanentRedirect(
                f"{expected}?{query}" if query else expected
            )
        return super().get(request, *args, **kwargs)

    def scope(self) -> dict:
        # Documents list each category's ancestors too: the descendants come along.
        return {"categories": (self.category.pk,)}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        return ctx

    def summary(self) -> str:
        return self.category.name


class FacetedSearchView(CatalogueView):
    """Search results for ?q=."""

    template_name = "oscar/search/results.html"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        text = self.form.cleaned_data.get("q")
        if text and response.status_code == 200 and not request.GET.get("page"):
            # Oscar's analytics record a search once: valid, and its first page.
            user_search.send(
                sender=self, session=request.session, user=request.user, query=text
            )
        return response

    def summary(self) -> str:
        text = self.form.cleaned_data.get("q")
        if not text:
            return _("All products")
        return _('Products matching "%(query)s"') % {"query": text}
