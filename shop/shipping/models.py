"""Oscar's weight-based shipping, as home-delivery rate tables in VND.

A rate table (`WeightBased`) serves the destination provinces it lists; one listing none
is the fallback for every province that no table lists (see shop.shipping.repository).
Charges are whole đồng; a table may ship free from a basket total staff set.

Names and descriptions are bilingual the way the catalogue's are: the Vietnamese text in
Oscar's own `name`/`description` (the default language), the English in `name_en`/
`description_en`; `display_name`/`display_description` pick by the active language.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.abstract_models import AbstractWeightBand, AbstractWeightBased
from oscar.core import prices


def _english() -> bool:
    return (get_language() or "").startswith("en")


class WeightBased(AbstractWeightBased):
    """A delivery rate table: weight bands, the provinces it serves, free-above."""

    name_en = models.CharField(_("name (English)"), max_length=128, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    provinces = models.ManyToManyField(
        "catalogue.AdministrativeUnit",
        blank=True,
        related_name="shipping_methods",
        limit_choices_to={"level": "province"},
        verbose_name=_("destination provinces"),
        help_text=_(
            "The provinces these rates deliver to. Leave empty for the rates of every "
            "province that no other method lists."
        ),
    )
    free_above = models.DecimalField(
        _("free delivery from (VND)"),
        max_digits=12,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_(
            "Baskets whose total (tax included) reaches this amount ship free. "
            "Leave empty: delivery is never free."
        ),
    )

    @property
    def display_name(self) -> str:
        return (self.name_en if _english() and self.name_en else self.name) or ""

    @property
    def display_description(self) -> str:
        if _english() and self.description_en:
            return self.description_en
        return self.description

    def weigh(self, basket) -> Decimal:
        """The basket's shipping weight in kg (shop.shipping.scales has the rule)."""
        from shop.shipping.scales import Scale

        scale = Scale(
            attribute_code=self.weight_attribute, default_weight=self.default_weight
        )
        return scale.weigh_basket(basket)

    def calculate(self, basket):
        from shop.shipping.repository import delivery_charge

        charge = delivery_charge(
            method=self,
            basket_weight_kg=self.weigh(basket),
            basket_total=basket.total_incl_tax,
        )
        # VAT is included in the charge, as in shelf prices: no tax is added.
        return prices.Price(currency=basket.currency, excl_tax=charge, incl_tax=charge)

    def get_charge(self, weight):
        """Oscar's band lookup, in whole đồng and without free-above (no basket)."""
        from shop.shipping.repository import band_charge

        return band_charge(bands=self.bands.all(), weight_kg=Decimal(weight))


class WeightBand(AbstractWeightBand):
    """Oscar's weight band with the charge in whole đồng."""

    charge = models.DecimalField(
        _("Charge"),
        max_digits=12,
        decimal_places=0,
        validators=[MinValueValidator(Decimal(0))],
    )


from oscar.apps.shipping.models import *  # noqa: E402, F403  (must stay last)
