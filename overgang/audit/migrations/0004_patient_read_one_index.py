import django.db.models.deletion
from django.db import migrations, models

# The index Django made for the foreign key (the same name on PostgreSQL and SQLite).
PATIENT_INDEX = "audit_patientread_patient_id_65f59213"


class Migration(migrations.Migration):
    """Drop the index on patient alone: (patient, at) serves every lookup by patient.

    Only the index: Django's own AlterField would also drop and re-add the foreign key on
    PostgreSQL, checking every row of the access log under a lock on the patients, and
    rebuild the table on SQLite."""

    dependencies = [
        ("audit", "0003_read_what"),
        ("patients", "0003_move_in_requests"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="patientread",
                    name="patient",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reads",
                        to="patients.patient",
                        verbose_name="patient",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{PATIENT_INDEX}"',
                    reverse_sql=(
                        f'CREATE INDEX "{PATIENT_INDEX}" ON "audit_patientread" ("patient_id")'
                    ),
                ),
            ],
        ),
    ]
