"""Search by the start of a name in either order, with accents folded, and by birth date.

`search_family` (the family name alone) gives way to `search_reversed` (family name first,
"nordmann kari"), which also starts with the family name. Both keys of every existing
patient are computed anew with the folding of overgang.patients.names.
"""

import unicodedata
from typing import Any

from django.db import migrations, models

from overgang.patients.names import family_name, name_keys

BATCH = 2000


def fill_keys(apps: Any, schema_editor: Any) -> None:
    patients = apps.get_model("patients", "Patient").objects.using(schema_editor.connection.alias)
    rows = patients.only("id", "name").order_by("id")
    batch = []
    for patient in rows.iterator(chunk_size=BATCH):
        patient.search_name, patient.search_reversed = name_keys(patient.name)
        batch.append(patient)
        if len(batch) == BATCH:
            patients.bulk_update(batch, ["search_name", "search_reversed"])
            batch = []
    if batch:
        patients.bulk_update(batch, ["search_name", "search_reversed"])


def _key_before(text: str) -> str:
    """The search key before this migration (case folded, accents kept), for going back."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def fill_keys_before(apps: Any, schema_editor: Any) -> None:
    patients = apps.get_model("patients", "Patient").objects.using(schema_editor.connection.alias)
    batch = []
    for patient in patients.only("id", "name").order_by("id").iterator(chunk_size=BATCH):
        patient.search_name = _key_before(patient.name)
        patient.search_family = _key_before(family_name(patient.name))
        batch.append(patient)
        if len(batch) == BATCH:
            patients.bulk_update(batch, ["search_name", "search_family"])
            batch = []
    if batch:
        patients.bulk_update(batch, ["search_name", "search_family"])


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0003_move_in_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="patient",
            name="search_reversed",
            field=models.CharField(default="", editable=False, max_length=200),
            preserve_default=False,
        ),
        migrations.RunPython(fill_keys, fill_keys_before, elidable=True),
        migrations.RemoveIndex(model_name="patient", name="patient_search_family"),
        # With a default, going back can add the column again to a table with rows; the
        # keys are then filled by fill_keys_before.
        migrations.AlterField(
            model_name="patient",
            name="search_family",
            field=models.CharField(default="", editable=False, max_length=100),
        ),
        migrations.RemoveField(model_name="patient", name="search_family"),
        migrations.AddIndex(
            model_name="patient",
            index=models.Index(
                fields=["search_reversed"],
                name="patient_search_reversed",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="patient",
            index=models.Index(fields=["birth_date", "id"], name="patient_birth_date"),
        ),
    ]
