from django.db import migrations

from catalogue.reference_data import reference_data_load


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0033_ocop_domain")]

    operations = [migrations.RunPython(reference_data_load, migrations.RunPython.noop)]
