from django.db import models
from django.db.models import F, Q
from oscar.apps.partner.abstract_models import AbstractStockRecord


class StockRecord(AbstractStockRecord):
    """Oscar's stock record with the stock invariants in the database itself."""

    class Meta(AbstractStockRecord.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(num_in_stock__gte=0) | Q(num_in_stock__isnull=True),
                name="stock_never_negative",
            ),
            models.CheckConstraint(
                condition=Q(num_allocated__lte=F("num_in_stock"))
                | Q(num_allocated__isnull=True),
                name="allocated_within_stock",
            ),
        ]

    # Oscar's order pipeline allocates, consumes and cancels through these methods;
    # they go through the sales-point services (row lock + ledger), because Oscar's own
    # allocate() adds to num_allocated without re-checking stock (Oscar issue #4524).
    def allocate(self, quantity):
        from sales_points import services

        services.stock_allocate(stockrecord_id=self.pk, quantity=quantity)
        self.refresh_from_db(fields=["num_in_stock", "num_allocated"])

    def consume_allocation(self, quantity):
        from sales_points import services

        services.stock_consume_allocation(stockrecord_id=self.pk, quantity=quantity)
        self.refresh_from_db(fields=["num_in_stock", "num_allocated"])

    def cancel_allocation(self, quantity):
        from sales_points import services

        services.stock_cancel_allocation(stockrecord_id=self.pk, quantity=quantity)
        self.refresh_from_db(fields=["num_in_stock", "num_allocated"])


from oscar.apps.partner.models import *  # noqa: E402, F403  (must stay last)
