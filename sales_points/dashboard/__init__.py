"""Outlet staff pages in Oscar's dashboard: stock, receipts of goods, counter sales,
transfers, counts, the ledger and reports. Every page narrows what it shows and changes
through sales_points.permissions; every change goes through sales_points.services."""
