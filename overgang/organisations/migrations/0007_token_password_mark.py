# Tokens issued before this migration are marked with their user's present password, so they
# keep working until the password changes (a token without a mark would be refused).

import hashlib

from django.db import migrations, models


def mark_existing_tokens(apps, schema_editor):
    ApiToken = apps.get_model("organisations", "ApiToken")
    for token in ApiToken.objects.select_related("user"):
        token.password_mark = hashlib.sha256(token.user.password.encode()).hexdigest()
        token.save(update_fields=["password_mark"])


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0006_external_identity"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="password_mark",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.RunPython(mark_existing_tokens, migrations.RunPython.noop),
    ]
