"""Catalogue browsing and search from our own backend, not haystack.

Oscar 4.2 lists catalogue pages through haystack, whose simple engine shows no
products at all (Oscar issue #4366); these views read the database instead."""

from urllib.parse import unquote

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from oscar.apps.search.signals import user_search
from oscar.core.loading import get_model

from search import selectors

Category = get_model("catalogue", "Category")


class CatalogueView(ListView):
    """All products."""

    template_name = "oscar/catalogue/browse.html"
    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE

    def get_queryset(self):
        return selectors.products_browsable()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = _("All products")
        return ctx


class ProductCategoryView(CatalogueView):
    """Products in a category and its descendants."""

    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category, pk=kwargs["pk"])
        if not (self.category.is_public or request.user.is_staff):
            raise Http404
        expected = self.category.get_absolute_url()
        if unquote(expected) != unquote(request.path):
            return HttpResponsePermanentRedirect(expected)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        categories = self.category.get_descendants_and_self()
        return super().get_queryset().filter(categories__in=categories).distinct()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["summary"] = self.category.name
        return ctx


class FacetedSearchView(CatalogueView):
    """Search results for ?q=."""

    template_name = "oscar/search/results.html"

    def get(self, request, *args, **kwargs):
        self.query = request.GET.get("q", "")
        user_search.send(
            sender=self, session=request.session, user=request.user, query=self.query
        )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.products_matching(self.query)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["query"] = self.query
        ctx["summary"] = _('Products matching "%(query)s"') % {"query": self.query}
        return ctx
