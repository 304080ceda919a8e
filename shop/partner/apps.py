import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    """Oscar's partner app, forked for the OCOP purchase strategy (certified only)."""

    name = "shop.partner"
