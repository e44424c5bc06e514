"""Load the ICB reference data, including the April 2026 mergers."""

from django.db import migrations

from accounts.reference import load_icbs


def forwards(apps, schema_editor):
    load_icbs(apps.get_model("accounts", "ICB"))


def backwards(apps, schema_editor):
    ICB = apps.get_model("accounts", "ICB")
    ICB.objects.filter(practices__isnull=True, admins__isnull=True).update(successor=None)
    ICB.objects.filter(practices__isnull=True, admins__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
