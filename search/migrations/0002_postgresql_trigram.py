"""PostgreSQL only: trigram indexes for the database backend's text matching.

pg_trgm lets LIKE '% word%' (a word-prefix match on the folded columns) use a GIN
index instead of reading every document, and gives similarity() for typo-tolerant
candidate retrieval. unaccent is created for SQL-side folding in reports and ad-hoc
queries; the backend itself folds in Python (search.text.fold), identically on both
databases. Both extensions are "trusted" since PostgreSQL 13: the database owner may
create them. SQLite needs none of this: the folded column is scanned."""

from django.db import migrations

INDEXES = {
    "search_text_title_vi_trgm": "title_vi_folded",
    "search_text_title_en_trgm": "title_en_folded",
    "search_text_folded_trgm": "folded",
}
TABLE = "search_producttext"


def trigram_indexes_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} "
            f"USING gin ({column} gin_trgm_ops)"
        )


def trigram_indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(trigram_indexes_create, trigram_indexes_drop)]
