"""Oscar's shipping method classes with `display_name`/`display_description`, so that
templates can show any method the way they show our bilingual rate tables; and the
stand-in shown on the basket page when no rate table delivers to the address."""

from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping import methods


class Localized:
    """Non-model methods: their names are already gettext_lazy strings."""

    @property
    def display_name(self) -> str:
        return str(self.name)

    @property
    def display_description(self) -> str:
        return str(self.description)


class Free(Localized, methods.Free):
    pass


class NoShippingRequired(Localized, methods.NoShippingRequired):
    pass


class FixedPrice(Localized, methods.FixedPrice):
    pass


class ForwardedName:
    """Offer wrappers: the wrapped method's names."""

    @property
    def display_name(self) -> str:
        return self.method.display_name

    @property
    def display_description(self) -> str:
        return self.method.display_description


class TaxExclusiveOfferDiscount(ForwardedName, methods.TaxExclusiveOfferDiscount):
    pass


class TaxInclusiveOfferDiscount(ForwardedName, methods.TaxInclusiveOfferDiscount):
    pass


class DeliveryUnavailable(Free):
    """No rate table delivers to the address. Never offered at checkout (the repository
    lists no methods then); only the basket page's estimate shows it, at no charge."""

    code = "delivery-unavailable"
    name = _("Home delivery is not available to this address")
    description = _("Choose another address, or pick the order up at an outlet.")
    is_available = False
