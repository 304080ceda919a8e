"""PostgreSQL only: one tsvector of every line's words, which the database backend
matches with its GIN index and scores with weighted tsqueries (search.database),
in place of the per-line trigram indexes of 0003.

The column is generated from ProductTerms' lines, so it is always in step with them
and Django's model does not know it: SQLite keeps matching the lines with LIKE.
Each folded word is a lexeme ("tra"); each word with its diacritics another,
marked with "=" ("=trà"), which a folded word never begins with. The positions say
the line: 1 title (weight A), 2 producer (B), 3 group (C), 4 description (D, the
default weight). So 'tra':*B is a producer word beginning with "tra" and '=chè':D a
whole description word "chè"."""

from django.db import migrations

TABLE = "search_productterms"
OLD_INDEXES = [
    f"search_terms_{column}_trgm"
    for line in ("title", "producer", "group", "description")
    for column in (line, f"{line}_folded")
]
# (line column, position and weight) for the folded and the as-written words.
_LINES = {"title": "1A", "producer": "2B", "group": "3C", "description": "4"}
_LEXEMES = " || ".join(
    f"regexp_replace(\"{column}\", '(\\S+)', '''{mark}\\1'':{position}', 'g')"
    for line, position in _LINES.items()
    for column, mark in ((f"{line}_folded", ""), (line, "="))
)
WORDS = f"CAST({_LEXEMES} AS tsvector)"


def words_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS words tsvector "
        f"GENERATED ALWAYS AS ({WORDS}) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS search_terms_words ON {TABLE} USING gin (words)"
    )


def words_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS words")
    for name in OLD_INDEXES:
        column = name.removeprefix("search_terms_").removesuffix("_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} "
            f'USING gin ("{column}" gin_trgm_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_product_terms")]

    operations = [migrations.RunPython(words_create, words_drop)]
