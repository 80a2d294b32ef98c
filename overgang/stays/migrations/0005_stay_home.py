# Stays keep a copy of their patient's municipality and district, to count by.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0003_access_stamp'),
        ('patients', '0002_drop_duplicate_national_id_index'),
        ('stays', '0004_pending_notices'),
    ]

    operations = [
        migrations.AddField(
            model_name='stay',
            name='municipality',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='municipal_stays', to='organisations.organisation', verbose_name='municipality'),
        ),
        migrations.AddField(
            model_name='stay',
            name='district',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='district_stays', to='organisations.organisation', verbose_name='district'),
        ),
        migrations.RunSQL(
            sql=(
                "UPDATE stays_stay SET "
                "municipality_id = (SELECT p.municipality_id FROM patients_patient p "
                "WHERE p.id = stays_stay.patient_id), "
                "district_id = (SELECT p.district_id FROM patients_patient p "
                "WHERE p.id = stays_stay.patient_id)"
            ),
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name='stay',
            name='municipality',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='municipal_stays', to='organisations.organisation', verbose_name='municipality'),
        ),
        migrations.AddIndex(
            model_name='stay',
            index=models.Index(fields=['municipality', 'status'], name='stay_municipality'),
        ),
        migrations.AddIndex(
            model_name='stay',
            index=models.Index(condition=models.Q(('district__isnull', False)), fields=['district', 'status'], name='stay_district'),
        ),
    ]
