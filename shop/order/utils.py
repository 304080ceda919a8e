from oscar.apps.order.utils import OrderCreator as OscarOrderCreator


class OrderCreator(OscarOrderCreator):
    """Oscar's order writer, with lines pointing at the fulfilment outlet's stock
    records. The stock itself is held before, all lines at once, by
    shop.order.services.order_place (sales_points.services.stock_allocate_lines)."""

    def __init__(self, stockrecords: dict | None = None):
        self.stockrecords = stockrecords or {}

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        record = self.stockrecords.get(basket_line.product_id)
        if record is not None:
            basket_line.stockrecord = record
        return super().create_line_models(order, basket_line, extra_line_fields)

    def update_stock_records(self, line):
        """Already held by order_place."""
