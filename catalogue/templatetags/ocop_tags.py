from django import template

from catalogue.selectors import product_current_certificate, unit_history

register = template.Library()


@register.simple_tag
def ocop_certificate(product):
    """The product's certificate in force today, or None (prefetched in listings)."""
    return product_current_certificate(product)


@register.simple_tag
def ocop_unit_history(unit):
    return unit_history(unit) if unit else None


@register.inclusion_tag("catalogue/partials/star_badge.html")
def star_badge(certificate):
    return {"certificate": certificate}
