from django.utils.translation import gettext_lazy as _


class StockError(Exception):
    """A stock change that cannot happen; the message is for people."""


class InvalidQuantity(StockError):
    def __init__(self, quantity):
        super().__init__(
            _("Quantities are whole numbers above zero, not %(q)s.") % {"q": quantity}
        )


class InsufficientStock(StockError):
    def __init__(self, *, product_id: int, available: int, wanted: int):
        self.product_id, self.available, self.wanted = product_id, available, wanted
        super().__init__(
            _("Only %(available)s free to sell, %(wanted)s asked for.")
            % {"available": available, "wanted": wanted}
        )


class NotCertified(StockError):
    def __init__(self, reason: str):
        super().__init__(reason)


class NotAnOutlet(StockError):
    def __init__(self, partner_id: int):
        super().__init__(_("Partner %(id)s is not a sales point.") % {"id": partner_id})


class StockChanged(StockError):
    def __init__(self, product_id: int):
        self.product_id = product_id
        super().__init__(
            _("The stock changed since you looked (a sale or a receipt): count again.")
        )


class LinesUnavailable(StockError):
    """Some lines of an order are not free to sell at the outlet: `shortages` maps each
    product id to (available, wanted)."""

    def __init__(self, shortages: dict[int, tuple[int, int]]):
        self.shortages = shortages
        super().__init__(
            _("Some items are no longer available in the quantity asked for.")
        )
