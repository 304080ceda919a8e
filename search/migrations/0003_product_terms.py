"""ProductTerms: the lines the database backend matches and scores, apart from the
texts. On PostgreSQL, trigram indexes on the folded lines (LIKE '% word%'), and rows
kept uncompressed up to a page (every match is scored in SQL, and compressed values
would be decompressed for each LIKE). Every document is queued in the outbox, which
builds the new rows (the migration cannot: it has no catalogue code)."""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "search_productterms"
# The folded lines for words as typed, the normalized ones for synonyms as written.
INDEXES = {
    f"search_terms_{column}_trgm": column
    for line in ("title", "producer", "group", "description")
    for column in (line, f"{line}_folded")
}


def terms_indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 8160)")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} "
            f'USING gin ("{column}" gin_trgm_ops)'
        )


def terms_indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def documents_queue(apps, schema_editor):
    ProductDocument = apps.get_model("search", "ProductDocument")
    OutboxEntry = apps.get_model("search", "OutboxEntry")
    ids = ProductDocument.objects.values_list("product_id", flat=True)
    OutboxEntry.objects.bulk_create(
        (OutboxEntry(product_id=pk) for pk in ids.iterator()), batch_size=2000
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_postgresql_trigram")]

    operations = [
        migrations.CreateModel(
            name="ProductTerms",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="terms",
                        serialize=False,
                        to="search.productdocument",
                    ),
                ),
                ("title", models.TextField()),
                ("title_folded", models.TextField()),
                ("producer", models.TextField()),
                ("producer_folded", models.TextField()),
                ("group", models.TextField()),
                ("group_folded", models.TextField()),
                ("description", models.TextField()),
                ("description_folded", models.TextField()),
            ],
            options={
                "verbose_name": "product search terms",
                "verbose_name_plural": "product search terms",
            },
        ),
        migrations.RemoveField(model_name="producttext", name="folded"),
        migrations.RemoveField(model_name="producttext", name="normalized"),
        migrations.RunPython(terms_indexes_create, terms_indexes_drop),
        migrations.RunPython(documents_queue, migrations.RunPython.noop),
    ]
