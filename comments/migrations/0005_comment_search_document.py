"""The search document (comments/search.py) and, on PostgreSQL, its GIN indexes
and the pg_trgm extension the writer's history uses for near-duplicates."""

import django.contrib.postgres.search
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

import comments.search

# GIN is PostgreSQL's: elsewhere a search reads the column without an index (small
# data), so the indexes are made here, on PostgreSQL only, outside the model state.
GIN_INDEXES = (
    ("comment", "comment_search_idx"),
    ("inboundemail", "inbound_search_idx"),
)


def add_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, name in GIN_INDEXES:
        model = apps.get_model("comments", model_name)
        index = GinIndex(fields=["search_document"], name=name)
        schema_editor.add_index(model, index)


def remove_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, name in GIN_INDEXES:
        model = apps.get_model("comments", model_name)
        index = GinIndex(fields=["search_document"], name=name)
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_import_origin_and_replies"),
    ]

    operations = [
        TrigramExtension(),  # a no-op on other databases
        migrations.AddField(
            model_name="comment",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=comments.search.SearchDocument(
                    names=("author_name", "author_email"),
                    texts=("body", "edited_body"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddField(
            model_name="inboundemail",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=comments.search.SearchDocument(texts=("subject",)),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.RunPython(add_gin_indexes, remove_gin_indexes, elidable=False),
    ]
