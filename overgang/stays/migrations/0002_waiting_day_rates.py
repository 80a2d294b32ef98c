"""The daily rates of 2024 and 2025 (forskrift om kommunal betaling for utskrivningsklare
pasienter § 13, set yearly by the Storting); later years are entered by an administrator."""

from django.db import migrations

RATES = {2024: 5745, 2025: 5981}


def add_rates(apps, schema_editor):
    rate = apps.get_model("stays", "WaitingDayRate")
    for year, value in RATES.items():
        rate.objects.get_or_create(year=year, defaults={"rate": value})


def remove_rates(apps, schema_editor):
    apps.get_model("stays", "WaitingDayRate").objects.filter(year__in=RATES).delete()


class Migration(migrations.Migration):
    dependencies = [("stays", "0001_initial")]

    operations = [migrations.RunPython(add_rates, remove_rates)]
