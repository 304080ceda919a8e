from django.db import migrations

from catalogue.reference_provinces import reference_provinces_load


class Migration(migrations.Migration):
    """The 63 provincial-level units before 1 July 2025 and the 34 after, with their
    successions. Reverse is a no-op: orders and outlets may already point at these
    units (PROTECT), and re-applying is an idempotent upsert by code."""

    dependencies = [("catalogue", "0034_reference_data")]

    operations = [
        migrations.RunPython(reference_provinces_load, migrations.RunPython.noop)
    ]
