"""The public back-in-stock request, posted from the product page's availability box."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from sales_points import alerts
from sales_points.exceptions import StockError
from sales_points.models import SalesPoint

Product = get_model("catalogue", "Product")


class BackInStockForm(forms.Form):
    product = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.SlugField(label=gettext_lazy("Sales point"))
    email = forms.EmailField(label=gettext_lazy("Your email"))


@require_POST
def back_in_stock_request(request):
    form = BackInStockForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("sales_points:list")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else errors)
        return redirect(back)
    product = get_object_or_404(Product, pk=form.cleaned_data["product"])
    sales_point = get_object_or_404(SalesPoint, code=form.cleaned_data["code"])
    try:
        alerts.back_in_stock_request(
            product=product, sales_point=sales_point,
            email=form.cleaned_data["email"], language=get_language(),
        )  # fmt: skip
    except StockError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("We will email you when %(product)s is back at %(outlet)s.")
            % {"product": product.get_title(), "outlet": sales_point.name},
        )
    return redirect(back)
