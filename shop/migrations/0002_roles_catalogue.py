from django.db import migrations

from shop.roles import roles_sync


class Migration(migrations.Migration):
    """Grant the roles the permissions of the OCOP catalogue models."""

    dependencies = [("shop", "0001_roles"), ("catalogue", "0034_reference_data")]

    operations = [migrations.RunPython(roles_sync, migrations.RunPython.noop)]
