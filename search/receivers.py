"""What queues a product for re-indexing: every change that can alter its search
document adds an outbox row in the transaction of the change (search.outbox).

Imported by SearchConfig.ready(). Stock written by sales_points.services goes
through QuerySet.update() (no post_save for the StockRecord) but always writes a
StockMovement in the same transaction, whose post_save is heard here."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

from catalogue.models import AdministrativeUnit, Certificate, Producer, ProductGroup
from catalogue.signals import certification_changed
from sales_points.models import SalesPoint, StockMovement
from search.outbox import outbox_add

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
StockRecord = get_model("partner", "StockRecord")


def _raw(kwargs) -> bool:
    """Fixture loading saves rows as they are: nothing to queue."""
    return kwargs.get("raw", False)


@receiver(post_save, sender=Product, dispatch_uid="search_product_saved")
@receiver(post_delete, sender=Product, dispatch_uid="search_product_deleted")
def product_changed(sender, instance, **kwargs):
    if not _raw(kwargs):
        outbox_add([instance.pk, instance.parent_id])


@receiver(post_save, sender=StockRecord, dispatch_uid="search_stockrecord_saved")
@receiver(post_delete, sender=StockRecord, dispatch_uid="search_stockrecord_deleted")
def stockrecord_changed(sender, instance, **kwargs):
    if not _raw(kwargs):
        outbox_add([instance.product_id])


@receiver(post_save, sender=StockMovement, dispatch_uid="search_stock_moved")
def stock_moved(sender, instance, created, **kwargs):
    """Every stock change of sales_points.services (which updates the record with
    update(), so no StockRecord post_save) writes one of these."""
    if created and not _raw(kwargs):
        outbox_add([instance.product_id])


@receiver(post_save, sender=Certificate, dispatch_uid="search_certificate_saved")
def certificate_saved(sender, instance, **kwargs):
    if not _raw(kwargs):
        outbox_add([instance.product_id])


@receiver(certification_changed, dispatch_uid="search_certification_changed")
def certification_changed_received(sender, product_ids, **kwargs):
    """Sent after the commit (also for certificates expired with update(), which
    have no post_save): the rows are added in a transaction of their own."""
    outbox_add(product_ids)


@receiver(post_save, sender=Producer, dispatch_uid="search_producer_saved")
def producer_saved(sender, instance, created, **kwargs):
    if not created and not _raw(kwargs):
        outbox_add(instance.products.values_list("pk", flat=True))


@receiver(post_save, sender=ProductGroup, dispatch_uid="search_group_saved")
def group_saved(sender, instance, created, **kwargs):
    if not created and not _raw(kwargs):
        outbox_add(
            Product.objects.filter(
                group__in=[
                    instance.pk,
                    *instance.subgroups.values_list("pk", flat=True),
                ]
            ).values_list("pk", flat=True)
        )


@receiver(post_save, sender=AdministrativeUnit, dispatch_uid="search_unit_saved")
def unit_saved(sender, instance, created, **kwargs):
    """A renamed unit renames the origin of the products below it."""
    if not created and not _raw(kwargs):
        outbox_add(
            Product.objects.filter(origin__in=_units_below(instance)).values_list(
                "pk", flat=True
            )
        )


def _units_below(unit) -> list[int]:
    children = AdministrativeUnit.objects.filter(parent=unit).values_list(
        "pk", flat=True
    )
    grandchildren = AdministrativeUnit.objects.filter(parent__parent=unit).values_list(
        "pk", flat=True
    )
    return [unit.pk, *children, *grandchildren]


@receiver(post_save, sender=SalesPoint, dispatch_uid="search_outlet_saved")
def outlet_saved(sender, instance, created, **kwargs):
    """An outlet opened, closed or renamed changes where its products are free."""
    if not created and not _raw(kwargs):
        outbox_add(
            StockRecord.objects.filter(partner_id=instance.partner_id).values_list(
                "product_id", flat=True
            )
        )


@receiver(post_save, sender=ProductCategory, dispatch_uid="search_category_link_saved")
@receiver(
    post_delete, sender=ProductCategory, dispatch_uid="search_category_link_deleted"
)
def category_link_changed(sender, instance, **kwargs):
    if not _raw(kwargs):
        outbox_add([instance.product_id])


@receiver(
    m2m_changed, sender=Product.categories.through, dispatch_uid="search_categories"
)
def categories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """product.categories.add()/remove()/clear() (no ProductCategory post_save)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:
        outbox_add([instance.pk])
    elif action == "pre_clear":
        outbox_add(instance.product_set.values_list("pk", flat=True))
    else:
        outbox_add(pk_set or ())
