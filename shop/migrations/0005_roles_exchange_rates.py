from django.db import migrations

from shop.roles import roles_sync


class Migration(migrations.Migration):
    """Let catalogue and network managers maintain the exchange rates, and network
    managers the delivery rate tables."""

    dependencies = [
        ("shop", "0004_exchange_rates"),
        ("shipping", "0004_delivery_rates"),
    ]

    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
