"""What a process's copy of the search documents (search.columns) needs to know
when it is stale, kept by triggers so that no write path can forget it: every
write of a document gives it a new random revision, and every statement that
writes or deletes documents or their terms gives DocumentsVersion's one row a new
random version, in the same transaction.

PostgreSQL: a row trigger sets the revision, statement triggers the version.
SQLite (row triggers only): the revision is set after the write, by its own
UPDATE (recursive triggers are off), and the version after each row. A later
migration that makes SQLite rebuild these tables drops their triggers: it must
create them again."""

from django.db import migrations, models

DOCUMENTS = "search_productdocument"
TERMS = "search_productterms"
VERSION = "search_documentsversion"

POSTGRESQL = f"""
CREATE FUNCTION search_document_revised() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.revision := floor(random() * 9007199254740991)::bigint;
    RETURN NEW;
END $$;
CREATE TRIGGER search_document_revised BEFORE INSERT OR UPDATE ON {DOCUMENTS}
    FOR EACH ROW EXECUTE FUNCTION search_document_revised();
CREATE FUNCTION search_documents_versioned() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {VERSION} (id, version)
        VALUES (1, floor(random() * 9007199254740991)::bigint)
        ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version;
    RETURN NULL;
END $$;
CREATE TRIGGER search_documents_versioned
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {DOCUMENTS}
    FOR EACH STATEMENT EXECUTE FUNCTION search_documents_versioned();
CREATE TRIGGER search_terms_versioned
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {TERMS}
    FOR EACH STATEMENT EXECUTE FUNCTION search_documents_versioned();
"""
POSTGRESQL_BACK = f"""
DROP TRIGGER IF EXISTS search_document_revised ON {DOCUMENTS};
DROP TRIGGER IF EXISTS search_documents_versioned ON {DOCUMENTS};
DROP TRIGGER IF EXISTS search_terms_versioned ON {TERMS};
DROP FUNCTION IF EXISTS search_document_revised();
DROP FUNCTION IF EXISTS search_documents_versioned();
"""

# Not INSERT OR REPLACE: inside a trigger the outer statement's conflict clause
# (an upsert's) overrides it.
_VERSIONED = (
    f"UPDATE {VERSION} SET version = random() WHERE id = 1;"
    f" INSERT INTO {VERSION} (id, version) SELECT 1, random()"
    f" WHERE NOT EXISTS (SELECT 1 FROM {VERSION} WHERE id = 1);"
)
_REVISED = f"UPDATE {DOCUMENTS} SET revision = random() WHERE rowid = NEW.rowid;"
SQLITE = {
    "search_document_inserted": f"AFTER INSERT ON {DOCUMENTS} BEGIN {_REVISED} {_VERSIONED} END",
    # Not after the trigger's own UPDATE of the revision alone.
    "search_document_updated": f"AFTER UPDATE ON {DOCUMENTS}"
    f" WHEN NEW.revision IS OLD.revision BEGIN {_REVISED} {_VERSIONED} END",
    "search_document_deleted": f"AFTER DELETE ON {DOCUMENTS} BEGIN {_VERSIONED} END",
    **{
        f"search_terms_{done}": f"AFTER {event} ON {TERMS} BEGIN {_VERSIONED} END"
        for event, done in (
            ("INSERT", "inserted"), ("UPDATE", "updated"), ("DELETE", "deleted")
        )
    },
}  # fmt: skip


def triggers_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        for name, trigger in SQLITE.items():
            schema_editor.execute(f"CREATE TRIGGER {name} {trigger}")
    schema_editor.execute(f"INSERT INTO {VERSION} (id, version) VALUES (1, 1)")


def triggers_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACK)
    elif vendor == "sqlite":
        for name in SQLITE:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_product_words")]

    operations = [
        migrations.CreateModel(
            name="DocumentsVersion",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(
                        default=1, primary_key=True, serialize=False
                    ),
                ),
                ("version", models.BigIntegerField(default=0)),
            ],
            options={
                "verbose_name": "search documents version",
                "verbose_name_plural": "search documents version",
            },
        ),
        migrations.AddField(
            model_name="productdocument",
            name="revision",
            field=models.BigIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
