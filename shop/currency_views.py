"""The buyer's currency selector and the staff page for exchange rates. Thin: forms
check, shop.currency writes."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import generic
from django.views.decorators.http import require_POST

from shop import currency as currency_service
from shop.currency_forms import DisplayCurrencyForm, ExchangeRateForm
from shop.models import ExchangeRate


def _safe_next(request: HttpRequest, url: str | None) -> str:
    """`url` when it stays on this site, else the home page."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return "/"


@require_POST
def currency_set(request: HttpRequest) -> HttpResponse:
    """Remember the currency for approximate prices and go back where the buyer was."""
    form = DisplayCurrencyForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            _("Choose one of the listed currencies."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    currency_service.display_currency_set(
        request=request, currency=form.cleaned_data["currency"]
    )
    return HttpResponseRedirect(
        _safe_next(request, form.cleaned_data["next"] or request.headers.get("referer"))
    )


class ExchangeRateView(PermissionRequiredMixin, generic.FormView):
    """The rates in force with their dates, the history, and a form to set a rate.

    Anonymous visitors go to the dashboard's login; signed-in users without the
    permissions get 403."""

    permission_required = (
        "shop.view_exchangerate",
        "shop.add_exchangerate",
        "shop.change_exchangerate",
    )
    login_url = reverse_lazy("dashboard:login")
    template_name = "shop/currency/exchange_rates.html"
    form_class = ExchangeRateForm

    def get_initial(self):
        initial = super().get_initial()
        code = self.request.GET.get("currency", "")
        if code in ExchangeRate.Currency.values:
            initial["currency"] = code
        return initial

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            rate = currency_service.exchange_rate_set(
                currency=data["currency"],
                vnd_per_unit=data["vnd_per_unit"],
                effective_on=data["effective_on"],
                user=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("1 %(currency)s = %(rate)s VND from %(date)s.")
            % {
                "currency": rate.currency,
                "rate": f"{rate.vnd_per_unit.normalize():f}",
                "date": date_format(rate.effective_on, "DATE_FORMAT"),
            },
        )
        return HttpResponseRedirect(reverse("currency-dashboard"))

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        current = currency_service.rates_current(today=today)
        scheduled = currency_service.rates_scheduled(today=today)
        history = ExchangeRate.objects.select_related("updated_by").order_by(
            "-effective_on", "currency"
        )
        currency = self.request.GET.get("currency", "")
        if currency in ExchangeRate.Currency.values:
            history = history.filter(currency=currency)
        else:
            currency = ""
        page = Paginator(history, settings.OSCAR_DASHBOARD_ITEMS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            current_rates=[
                {
                    "code": code,
                    "name": name,
                    "rate": current.get(code),
                    "scheduled": scheduled.get(code),
                }
                for code, name in ExchangeRate.Currency.choices
            ],
            currencies=ExchangeRate.Currency.choices,
            history_currency=currency,
            paginator=page.paginator,
            page_obj=page,
            history=page.object_list,
            **kwargs,
        )
