"""The tsvector of 0004 moves from ProductTerms to a narrow table of its own,
ProductWords, with the GIN index (issue 7, "How fast"): a match reads about 800
bytes a document instead of the terms' lines too, and browsing and facet counts
never read it.

The words column and index are PostgreSQL only; search.documents (documents_sync)
writes the words from ProductTerms' lines with the expression 0004 generated them
with. On SQLite the table stays empty: the backend matches the lines with LIKE."""

from django.db import migrations, models

TERMS = "search_productterms"
WORDS = "search_productwords"
# (line column, position and weight) for the folded and the as-written words.
_LINES = {"title": "1A", "producer": "2B", "group": "3C", "description": "4"}


def _words(table: str = "") -> str:
    """The tsvector of a ProductTerms row (of the table alias, if given)."""
    prefix = f"{table}." if table else ""
    lexemes = " || ".join(
        f"regexp_replace({prefix}\"{column}\", '(\\S+)', '''{mark}\\1'':{position}',"
        " 'g')"
        for line, position in _LINES.items()
        for column, mark in ((f"{line}_folded", ""), (line, "="))
    )
    return f"CAST({lexemes} AS tsvector)"


def words_move(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {WORDS} ADD COLUMN words tsvector NOT NULL")
    # The index first: the rows' deferred foreign-key checks would forbid it after.
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS search_words_words ON {WORDS} USING gin (words)"
    )
    schema_editor.execute(
        f"INSERT INTO {WORDS} (document_id, words)"
        f" SELECT terms.document_id, {_words('terms')} FROM {TERMS} AS terms"
    )
    schema_editor.execute(f"ALTER TABLE {TERMS} DROP COLUMN IF EXISTS words")


def words_back(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {TERMS} ADD COLUMN IF NOT EXISTS words tsvector "
        f"GENERATED ALWAYS AS ({_words()}) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS search_terms_words ON {TERMS} USING gin (words)"
    )
    schema_editor.execute(f"ALTER TABLE {WORDS} DROP COLUMN IF EXISTS words")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_terms_words")]

    operations = [
        migrations.CreateModel(
            name="ProductWords",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        related_name="words",
                        serialize=False,
                        to="search.productdocument",
                    ),
                ),
            ],
            options={
                "verbose_name": "product search words",
                "verbose_name_plural": "product search words",
            },
        ),
        migrations.RunPython(words_move, words_back),
    ]
