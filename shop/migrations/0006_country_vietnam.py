from django.db import migrations


def vietnam_add(apps, schema_editor):
    """Oscar's addresses need a Country row; a fresh database has none."""
    Country = apps.get_model("address", "Country")
    Country.objects.update_or_create(
        iso_3166_1_a2="VN",
        defaults={
            "iso_3166_1_a3": "VNM", "iso_3166_1_numeric": "704",
            "printable_name": "Việt Nam", "name": "Socialist Republic of Viet Nam",
            "is_shipping_country": True, "display_order": 1,
        },
    )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0005_roles_exchange_rates"),
        ("address", "0007_useraddress_code"),
    ]

    operations = [migrations.RunPython(vietnam_add, migrations.RunPython.noop)]
