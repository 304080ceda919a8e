import oscar.apps.dashboard.catalogue.apps as apps
from oscar.core.loading import get_class


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    """Oscar's catalogue dashboard, forked so the product form edits the OCOP data."""

    name = "shop.dashboard.catalogue"

    def configure_permissions(self):
        """Oscar lets any partner user edit the products its partner stocks; our partner
        users are outlet staff, who work on stock in the outlet pages only."""
        super().configure_permissions()
        partner_access = get_class(
            "dashboard.permissions", "DashboardPermission"
        ).partner_dashboard_access
        for name, rule in self.permissions_map.items():
            if isinstance(rule, tuple) and partner_access in rule:
                others = [
                    alternative for alternative in rule if alternative != partner_access
                ]
                self.permissions_map[name] = (
                    others[0] if len(others) == 1 else tuple(others)
                )
