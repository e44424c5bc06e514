import datetime

from django.db import migrations, models

YEARS = 3


def _refresh_by(issued: datetime.date) -> datetime.date:
    try:
        return issued.replace(year=issued.year + YEARS)
    except ValueError:
        return issued.replace(year=issued.year + YEARS, day=28)


def set_refresh_by(apps, schema_editor):
    # update() rather than save(): certificates refuse to be saved once issued.
    Certificate = apps.get_model("training", "Certificate")
    for pk, issued_at in Certificate.objects.values_list("pk", "issued_at"):
        Certificate.objects.filter(pk=pk).update(refresh_by=_refresh_by(issued_at.date()))


class Migration(migrations.Migration):
    dependencies = [("training", "0002_reflective_note_refuses_patient_identifiers")]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="refresh_by",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(set_refresh_by, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="certificate",
            name="refresh_by",
            field=models.DateField(
                help_text="When the learner should take the course again (TRAINING_REFRESH_YEARS)."
            ),
        ),
    ]
