from django.db import migrations

from shop.roles import roles_sync


class Migration(migrations.Migration):
    """Grant the roles the permissions of the outlet models (sales, transfers, network)."""

    dependencies = [
        ("shop", "0002_roles_catalogue"),
        ("sales_points", "0002_network_transfers_sales"),
    ]

    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
