import django.core.serializers.json
from django.db import migrations

import syncjobs.fields


class Migration(migrations.Migration):
    dependencies = [
        ("syncjobs", "0016_record_error_params"),
    ]

    operations = [
        migrations.AddField(
            model_name="syncrun",
            name="message_params",
            field=syncjobs.fields.RedactedJSONField(
                blank=True,
                default=dict,
                encoder=django.core.serializers.json.DjangoJSONEncoder,
                verbose_name="message and parameters",
            ),
        ),
    ]
