from wagtail import hooks

from cms.choosers import CHOOSER_VIEWSETS


@hooks.register("register_admin_viewset")
def register_choosers():
    """Choosers for products, producers, outlets and regions (pages and blocks)."""
    return CHOOSER_VIEWSETS
