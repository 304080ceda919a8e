"""Overrides for Oscar's shipping dashboard. Not an app of its own: Oscar's class loader
finds `dashboard.shipping.*` through the forked dashboard app (shop.dashboard), so the
classes here replace Oscar's while the stock ShippingDashboardConfig stays installed."""
