import oscar.apps.dashboard.apps as apps


class DashboardConfig(apps.DashboardConfig):
    """Oscar's dashboard, forked only so that its catalogue sub-app can be forked too
    (Oscar's class loader finds dashboard.catalogue.* through the dashboard app)."""

    name = "shop.dashboard"
